/**
 * Queue types and acknowledgement modes at the queue itself.
 *
 * Sources: SCENARIO.md "Broker additions" (quorum: a nack with requeue goes to the tail; a closed
 * channel's messages go back to the head in the order returned), RabbitMQ's quorum queue guide
 * ("Poison Message Handling": x-delivery-limit), the differential run against RabbitMQ
 * 3.10.8 (delivery limit 2, a consumer that nacks everything: `m1 m1ʳ m1ʳ m2 m3 m2ʳ m3ʳ m2ʳ m3ʳ`),
 * the experiments recorded on RabbitMQ 3.10.8 (test/fixtures/rabbitmq/recorded: without a
 * delivery limit a nacked message goes to the tail; with one it is redelivered first),
 * and the consumer acknowledgement guide ("Acknowledgement Modes": with automatic
 * acknowledgement a message is considered delivered as soon as it is sent; prefetch does not
 * apply to it).
 */
import { describe, expect, it } from 'vitest';
import { createMessage } from '../../../src/model/broker/message';
import { BrokerQueue } from '../../../src/model/broker/queue';
import type { QueueConfig, QueueEvent } from '../../../src/model/broker/queue';

function harness(config: Partial<QueueConfig> = {}) {
  const events: QueueEvent[] = [];
  /** Deliveries not answered yet, in the order they were sent (a client answers them in that order). */
  const pending: string[] = [];
  const q = new BrokerQueue(
    { id: 'q', ...config },
    {
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'delivered') pending.push(e.message.messageId);
      },
    },
  );
  const publish = (id: string, now = 0) => q.offer(createMessage(id, 'x', 'k', { eventId: id }, now), now);
  const deliveries = () => events.flatMap((e) => (e.kind === 'delivered' ? [`${e.message.messageId}${e.redelivered ? 'ʳ' : ''}`] : []));
  /** A consumer that nacks (requeue) whatever it is given, in the order it was given, until nothing is left. */
  const nackAll = (tag: string) => {
    for (let guard = 0; guard < 100 && pending.length > 0; guard++) {
      const id = pending.shift()!;
      if (q.unackedMessages(tag).some((m) => m.messageId === id)) q.nack(id, true, 0);
    }
  };
  return { q, events, publish, deliveries, nackAll };
}

describe('requeue position by queue type', () => {
  it('classic: a nacked message goes back to its original position (redelivered before the ones behind it)', () => {
    const h = harness({ deliveryLimit: 2 });
    for (const id of ['m1', 'm2', 'm3']) h.publish(id);
    h.q.addConsumer('c', 1, 0);
    h.nackAll('c');
    expect(h.deliveries()).toEqual(['m1', 'm1ʳ', 'm1ʳ', 'm2', 'm2ʳ', 'm2ʳ', 'm3', 'm3ʳ', 'm3ʳ']);
  });

  it('quorum without a delivery limit: a nacked message goes to the tail, behind the others', () => {
    const h = harness({ queueType: 'quorum' });
    for (const id of ['m1', 'm2', 'm3']) h.publish(id);
    h.q.addConsumer('c', 1, 0);
    for (let i = 0; i < 6; i++) h.q.nack(h.q.unackedMessages('c')[0]!.messageId, true, 0);
    expect(h.deliveries()).toEqual(['m1', 'm2', 'm3', 'm1ʳ', 'm2ʳ', 'm3ʳ', 'm1ʳ']);
  });

  it('quorum with a delivery limit: a nacked message is redelivered first, until the limit', () => {
    const h = harness({ queueType: 'quorum', deliveryLimit: 2 });
    for (const id of ['m1', 'm2', 'm3']) h.publish(id);
    h.q.addConsumer('c', 1, 0);
    h.nackAll('c');
    // m1 first until its limit; dropping it credits the consumer twice (rabbit_fifo's return/2 and
    // complete/6), so from then on it holds two: m2 and m3 come together and alternate.
    expect(h.deliveries()).toEqual(['m1', 'm1ʳ', 'm1ʳ', 'm2', 'm3', 'm2ʳ', 'm3ʳ', 'm2ʳ', 'm3ʳ']);
  });

  it('quorum with a delivery limit, a fresh consumer with prefetch 1: each message until its limit, one at a time', () => {
    const h = harness({ queueType: 'quorum', deliveryLimit: 2 });
    for (const id of ['m2', 'm3']) h.publish(id);
    h.q.addConsumer('c', 1, 0);
    h.nackAll('c');
    expect(h.deliveries()).toEqual(['m2', 'm2ʳ', 'm2ʳ', 'm3', 'm3ʳ', 'm3ʳ']);
  });

  it('quorum, the differential run of RabbitMQ 3.10.8: m1 alone first, then m2 and m3 together to a consumer with room for both', () => {
    const h = harness({ queueType: 'quorum', deliveryLimit: 2 });
    h.q.addConsumer('c', 10, 0);
    h.publish('m1');
    h.nackAll('c');
    h.publish('m2');
    h.publish('m3');
    h.nackAll('c');
    expect(h.deliveries()).toEqual(['m1', 'm1ʳ', 'm1ʳ', 'm2', 'm3', 'm2ʳ', 'm3ʳ', 'm2ʳ', 'm3ʳ']);
  });

  it("quorum: a closed channel's messages go back to the head, in the order returned, ahead of the ready ones", () => {
    const h = harness({ queueType: 'quorum' });
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.publish(id);
    h.q.addConsumer('c1', 3, 0);
    h.q.nack('b', true, 0); // b to the tail: ready d e b, and c1 takes d
    expect(h.q.unackedMessages('c1').map((m) => m.messageId)).toEqual(['a', 'c', 'd']);
    h.q.removeConsumer('c1', 1);
    expect(h.q.readyMessages().map((m) => m.messageId)).toEqual(['a', 'c', 'd', 'e', 'b']);
  });

  it('classic: a closed channel\'s messages go back to their original positions', () => {
    const h = harness();
    for (const id of ['a', 'b', 'c', 'd', 'e']) h.publish(id);
    h.q.addConsumer('c1', 2, 0); // a, b
    h.q.ack('a', 0); // c
    h.q.removeConsumer('c1', 1);
    expect(h.q.readyMessages().map((m) => m.messageId)).toEqual(['b', 'c', 'd', 'e']);
    expect(h.q.readyMessages().every((m) => m.redelivered === ['b', 'c'].includes(m.messageId))).toBe(true);
  });
});

describe('automatic acknowledgement', () => {
  it('ignores prefetch and acks each delivery as it is sent: the broker keeps nothing unacked', () => {
    const h = harness();
    for (const id of ['a', 'b', 'c', 'd']) h.publish(id);
    h.q.addConsumer('c', 1, 0, true);
    expect(h.deliveries()).toEqual(['a', 'b', 'c', 'd']);
    expect(h.q.unackedCount).toBe(0);
    expect(h.q.counters).toMatchObject({ delivered: 4, acked: 4, autoAcked: 4 });
    // Nothing to requeue when it goes away.
    h.q.removeConsumer('c', 1);
    expect(h.q.depth).toBe(0);
  });
});
