import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { parseScenario } from '../../src/scenario/validate';

/** A service publishing every request into a queue nobody consumes, and whose length has no limit. */
const flood = (queues: string[]) =>
  parseScenario({
    format: 'faultline/1',
    name: 'flood',
    durationMs: 600_000,
    nodes: [
      { id: 'users', kind: 'client', target: 'orders', arrival: { type: 'constant', ratePerSec: 1000 } },
      { id: 'orders', kind: 'service', concurrency: 64, serviceTime: 1, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', type: 'fanout' },
      ...queues.map((id) => ({ id, kind: 'queue', bindings: [{ exchange: 'events', key: '' }] })),
    ],
  });

describe('broker guardrails', () => {
  it('a queue that grows without bound stops the run, naming the queue, the publisher and the time', () => {
    const run = createRun(flood(['backlog']), { maxQueueMessages: 20_000 });
    run.runToEnd();
    const s = run.summary();
    expect(s.stoppedBy).toMatch(/^limit reached: queue "backlog" holds more than 20,000 messages \(driven by service "orders" publishing into it, at \d+\.\d ms\)$/);
    expect(s.simTimeMs).toBeLessThan(25_000);
    expect(s.invariants.ok).toBe(true);
  });

  it('all queues together have a limit too, naming the deepest', () => {
    const run = createRun(flood(['a', 'b', 'c']), { maxQueueMessages: 1_000_000, maxBrokerMessages: 30_000 });
    run.runToEnd();
    expect(run.summary().stoppedBy).toMatch(/^limit reached: the broker holds more than 30,000 messages \(the deepest queue, "a", 10,00\d\) \(driven by service "orders" publishing, at \d+\.\d ms\)$/);
  });
});
