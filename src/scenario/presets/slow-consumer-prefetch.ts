import type { Preset } from './index';

/** A consumer slower than its publisher: the queue absorbs the difference, prefetch caps what one consumer holds. */
export const slowConsumerPrefetch: Preset = {
  slug: 'slow-consumer-prefetch',
  title: 'A slow consumer and prefetch',
  summary: 'Orders arrive at 30 a second, the warehouse consumer handles 25: the queue grows all run, while prefetch keeps its unacked at 10.',
  watch: [
    { text: 'shipping depthMax and depthEnd: the backlog grows by about 5 messages a second and never drains.', figures: ['nodes.shipping.depthMax', 'nodes.shipping.depthEnd'] },
    { text: 'shipping unackedEnd: exactly the prefetch, 10. The broker hands the consumer no more than 10 unacknowledged messages; the rest wait in the queue, where another consumer could take them.', figures: ['nodes.shipping.unackedEnd'] },
    { text: 'checkout and users: every request still succeeds — the queue decouples the fast side from the slow one. The cost is delay: an order placed now ships minutes later.', figures: ['nodes.checkout.ok', 'requests.successRate'] },
  ],
  tryThis: [
    'Set "consumers": 2 on warehouse: capacity 50 a second, the queue stays near empty.',
    'Set "prefetch": 50: the consumer hoards 50 unacked messages; if it crashed, all 50 would be redelivered to someone else.',
    'Set "prefetch": 1 and add a fault { "atMs": 0, "target": "shipping", "kind": "latency", "add": 30 }: each message now waits a round trip before work can start, and throughput falls further — the reason prefetch exists.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A slow consumer and prefetch',
    description: [
      '**checkout** publishes order.placed about 30 times a second; the **warehouse** consumer needs 40 ms per message,',
      'so it handles 25 a second. The **shipping** queue takes up the difference: its depth grows steadily.',
      '',
      'The consumer\'s **prefetch** of 10 is how many unacknowledged messages the broker lets it hold: the rest stay in the',
      'queue, available to any other consumer. Prefetch of 10–50 is the common range; 1 is safe but slow, very large values',
      'let one consumer hoard work.',
    ].join('\n'),
    seed: 'prefetch-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 30 } },
      { id: 'checkout', kind: 'service', label: 'Checkout', serviceTime: 10, publishes: [{ exchange: 'orders', routingKey: 'order.placed' }] },
      { id: 'orders', kind: 'exchange', label: 'orders (direct)', type: 'direct' },
      { id: 'shipping', kind: 'queue', bindings: [{ exchange: 'orders', key: 'order.placed' }] },
      { id: 'warehouse', kind: 'service', label: 'Warehouse', consumes: [{ queue: 'shipping', prefetch: 10, consumers: 1, serviceTime: 40 }] },
    ],
    layout: {
      users: { x: 0, y: 100 },
      checkout: { x: 260, y: 100 },
      orders: { x: 520, y: 100 },
      shipping: { x: 780, y: 100 },
      warehouse: { x: 1040, y: 100 },
    },
  },
};
