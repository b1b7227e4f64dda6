/**
 * Live fault injection. A fault applied during a run is recorded into the document's fault
 * timeline at the simulated time it happened (`source: "live"`), and ending one sets its
 * `untilMs` to now. The run then continues as the run of the new document — the app re-runs it
 * to the current time — so the document alone, shared as a URL, reproduces exactly what the
 * audience saw, to the same trace hash.
 */
import type { Fault, Scenario, ScenarioInput } from '../scenario/schema';

/**
 * A fault to apply now: its kind, target and settings as in the document (defaults may be left
 * out; the new document is validated as any other), and how long it lasts (`durationMs` null or
 * absent: until it is ended or the run ends).
 */
export type LiveFault = { kind: Fault['kind']; target: string; durationMs?: number | null; [setting: string]: unknown };

/** The document with `fault` starting at `atMs`; its index in `faults` is the last. */
export function withLiveFault<S extends Scenario | ScenarioInput>(doc: S, fault: LiveFault, atMs: number): S {
  const { durationMs, ...rest } = fault;
  const at = round3(atMs);
  const entry = { ...rest, atMs: at, untilMs: durationMs ? round3(at + durationMs) : null, source: 'live' as const };
  return { ...doc, faults: [...(doc.faults ?? []), entry] } as S;
}

/** The document with fault `index` ending at `atMs` (no change if it already ended by then). */
export function endFault<S extends Scenario | ScenarioInput>(doc: S, index: number, atMs: number): S {
  const faults = [...(doc.faults ?? [])] as { atMs: number; untilMs?: number | null }[];
  const f = faults[index];
  if (!f) throw new RangeError(`no fault ${index}`);
  const at = Math.max(round3(atMs), f.atMs + 0.001);
  if (f.untilMs !== null && f.untilMs !== undefined && f.untilMs <= at) return doc;
  faults[index] = { ...f, untilMs: at };
  return { ...doc, faults } as S;
}

/** Times are kept to the microsecond so a shared URL stays short and exact. */
function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
