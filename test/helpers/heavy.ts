/**
 * Legitimate heavy scenarios: busy, deep or long, but steady. The runaway detector must never stop
 * them (test/run/runaway.test.ts), whatever the rule.
 */
import type { ScenarioInput } from '../../src/scenario/schema';

/** 5 clients -> 5 front services -> 10 mid services -> 10 stores: 30 nodes, ~10 hops per request (e2e/stress.spec.ts's). */
export function thirtyNodes(durationMs = 600_000): ScenarioInput {
  const nodes: ScenarioInput['nodes'] = [];
  for (let i = 0; i < 5; i++) {
    nodes.push({ id: `client-${i}`, kind: 'client', target: `front-${i}`, arrival: { type: 'poisson', ratePerSec: 55 }, timeoutMs: 2000 });
    nodes.push({
      id: `front-${i}`,
      kind: 'service',
      concurrency: 200,
      serviceTime: { dist: 'exponential', meanMs: 5 },
      callMode: 'parallel',
      calls: [{ target: `mid-${2 * i}`, timeoutMs: 500 }, { target: `mid-${2 * i + 1}`, timeoutMs: 500 }],
    });
  }
  for (let j = 0; j < 10; j++) {
    nodes.push({
      id: `mid-${j}`,
      kind: 'service',
      concurrency: 200,
      serviceTime: { dist: 'exponential', meanMs: 8 },
      calls: [{ target: `store-${j}`, timeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 20 } }],
    });
    nodes.push({ id: `store-${j}`, kind: 'service', concurrency: 200, serviceTime: { dist: 'lognormal', medianMs: 10, p99Ms: 80 }, errorRate: 0.02 });
  }
  return { format: 'faultline/1', name: 'Stress: 30 nodes', seed: 'stress', durationMs, network: { latency: { dist: 'uniform', minMs: 20, maxMs: 60 } }, nodes };
}

/** DESIGN.md's standard scenario (bench/run.ts's): clients -> gateway -> two services with retries and a breaker -> broker with a DLQ, at 1,000 requests/s. */
export function standardHour(durationMs = 3_600_000): ScenarioInput {
  return {
    format: 'faultline/1',
    name: 'standard',
    seed: 'bench',
    durationMs,
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
}

/** M/M/c at a high rate, 90% busy: `ratePerSec` poisson arrivals, c servers of mean service 0.9·c/λ. */
export function busyStation(ratePerSec: number, servers: number, durationMs: number): ScenarioInput {
  return {
    format: 'faultline/1',
    name: `M/M/${servers} at ${ratePerSec}/s`,
    seed: 'busy',
    durationMs,
    network: { latency: 0 },
    nodes: [
      { id: 'load', kind: 'client', target: 'station', arrival: { type: 'poisson', ratePerSec } },
      { id: 'station', kind: 'service', concurrency: servers, queueLimit: null, serviceTime: { dist: 'exponential', meanMs: (0.9 * servers * 1000) / ratePerSec } },
    ],
  };
}
