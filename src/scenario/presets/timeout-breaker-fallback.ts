import type { Preset } from './index';

/** The cascade of cascade-no-timeouts, stopped by a timeout, a breaker and a fallback. */
export const timeoutBreakerFallback: Preset = {
  slug: 'timeout-breaker-fallback',
  title: 'Timeouts and a breaker stop the cascade',
  summary: 'The same 8-second inventory slowdown; a 3 s timeout, a breaker and a cached fallback keep orders answering.',
  watch: [
    { text: 'The first 3 s of the slowdown still hurt: workers wait for the timeout, and some users get 503 until the breaker trips.', figures: ['requests.byStatus.503'] },
    { text: 'orders breakerOpens and shortCircuited: after 5 timeouts in a row the breaker opens, and calls fail fast instead of waiting.', figures: ['nodes.orders.breakerOpens', 'nodes.orders.shortCircuited'] },
    { text: 'orders fallbacks: short-circuited and timed-out calls answer 200 with cached stock, so users see success.', figures: ['nodes.orders.fallbacks'] },
    { text: 'Every 15 s the breaker lets one trial call through (half-open); during the slowdown it times out and the breaker re-opens. After 40 s a trial succeeds and it closes.', figures: ['nodes.orders.breakerOpens'] },
    { text: 'Compare p99 and the 503 count with the cascade preset: same fault, same arrivals.', figures: ['latencyMs.p99', 'requests.byStatus.503'] },
  ],
  tryThis: [
    'Remove the fallback: users get 502 instead of cached stock, quickly — failing fast is still far better than waiting 8 s.',
    'Remove the breaker, keep the timeout: every call waits 3 s, and 10 workers cannot keep up with 40 requests a second — the 503s come back.',
    'Lower "resetTimeoutMs" to 2000: trials are more frequent, each one holds a worker for 3 s.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Timeouts and a breaker stop the cascade',
    description: [
      'The cascade preset again — **inventory** takes 8 s from 20 s to 40 s — but now orders\' call has a **3 s timeout**,',
      'a **circuit breaker** (open after 5 consecutive failures, try again after 15 s) and a **fallback** (cached stock, 200).',
      '',
      'The timeout caps how long a worker waits; the breaker stops waiting at all once the dependency is known to be bad;',
      'the fallback turns the failure into a degraded answer. orders keeps serving while inventory is slow.',
    ].join('\n'),
    seed: 'cascade-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'orders', arrival: { type: 'poisson', ratePerSec: 40 } },
      {
        id: 'orders',
        kind: 'service',
        label: 'Orders',
        concurrency: 10,
        queueLimit: 20,
        serviceTime: 5,
        calls: [
          {
            target: 'inventory',
            timeoutMs: 3000,
            breaker: { model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 15000 },
            fallback: { status: 200, label: 'cached stock' },
          },
        ],
      },
      { id: 'inventory', kind: 'service', label: 'Inventory', concurrency: 200, serviceTime: { dist: 'exponential', meanMs: 10 } },
    ],
    faults: [{ atMs: 20000, untilMs: 40000, target: 'inventory', kind: 'latency', add: 8000 }],
    layout: { users: { x: 0, y: 100 }, orders: { x: 520, y: 100 }, inventory: { x: 780, y: 100 } },
  },
};
