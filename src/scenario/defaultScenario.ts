/** The scenario the app opens with, and the one a bad share link falls back to. */
import type { ScenarioInput } from './schema';

export const defaultScenario: ScenarioInput = {
  format: 'faultline/1',
  name: 'Checkout under load',
  description: [
    'Shoppers check out at 40 requests a second. **checkout** asks **inventory**, then **payments**,',
    'holding one of its 8 workers (2 instances × 4) for the whole request.',
    '',
    'What to watch:',
    '- **payments** is slow in its tail (p99 120 ms) and fails 2% of the time with a 502.',
    '- checkout workers stay busy while they wait downstream: watch their utilization and queue.',
    '- Slow payments down (a `slow` or `latency` fault) and see checkout\'s queue fill and its latency climb, though checkout itself did not change.',
  ].join('\n'),
  seed: 'workshop-1',
  durationMs: 60000,
  nodes: [
    { id: 'shoppers', kind: 'client', label: 'Shoppers', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 40 } },
    {
      id: 'checkout',
      kind: 'service',
      label: 'Checkout',
      instances: 2,
      concurrency: 4,
      serviceTime: { dist: 'lognormal', medianMs: 15, p99Ms: 60 },
      callMode: 'sequential',
      calls: [{ target: 'inventory' }, { target: 'payments' }],
    },
    { id: 'inventory', kind: 'service', label: 'Inventory', serviceTime: { dist: 'exponential', meanMs: 8 } },
    {
      id: 'payments',
      kind: 'service',
      label: 'Payments',
      serviceTime: { dist: 'lognormal', medianMs: 20, p99Ms: 120 },
      errorRate: 0.02,
      errorStatus: 502,
    },
  ],
  layout: {
    shoppers: { x: 0, y: 120 },
    checkout: { x: 280, y: 120 },
    inventory: { x: 560, y: 40 },
    payments: { x: 560, y: 200 },
  },
};
