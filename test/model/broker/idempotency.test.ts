import { describe, expect, it } from 'vitest';
import { Broker } from '../../../src/model/broker/broker';
import { ConsumerLedger, IdempotencyStore } from '../../../src/model/broker/idempotency';

// SEMANTICS.md "Duplicates": (1) a publisher resend after a lost confirm (new message, same
// eventId, redelivered = false); (2) a consumer dying after processing, before its ack (a
// redelivery). Idempotent consumers key on the eventId, with a TTL if configured.
describe('IdempotencyStore', () => {
  it('remembers processed eventIds forever without a TTL', () => {
    const s = new IdempotencyStore();
    expect(s.seen('e1', 0)).toBe(false);
    s.record('e1', 0);
    expect(s.seen('e1', 1e9)).toBe(true);
    expect(s.seen('e2', 1)).toBe(false);
  });

  it('forgets an eventId ttlMs after it was recorded', () => {
    const s = new IdempotencyStore({ ttlMs: 100 });
    s.record('e1', 0);
    s.record('e2', 50);
    expect(s.seen('e1', 99)).toBe(true);
    expect(s.seen('e1', 100)).toBe(false);
    expect(s.seen('e2', 149)).toBe(true);
    expect(s.size).toBe(1);
  });

  it('keeps at most maxEntries ids, forgetting the oldest', () => {
    const s = new IdempotencyStore({ maxEntries: 2 });
    s.record('a', 0);
    s.record('b', 1);
    s.record('c', 2);
    expect([s.seen('a', 3), s.seen('b', 3), s.seen('c', 3)]).toEqual([false, true, true]);
  });
});

/** Drive a broker: the consumer processes every delivery, and sometimes dies before acking. */
function scenario(ledger: ConsumerLedger) {
  const broker = new Broker({
    exchanges: [{ id: 'events', type: 'direct' }],
    queues: [{ id: 'q', bindings: [{ exchange: 'events', key: 'order.placed' }] }],
  });
  broker.addConsumer('q', 'c1', 10, 0);
  // e1 published twice (the first confirm was lost), e2 once.
  broker.publish('events', 'order.placed', { eventId: 'e1' }, 0);
  broker.publish('events', 'order.placed', { eventId: 'e1' }, 5);
  broker.publish('events', 'order.placed', { eventId: 'e2' }, 6);
  // c1 processes all three, acks e1's first copy, then dies before acking the others.
  const held = broker.queue('q').unackedMessages('c1');
  for (const m of held) ledger.process(m.eventId, 10);
  broker.ack('q', held[0]!.messageId, 11);
  broker.removeConsumer('q', 'c1', 12);
  // c2 gets the two redeliveries and processes them.
  broker.addConsumer('q', 'c2', 10, 2000);
  const again = broker.queue('q').unackedMessages('c2');
  expect(again.map((m) => [m.eventId, m.redelivered])).toEqual([
    ['e1', true],
    ['e2', true],
  ]);
  for (const m of again) {
    ledger.process(m.eventId, 2000);
    broker.ack('q', m.messageId, 2001);
  }
}

describe('consumers under duplicates', () => {
  it('a non-idempotent consumer repeats the side effect for every duplicate', () => {
    const ledger = new ConsumerLedger({ idempotent: false });
    scenario(ledger);
    expect(ledger.counters).toEqual({ deliveries: 5, applied: 5, duplicates: 3, duplicatesSkipped: 0, duplicateSideEffects: 3 });
  });

  it('an idempotent consumer skips every duplicate', () => {
    const ledger = new ConsumerLedger({ idempotent: true });
    scenario(ledger);
    expect(ledger.counters).toEqual({ deliveries: 5, applied: 2, duplicates: 3, duplicatesSkipped: 3, duplicateSideEffects: 0 });
  });

  it('an idempotent consumer whose store forgets too soon lets late duplicates through', () => {
    const ledger = new ConsumerLedger({ idempotent: true, idempotencyTtlMs: 1000 });
    scenario(ledger); // the in-run resend is caught; the redeliveries at t=2000 come after the TTL
    expect(ledger.counters).toEqual({ deliveries: 5, applied: 4, duplicates: 3, duplicatesSkipped: 1, duplicateSideEffects: 2 });
  });

  it('reports each outcome', () => {
    const ledger = new ConsumerLedger({ idempotent: true });
    expect(ledger.process('e', 0)).toEqual({ duplicate: false, applied: true });
    expect(ledger.process('e', 1)).toEqual({ duplicate: true, applied: false });
  });
});
