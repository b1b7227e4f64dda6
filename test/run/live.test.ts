import { describe, expect, it } from 'vitest';
import { endFault, withLiveFault } from '../../src/run/live';
import { createRun } from '../../src/run/run';
import { decodeShareFragment, encodeShareFragment } from '../../src/scenario/codec';
import { parseScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';

const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'live',
  seed: 'live',
  durationMs: 20_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 }, timeoutMs: 500, retry: { maxAttempts: 3 } },
    { id: 'api', kind: 'service', concurrency: 4, serviceTime: { dist: 'exponential', meanMs: 10 }, calls: [{ target: 'db', timeoutMs: 200 }] },
    { id: 'db', kind: 'service', serviceTime: { dist: 'exponential', meanMs: 5 } },
  ],
};

describe('live fault injection', () => {
  it('a fault applied at time T is recorded at T; the document alone reproduces the run, also through a share URL', () => {
    // What the app does: play to T, inject, re-run the new document to T, play on.
    const before = createRun(parseScenario(doc), { keepAllEvents: true });
    before.advanceTo(7_345.6789);
    const live = withLiveFault(doc, { kind: 'crash', target: 'db', durationMs: 3_000 }, before.nowMs);
    expect(live.faults!.at(-1)).toMatchObject({ kind: 'crash', target: 'db', atMs: 7345.679, untilMs: 10345.679, source: 'live' });
    const after = createRun(parseScenario(live), { keepAllEvents: true });
    after.advanceTo(before.nowMs);
    // Up to T nothing differs from the run without the fault.
    expect(after.eventLog().filter((e) => e.t < 7345.6789)).toEqual(before.eventLog().filter((e) => e.t < 7345.6789));
    after.runToEnd();
    const shown = after.summary();
    expect(shown.requests.byStatus['502']).toBeGreaterThan(50);
    // Re-running the shared document from scratch gives the same run.
    const decoded = decodeShareFragment(encodeShareFragment(live));
    expect(decoded.ok).toBe(true);
    const replay = createRun(parseScenario(decoded.ok ? decoded.document : null));
    replay.runToEnd();
    expect(replay.summary().traceHash).toBe(shown.traceHash);
    expect(replay.summary()).toEqual(shown);
  });

  it('ending a live fault sets its untilMs to now, and only moves it earlier', () => {
    const live = withLiveFault(doc, { kind: 'slow', target: 'api', factor: 5 }, 1000);
    expect(live.faults![0]).toMatchObject({ atMs: 1000, untilMs: null });
    const ended = endFault(live, 0, 2500.00049);
    expect(ended.faults![0]).toMatchObject({ atMs: 1000, untilMs: 2500 });
    expect(endFault(ended, 0, 4000)).toBe(ended);
    expect(() => endFault(ended, 3, 4000)).toThrow(RangeError);
    const run = createRun(parseScenario(ended), { keepAllEvents: true });
    run.runToEnd();
    expect(run.eventLog().filter((e) => e.kind.startsWith('fault.')).map((e) => [e.kind, e.t])).toEqual([
      ['fault.start', 1000],
      ['fault.end', 2500],
    ]);
  });
});
