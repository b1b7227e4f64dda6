import type { Preset } from './index';

const RETRY = { maxAttempts: 3, baseDelayMs: 100, multiplier: 2, jitter: 'none' } as const;

/** Retries at two layers multiply the load on a dependency that is already failing. */
export const retryStorm: Preset = {
  slug: 'retry-storm',
  title: 'Retry storm',
  summary: 'A database outage, and retries at two layers that turn every user request into nine calls to it.',
  watch: [
    { text: 'db received ÷ requests sent: about 1 before the outage, about 9 during it (3 client attempts × 3 api attempts each).', figures: ['nodes.db.received', 'requests.sent', 'amplification'] },
    { text: 'api retries and users retries: both layers retry, and their counts multiply rather than add.', figures: ['nodes.api.retries', 'nodes.users.retries'] },
    { text: 'The retries do not help: a 40-second outage is not a blip, every attempt meets the same 503.', figures: ['requests.successRate'] },
  ],
  tryThis: [
    'On both retry policies set "jitter": "full" and "budget": { "maxTokens": 10, "tokenRatio": 0.1 }: the budget stops retrying once most calls fail, and db sees about one call per request.',
    'Keep no budget but set "maxAttempts": 2 at both layers: 2 × 2 = 4 calls per request during the outage instead of 9.',
    'Retry at one layer only (remove the client\'s retry): the amplification falls to 3.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Retry storm',
    description: [
      'From 10 s to 50 s **db** answers every call with 503. Users retry up to 3 attempts, and so does **api** on its',
      'call to db — no jitter, no retry budget.',
      '',
      'Each user request now costs db 3 × 3 = **9 calls**: the load on the struggling database rises ninefold at the',
      'worst possible moment. A retry budget (gRPC-style throttling) stops retrying when most calls fail; jitter spreads',
      'what retries remain.',
    ].join('\n'),
    seed: 'storm-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 }, timeoutMs: 5000, retry: RETRY },
      { id: 'api', kind: 'service', label: 'API', concurrency: 64, queueLimit: 200, serviceTime: 2, calls: [{ target: 'db', timeoutMs: 3000, retry: RETRY }] },
      { id: 'db', kind: 'service', label: 'Database', concurrency: 32, queueLimit: 500, serviceTime: { dist: 'exponential', meanMs: 5 } },
    ],
    faults: [{ atMs: 10000, untilMs: 50000, target: 'db', kind: 'error', status: 503 }],
    variants: [
      {
        name: 'full jitter and a budget',
        description: 'Both retry layers wait a random time up to their backoff and stop retrying once most calls fail (gRPC-style throttling).',
        set: {
          'nodes[users].retry.jitter': 'full',
          'nodes[users].retry.budget': { maxTokens: 10, tokenRatio: 0.1 },
          'nodes[api].calls[db].retry.jitter': 'full',
          'nodes[api].calls[db].retry.budget': { maxTokens: 10, tokenRatio: 0.1 },
        },
      },
      { name: 'two attempts per layer', description: '2 × 2 = 4 calls per request during the outage instead of 9.', set: { 'nodes[users].retry.maxAttempts': 2, 'nodes[api].calls[db].retry.maxAttempts': 2 } },
      { name: 'retry at one layer', description: 'The users do not retry; api still does.', set: { 'nodes[users].retry': null } },
    ],
    layout: { users: { x: 0, y: 100 }, api: { x: 520, y: 100 }, db: { x: 780, y: 100 } },
  },
};
