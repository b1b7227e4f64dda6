import type { Preset } from './index';

/** One slow instance among three: health checks pass, outlier detection ejects it. */
export const oneSlowInstance: Preset = {
  slug: 'one-slow-instance',
  title: 'One slow instance among three',
  summary: 'search instance 1 answers in 5 s but passes its health checks; Envoy-style outlier ejection takes it out after three timeouts.',
  watch: [
    { text: 'search: instance 1 stays "ready" — its /health answers at once — while its real work takes 5 s. Health checks do not see slowness.', figures: ['nodes.search.unready'] },
    { text: 'The dot of instance 1 turns purple (ejected) three timeouts after 10 s. Ejected for 30 s, it comes back, times out three more times and is ejected for 60 s: each ejection lasts longer.', figures: ['nodes.search.ejections'] },
    { text: 'api timeouts and retries: a handful each time instance 1 is let back in; between ejections none, and p99 stays low.', figures: ['nodes.api.timeouts', 'nodes.api.retries', 'latencyMs.p99'] },
  ],
  tryThis: [
    'Set search "outlierDetection" to null: one call in three waits the full second, is retried, and the users\' p90 climbs past a second for the whole slowdown.',
    'Raise "consecutive5xx" to 20: each return of instance 1 costs twenty timed-out calls before it is ejected again.',
    'Make instance 0 slow as well (a second slow fault with "instance": 0): with "maxEjectionPercent" 10 only one of them can be ejected; raise it to 50 to eject both.',
  ],
  document: {
    format: 'faultline/1',
    name: 'One slow instance among three',
    description: [
      '**search** runs three instances behind a round-robin balancer. From 10 s, **instance 1 is slow**: every request it',
      'takes waits 5 s (a bad disk, a noisy neighbour). Its readiness probe still passes, so the registry keeps it.',
      '',
      'api calls search with a **1 s timeout and one retry**. The balancer has **outlier detection** (Envoy\'s rules): three',
      'consecutive 5xx — a timed-out call counts as one — eject the instance for 30 s × the number of times it was ejected.',
      'Passive checks see what active health checks miss: the instance is alive, just useless.',
    ].join('\n'),
    seed: 'slow-instance-1',
    durationMs: 120000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'api', arrival: { type: 'poisson', ratePerSec: 30 }, timeoutMs: 5000 },
      {
        id: 'api',
        kind: 'service',
        label: 'API',
        concurrency: 40,
        serviceTime: 2,
        calls: [{ target: 'search', timeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 50, jitter: 'full' } }],
      },
      {
        id: 'search',
        kind: 'service',
        label: 'Search',
        instances: 3,
        concurrency: 30,
        serviceTime: { dist: 'lognormal', medianMs: 20, p99Ms: 80 },
        healthCheck: { intervalMs: 5000, timeoutMs: 1000, unhealthyThreshold: 3, healthyThreshold: 2 },
        outlierDetection: { consecutive5xx: 3, intervalMs: 10000, baseEjectionTimeMs: 30000, maxEjectionPercent: 10 },
      },
    ],
    faults: [{ atMs: 10000, target: 'search', kind: 'latency', add: 5000, instance: 1 }],
    layout: { users: { x: 0, y: 100 }, api: { x: 320, y: 100 }, search: { x: 640, y: 100 } },
  },
};
