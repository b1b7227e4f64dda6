/**
 * The built-in first scenario as the worker's check makes it: its scenario with the defaults
 * applied, and its share fragment. Run when the app is built (vite.config.ts makes
 * `virtual:faultline/default-scenario` of it); never part of the page.
 */
import { defaultScenario } from '../../scenario/defaultScenario';
import { parseScenario } from '../../scenario/validate';
import { encodeShareFragment } from '../../scenario/codec';
import type { Scenario } from '../../scenario/schema';

export function checkDefault(): { scenario: Scenario; share: string } {
  return { scenario: parseScenario(defaultScenario), share: encodeShareFragment(defaultScenario) };
}
