import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/validate';

const base = (patch: { exchange?: Record<string, unknown>; binding?: Record<string, unknown>; consume?: Record<string, unknown> }) => ({
  format: 'faultline/1',
  name: 'ordering',
  nodes: [
    { id: 'pub', kind: 'service', publishes: [{ exchange: 'x', routingKey: 'k' }] },
    { id: 'x', kind: 'exchange', type: 'direct', ...patch.exchange },
    { id: 'q', kind: 'queue', bindings: [{ exchange: 'x', key: 'k', ...patch.binding }] },
    { id: 'c', kind: 'service', consumes: [{ queue: 'q', ...patch.consume }] },
  ],
});

const problems = (doc: unknown) => {
  const v = validateScenario(doc);
  return v.ok ? [] : v.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('validation of the ordering and choreography keys', () => {
  it('accepts the new keys with their defaults', () => {
    expect(problems(base({ exchange: { type: 'x-consistent-hash', hashHeader: 'entity' }, binding: { key: '10' }, consume: { stateMachine: {}, onError: 'dead-letter', onFailurePublish: [{ exchange: 'x' }] } }))).toEqual([]);
  });

  it('a binding to a consistent-hash exchange needs a weight for its key', () => {
    expect(problems(base({ exchange: { type: 'x-consistent-hash' }, binding: { key: 'k' } }))).toEqual([
      'nodes[2].bindings[0].key: binds to the consistent-hash exchange "x": the key is the binding\'s weight, a whole number from 1 to 9999 (as a string, e.g. "1") — got "k"',
    ]);
  });

  it('compensating events need a failure that is not requeued', () => {
    expect(problems(base({ consume: { onFailurePublish: [{ exchange: 'x' }] } }))).toEqual([
      'nodes[3].consumes[0].onFailurePublish: needs "onError": "dead-letter" — a requeued failure is tried again, so there is nothing to compensate yet',
    ]);
  });

  it('a state machine needs manual acknowledgement, a known mode and a sequence', () => {
    expect(problems(base({ consume: { ackMode: 'auto', stateMachine: {} } }))).toEqual([
      'nodes[3].consumes[0].stateMachine: needs "ackMode": "manual" — an automatically acked message cannot be rejected or parked',
    ]);
    const mode = problems(base({ consume: { stateMachine: { onOutOfOrder: 'drop' } } }));
    expect(mode).toHaveLength(1);
    expect(mode[0]).toMatch(/^nodes\[3\]\.consumes\[0\]\.stateMachine\.onOutOfOrder: .*reject, park, ignore-stale/);
    expect(problems(base({ consume: { stateMachine: { sequence: [] } } }))[0]).toMatch(/^nodes\[3\]\.consumes\[0\]\.stateMachine\.sequence: /);
  });

  it('a compensating publish names an exchange that exists', () => {
    expect(problems(base({ consume: { onError: 'dead-letter', onFailurePublish: [{ exchange: 'nope' }] } }))[0]).toMatch(/^nodes\[3\]\.consumes\[0\]\.onFailurePublish\[0\]\.exchange: names no node/);
  });
});
