import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Broker, checkAccounting } from '../../../src/model/broker/broker';
import type { BrokerConfig, BrokerQueueConfig } from '../../../src/model/broker/broker';
import type { ExchangeConfig } from '../../../src/model/broker/exchange';

const KEYS = ['a', 'b', 'a.b', 'a.b.c', ''];
const BINDING_KEYS = ['a', 'b', 'a.b', '*', '#', 'a.*', '#.b', ''];
/** Consistent-hash exchanges: binding keys are weights (and one that is none: no points on the ring). */
const WEIGHTS = ['1', '3', '10', 'a'];

/** A random broker: up to 3 exchanges and 4 queues, DLX edges anywhere (cycles included). */
const topology: fc.Arbitrary<BrokerConfig> = fc
  .record({ nx: fc.integer({ min: 1, max: 3 }), nq: fc.integer({ min: 1, max: 4 }) })
  .chain(({ nx, nq }) => {
    const xid = (i: number) => `x${i}`;
    const exchangeTarget = fc.oneof(fc.integer({ min: 0, max: nx - 1 }).map(xid), fc.constant(''), fc.constant('missing'));
    const exchange = (i: number): fc.Arbitrary<ExchangeConfig> =>
      fc.record({
        id: fc.constant(xid(i)),
        type: fc.constantFrom('fanout' as const, 'direct' as const, 'topic' as const, 'x-consistent-hash' as const),
        alternateExchange: fc.option(fc.integer({ min: 0, max: nx - 1 }).map(xid), { nil: null }),
      });
    const queue = (i: number): fc.Arbitrary<BrokerQueueConfig> =>
      fc.record({
        id: fc.constant(`q${i}`),
        bindings: fc.array(
          fc.record({ exchange: fc.integer({ min: 0, max: nx - 1 }).map(xid), key: fc.constantFrom(...BINDING_KEYS, ...WEIGHTS) }),
          { maxLength: 3 },
        ),
        messageTtlMs: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
        maxLength: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
        overflow: fc.constantFrom('drop-head' as const, 'reject-publish' as const),
        deadLetter: fc.option(
          fc.record({ exchange: exchangeTarget, routingKey: fc.option(fc.constantFrom(...KEYS, 'q0', 'q1'), { nil: null }) }),
          { nil: null },
        ),
        deliveryLimit: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
      });
    return fc.record({
      exchanges: fc.tuple(...Array.from({ length: nx }, (_, i) => exchange(i))),
      queues: fc.tuple(...Array.from({ length: nq }, (_, i) => queue(i))),
    });
  });

type Op =
  | { op: 'publish'; x: number; key: string }
  | { op: 'publishDefault'; q: number }
  | { op: 'consume'; q: number; prefetch: number }
  | { op: 'die'; q: number; c: number }
  | { op: 'ack'; q: number; m: number }
  | { op: 'nack'; q: number; m: number; requeue: boolean }
  | { op: 'time'; dt: number };

const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('publish' as const), x: fc.nat(), key: fc.constantFrom(...KEYS) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('publishDefault' as const), q: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('consume' as const), q: fc.nat(), prefetch: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('die' as const), q: fc.nat(), c: fc.nat() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('ack' as const), q: fc.nat(), m: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('nack' as const), q: fc.nat(), m: fc.nat(), requeue: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('time' as const), dt: fc.integer({ min: 0, max: 40 }) }) },
  ),
  { maxLength: 80 },
);

/** Run `script` against a broker built from `config`, checking the invariants after every step. */
function run(config: BrokerConfig, script: Op[]): Broker {
  const broker = new Broker(config);
  const qids = config.queues.map((q) => q.id);
  const xids = config.exchanges.map((x) => x.id);
  const consumers = new Map<string, string[]>(qids.map((q) => [q, []]));
  let now = 0;
  let tag = 0;
  const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);
  for (const step of script) {
    let accepted: string[] = [];
    switch (step.op) {
      case 'publish':
        accepted = broker.publish(pick(xids, step.x)!, step.key, { eventId: `e${now}-${tag++}` }, now).routedTo;
        break;
      case 'publishDefault':
        accepted = broker.publish('', pick(qids, step.q)!, { eventId: `d${tag++}` }, now).routedTo;
        break;
      case 'consume': {
        const q = pick(qids, step.q)!;
        const t = `c${tag++}`;
        broker.addConsumer(q, t, step.prefetch, now);
        consumers.get(q)!.push(t);
        break;
      }
      case 'die': {
        const q = pick(qids, step.q)!;
        const cs = consumers.get(q)!;
        const t = pick(cs, step.c);
        if (t !== undefined) {
          expect(broker.removeConsumer(q, t, now)).toBe(true);
          cs.splice(cs.indexOf(t), 1);
        }
        break;
      }
      case 'ack':
      case 'nack': {
        const q = pick(qids, step.q)!;
        const m = pick(broker.queue(q).unackedMessages(), step.m);
        if (m !== undefined) {
          const ok = step.op === 'ack' ? broker.ack(q, m.messageId, now) : broker.nack(q, m.messageId, step.requeue, now);
          expect(ok).toBe(true);
        }
        break;
      }
      case 'time':
        now += step.dt;
        broker.expire(now);
        break;
    }
    expect(checkAccounting(broker)).toEqual([]);
    for (const q of broker.queues()) {
      if (q.maxLength === null) continue;
      if (q.overflow === 'drop-head') expect(q.depth).toBeLessThanOrEqual(q.maxLength);
      // reject-publish only refuses new messages: right after it accepts one, it is within the limit
      else if (accepted.includes(q.id)) expect(q.depth).toBeLessThanOrEqual(q.maxLength);
    }
    const next = broker.nextExpiryAt();
    if (next !== null) expect(next).toBeGreaterThan(now); // nothing overdue is left at a head
  }
  return broker;
}

describe('message accounting (property)', () => {
  it('balances after every operation on random topologies, and queues respect maxLength', () => {
    fc.assert(
      fc.property(topology, ops, (config, script) => {
        run(config, script);
      }),
      { numRuns: 400 },
    );
  });

  it('still balances once every consumer dies and the clock runs out the TTLs', () => {
    fc.assert(
      fc.property(topology, ops, (config, script) => {
        const broker = run(config, script);
        for (const q of broker.queues()) for (const m of q.unackedMessages()) broker.nack(q.id, m.messageId, true, 10_000);
        broker.expire(1_000_000);
        expect(checkAccounting(broker)).toEqual([]);
        const c = broker.counters;
        const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
        expect(c.copies).toBe(c.acked + c.deadLettered + dropped + broker.liveCopies);
      }),
      { numRuns: 150 },
    );
  });

  it('is not vacuous: a copy that vanishes or a counter that drifts is reported', () => {
    const broker = new Broker({ exchanges: [{ id: 'x', type: 'fanout' }], queues: [{ id: 'q', bindings: [{ exchange: 'x' }] }] });
    broker.publish('x', '', { eventId: 'e' }, 0);
    expect(checkAccounting(broker)).toEqual([]);
    broker.counters.acked++;
    expect(checkAccounting(broker).length).toBeGreaterThan(0);
    broker.counters.acked--;
    broker.counters.copies++;
    expect(checkAccounting(broker).join('\n')).toMatch(/copies 2 != acked 0/);
  });

  it('accounts a dead-lettered copy once, and its successor as a new copy', () => {
    const broker = new Broker({
      exchanges: [
        { id: 'x', type: 'fanout' },
        { id: 'dlx', type: 'fanout' },
      ],
      queues: [
        { id: 'q', bindings: [{ exchange: 'x' }], deadLetter: { exchange: 'dlx' } },
        { id: 'dlq1', bindings: [{ exchange: 'dlx' }] },
        { id: 'dlq2', bindings: [{ exchange: 'dlx' }] },
      ],
    });
    broker.addConsumer('q', 'c', 1, 0);
    const [id] = broker.publish('x', '', { eventId: 'e' }, 0).messageIds;
    broker.nack('q', id!, false, 1);
    // 1 publisher copy (dead-lettered) + 2 dead-letter copies (live in dlq1 and dlq2)
    expect(broker.counters).toMatchObject({ copies: 3, deadLettered: 1, acked: 0 });
    expect(broker.liveCopies).toBe(2);
    expect(broker.whereIs(id!)).toBeUndefined();
    expect(broker.queue('dlq1').readyMessages()[0]!.parentId).toBe(id);
    expect(checkAccounting(broker)).toEqual([]);
  });
});
