import type { Preset } from './index';

/** A slow dependency holds every worker of a healthy caller; the caller's callers get 503s. */
export const cascadeNoTimeouts: Preset = {
  slug: 'cascade-no-timeouts',
  title: 'Cascade: a slow dependency, no timeouts',
  summary: 'inventory slows to 8 s; orders, healthy but waiting with no timeout, fills its pool and turns users away with 503.',
  watch: [
    { text: 'orders utilization and queueMax: all 10 workers held, the waiting line of 20 full, from a few moments after 20 s.', figures: ['nodes.orders.utilization', 'nodes.orders.queueMax'] },
    { text: 'requests byStatus 503: users are refused by orders (queue full), yet orders has no error of its own and nothing in it changed.', figures: ['requests.byStatus.503', 'nodes.orders.failed'] },
    { text: 'inventory failed: 0. The dependency is slow, not broken — nothing ever reports an error until the callers give up.', figures: ['nodes.inventory.failed'] },
    { text: 'After 40 s the held workers come back about 8 s later, and the 503s stop.', figures: ['requests.byStatus.503'] },
  ],
  tryThis: [
    'Give the call to inventory "timeoutMs": 3000: each worker is held at most 3 s, orders answers 504 instead of leaving users waiting, but its pool still fills at this rate.',
    'Open the "Timeouts and a breaker stop the cascade" preset: a timeout, a breaker and a fallback keep orders serving.',
    'Raise orders concurrency to 400: the pool outlasts the slowdown — at the price of 400 idle threads and their memory.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Cascade: a slow dependency, no timeouts',
    description: [
      'Users call **orders** 40 times a second; orders does 5 ms of work and asks **inventory** for stock. From 20 s to',
      '40 s inventory takes 8 s to answer. orders has no timeout on that call, and a worker is held for the whole request.',
      '',
      'Ten workers held for 8 s each serve barely more than one request a second: the waiting line fills and orders answers',
      '**503** to almost everyone — although orders itself is perfectly healthy. This is how one slow service takes down its callers.',
    ].join('\n'),
    seed: 'cascade-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'orders', arrival: { type: 'poisson', ratePerSec: 40 } },
      { id: 'orders', kind: 'service', label: 'Orders', concurrency: 10, queueLimit: 20, serviceTime: 5, calls: [{ target: 'inventory' }] },
      { id: 'inventory', kind: 'service', label: 'Inventory', concurrency: 200, serviceTime: { dist: 'exponential', meanMs: 10 } },
    ],
    faults: [{ atMs: 20000, untilMs: 40000, target: 'inventory', kind: 'latency', add: 8000 }],
    layout: { users: { x: 0, y: 100 }, orders: { x: 520, y: 100 }, inventory: { x: 780, y: 100 } },
  },
};
