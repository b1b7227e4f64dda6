/** The scenario in the URL fragment: reading it, and writing the one on screen back. */
import { decodeShareFragment, encodeShareFragment } from '../scenario/codec';
import type { Problem } from '../scenario/validate';

export type HashDocument =
  | { kind: 'none' }
  | { kind: 'ok'; document: unknown }
  | { kind: 'bad'; problems: Problem[] };

/** What `location.hash` holds: nothing, a document to validate, or why it cannot be read. */
export function readHashDocument(hash: string): HashDocument {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment.trim() === '') return { kind: 'none' };
  const decoded = decodeShareFragment(`#${fragment}`);
  if (!decoded.ok) return { kind: 'bad', problems: [{ path: '', message: decoded.error }] };
  return { kind: 'ok', document: decoded.document };
}

/** `#s=1.…` for a document. */
export function hashFor(document: unknown): string {
  return `#${encodeShareFragment(document as Parameters<typeof encodeShareFragment>[0])}`;
}

/** The link that reopens `document`: this page with the document in its fragment. */
export function shareLink(document: unknown, loc: Pick<Location, 'origin' | 'pathname'> = location): string {
  return `${loc.origin}${loc.pathname}${hashFor(document)}`;
}
