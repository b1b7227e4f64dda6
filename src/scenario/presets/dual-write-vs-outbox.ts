import type { Preset } from './index';

/** Publishing beside a database write: before it (ghost events), after it (lost events), or through an outbox (neither). */
export const dualWriteVsOutbox: Preset = {
  slug: 'dual-write-vs-outbox',
  title: 'Dual write vs outbox: ghost and lost events',
  summary: 'three order services publish order.placed three ways while 5% of their writes fail and a flaky link drops publishes: before the write gives ghost events, after it gives lost events, the outbox gives neither.',
  watch: [
    { text: 'orders-first ghostEvents: it announced orders whose write then failed — billing charges for orders that do not exist.', figures: ['nodes.orders-first.ghostEvents'] },
    { text: 'orders-dual lostEvents: orders saved whose event the link dropped; it published once and moved on, so billing never hears of them.', figures: ['nodes.orders-dual.lostEvents'] },
    { text: 'orders-outbox lostEvents 0 and ghostEvents 0: events are rows written in the same transaction as the order, and the relay publishes each until the broker confirms it.', figures: ['nodes.orders-outbox.lostEvents', 'nodes.orders-outbox.ghostEvents'] },
    { text: 'billing-outbox published + orders-outbox outboxPending = orders-outbox ok: exactly one event per saved order (the pending rows are published at the next polls), while billing-first published counts the ghosts and billing-dual published misses the lost ones.', figures: ['nodes.billing-outbox.published', 'nodes.orders-outbox.outboxPending', 'nodes.orders-outbox.ok', 'nodes.billing-first.published', 'nodes.billing-dual.published', 'nodes.billing-dual.lost'] },
  ],
  tryThis: [
    'Crash orders-outbox for a second ({ "atMs": 30001, "untilMs": 31000, "target": "orders-outbox", "kind": "crash" }, 1 ms after a poll): the relay republishes the rows it had sent but not yet marked — duplicateEvents, never lost ones. Consumers must still be idempotent.',
    'Set orders-dual\'s "publishMode" to "before-commit": its lost events stay and ghost events join them.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Dual write vs outbox: ghost and lost events',
    description: [
      'Each order service saves an order and tells **billing** with an order.placed event. 5% of the database writes fail',
      '(errorRate), and from 20 s to 40 s the link to the broker drops 30% of publishes.',
      '',
      '**orders-first** publishes, then writes (`before-commit`): a failed write leaves a **ghost event**. **orders-dual**',
      'writes, then publishes (`dual-write`): a publish the link drops is a **lost event** — the order exists, nobody hears',
      'of it. **orders-outbox** writes the event into an outbox table in the same transaction; a relay polls the table and',
      'publishes each row until the broker confirms it (`outbox`): no ghosts, no losses, at worst duplicates.',
    ].join('\n'),
    seed: 'outbox-1',
    durationMs: 60000,
    nodes: [
      { id: 'web-a', kind: 'client', label: 'Shoppers A', target: 'orders-first', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'web-b', kind: 'client', label: 'Shoppers B', target: 'orders-dual', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'web-c', kind: 'client', label: 'Shoppers C', target: 'orders-outbox', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'orders-first', kind: 'service', label: 'Orders (publish, then write)', errorRate: 0.05, publishMode: 'before-commit', publishes: [{ exchange: 'events', routingKey: 'first' }] },
      { id: 'orders-dual', kind: 'service', label: 'Orders (write, then publish)', errorRate: 0.05, publishMode: 'dual-write', publishes: [{ exchange: 'events', routingKey: 'dual' }] },
      { id: 'orders-outbox', kind: 'service', label: 'Orders (outbox)', errorRate: 0.05, publishMode: 'outbox', outbox: { pollIntervalMs: 500 }, publishes: [{ exchange: 'events', routingKey: 'outbox' }] },
      { id: 'events', kind: 'exchange', label: 'events (direct)', type: 'direct' },
      { id: 'billing-first', kind: 'queue', bindings: [{ exchange: 'events', key: 'first' }] },
      { id: 'billing-dual', kind: 'queue', bindings: [{ exchange: 'events', key: 'dual' }] },
      { id: 'billing-outbox', kind: 'queue', bindings: [{ exchange: 'events', key: 'outbox' }] },
      { id: 'billing', kind: 'service', label: 'Billing', consumes: [{ queue: 'billing-first' }, { queue: 'billing-dual' }, { queue: 'billing-outbox' }] },
    ],
    faults: [
      { atMs: 20000, untilMs: 40000, target: 'orders-first->events', kind: 'drop', probability: 0.3 },
      { atMs: 20000, untilMs: 40000, target: 'orders-dual->events', kind: 'drop', probability: 0.3 },
      { atMs: 20000, untilMs: 40000, target: 'orders-outbox->events', kind: 'drop', probability: 0.3 },
    ],
    layout: {
      'web-a': { x: 0, y: 20 },
      'web-b': { x: 0, y: 180 },
      'web-c': { x: 0, y: 340 },
      'orders-first': { x: 260, y: 20 },
      'orders-dual': { x: 260, y: 180 },
      'orders-outbox': { x: 260, y: 340 },
      events: { x: 520, y: 180 },
      'billing-first': { x: 780, y: 20 },
      'billing-dual': { x: 780, y: 180 },
      'billing-outbox': { x: 780, y: 340 },
      billing: { x: 1040, y: 180 },
    },
  },
};
