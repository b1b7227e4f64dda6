/**
 * What the simulation worker checks documents and share links with: the scenario's schemas
 * (zod), its semantic checks, and the share-link codec (compression). A chunk of its own in the
 * worker, loaded by the first command that needs it (host.ts `partsNeeded`): the app's first
 * scenario comes checked when the app was built, so a page that opens no link, file or edit never
 * loads it.
 */
import { validateScenario } from '../scenario/validate';
import { decodeShareFragment, encodeShareFragment } from '../scenario/codec';

export { validateScenario, decodeShareFragment, encodeShareFragment };

/** This module, as the host takes it. */
export interface Checker {
  validateScenario: typeof validateScenario;
  decodeShareFragment: typeof decodeShareFragment;
  encodeShareFragment: typeof encodeShareFragment;
}
