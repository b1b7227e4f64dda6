import { describe, expect, it } from 'vitest';
import { createMessage } from '../../../src/model/broker/message';
import type { Message } from '../../../src/model/broker/message';
import { BrokerQueue } from '../../../src/model/broker/queue';
import type { QueueConfig, QueueEvent } from '../../../src/model/broker/queue';

/** A queue with its events recorded and its dead-lettered copies collected. */
function harness(config: Partial<QueueConfig> = {}) {
  const events: QueueEvent[] = [];
  const deadLetters: { id: string; reason: string }[] = [];
  const q = new BrokerQueue(
    { id: 'q', ...config },
    {
      onEvent: (e) => events.push(e),
      deadLetter: (m, reason) => deadLetters.push({ id: m.messageId, reason }),
    },
  );
  let n = 0;
  const publish = (id: string, now = 0): boolean => q.offer(createMessage(id, 'x', 'k', { eventId: `e-${id}-${n++}` }, now), now);
  const deliveries = () =>
    events.flatMap((e) => (e.kind === 'delivered' ? [`${e.consumer}:${e.message.messageId}${e.redelivered ? '*' : ''}`] : []));
  const ids = (ms: Message[]) => ms.map((m) => m.messageId);
  const ended = (kind: 'dropped' | 'deadLettered') =>
    events.flatMap((e) => (e.kind === kind ? [`${e.message.messageId}:${e.reason}`] : []));
  return { q, events, deadLetters, publish, deliveries, ids, ended };
}

describe('dispatch', () => {
  // https://www.rabbitmq.com/docs/consumer-prefetch: prefetch limits unacknowledged deliveries
  // per consumer; once it is reached, RabbitMQ stops delivering to that consumer until an ack.
  it('stops at the consumer prefetch and resumes on ack', () => {
    const h = harness();
    h.q.addConsumer('c1', 2, 0);
    for (const id of ['a', 'b', 'c', 'd']) h.publish(id);
    expect(h.deliveries()).toEqual(['c1:a', 'c1:b']);
    expect(h.q.depth).toBe(2);
    expect(h.q.unackedCount).toBe(2);
    expect(h.q.ack('a', 1)).toBe(true);
    expect(h.deliveries()).toEqual(['c1:a', 'c1:b', 'c1:c']);
    expect(h.ids(h.q.readyMessages())).toEqual(['d']);
  });

  it('treats prefetch 0 as unlimited (AMQP basic.qos)', () => {
    const h = harness();
    h.q.addConsumer('c1', 0, 0);
    for (const id of ['a', 'b', 'c']) h.publish(id);
    expect(h.q.unackedCount).toBe(3);
  });

  // Tutorial two, "Work queues" (https://www.rabbitmq.com/tutorials/tutorial-two-python):
  // "By default, RabbitMQ will send each message to the next consumer, in sequence."
  it('delivers round-robin among consumers', () => {
    const h = harness();
    h.q.addConsumer('c1', 10, 0);
    h.q.addConsumer('c2', 10, 0);
    h.q.addConsumer('c3', 10, 0);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) h.publish(id);
    expect(h.deliveries()).toEqual(['c1:a', 'c2:b', 'c3:c', 'c1:d', 'c2:e', 'c3:f']);
  });

  it('skips consumers that are at their prefetch (fair dispatch with basic.qos)', () => {
    const h = harness();
    h.q.addConsumer('slow', 1, 0);
    h.q.addConsumer('fast', 3, 0);
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.publish(id);
    expect(h.deliveries()).toEqual(['slow:a', 'fast:b', 'fast:c', 'fast:d']);
    h.q.ack('a', 1);
    expect(h.deliveries().at(-1)).toBe('slow:e');
  });

  it('reports unknown acks and nacks instead of corrupting state', () => {
    const h = harness();
    expect(h.q.ack('nope', 0)).toBe(false);
    expect(h.q.nack('nope', true, 0)).toBe(false);
    expect(h.q.removeConsumer('ghost', 0)).toBe(false);
  });
});

describe('requeue', () => {
  // https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue: "When a message is requeued,
  // it will be placed to its original position in its queue, if possible" and is redelivered
  // with the redelivered flag set.
  it('puts a nacked message back at its original position, ahead of later messages, redelivered', () => {
    const h = harness();
    h.q.addConsumer('c1', 3, 0);
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.publish(id);
    expect(h.deliveries()).toEqual(['c1:a', 'c1:b', 'c1:c']);
    h.q.nack('c', true, 1); // c returns before d and goes straight back out
    h.q.nack('a', true, 2);
    expect(h.deliveries()).toEqual(['c1:a', 'c1:b', 'c1:c', 'c1:c*', 'c1:a*']);
    expect(h.ids(h.q.readyMessages())).toEqual(['d', 'e']);
    expect(h.q.counters.redelivered).toBe(2);
  });

  // Same page, "Automatic requeueing": unacked deliveries of a consumer whose channel or
  // connection closes are requeued.
  it('requeues a dead consumer\'s unacked messages in order with redelivered = true', () => {
    const h = harness();
    h.q.addConsumer('c1', 3, 0);
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.publish(id);
    h.q.ack('b', 1);
    // c1 now holds a, c, d (d arrived when b was acked); e is ready
    expect(h.ids(h.q.unackedMessages('c1'))).toEqual(['a', 'c', 'd']);
    h.q.removeConsumer('c1', 2);
    expect(h.ids(h.q.readyMessages())).toEqual(['a', 'c', 'd', 'e']);
    expect(h.q.readyMessages().map((m) => m.redelivered)).toEqual([true, true, true, false]);
    h.q.addConsumer('c2', 10, 3);
    expect(h.deliveries().slice(-4)).toEqual(['c2:a*', 'c2:c*', 'c2:d*', 'c2:e']);
  });

  it('hands a dead consumer\'s messages to the remaining consumers', () => {
    const h = harness();
    h.q.addConsumer('c1', 1, 0);
    h.q.addConsumer('c2', 1, 0);
    h.publish('a');
    h.publish('b');
    h.q.ack('b', 1); // c2 free again
    h.q.removeConsumer('c1', 2);
    expect(h.deliveries().at(-1)).toBe('c2:a*');
  });
});

describe('rejection without requeue', () => {
  // https://www.rabbitmq.com/docs/dlx: nack/reject with requeue=false dead-letters (reason
  // `rejected`) when the queue has a DLX; https://www.rabbitmq.com/docs/confirms: otherwise the
  // message is discarded.
  it('drops the message when the queue has no dead-letter exchange', () => {
    const h = harness();
    h.q.addConsumer('c1', 1, 0);
    h.publish('a');
    h.q.nack('a', false, 1);
    expect(h.ended('dropped')).toEqual(['a:rejected']);
    expect(h.deadLetters).toEqual([]);
    expect(h.q.counters.droppedBy.rejected).toBe(1);
  });

  it('dead-letters it with reason rejected when there is one', () => {
    const h = harness({ deadLetter: { exchange: 'dlx' } });
    h.q.addConsumer('c1', 1, 0);
    h.publish('a');
    h.q.reject('a', false, 1);
    expect(h.ended('deadLettered')).toEqual(['a:rejected']);
    expect(h.deadLetters).toEqual([{ id: 'a', reason: 'rejected' }]);
  });
});

describe('message TTL', () => {
  // https://www.rabbitmq.com/docs/ttl: queue TTL (x-message-ttl); "Queues that had a per-message
  // TTL applied to them retroactively [...] expired messages are only removed when they reach the
  // head"; requeued messages keep their original expiry time.
  it('removes a ready message at the head once now >= enqueuedAt + ttl, reason expired', () => {
    const h = harness({ messageTtlMs: 100 });
    h.publish('a', 0);
    h.publish('b', 50);
    expect(h.q.nextExpiryAt()).toBe(100);
    expect(h.q.expire(99)).toBe(0);
    expect(h.q.expire(100)).toBe(1);
    expect(h.ended('dropped')).toEqual(['a:expired']);
    expect(h.q.nextExpiryAt()).toBe(150);
    h.q.addConsumer('late', 5, 200); // b expired too: it is removed, never delivered
    expect(h.deliveries()).toEqual([]);
    expect(h.ended('dropped')).toEqual(['a:expired', 'b:expired']);
    expect(h.q.nextExpiryAt()).toBeNull();
  });

  it('never expires an unacked message; one requeued past its TTL expires at the head', () => {
    const h = harness({ messageTtlMs: 100, deadLetter: { exchange: 'dlx' } });
    h.q.addConsumer('c1', 1, 0);
    h.publish('a', 0);
    h.publish('b', 450);
    expect(h.q.expire(500)).toBe(0); // a is held by c1; b is fresh
    h.q.removeConsumer('c1', 520); // a goes back to the head with its original expiry (100)
    expect(h.deadLetters).toEqual([{ id: 'a', reason: 'expired' }]);
    expect(h.ids(h.q.readyMessages())).toEqual(['b']);
    expect(h.q.nextExpiryAt()).toBe(550);
  });

  it('with TTL 0 a message lives only if a consumer can take it at once', () => {
    const h = harness({ messageTtlMs: 0 });
    h.publish('a', 0);
    expect(h.ended('dropped')).toEqual(['a:expired']);
    h.q.addConsumer('c1', 1, 1);
    h.publish('b', 1);
    h.publish('c', 1);
    expect(h.deliveries()).toEqual(['c1:b']);
    expect(h.ended('dropped')).toEqual(['a:expired', 'c:expired']);
  });
});

describe('max length', () => {
  // https://www.rabbitmq.com/docs/maxlength: "the default behaviour for RabbitMQ when a maximum
  // queue length or size is set and the maximum is reached is to drop or dead-letter messages
  // from the front of the queue"; "Only messages in the ready state are counted".
  it('drop-head drops the oldest ready messages (reason maxlen)', () => {
    const h = harness({ maxLength: 2 });
    for (const id of ['a', 'b', 'c', 'd']) h.publish(id);
    expect(h.ids(h.q.readyMessages())).toEqual(['c', 'd']);
    expect(h.ended('dropped')).toEqual(['a:maxlen', 'b:maxlen']);
    expect(h.q.counters.depthMax).toBe(2);
  });

  it('drop-head dead-letters instead when there is a DLX', () => {
    const h = harness({ maxLength: 1, deadLetter: { exchange: 'dlx' } });
    h.publish('a');
    h.publish('b');
    expect(h.deadLetters).toEqual([{ id: 'a', reason: 'maxlen' }]);
  });

  it('counts only ready messages: unacked ones do not use up the limit', () => {
    const h = harness({ maxLength: 2 });
    h.q.addConsumer('c1', 2, 0);
    for (const id of ['a', 'b', 'c', 'd']) h.publish(id);
    expect(h.q.unackedCount).toBe(2);
    expect(h.q.depth).toBe(2);
    expect(h.ended('dropped')).toEqual([]);
  });

  it('drop-head with max 0 still delivers to a waiting consumer', () => {
    const h = harness({ maxLength: 0 });
    h.q.addConsumer('c1', 1, 0);
    h.publish('a');
    h.publish('b');
    expect(h.deliveries()).toEqual(['c1:a']);
    expect(h.ended('dropped')).toEqual(['b:maxlen']);
  });

  // Same page: with overflow `reject-publish` "the most recently published messages will be
  // discarded" and, with publisher confirms, the publisher is informed with a basic.nack.
  it('reject-publish refuses the new message and keeps the old ones', () => {
    const h = harness({ maxLength: 2, overflow: 'reject-publish', deadLetter: { exchange: 'dlx' } });
    expect(h.publish('a')).toBe(true);
    expect(h.publish('b')).toBe(true);
    expect(h.publish('c')).toBe(false);
    expect(h.ids(h.q.readyMessages())).toEqual(['a', 'b']);
    expect(h.events.filter((e) => e.kind === 'refused').map((e) => e.message.messageId)).toEqual(['c']);
    expect(h.deadLetters).toEqual([]); // refused, not dead-lettered (that would be reject-publish-dlx)
    expect(h.q.counters).toMatchObject({ published: 2, refused: 1 });
  });

  it('reject-publish accepts again once a consumer makes room', () => {
    const h = harness({ maxLength: 1, overflow: 'reject-publish' });
    h.publish('a');
    expect(h.publish('b')).toBe(false);
    h.q.addConsumer('c1', 1, 1);
    expect(h.publish('c')).toBe(true);
  });
});

describe('delivery limit (quorum queues)', () => {
  // https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling: a message returned more
  // times than `delivery-limit` is dropped or dead-lettered (reason delivery_limit): at most
  // limit + 1 deliveries.
  it('delivers at most limit + 1 times, then dead-letters with reason delivery_limit', () => {
    const h = harness({ deliveryLimit: 2, deadLetter: { exchange: 'dlx' } });
    h.q.addConsumer('c1', 1, 0);
    h.publish('a');
    h.q.nack('a', true, 1);
    h.q.nack('a', true, 2);
    expect(h.deliveries()).toEqual(['c1:a', 'c1:a*', 'c1:a*']);
    h.q.nack('a', true, 3);
    expect(h.deliveries()).toHaveLength(3);
    expect(h.deadLetters).toEqual([{ id: 'a', reason: 'delivery_limit' }]);
  });

  it('with limit 0 a single return ends it; without a DLX it is dropped', () => {
    const h = harness({ deliveryLimit: 0 });
    h.q.addConsumer('c1', 1, 0);
    h.publish('a');
    h.q.removeConsumer('c1', 1); // consumer death counts as a return
    expect(h.ended('dropped')).toEqual(['a:delivery_limit']);
    expect(h.q.depth).toBe(0);
  });
});
