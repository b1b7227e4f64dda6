import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/validate';

const base = {
  format: 'faultline/1',
  name: 'fault targets',
  nodes: [
    { id: 'c', kind: 'client', target: 's' },
    { id: 's', kind: 'service' },
    { id: 'x', kind: 'exchange', type: 'fanout' },
    { id: 'q', kind: 'queue', bindings: [{ exchange: 'x' }] },
  ],
};

describe('fault kinds against their targets', () => {
  it('each fault must be one its target can suffer', () => {
    const r = validateScenario({
      ...base,
      faults: [
        { atMs: 0, target: 'c->s', kind: 'crash' },
        { atMs: 0, target: 'q', kind: 'crash' },
        { atMs: 0, target: 'x', kind: 'drop' },
        { atMs: 0, target: 'c', kind: 'hang' },
        { atMs: 0, target: 's', kind: 'hang' },
        { atMs: 0, target: 'q', kind: 'duplicate' },
        { atMs: 0, target: 'c->s', kind: 'partition' },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'faults[0].kind', message: 'a crash fault needs a node target, not the link "c->s" — links take latency, error, partition, drop, duplicate, reorder' },
      { path: 'faults[1].kind', message: 'a queue cannot suffer a crash fault — it takes duplicate, latency' },
      { path: 'faults[2].kind', message: 'faults on an exchange are not modelled — aim at a queue or at the service that publishes' },
      { path: 'faults[3].kind', message: 'a client cannot suffer a hang fault — it takes latency, error, partition, drop, duplicate, reorder' },
    ]);
  });
});
