import type { Preset } from './index';

/** Who gets a copy of order.placed: a topic exchange routes by key, a fanout copies to every bound queue. */
export const topicVsFanout: Preset = {
  slug: 'topic-vs-fanout',
  title: 'Topic vs fanout routing of order.placed',
  summary: 'checkout publishes order.placed; the topic exchange copies it to the three queues whose bindings match, not to refunds.',
  watch: [
    { text: 'Each queue\'s published count: email (order.*), shipping (order.placed) and analytics (#) each get one copy of every order; refunds (order.refunded) gets none.', figures: ['nodes.email.published', 'nodes.shipping.published', 'nodes.analytics.published', 'nodes.refunds.published'] },
    { text: 'events received vs the queues\' copies: one publish becomes three messages — each queue has its own copy and its own consumer.', figures: ['nodes.events.received', 'nodes.events.routed'] },
    { text: 'events unroutable: 0. A key no binding matches would be dropped and counted here.', figures: ['nodes.events.unroutable'] },
  ],
  tryThis: [
    'Change the exchange "type" to "fanout": routing keys are ignored and refunds gets a copy of every order too — work its consumer must throw away.',
    'Change shipping\'s binding key to "order.paid": nothing matches order.placed any more, and shipping sits idle while orders pile up elsewhere.',
    'Change email\'s key to "#.placed": # matches zero or more words, so it still matches order.placed.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Topic vs fanout routing of order.placed',
    description: [
      'Every successful checkout publishes **order.placed** to the **events** exchange (type **topic**). Four queues',
      'are bound to it: email with `order.*`, shipping with `order.placed`, analytics with `#` and refunds with',
      '`order.refunded`.',
      '',
      'A topic exchange matches the routing key word by word (`*` is exactly one word, `#` zero or more): three queues',
      'get a copy of each order, refunds gets none. A **fanout** exchange ignores keys and copies every message to every',
      'bound queue — flip the type and watch refunds fill with orders it has no use for.',
    ].join('\n'),
    seed: 'routing-1',
    durationMs: 30000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 10 } },
      { id: 'checkout', kind: 'service', label: 'Checkout', serviceTime: 10, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', label: 'events (topic)', type: 'topic' },
      { id: 'email', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }] },
      { id: 'shipping', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.placed' }] },
      { id: 'analytics', kind: 'queue', bindings: [{ exchange: 'events', key: '#' }] },
      { id: 'refunds', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.refunded' }] },
      { id: 'notifier', kind: 'service', label: 'Notifier', consumes: [{ queue: 'email', serviceTime: 5 }] },
      { id: 'warehouse', kind: 'service', label: 'Warehouse', consumes: [{ queue: 'shipping', serviceTime: 5 }] },
      { id: 'reporting', kind: 'service', label: 'Reporting', consumes: [{ queue: 'analytics', serviceTime: 2 }] },
      { id: 'accounting', kind: 'service', label: 'Accounting', consumes: [{ queue: 'refunds', serviceTime: 5 }] },
    ],
    layout: {
      users: { x: 0, y: 190 },
      checkout: { x: 260, y: 190 },
      events: { x: 520, y: 190 },
      email: { x: 780, y: 0 },
      shipping: { x: 780, y: 130 },
      analytics: { x: 780, y: 260 },
      refunds: { x: 780, y: 390 },
      notifier: { x: 1040, y: 0 },
      warehouse: { x: 1040, y: 130 },
      reporting: { x: 1040, y: 260 },
      accounting: { x: 1040, y: 390 },
    },
  },
};
