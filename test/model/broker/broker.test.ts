import { describe, expect, it } from 'vitest';
import { Broker, checkAccounting, UNROUTABLE } from '../../../src/model/broker/broker';
import type { BrokerConfig, BrokerEvent, BrokerQueueConfig } from '../../../src/model/broker/broker';
import { isDeathCycle, recordDeath } from '../../../src/model/broker/message';

function withEvents(config: BrokerConfig) {
  const events: BrokerEvent[] = [];
  const broker = new Broker(config, { onEvent: (e) => events.push(e) });
  const last = (queue: string) => {
    const q = broker.queue(queue).readyMessages();
    return q[q.length - 1]!;
  };
  return { broker, events, last };
}

describe('publish', () => {
  it('reports routed, refused and unroutable publishes', () => {
    const { broker } = withEvents({
      exchanges: [{ id: 'events', type: 'topic' }],
      queues: [
        { id: 'a', bindings: [{ exchange: 'events', key: 'order.*' }] },
        { id: 'b', maxLength: 0, overflow: 'reject-publish', bindings: [{ exchange: 'events', key: '#' }] },
      ],
    });
    expect(broker.publish('events', 'order.placed', { eventId: 'e1' }, 0)).toMatchObject({
      routedTo: ['a'],
      refusedBy: ['b'],
      unroutable: false,
    });
    const miss = broker.publish('events', 'x', { eventId: 'e2' }, 0);
    expect(miss).toMatchObject({ routedTo: [], refusedBy: ['b'], unroutable: false });
    const none = new Broker({ exchanges: [{ id: 'x', type: 'direct' }], queues: [] }).publish('x', 'k', { eventId: 'e' }, 0);
    expect(none).toEqual({ routedTo: [], refusedBy: [], unroutable: true, messageIds: [] });
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('gives every copy its own messageId and the same eventId', () => {
    const { broker } = withEvents({
      exchanges: [{ id: 'f', type: 'fanout' }],
      queues: ['a', 'b', 'c'].map((id) => ({ id, bindings: [{ exchange: 'f' }] })),
    });
    const r = broker.publish('f', '', { eventId: 'evt', correlationId: 'corr', causationId: 'cause' }, 5);
    expect(new Set(r.messageIds).size).toBe(3);
    for (const q of ['a', 'b', 'c']) {
      expect(broker.queue(q).readyMessages()[0]).toMatchObject({ eventId: 'evt', correlationId: 'corr', causationId: 'cause', publishedAt: 5, exchange: 'f' });
    }
  });

  it('numbers its copies and names them by prefix and number', () => {
    const broker = new Broker({ exchanges: [{ id: 'f', type: 'fanout' }], queues: ['a', 'b'].map((id) => ({ id, bindings: [{ exchange: 'f' }] })) });
    expect(broker.publish('f', '', { eventId: 'e1' }, 0).messageIds).toEqual(['m1', 'm2']);
    const [a] = broker.queue('a').readyMessages();
    expect([a!.id, a!.messageId, a!.parent, a!.parentId]).toEqual([1, 'm1', 0, null]);
    const bare = new Broker({ exchanges: [{ id: 'f', type: 'fanout' }], queues: [{ id: 'q', bindings: [{ exchange: 'f' }] }] }, { idPrefix: '' });
    bare.publish('f', '', { eventId: 'e1' }, 0);
    expect(bare.queue('q').readyMessages()[0]!.messageId).toBe('1');
  });

  it('publishCounted answers with the refusals (UNROUTABLE when no queue was a destination)', () => {
    const broker = new Broker({
      exchanges: [{ id: 'events', type: 'topic' }],
      queues: [
        { id: 'a', bindings: [{ exchange: 'events', key: 'order.*' }] },
        { id: 'b', maxLength: 0, overflow: 'reject-publish', bindings: [{ exchange: 'events', key: 'order.#' }] },
      ],
    });
    expect(broker.publishCounted('events', 'order.placed', { eventId: 'e1' }, 0)).toBe(1);
    expect(broker.publishCounted('events', 'other', { eventId: 'e2' }, 0)).toBe(UNROUTABLE);
    expect(broker.counters).toMatchObject({ published: 2, copies: 3, enqueued: 1, dropped: { refused: 1, unroutable: 1 } });
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('acks and nacks a delivery by its record; a stale one is refused', () => {
    const broker = new Broker({ exchanges: [], queues: [{ id: 'q' }] });
    broker.addConsumer('q', 'c', 2, 0);
    broker.publish('', 'q', { eventId: 'e1' }, 0);
    broker.publish('', 'q', { eventId: 'e2' }, 0);
    const q = broker.queue('q');
    const [m1, m2] = q.unackedMessages();
    expect(q.isUnacked(m1!)).toBe(true);
    expect(broker.ackCopy(q, m1!, 1)).toBe(true);
    expect(q.isUnacked(m1!)).toBe(false);
    expect(broker.ackCopy(q, m1!, 2)).toBe(false);
    expect(broker.nackCopy(q, m2!, true, 3)).toBe(true); // requeued and delivered again at once
    expect(q.holderOf(m2!.messageId)).toBe('c');
    expect(broker.nackCopy(q, m2!, false, 4)).toBe(true);
    expect(broker.nackCopy(q, m2!, false, 5)).toBe(false);
    expect(q.counters).toMatchObject({ acked: 1, requeued: 1, dropped: 1 });
    expect(broker.liveCopies).toBe(0);
    expect(checkAccounting(broker)).toEqual([]);
  });

  // https://www.rabbitmq.com/docs/ae
  it('uses the alternate exchange for what the exchange cannot route, and counts the rest as unroutable', () => {
    const { broker } = withEvents({
      exchanges: [
        { id: 'main', type: 'direct', alternateExchange: 'ae' },
        { id: 'ae', type: 'fanout' },
        { id: 'lonely', type: 'direct' },
      ],
      queues: [
        { id: 'orders', bindings: [{ exchange: 'main', key: 'order' }] },
        { id: 'unrouted', bindings: [{ exchange: 'ae' }] },
      ],
    });
    expect(broker.publish('main', 'order', { eventId: 'a' }, 0).routedTo).toEqual(['orders']);
    expect(broker.publish('main', 'other', { eventId: 'b' }, 0).routedTo).toEqual(['unrouted']);
    expect(broker.publish('lonely', 'k', { eventId: 'c' }, 0).unroutable).toBe(true);
    expect(broker.counters.dropped.unroutable).toBe(1);
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('refuses to publish to an exchange that does not exist', () => {
    const broker = new Broker({ exchanges: [], queues: [] });
    expect(() => broker.publish('nope', 'k', { eventId: 'e' }, 0)).toThrow(/unknown exchange/);
  });
});

/** work --(DLX dlx, fanout)--> dlq: the usual dead-letter topology. */
const dlqTopology = (work: Partial<BrokerQueueConfig>): BrokerConfig => ({
  exchanges: [
    { id: 'events', type: 'topic' },
    { id: 'dlx', type: 'topic' },
  ],
  queues: [
    { id: 'work', bindings: [{ exchange: 'events', key: 'order.#' }], deadLetter: { exchange: 'dlx', routingKey: null }, ...work },
    { id: 'dlq', bindings: [{ exchange: 'dlx', key: '#' }] },
  ],
});

// https://www.rabbitmq.com/docs/dlx: the four reasons, the routing key rule, the x-death fields.
describe('dead-lettering', () => {
  it('rejected: copies to the DLQ with an x-death entry, original exchange and keys recorded', () => {
    const { broker } = withEvents(dlqTopology({}));
    broker.addConsumer('work', 'c1', 1, 0);
    const [id] = broker.publish('events', 'order.placed', { eventId: 'e1' }, 0).messageIds;
    broker.nack('work', id!, false, 7);
    const dl = broker.queue('dlq').readyMessages()[0]!;
    expect(dl).toMatchObject({ eventId: 'e1', exchange: 'dlx', routingKey: 'order.placed', parentId: id, redelivered: false });
    expect(dl.messageId).not.toBe(id);
    expect(dl.xDeath).toEqual([{ queue: 'work', reason: 'rejected', count: 1, exchange: 'events', routingKeys: ['order.placed'], time: 7 }]);
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('uses the dead-letter routing key when the queue sets one', () => {
    const config = dlqTopology({ deadLetter: { exchange: 'dlx', routingKey: 'dead.order' } });
    config.queues = [config.queues[0]!, { id: 'dlq', bindings: [{ exchange: 'dlx', key: 'dead.*' }] }];
    const { broker } = withEvents(config);
    broker.addConsumer('work', 'c1', 1, 0);
    const [id] = broker.publish('events', 'order.placed', { eventId: 'e1' }, 0).messageIds;
    broker.nack('work', id!, false, 1);
    expect(broker.queue('dlq').readyMessages()[0]).toMatchObject({ routingKey: 'dead.order' });
  });

  it('expired: reason expired, when the message reaches the head past its TTL', () => {
    const { broker } = withEvents(dlqTopology({ messageTtlMs: 100 }));
    broker.publish('events', 'order.placed', { eventId: 'e1' }, 0);
    expect(broker.nextExpiryAt()).toBe(100);
    broker.expire(100);
    expect(broker.queue('dlq').readyMessages()[0]!.xDeath[0]).toMatchObject({ queue: 'work', reason: 'expired', count: 1 });
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('maxlen: the head is dead-lettered under drop-head', () => {
    const { broker } = withEvents(dlqTopology({ maxLength: 1 }));
    broker.publish('events', 'order.a', { eventId: 'e1' }, 0);
    broker.publish('events', 'order.b', { eventId: 'e2' }, 1);
    const dl = broker.queue('dlq').readyMessages();
    expect(dl.map((m) => [m.eventId, m.xDeath[0]!.reason])).toEqual([['e1', 'maxlen']]);
    expect(broker.queue('work').readyMessages().map((m) => m.eventId)).toEqual(['e2']);
  });

  it('delivery_limit: after limit + 1 deliveries', () => {
    const { broker } = withEvents(dlqTopology({ deliveryLimit: 1 }));
    broker.addConsumer('work', 'c1', 1, 0);
    const [id] = broker.publish('events', 'order.a', { eventId: 'e1' }, 0).messageIds;
    broker.nack('work', id!, true, 1);
    broker.nack('work', id!, true, 2);
    expect(broker.queue('dlq').readyMessages()[0]!.xDeath[0]).toMatchObject({ reason: 'delivery_limit' });
    expect(broker.queue('work').counters.delivered).toBe(2);
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('drops silently when the dead-letter exchange does not exist (counted unroutable)', () => {
    const { broker } = withEvents({
      exchanges: [{ id: 'x', type: 'fanout' }],
      queues: [{ id: 'q', bindings: [{ exchange: 'x' }], deadLetter: { exchange: 'missing' } }],
    });
    broker.addConsumer('q', 'c', 1, 0);
    const [id] = broker.publish('x', '', { eventId: 'e' }, 0).messageIds;
    broker.nack('q', id!, false, 1);
    expect(broker.counters).toMatchObject({ deadLettered: 1, dropped: { unroutable: 1 } });
    expect(checkAccounting(broker)).toEqual([]);
  });
});

describe('x-death', () => {
  // The delayed-retry topology: work rejects to retry (TTL 100), which expires back to work.
  // A rejection in the loop means it is not a cycle (docs "Dead-letter cycle"); the history is
  // compressed per (queue, reason), most recent first (docs "Dead-Lettered Effects on Messages",
  // mc:record_death/4 moves the updated entry to the front).
  const retry = (): BrokerConfig => ({
    exchanges: [
      { id: 'events', type: 'direct' },
      { id: 'retry-x', type: 'fanout' },
    ],
    queues: [
      { id: 'work', bindings: [{ exchange: 'events', key: 'job' }], deadLetter: { exchange: 'retry-x' } },
      { id: 'retry', bindings: [{ exchange: 'retry-x' }], messageTtlMs: 100, deadLetter: { exchange: 'events' } },
    ],
  });

  it('keeps one entry per (queue, reason) and counts repeats, most recent first', () => {
    const { broker } = withEvents(retry());
    broker.addConsumer('work', 'c', 1, 0);
    broker.publish('events', 'job', { eventId: 'e' }, 0);
    let t = 0;
    for (let round = 1; round <= 3; round++) {
      const [held] = broker.queue('work').unackedMessages();
      broker.nack('work', held!.messageId, false, (t += 10)); // -> retry
      broker.expire((t += 100)); // -> back to work, delivered again
    }
    const m = broker.queue('work').unackedMessages()[0]!;
    expect(m.eventId).toBe('e');
    expect(m.xDeath.map((d) => [d.queue, d.reason, d.count])).toEqual([
      ['retry', 'expired', 3],
      ['work', 'rejected', 3],
    ]);
    // exchange, keys and time are those of the first dead-lettering
    expect(m.xDeath[1]).toMatchObject({ exchange: 'events', routingKeys: ['job'], time: 10 });
    expect(m.xDeath[0]).toMatchObject({ exchange: 'retry-x', time: 110 });
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('recordDeath moves a repeated entry to the front', () => {
    let d = recordDeath([], 'a', 'expired', 'x', ['k'], 1);
    d = recordDeath(d, 'b', 'maxlen', 'y', ['k'], 2);
    d = recordDeath(d, 'a', 'expired', 'z', ['j'], 3);
    expect(d).toEqual([
      { queue: 'a', reason: 'expired', count: 2, exchange: 'x', routingKeys: ['k'], time: 1 },
      { queue: 'b', reason: 'maxlen', count: 1, exchange: 'y', routingKeys: ['k'], time: 2 },
    ]);
  });
});

describe('dead-letter cycles', () => {
  // https://www.rabbitmq.com/docs/dlx#dead-letter-cycle: "this can happen when a queue
  // dead-letters messages to the default exchange without specifying a dead-letter routing key
  // [...] RabbitMQ will detect a cycle and drop the message if there was no rejection in the
  // entire cycle."
  it('drops an expired message that the default exchange would route back to its own queue', () => {
    const { broker, events } = withEvents({
      exchanges: [],
      queues: [{ id: 'q', messageTtlMs: 10, deadLetter: { exchange: '' } }],
    });
    broker.publish('', 'q', { eventId: 'e' }, 0);
    broker.expire(10);
    expect(broker.queue('q').depth).toBe(0);
    expect(broker.counters.dropped.cycle).toBe(1);
    expect(events.some((e) => e.kind === 'cycle' && e.queue === 'q')).toBe(true);
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('drops a maxlen ping-pong between two queues when it comes back', () => {
    const { broker } = withEvents({
      exchanges: [
        { id: 'to-a', type: 'fanout' },
        { id: 'to-b', type: 'fanout' },
      ],
      queues: [
        { id: 'a', maxLength: 1, bindings: [{ exchange: 'to-a' }], deadLetter: { exchange: 'to-b' } },
        { id: 'b', maxLength: 1, bindings: [{ exchange: 'to-b' }], deadLetter: { exchange: 'to-a' } },
      ],
    });
    broker.publish('to-a', '', { eventId: 'e1' }, 0);
    broker.publish('to-b', '', { eventId: 'e2' }, 0);
    // e3 pushes e1 out of a into b, which pushes e2 into a, which pushes e3 into b, which pushes
    // e1 out again: e1 has died in a for maxlen already, with no rejection since: dropped.
    broker.publish('to-a', '', { eventId: 'e3' }, 0);
    expect(broker.queue('a').readyMessages().map((m) => m.eventId)).toEqual(['e2']);
    expect(broker.queue('b').readyMessages().map((m) => m.eventId)).toEqual(['e3']);
    expect(broker.counters.deadLettered).toBe(4);
    expect(broker.counters.dropped.cycle).toBe(1);
    expect(checkAccounting(broker)).toEqual([]);
  });

  it('keeps a message whose loop includes a rejection (rabbit_dead_letter:detect_cycles)', () => {
    const { broker } = withEvents({
      exchanges: [],
      queues: [{ id: 'q', deadLetter: { exchange: '' } }],
    });
    broker.addConsumer('q', 'c', 1, 0);
    broker.publish('', 'q', { eventId: 'e' }, 0);
    for (let i = 1; i <= 3; i++) broker.nack('q', broker.queue('q').unackedMessages()[0]!.messageId, false, i);
    const m = broker.queue('q').unackedMessages()[0]!;
    expect(m.xDeath).toEqual([{ queue: 'q', reason: 'rejected', count: 3, exchange: '', routingKeys: ['q'], time: 1 }]);
    expect(broker.counters.dropped.cycle).toBe(0);
  });

  it('isDeathCycle looks back to the most recent death in the target queue', () => {
    const d = (queue: string, reason: 'rejected' | 'expired' | 'maxlen') => ({ queue, reason, count: 1, exchange: 'x', routingKeys: [], time: 0 });
    expect(isDeathCycle([d('b', 'expired'), d('a', 'maxlen')], 'a')).toBe(true);
    expect(isDeathCycle([d('b', 'rejected'), d('a', 'maxlen')], 'a')).toBe(false);
    expect(isDeathCycle([d('a', 'expired'), d('b', 'rejected')], 'a')).toBe(true); // the rejection is older than the loop
    expect(isDeathCycle([d('b', 'expired')], 'a')).toBe(false);
  });
});
