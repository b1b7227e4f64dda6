import type { Preset } from './index';

/** A publisher that resends after a lost confirm delivers some events twice; only idempotent consumers shrug it off. */
export const duplicateDelivery: Preset = {
  slug: 'duplicate-delivery',
  title: 'Duplicate delivery: idempotent vs not',
  summary: 'checkout resends order.placed when a confirm is lost; payments skips the repeats by eventId, loyalty awards points twice.',
  watch: [
    { text: 'payments and loyalty queues duplicatesDelivered: the same — both get every resent event.', figures: ['nodes.payments-q.duplicatesDelivered', 'nodes.loyalty-q.duplicatesDelivered'] },
    { text: 'payments duplicatesSkipped = duplicatesDelivered, duplicatesProcessed 0: it keeps the eventIds it has handled and ignores repeats.', figures: ['nodes.payments-q.duplicatesSkipped', 'nodes.payments-q.duplicatesProcessed'] },
    { text: 'loyalty duplicatesProcessed > 0: each one is a customer credited twice for one order.', figures: ['nodes.loyalty-q.duplicatesProcessed', 'nodes.loyalty.duplicateSideEffects'] },
    { text: 'The event log: message.publish with resend true, then message.duplicate at the consumer.', figures: ['nodes.checkout.publishResends', 'nodes.loyalty-q.duplicatesDelivered'] },
  ],
  tryThis: [
    'Make loyalty idempotent ("idempotent": true): its duplicatesProcessed drops to 0.',
    'Set "resendOnLostConfirm" to 0 and add a fault { "atMs": 10000, "untilMs": 20000, "target": "loyalty-q", "kind": "duplicate", "probability": 0.2 }: duplicates now come from the network between queue and consumer — same effect, different cause.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Duplicate delivery: idempotent vs not',
    description: [
      'After each order, **checkout** publishes order.placed. For 5% of them the broker\'s confirm is lost, so checkout',
      'publishes the same event again: a new message with the **same eventId**. Messaging promises at-least-once, not once.',
      '',
      '**payments** is idempotent: it records each eventId it has processed and skips a repeat. **loyalty** is not: it',
      'awards points for every message it gets, so some customers are credited twice. Design every consumer to be idempotent.',
    ].join('\n'),
    seed: 'dupes-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 20 } },
      {
        id: 'checkout',
        kind: 'service',
        label: 'Checkout',
        serviceTime: 10,
        publishes: [{ exchange: 'events', routingKey: 'order.placed', resendOnLostConfirm: 0.05 }],
      },
      { id: 'events', kind: 'exchange', label: 'events (fanout)', type: 'fanout' },
      { id: 'payments-q', kind: 'queue', bindings: [{ exchange: 'events' }] },
      { id: 'loyalty-q', kind: 'queue', bindings: [{ exchange: 'events' }] },
      { id: 'payments', kind: 'service', label: 'Payments (idempotent)', consumes: [{ queue: 'payments-q', serviceTime: 5, idempotent: true }] },
      { id: 'loyalty', kind: 'service', label: 'Loyalty (not idempotent)', consumes: [{ queue: 'loyalty-q', serviceTime: 5, idempotent: false }] },
    ],
    variants: [
      { name: 'idempotent loyalty', description: 'Loyalty remembers the eventIds it processed and skips a second delivery.', set: { 'nodes[loyalty].consumes[loyalty-q].idempotent': true } },
    ],
    layout: {
      users: { x: 0, y: 130 },
      checkout: { x: 260, y: 130 },
      events: { x: 520, y: 130 },
      'payments-q': { x: 780, y: 40 },
      'loyalty-q': { x: 780, y: 220 },
      payments: { x: 1040, y: 40 },
      loyalty: { x: 1040, y: 220 },
    },
  },
};
