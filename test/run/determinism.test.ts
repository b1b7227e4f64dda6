import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { Scenario } from '../../src/scenario/schema';
import { scenario } from '../helpers/scenarios';

function mixed(seed: string | number, serviceMeanMs = 5): Scenario {
  return scenario({
    seed,
    durationMs: 20_000,
    links: [{ from: 'api', to: 'db', latency: { dist: 'normal', meanMs: 2, stdMs: 0.5 } }],
    network: { latency: { dist: 'uniform', minMs: 0.5, maxMs: 1.5 } },
    nodes: [
      { id: 'web', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 200 }, timeoutMs: 60 },
      { id: 'batch', kind: 'client', target: 'api', arrival: { type: 'closed', users: 5, thinkTime: { dist: 'exponential', meanMs: 50 } } },
      { id: 'api', kind: 'service', instances: 2, loadBalancer: 'random', concurrency: 2, queueLimit: 10, serviceTime: { dist: 'exponential', meanMs: serviceMeanMs }, errorRate: 0.05, calls: [{ target: 'db' }] },
      { id: 'db', kind: 'service', concurrency: 4, serviceTime: { dist: 'lognormal', medianMs: 2, p99Ms: 20 } },
    ],
  });
}

const runWhole = (s: Scenario) => {
  const run = createRun(s);
  run.runToEnd();
  return run.summary();
};

describe('determinism', () => {
  it('the same document gives the same trace hash and summary', () => {
    const a = runWhole(mixed('same'));
    const b = runWhole(mixed('same'));
    expect(a.traceHash).toBe(b.traceHash);
    expect(a).toEqual(b);
    expect(a.requests.sent).toBeGreaterThan(3000);
    expect(a.requests.failed).toBeGreaterThan(0);
  });

  it('a different seed gives a different trace', () => {
    expect(runWhole(mixed('one')).traceHash).not.toBe(runWhole(mixed('two')).traceHash);
  });

  it('a run cut into any slices, with single steps between, hashes the same as one run straight through', () => {
    const whole = runWhole(mixed('slices'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 2000, noNaN: true }), fc.nat(3)), { minLength: 1, maxLength: 30 }), (cuts) => {
        const run = createRun(mixed('slices'));
        let t = 0;
        for (const [dt, steps] of cuts) {
          t += dt;
          run.advanceTo(t);
          for (let i = 0; i < steps; i++) run.step();
        }
        run.runToEnd();
        expect(run.summary()).toEqual(whole);
      }),
      { numRuns: 15 },
    );
  });

  it('event-count slices (as the app sends at "max" speed) change nothing either', () => {
    const whole = runWhole(mixed('budget'));
    const run = createRun(mixed('budget'));
    while (!run.finished) run.advanceTo(Infinity, 997);
    expect(run.summary()).toEqual(whole);
  });

  it("changing one service's setting leaves every other stream alone: the clients' arrivals are the same", () => {
    const starts = (s: Scenario) => {
      const run = createRun(s, { keepAllEvents: true });
      run.runToEnd();
      return run
        .eventLog()
        .filter((e) => e.kind === 'request.start' && e.node === 'web')
        .map((e) => e.t);
    };
    const a = starts(mixed('fair', 5));
    const b = starts(mixed('fair', 9));
    expect(a.length).toBeGreaterThan(3000);
    expect(b).toEqual(a);
  });

  it('the event log holds what --events writes: every event, each naming its ids', () => {
    const run = createRun(mixed('log'), { keepAllEvents: true });
    run.runToEnd();
    const events = run.eventLog();
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of ['request.start', 'request.end', 'attempt.start', 'attempt.end', 'timeout']) expect(kinds).toContain(k);
    const end = events.find((e) => e.kind === 'request.end' && e.status === 503)!;
    expect(end).toMatchObject({ node: expect.any(String), requestId: expect.any(Number), correlationId: `c-${end.requestId}`, reason: 'queue-full' });
    const ends = events.filter((e) => e.kind === 'request.end').length;
    const s = run.summary();
    expect(ends).toBe(s.requests.ok + s.requests.failed);
    // Events come out in time order.
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
  });
});
