/**
 * DESIGN.md's standard scenario: clients -> gateway -> two services with retries and a breaker ->
 * broker with a DLQ, one simulated hour at 1,000 requests/s (the performance budget's yardstick;
 * `npm run bench` sections d, f and g).
 */
import type { ScenarioInput } from '../src/scenario/schema';

export const STANDARD: ScenarioInput = {
  format: 'faultline/1',
  name: 'bench standard',
  seed: 'bench',
  durationMs: 3_600_000,
  nodes: [
    { id: 'web', kind: 'client', target: 'gw', requests: [{ path: '/api/orders' }], arrival: { type: 'poisson', ratePerSec: 700 }, timeoutMs: 3000 },
    { id: 'mobile', kind: 'client', target: 'gw', requests: [{ path: '/api/orders' }], arrival: { type: 'poisson', ratePerSec: 300 }, timeoutMs: 3000 },
    {
      id: 'gw',
      kind: 'gateway',
      routes: [{ prefix: '/api/orders', target: 'orders', timeoutMs: 2000 }],
      rateLimit: { algorithm: 'token-bucket', maxTokens: 2000, tokensPerFill: 200, fillIntervalMs: 100, per: 'client' },
      overhead: 0.5,
    },
    {
      id: 'orders',
      kind: 'service',
      instances: 4,
      concurrency: 16,
      serviceTime: { dist: 'lognormal', medianMs: 8, p99Ms: 40 },
      calls: [
        {
          target: 'payments',
          timeoutMs: 500,
          retry: { maxAttempts: 3, baseDelayMs: 50, jitter: 'full' },
          breaker: { model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 10000 },
        },
      ],
      publishes: [{ exchange: 'events', routingKey: 'order.placed' }],
    },
    { id: 'payments', kind: 'service', instances: 4, concurrency: 16, serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: 0.01 },
    { id: 'events', kind: 'exchange', type: 'topic' },
    { id: 'dlx', kind: 'exchange', type: 'fanout' },
    { id: 'notifications', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: 'dlx' } },
    { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
    { id: 'notifier', kind: 'service', consumes: [{ queue: 'notifications', prefetch: 20, consumers: 8, serviceTime: 3, errorRate: 0.001, onError: 'dead-letter' }] },
  ],
};
