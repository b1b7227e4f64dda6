/**
 * Pinned regression cases: scenarios that once broke an invariant or recovery, found by the
 * swarm or a property test, kept here reduced to what triggered them.
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { scenario } from '../helpers/scenarios';

describe('regressions', () => {
  it('swarm seed 1 run 44 (first generator): a timeout outside a bulkhead freed no slot when the answer was lost, so the bulkhead stayed full forever', () => {
    const s = scenario({
      seed: 'swarm-1-44',
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 'api', arrival: { type: 'constant', ratePerSec: 100 } },
        {
          id: 'api',
          kind: 'service',
          concurrency: 100,
          serviceTime: 1,
          calls: [{ target: 'db', timeoutMs: 100, bulkhead: { maxConcurrent: 5, maxQueue: 2 }, policyOrder: ['fallback', 'retry', 'timeout', 'bulkhead', 'breaker'] }],
        },
        { id: 'db', kind: 'service', concurrency: 100, serviceTime: 1 },
      ],
      // Every request to db is lost for one second: no answer ever comes back for those.
      faults: [{ atMs: 1000, untilMs: 2000, target: 'api->db', kind: 'drop' }],
    });
    const run = createRun(s, { keepAllEvents: true });
    run.runToEnd();
    const sum = run.summary();
    expect(sum.invariants.ok).toBe(true);
    // After the drop ends, every request succeeds again: the slots came back with the timeouts.
    const late = run.eventLog().filter((e) => e.kind === 'request.end' && e.t > 2200);
    expect(late.length).toBeGreaterThan(700);
    expect(late.every((e) => e.status === 200)).toBe(true);
  });
});
