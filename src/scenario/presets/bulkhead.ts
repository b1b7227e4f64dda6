import type { Preset } from './index';

/** A bulkhead caps how many workers a slow, optional dependency may hold. */
export const bulkhead: Preset = {
  slug: 'bulkhead',
  title: 'A bulkhead isolates a slow dependency',
  summary: 'recommendations slows to 5 s; a bulkhead of 4 keeps product pages — and their pricing calls — going.',
  watch: [
    { text: 'page bulkheadRejected and fallbacks: past 4 calls in flight to recs, the call is refused at once and the page renders without recommendations.', figures: ['nodes.page.bulkheadRejected', 'nodes.page.fallbacks'] },
    { text: 'pricing received: the healthy dependency keeps getting called at the full rate through the slowdown.', figures: ['nodes.pricing.received'] },
    { text: 'page utilization and queueMax: at most 4 of its 20 workers are tied up waiting for recs.', figures: ['nodes.page.utilization', 'nodes.page.queueMax'] },
  ],
  tryThis: [
    'Remove the bulkhead from the call to recs: all 20 workers end up waiting for recs, users get 503, and pricing stops being called — a healthy service starved by a sick one.',
    'Raise "maxConcurrent" to 19: still no 503s, but 19 pages at a time now wait the full 5 s for recs and p99 jumps to 5 s. The bulkhead bounds how much of the pool is lost; a timeout on the call would bound the wait.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A bulkhead isolates a slow dependency',
    description: [
      'A product **page** asks **pricing** (must have) and then **recs** (nice to have, with a fallback). From 20 s to 40 s',
      'recs takes 5 s to answer. The call to recs sits behind a **bulkhead of 4**: at most 4 of the page\'s 20 workers may',
      'wait on it; the 5th call is refused at once and the page renders without recommendations.',
      '',
      'Like the watertight compartments of a ship, the bulkhead keeps one slow dependency from flooding the whole pool:',
      'pricing calls keep succeeding and users keep getting pages.',
    ].join('\n'),
    seed: 'bulkhead-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'page', arrival: { type: 'poisson', ratePerSec: 50 } },
      {
        id: 'page',
        kind: 'service',
        label: 'Product page',
        concurrency: 20,
        queueLimit: 20,
        serviceTime: 5,
        calls: [
          { target: 'pricing', timeoutMs: 3000 },
          { target: 'recs', bulkhead: { maxConcurrent: 4, maxQueue: 0 }, fallback: { status: 200, label: 'no recommendations' } },
        ],
      },
      { id: 'pricing', kind: 'service', label: 'Pricing', concurrency: 16, serviceTime: { dist: 'exponential', meanMs: 8 } },
      { id: 'recs', kind: 'service', label: 'Recommendations', concurrency: 200, serviceTime: { dist: 'exponential', meanMs: 15 } },
    ],
    faults: [{ atMs: 20000, untilMs: 40000, target: 'recs', kind: 'latency', add: 5000 }],
    variants: [
      { name: 'no bulkhead', description: 'The call to recs may take every worker of the page.', set: { 'nodes[page].calls[recs].bulkhead': null } },
      { name: 'wide bulkhead', description: '19 of the 20 workers may wait for recs.', set: { 'nodes[page].calls[recs].bulkhead.maxConcurrent': 19 } },
    ],
    layout: { users: { x: 0, y: 120 }, page: { x: 520, y: 120 }, pricing: { x: 780, y: 40 }, recs: { x: 780, y: 200 } },
  },
};
