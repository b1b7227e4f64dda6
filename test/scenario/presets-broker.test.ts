/**
 * The broker presets of issue 16 (src/scenario/presets): each one's story proven by its own run,
 * and, where its "tryThis" flips a setting, by the flipped run too. Every figure a Watch note names
 * as `<node> <key>` is a key of that node's summary.
 *
 * Sources for the claims: the seeds (sync vs async when the notification service is down; "publish
 * → save" ghost events, "save → publish" lost events and the outbox; "consumer crashes before ack →
 * redeliver", "network drops ack → redeliver"; "prefetch(100) → fast but risk losing messages on
 * crash"; a dead-letter queue for messages that fail after the retries); RabbitMQ's consumer
 * acknowledgement guide (automatic acknowledgement is unsafe on a closed channel; the delivery
 * acknowledgement timeout closes the channel with PRECONDITION_FAILED and requeues); the quorum
 * queue guide (poison message handling with `x-delivery-limit`, reason `delivery_limit`); the
 * dead lettering and TTL guides (a TTL queue with a dead-letter exchange is a delay).
 */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetBySlug } from '../../src/scenario/presets';
import type { Preset } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';

const BROKER_PRESETS = ['sync-vs-async', 'auto-ack-crash', 'poison-quorum-vs-classic', 'retry-ladder', 'crash-before-ack', 'lost-ack', 'dual-write-vs-outbox'];

function preset(slug: string): Preset {
  const p = presetBySlug(slug);
  if (!p) throw new Error(`no preset "${slug}"`);
  return p;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function variant(slug: string, edit: (doc: Json) => void): ScenarioInput {
  const doc = structuredClone(preset(slug).document) as Json;
  edit(doc);
  return doc as ScenarioInput;
}

const node = (doc: Json, id: string): Json => {
  const n = (doc.nodes as Json[]).find((x) => x.id === id);
  if (!n) throw new Error(`no node "${id}"`);
  return n;
};

interface Result {
  summary: RunSummary;
  events: LoggedEvent[];
}

function run(doc: ScenarioInput, events = false): Result {
  const r = createRun(parseScenario(doc), { keepAllEvents: events });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  expect(summary.stoppedBy).toBeNull();
  return { summary, events: events ? r.eventLog() : [] };
}

const cache = new Map<string, Result>();
function runPreset(slug: string): Result {
  let r = cache.get(slug);
  if (!r) {
    r = run(preset(slug).document, true);
    cache.set(slug, r);
  }
  return r;
}

const num = (s: RunSummary, id: string, key: string): number => {
  const v = s.nodes[id]?.[key];
  if (typeof v !== 'number') throw new Error(`nodes.${id}.${key} is ${String(v)}`);
  return v;
};

const of = (events: LoggedEvent[], kind: string, where: (e: LoggedEvent) => boolean = () => true) => events.filter((e) => e.kind === kind && where(e));

describe('the broker presets', () => {
  it('are in the library, in the course\'s order within the broker part', () => {
    const slugs = PRESETS.map((p) => p.slug);
    const at = (s: string) => slugs.indexOf(s);
    for (const s of BROKER_PRESETS) expect(at(s), s).toBeGreaterThan(0);
    expect(at('sync-vs-async')).toBeLessThan(at('topic-vs-fanout'));
    expect(at('auto-ack-crash')).toBeGreaterThan(at('slow-consumer-prefetch'));
    expect(at('poison-quorum-vs-classic')).toBe(at('poison-message-dlq') + 1);
    expect(at('retry-ladder')).toBe(at('poison-quorum-vs-classic') + 1);
    expect(at('crash-before-ack')).toBe(at('duplicate-delivery') + 1);
    expect(at('lost-ack')).toBe(at('crash-before-ack') + 1);
    expect(at('dual-write-vs-outbox')).toBe(at('lost-ack') + 1);
  });

  it.each(BROKER_PRESETS.map((s) => [s] as const))('%s: every "<node> <key>" a Watch note names is in that node\'s summary', (slug) => {
    const s = runPreset(slug).summary;
    const ids = Object.keys(s.nodes).sort((a, b) => b.length - a.length);
    const keys = new Set(Object.values(s.nodes).flatMap((n) => Object.keys(n)));
    let named = 0;
    for (const note of preset(slug).watch) {
      const line = note.text;
      // A figure is a summary key right after a node id (or after "and"/"," following one): "emails lost", "pay-2, pay-3 and pay-4 acked".
      const re = /([a-z0-9-]+)((?:,? (?:and )?[a-z0-9-]+)*) ([a-zA-Z]+)/g;
      for (const m of line.matchAll(re)) {
        const key = m[3]!;
        const nodes = [m[1]!, ...(m[2] ?? '').split(/,? (?:and )?/).filter(Boolean)].filter((x) => ids.includes(x));
        if (nodes.length === 0 || !keys.has(key)) continue;
        for (const n of nodes) {
          expect(Object.keys(s.nodes[n]!), `${slug}: "${n} ${key}" in "${line}"`).toContain(key);
          // ... and the Story tab shows it beside the note.
          expect(note.figures, `${slug}: "${n} ${key}" in "${line}"`).toContain(`nodes.${n}.${key}`);
          named++;
        }
      }
    }
    expect(named, slug).toBeGreaterThanOrEqual(3);
  });
});

describe('sync-vs-async', () => {
  it('while notifications is down, the synchronous orders fail and the asynchronous ones do not; the queue waits, then drains', () => {
    const { summary: s, events } = runPreset('sync-vs-async');
    expect(num(s, 'orders-sync', 'failed')).toBeGreaterThan(100);
    expect(num(s, 'orders-async', 'failed')).toBe(0);
    // Every sync failure happened during the outage.
    const failedEnds = of(events, 'request.end', (e) => e.node === 'shoppers' && e.reason !== 'ok');
    expect(failedEnds.every((e) => e.t >= 20000 && e.t < 40000 + 100)).toBe(true);
    expect(num(s, 'notify-q', 'depthMax')).toBeGreaterThan(150);
    expect(num(s, 'notify-q', 'depthEnd')).toBe(0);
    const behind = num(s, 'orders-async', 'ok') - num(s, 'notifications', 'consumed');
    expect(behind).toBeGreaterThanOrEqual(0);
    expect(behind).toBeLessThanOrEqual(2);
    expect(num(s, 'notify-q', 'published')).toBe(num(s, 'orders-async', 'ok'));
    expect(num(s, 'notifications', 'refused')).toBe(num(s, 'orders-sync', 'failed'));
  });

  it('a fallback on the sync call hides the outage from the orders, and nobody is notified of them', () => {
    const s = run(variant('sync-vs-async', (d) => (node(d, 'orders-sync').calls[0].fallback = { status: 200 }))).summary;
    expect(num(s, 'orders-sync', 'failed')).toBe(0);
    expect(num(s, 'orders-sync', 'fallbacks')).toBeGreaterThan(100);
    expect(num(s, 'notifications', 'ok')).toBe(num(s, 'orders-sync', 'ok') - num(s, 'orders-sync', 'fallbacks'));
  });

  it('with maxLength 100 the queue drops the oldest notifications during the outage', () => {
    const s = run(variant('sync-vs-async', (d) => (node(d, 'notify-q').maxLength = 100))).summary;
    expect(num(s, 'notify-q', 'dropped')).toBeGreaterThan(50);
    expect(num(s, 'notify-q', 'depthMax')).toBe(100);
  });
});

describe('auto-ack-crash', () => {
  it('the crash loses the auto-acked messages notifier held; the manually acked ones come back', () => {
    const { summary: s, events } = runPreset('auto-ack-crash');
    const lost = num(s, 'emails', 'lost');
    expect(lost).toBeGreaterThan(30);
    expect(num(s, 'emails', 'autoAcked')).toBe(num(s, 'emails', 'published'));
    expect(num(s, 'emails', 'redelivered')).toBe(0);
    expect(num(s, 'receipts', 'lost')).toBe(0);
    expect(num(s, 'receipts', 'redelivered')).toBeGreaterThan(0);
    const lostEvents = of(events, 'message.lost');
    expect(lostEvents.length).toBe(lost);
    expect(lostEvents.every((e) => e.t === 30000 && e.reason === 'consumer-crashed' && e.node === 'emails')).toBe(true);
  });

  it('with manual acks on emails nothing is lost; a faster auto-ack consumer loses fewer', () => {
    const manual = run(variant('auto-ack-crash', (d) => (node(d, 'notifier').consumes[0].ackMode = 'manual'))).summary;
    expect(num(manual, 'emails', 'lost')).toBe(0);
    expect(num(manual, 'emails', 'redelivered')).toBeGreaterThan(0);
    const fast = run(variant('auto-ack-crash', (d) => (node(d, 'notifier').consumes[0].serviceTime = 5))).summary;
    expect(num(fast, 'emails', 'lost')).toBeLessThan(num(runPreset('auto-ack-crash').summary, 'emails', 'lost') / 5);
  });
});

describe('poison-quorum-vs-classic', () => {
  it('on the classic queue poison messages loop for ever; the quorum queue dead-letters each after 4 deliveries', () => {
    const { summary: s, events } = runPreset('poison-quorum-vs-classic');
    expect(num(s, 'audit-classic', 'redelivered')).toBeGreaterThan(1000);
    expect(num(s, 'audit-classic', 'redelivered')).toBe(num(s, 'audit-classic', 'poisonFailures'));
    expect(num(s, 'audit-classic', 'deadLettered')).toBe(0);
    expect(num(s, 'audit-classic', 'depthEnd')).toBeGreaterThan(100);
    expect(num(s, 'auditor-a', 'consumed')).toBeLessThan(num(s, 'auditor-b', 'consumed') / 2);
    const dead = num(s, 'audit-quorum', 'deadLettered');
    expect(dead).toBeGreaterThan(5);
    expect(num(s, 'audit-dlq', 'depthEnd')).toBe(dead);
    expect(num(s, 'audit-quorum', 'poisonFailures')).toBe(4 * dead);
    expect(num(s, 'audit-quorum', 'redelivered')).toBe(3 * dead);
    expect(num(s, 'audit-quorum', 'depthEnd')).toBe(0);
    const reasons = of(events, 'message.deadLetter', (e) => e.node === 'audit-quorum').map((e) => e.reason);
    expect(new Set(reasons)).toEqual(new Set(['delivery_limit']));
  });

  it('deliveryLimit 0 dead-letters a poison message after its first failure', () => {
    const s = run(variant('poison-quorum-vs-classic', (d) => (node(d, 'audit-quorum').deliveryLimit = 0))).summary;
    expect(num(s, 'audit-quorum', 'poisonFailures')).toBe(num(s, 'audit-quorum', 'deadLettered'));
    expect(num(s, 'audit-quorum', 'redelivered')).toBe(0);
  });
});

describe('retry-ladder', () => {
  it('a failed message waits 1 s, 5 s, 30 s between tries; only poison messages reach the DLQ, 36 s after their first try', () => {
    const { summary: s, events } = runPreset('retry-ladder');
    const rungs = ['wait-1s', 'wait-5s', 'wait-30s'].map((q) => num(s, q, 'published'));
    expect(rungs[0]).toBeGreaterThan(rungs[2]!);
    expect(rungs[1]).toBeGreaterThan(rungs[2]!);
    for (const q of ['pay-2', 'pay-3', 'pay-4']) expect(num(s, q, 'acked'), q).toBeGreaterThan(0);
    const dlq = num(s, 'payments-dlq', 'depthEnd');
    expect(dlq).toBeGreaterThan(0);
    expect(dlq).toBe(num(s, 'pay-4', 'poisonFailures'));
    // Each DLQ arrival: its event's first delivery was 36 s (plus hops and work) earlier, and its
    // x-death names every rung once.
    const firstDelivery = new Map<unknown, number>();
    const eventOf = new Map<unknown, unknown>();
    for (const e of of(events, 'message.route')) eventOf.set(e.messageId, e.eventId);
    for (const e of of(events, 'message.deliver', (x) => x.node === 'pay-1')) firstDelivery.set(eventOf.get(e.messageId), e.t);
    const arrivals = of(events, 'message.route', (e) => e.queue === 'payments-dlq');
    expect(arrivals.length).toBe(dlq);
    for (const a of arrivals) {
      const waited = a.t - firstDelivery.get(a.eventId)!;
      expect(waited).toBeGreaterThan(36000);
      expect(waited).toBeLessThan(36200);
      const deaths = a.xDeath as { queue: string; reason: string; count: number }[];
      expect(deaths.map((d) => `${d.queue}:${d.reason}:${d.count}`).sort()).toEqual(
        ['pay-1:rejected:1', 'pay-2:rejected:1', 'pay-3:rejected:1', 'pay-4:rejected:1', 'wait-1s:expired:1', 'wait-5s:expired:1', 'wait-30s:expired:1'].sort(),
      );
    }
    // The bank outage (20 s to 32 s) is ridden out: its failures were all refusals during it.
    expect(num(s, 'bank', 'refused')).toBe(num(s, 'bank', 'failed'));
    expect(s.messageWork!.byReason.dependency).toBe(num(s, 'bank', 'refused'));
  });

  it('with 100 ms rungs the ladder is climbed inside the outage and far more messages reach the DLQ', () => {
    const s = run(variant('retry-ladder', (d) => {
      for (const q of ['wait-1s', 'wait-5s', 'wait-30s']) node(d, q).messageTtlMs = 100;
    })).summary;
    expect(num(s, 'payments-dlq', 'depthEnd')).toBeGreaterThan(5 * num(runPreset('retry-ladder').summary, 'payments-dlq', 'depthEnd'));
  });
});

describe('crash-before-ack', () => {
  it('messages processed but not yet acked at a crash come back: shipping repeats them, invoicing skips them', () => {
    const { summary: s, events } = runPreset('crash-before-ack');
    for (const q of ['shipping-q', 'invoice-q']) expect(num(s, q, 'redelivered'), q).toBeGreaterThan(10);
    expect(num(s, 'shipping-q', 'duplicatesProcessed')).toBeGreaterThan(3);
    expect(num(s, 'invoice-q', 'duplicatesSkipped')).toBeGreaterThan(3);
    expect(num(s, 'invoice-q', 'duplicatesProcessed')).toBe(0);
    // Every duplicate is a redelivery after a crash (nothing else makes them here).
    expect(num(s, 'shipping-q', 'duplicatesDelivered')).toBeLessThanOrEqual(num(s, 'shipping-q', 'redelivered'));
    expect(of(events, 'message.nack', (e) => e.consumerDied === true).length).toBe(num(s, 'shipping-q', 'requeued') + num(s, 'invoice-q', 'requeued'));
    expect(num(s, 'checkout', 'publishResends')).toBe(0);
  });

  it('idempotent shipping processes no duplicate; with 1 ms acks there are fewer duplicates', () => {
    const idem = run(variant('crash-before-ack', (d) => (node(d, 'fulfilment').consumes[0].idempotent = true))).summary;
    expect(num(idem, 'shipping-q', 'duplicatesProcessed')).toBe(0);
    expect(num(idem, 'shipping-q', 'duplicatesSkipped')).toBeGreaterThan(3);
    const quick = run(variant('crash-before-ack', (d) => delete d.links)).summary;
    expect(num(quick, 'shipping-q', 'duplicatesProcessed')).toBeLessThan(num(runPreset('crash-before-ack').summary, 'shipping-q', 'duplicatesProcessed'));
  });
});

describe('lost-ack', () => {
  it('lost acks keep messages unacked until the consumer timeout closes the channel; they come again, duplicates', () => {
    const { summary: s, events } = runPreset('lost-ack');
    const acksLost = num(s, 'stock-q', 'acksLost');
    expect(acksLost).toBeGreaterThan(5);
    expect(num(s, 'stock-q', 'deliveriesLost')).toBeGreaterThan(5);
    expect(num(s, 'stock-q', 'channelsClosed')).toBe(1);
    expect(of(events, 'channel.close').map((e) => e.t)).toEqual([120000]);
    expect(num(s, 'stock-q', 'duplicatesProcessed')).toBe(acksLost);
    expect(num(s, 'stock-q', 'redelivered')).toBeGreaterThanOrEqual(acksLost + num(s, 'stock-q', 'deliveriesLost'));
    expect(num(s, 'stock-q', 'depthMax')).toBeLessThan(100);
    // Redeliveries follow the reconnection 5 s after the close.
    const again = of(events, 'message.deliver', (e) => e.redelivered === true);
    expect(again.every((e) => e.t >= 125000)).toBe(true);
    expect(num(s, 'stock-q', 'acked')).toBe(num(s, 'stock-q', 'published'));
  });

  it('idempotent: no duplicate processed; prefetch 10: the window fills and the queue backs up', () => {
    const idem = run(variant('lost-ack', (d) => (node(d, 'warehouse').consumes[0].idempotent = true))).summary;
    expect(num(idem, 'stock-q', 'duplicatesProcessed')).toBe(0);
    expect(num(idem, 'stock-q', 'duplicatesSkipped')).toBe(num(idem, 'stock-q', 'acksLost'));
    const narrow = run(variant('lost-ack', (d) => (node(d, 'warehouse').consumes[0].prefetch = 10))).summary;
    expect(num(narrow, 'stock-q', 'depthMax')).toBeGreaterThan(300);
  });
});

describe('dual-write-vs-outbox', () => {
  it('before the write: ghost events; after it: lost events; through the outbox: neither', () => {
    const { summary: s } = runPreset('dual-write-vs-outbox');
    expect(num(s, 'orders-first', 'ghostEvents')).toBe(num(s, 'orders-first', 'failed'));
    expect(num(s, 'orders-first', 'ghostEvents')).toBeGreaterThan(10);
    expect(num(s, 'orders-dual', 'ghostEvents')).toBe(0);
    expect(num(s, 'orders-dual', 'lostEvents')).toBeGreaterThan(20);
    expect(num(s, 'billing-dual', 'published')).toBe(num(s, 'orders-dual', 'ok') - num(s, 'orders-dual', 'lostEvents'));
    expect(num(s, 'orders-outbox', 'lostEvents')).toBe(0);
    expect(num(s, 'orders-outbox', 'ghostEvents')).toBe(0);
    expect(num(s, 'orders-outbox', 'duplicateEvents')).toBe(0);
    expect(num(s, 'orders-outbox', 'publishResends')).toBeGreaterThan(20);
    expect(num(s, 'billing-outbox', 'published') + num(s, 'orders-outbox', 'outboxPending')).toBe(num(s, 'orders-outbox', 'ok'));
  });

  it('a crash of orders-outbox makes its relay republish rows: duplicates, never losses', () => {
    const s = run(variant('dual-write-vs-outbox', (d) => d.faults.push({ atMs: 30001, untilMs: 31000, target: 'orders-outbox', kind: 'crash' }))).summary;
    expect(num(s, 'orders-outbox', 'lostEvents')).toBe(0);
    expect(num(s, 'orders-outbox', 'duplicateEvents')).toBeGreaterThan(0);
  });

  it('before-commit on orders-dual keeps its lost events and adds ghosts', () => {
    const s = run(variant('dual-write-vs-outbox', (d) => (node(d, 'orders-dual').publishMode = 'before-commit'))).summary;
    expect(num(s, 'orders-dual', 'lostEvents')).toBeGreaterThan(20);
    expect(num(s, 'orders-dual', 'ghostEvents')).toBeGreaterThan(10);
  });
});
