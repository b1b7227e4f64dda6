/**
 * Every experiment recorded on a live RabbitMQ (test/fixtures/rabbitmq/recorded, written by
 * `npm run record:rabbitmq`, scripts/record-rabbitmq.ts) replayed through the model's broker
 * (src/model/broker/broker.ts): the same declarations and steps, and the same observations —
 * publisher confirms, the deliveries in order with their redelivered flags, and what each drained
 * queue held, x-death lists included. No broker is needed here.
 *
 * The steps' meanings are the recorder's (scripts/rabbitmq-experiments.ts): a consumer answers its
 * deliveries in the order they came; `max` stops it and closes its channel; a drain reads the
 * ready messages in order (after the head's expired ones go); `wait` advances the clock.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Broker } from '../../../src/model/broker/broker';
import type { BrokerEvent } from '../../../src/model/broker/broker';
import { EXPERIMENTS, IDLE_MS } from '../../../scripts/rabbitmq-experiments';
import type { Fixture, Observation } from '../../../scripts/rabbitmq-experiments';

const dir = new URL('../../fixtures/rabbitmq/recorded/', import.meta.url);
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Fixture);

/** Run one experiment's steps through the model and observe what the recorder observes. */
function replay(fx: Fixture): Observation[] {
  let now = 0;
  const pending = new Map<string, string[]>();
  const seen = new Map<string, string[]>();
  const ids = new Map<string, string>();
  const onEvent = (e: BrokerEvent) => {
    if (e.kind !== 'delivered') return;
    ids.set(e.message.messageId, e.message.eventId);
    pending.get(e.consumer)?.push(e.message.messageId);
    seen.get(e.consumer)?.push(`${e.message.eventId}${e.redelivered ? 'ʳ' : ''}`);
  };
  const broker = new Broker(
    {
      exchanges: fx.exchanges.map((x) => ({ id: x.name, type: x.type, alternateExchange: x.alternateExchange ?? null })),
      queues: fx.queues.map((q) => ({
        id: q.name,
        queueType: q.queueType ?? 'classic',
        messageTtlMs: q.messageTtlMs ?? null,
        maxLength: q.maxLength ?? null,
        overflow: q.overflow ?? 'drop-head',
        deadLetter: q.deadLetter ? { exchange: q.deadLetter.exchange, routingKey: q.deadLetter.routingKey ?? null } : null,
        deliveryLimit: q.deliveryLimit ?? null,
        bindings: q.bindings.map((b) => ({ exchange: b.exchange, key: b.key ?? '', arguments: b.arguments })),
      })),
    },
    { onEvent },
  );
  const queueOf = new Map<string, string>();
  const observed: Observation[] = [];
  fx.steps.forEach((step, i) => {
    switch (step.op) {
      case 'publish': {
        const r = broker.publish(step.exchange, step.routingKey, { eventId: step.id, headers: step.headers ?? {} }, now);
        observed.push({ step: i, confirm: r.refusedBy.length > 0 ? 'nack' : 'ack' });
        break;
      }
      case 'consume': {
        const list: string[] = [];
        const answer: string[] = [];
        seen.set(step.tag, list);
        pending.set(step.tag, answer);
        queueOf.set(step.tag, step.queue);
        broker.addConsumer(step.queue, step.tag, step.prefetch, now);
        // The live step ends IDLE_MS after the last delivery; TTLs run out meanwhile (a dead-lettered
        // message may come back through a delay queue), so the clock moves to each expiry in that window.
        let last = now;
        let count = 0;
        for (let guard = 0; guard < 1000; guard++) {
          if (list.length > count) {
            count = list.length;
            last = now;
          }
          if (step.max !== undefined && list.length >= step.max) {
            list.length = step.max;
            broker.removeConsumer(step.queue, step.tag, now);
            break;
          }
          const id = step.then === 'hold' ? undefined : answer.shift();
          if (id === undefined) {
            const at = broker.nextExpiryAt();
            if (at === null || at > last + IDLE_MS) {
              now = last + IDLE_MS;
              broker.expire(now);
              break;
            }
            now = Math.max(now, at);
            broker.expire(now);
            continue;
          }
          if (step.then === 'ack') broker.ack(step.queue, id, now);
          else broker.nack(step.queue, id, step.then === 'nack-requeue', now);
        }
        seen.delete(step.tag);
        observed.push({ step: i, deliveries: list });
        break;
      }
      case 'cancel': {
        // basic.cancel keeps the channel's unacked messages unacked; the model's consumers end with
        // their channel, so a cancel is replayable only when the consumer holds nothing.
        const queue = queueOf.get(step.tag)!;
        expect(broker.queue(queue).unackedMessages(step.tag)).toEqual([]);
        broker.removeConsumer(queue, step.tag, now);
        break;
      }
      case 'close':
        broker.removeConsumer(queueOf.get(step.tag)!, step.tag, now);
        break;
      case 'wait':
        now += step.ms;
        broker.expire(now);
        break;
      case 'drain': {
        broker.expire(now);
        const ready = broker.queue(step.queue).readyMessages();
        observed.push({
          step: i,
          drained: ready.map((m) => ({
            id: m.eventId,
            redelivered: m.redelivered,
            xDeath: m.xDeath.map((d) => ({ queue: d.queue, reason: d.reason, count: d.count, exchange: d.exchange, 'routing-keys': [...d.routingKeys] })),
          })),
        });
        // basic.get with no ack took them: an automatic-ack consumer takes them all the same way.
        broker.addConsumer(step.queue, `drain#${i}`, 0, now, true);
        broker.removeConsumer(step.queue, `drain#${i}`, now);
        break;
      }
    }
  });
  return observed;
}

describe('experiments recorded on RabbitMQ, replayed through the model', () => {
  it('there is a recorded fixture for every experiment, recorded from the experiment as it stands', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(EXPERIMENTS.map((e) => e.name).sort());
    for (const e of EXPERIMENTS) {
      const fx = fixtures.find((f) => f.name === e.name)!;
      expect({ exchanges: fx.exchanges, queues: fx.queues, steps: fx.steps }, e.name).toEqual({ exchanges: e.exchanges, queues: e.queues, steps: e.steps });
      expect(fx.rabbitmq).toMatch(/^3\.10\./);
    }
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fx) => {
    expect(replay(fx)).toEqual(fx.observed);
  });

  it('the issue\'s quorum sequence is what the broker did: m1 m1ʳ m1ʳ, then m2 m3 m2ʳ m3ʳ m2ʳ m3ʳ', () => {
    const fx = fixtures.find((f) => f.name === 'quorum-delivery-limit-2')!;
    const deliveries = fx.observed.flatMap((o) => ('deliveries' in o ? o.deliveries : []));
    expect(deliveries.join(' ')).toBe('m1 m1ʳ m1ʳ m2 m3 m2ʳ m3ʳ m2ʳ m3ʳ');
  });
});
