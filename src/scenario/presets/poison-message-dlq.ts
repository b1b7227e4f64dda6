import type { Preset } from './index';

/** Messages the consumer rejects are dead-lettered to a DLQ instead of blocking or vanishing. */
export const poisonMessageDlq: Preset = {
  slug: 'poison-message-dlq',
  title: 'Poison messages end in the dead-letter queue',
  summary: 'invoicing rejects the 3% of orders it cannot process; they are dead-lettered to invoices-dlq, which fills while the main queue keeps flowing.',
  watch: [
    { text: 'invoices deadLettered and invoices-dlq depthEnd: equal and above zero — every rejected message is parked, none lost. A DLQ depth above 0 is worth an alert.', figures: ['nodes.invoices.deadLettered', 'nodes.invoices-dlq.depthEnd'] },
    { text: 'The event log: each message.nack (no requeue) is followed by message.deadLetter with reason "rejected".', figures: ['nodes.invoices.deadLettered'] },
    { text: 'invoices acked + deadLettered = published: the main queue never stalls on a bad message.', figures: ['nodes.invoices.acked', 'nodes.invoices.deadLettered', 'nodes.invoices.published'] },
  ],
  tryThis: [
    'Set invoicing\'s "errorRate" to 1 (a bad deploy: every message fails), "onError" to "requeue", and make invoices a quorum queue with a delivery limit ("queueType": "quorum", "deliveryLimit": 3): each message is delivered 4 times, then dead-lettered with reason delivery_limit.',
    'Remove the queue\'s "deadLetter": rejected messages are now discarded — dropped, counted, and gone.',
    'Set "onError": "requeue" with the 3% error rate: a rejected message comes back (redelivered) and usually succeeds, because here each delivery fails at random — that is a transient error, not a poison message.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Poison messages end in the dead-letter queue',
    description: [
      '**checkout** publishes order.placed; **invoicing** consumes the **invoices** queue. About 3% of orders carry data',
      'invoicing cannot handle: it rejects them without requeue (`onError: "dead-letter"`).',
      '',
      'The invoices queue has a dead-letter exchange, **dlx**, so each rejected message is republished there and lands in',
      '**invoices-dlq**, where nobody consumes it: the DLQ fills, the main queue keeps moving, and a person can inspect and',
      'replay what failed. Without a DLX the message would simply be dropped; with requeue a true poison message would loop forever.',
    ].join('\n'),
    seed: 'poison-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 20 } },
      { id: 'checkout', kind: 'service', label: 'Checkout', serviceTime: 10, publishes: [{ exchange: 'orders', routingKey: 'order.placed' }] },
      { id: 'orders', kind: 'exchange', label: 'orders (topic)', type: 'topic' },
      { id: 'invoices', kind: 'queue', bindings: [{ exchange: 'orders', key: 'order.placed' }], deadLetter: { exchange: 'dlx' } },
      { id: 'dlx', kind: 'exchange', label: 'dlx (fanout)', type: 'fanout' },
      { id: 'invoices-dlq', kind: 'queue', label: 'invoices DLQ', bindings: [{ exchange: 'dlx' }] },
      {
        id: 'invoicing',
        kind: 'service',
        label: 'Invoicing',
        consumes: [{ queue: 'invoices', prefetch: 10, serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: 0.03, onError: 'dead-letter' }],
      },
    ],
    layout: {
      users: { x: 0, y: 100 },
      checkout: { x: 260, y: 100 },
      orders: { x: 520, y: 100 },
      invoices: { x: 780, y: 100 },
      invoicing: { x: 1040, y: 100 },
      dlx: { x: 780, y: 260 },
      'invoices-dlq': { x: 1040, y: 260 },
    },
  },
};
