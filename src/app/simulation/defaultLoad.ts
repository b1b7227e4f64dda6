/**
 * The `load` that opens the built-in first scenario, checked when the app was built (vite.config.ts
 * makes `virtual:faultline/default-scenario` with the scenario's own validation and codec): the
 * worker takes it without loading its checker (zod, the schemas, the link codec), so a first view
 * that opens no link, file or edit never fetches them. test/app/defaultLoad.test.ts pins it to
 * what the worker's check makes of the document.
 */
import checked from 'virtual:faultline/default-scenario';
import { defaultScenario } from '../../scenario/defaultScenario';
import type { Scenario } from '../../scenario/schema';
import type { CommandBody } from './bridge';

export const DEFAULT_LOAD: Extract<CommandBody, { type: 'load' }> = {
  type: 'load',
  document: defaultScenario,
  checked: { scenario: checked.scenario as Scenario, share: checked.share },
};
