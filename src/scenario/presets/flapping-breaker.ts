import type { Preset } from './index';

/** A breaker tuned too tight opens on every stray error and short-circuits mostly healthy calls. */
export const flappingBreaker: Preset = {
  slug: 'flapping-breaker',
  title: 'A flapping breaker',
  summary: 'recommendations fails 1 call in 5; a breaker that opens on a single failure flaps open and shut and rejects far more than fails.',
  watch: [
    { text: 'shop breakerOpens: dozens of openings in 40 s. Each one short-circuits about a second of calls.', figures: ['nodes.shop.breakerOpens', 'nodes.shop.shortCircuited'] },
    { text: 'The event log: breaker.open, breaker.halfOpen, breaker.close over and over. Each half-open lets one trial call through; 4 trials in 5 succeed and close it, until the next stray error.', figures: ['nodes.shop.breakerOpens'] },
    { text: 'shop shortCircuited vs recs failed: the breaker throws away many more calls than the dependency actually fails — most of them would have worked.', figures: ['nodes.shop.shortCircuited', 'nodes.recs.failed'] },
  ],
  tryThis: [
    'Set "failureThreshold": 5 and "resetTimeoutMs": 15000 (the usual advice): five failures in a row at 20% errors are rare, the breaker stays closed and the fallback only answers for the real failures.',
    'Raise the fault\'s probability to 1 (a real outage): now the tight breaker and the calm one both open — and the calm one stays open instead of probing every second.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A flapping breaker',
    description: [
      'From 10 s to 50 s **recs** (recommendations) fails one call in five. **shop** calls it through a breaker that opens',
      'after **1** failure and half-opens after **1 s**, with a fallback (no recommendations shown).',
      '',
      'The breaker flaps: each stray error opens it, a second later a trial succeeds and closes it, and the next error',
      'opens it again. It short-circuits many more calls than ever failed. A threshold of 3–5 failures and a reset of',
      '15–60 s are the usual starting points for a reason.',
    ].join('\n'),
    seed: 'flap-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'shop', arrival: { type: 'poisson', ratePerSec: 50 } },
      {
        id: 'shop',
        kind: 'service',
        label: 'Shop',
        concurrency: 16,
        serviceTime: 5,
        calls: [
          {
            target: 'recs',
            timeoutMs: 1000,
            breaker: { model: 'consecutive', failureThreshold: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 1 },
            fallback: { status: 200, label: 'no recommendations' },
          },
        ],
      },
      { id: 'recs', kind: 'service', label: 'Recommendations', concurrency: 16, serviceTime: { dist: 'exponential', meanMs: 15 } },
    ],
    faults: [{ atMs: 10000, untilMs: 50000, target: 'recs', kind: 'error', status: 500, probability: 0.2 }],
    variants: [
      {
        name: 'calm breaker',
        description: 'Five failures in a row to open, 15 s before probing again (the usual advice).',
        set: { 'nodes[shop].calls[recs].breaker.failureThreshold': 5, 'nodes[shop].calls[recs].breaker.resetTimeoutMs': 15000 },
      },
    ],
    layout: { users: { x: 0, y: 100 }, shop: { x: 520, y: 100 }, recs: { x: 780, y: 100 } },
  },
};
