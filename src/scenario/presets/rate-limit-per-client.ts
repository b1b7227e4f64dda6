import type { Preset } from './index';

/** express-rate-limit's fixed window, keyed per client: the noisy client is limited, the polite one untouched. */
export const rateLimitPerClient: Preset = {
  slug: 'rate-limit-per-client',
  title: 'Rate limiting per client at the gateway',
  summary: 'A scraper sends 15 requests a second, a partner app one; a per-client limit of 100 a minute stops only the scraper.',
  watch: [
    { text: 'requests byStatus 429: all of them are the scraper\'s. The partner app gets none.', figures: ['requests.byStatus.429', 'nodes.partner.failed'] },
    { text: 'edge rateLimited: every request over 100 in the scraper\'s current minute is answered 429 at the gateway, at once, and never reaches catalog.', figures: ['nodes.edge.rateLimited'] },
    { text: 'scraper ok: exactly 100 per window. Its first window opens at its first request; the count resets a minute later.', figures: ['nodes.scraper.ok'] },
    { text: 'catalog received: only what the gateway let through — the limit protects the service behind it.', figures: ['nodes.catalog.received'] },
  ],
  tryThis: [
    'Set the limit\'s "per" to "global": one shared budget of 100 a minute, the scraper spends it within seconds, and the partner app gets 429s too.',
    'Switch to "algorithm": "token-bucket" with "maxTokens": 20, "fillIntervalMs": 600: the scraper is held to a steady 100 a minute instead of a burst at each window\'s start.',
    'Raise the limit to 1000: the scraper stays under it, and catalog carries its whole load.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Rate limiting per client at the gateway',
    description: [
      'Two clients call the **edge** gateway: a **partner** app (1 request a second) and a **scraper** (15 a second).',
      'The gateway limits each client to **100 requests per minute** (a fixed window, as express-rate-limit counts:',
      'the window opens at a client\'s first request, and every request over the limit gets **429** with Retry-After).',
      '',
      'Keyed per client, the limit stops the noisy client and leaves the polite one alone. Keyed globally, the noisy',
      'client would spend everyone\'s budget.',
    ].join('\n'),
    seed: 'limits-1',
    durationMs: 120000,
    nodes: [
      { id: 'partner', kind: 'client', label: 'Partner app', target: 'edge', requests: [{ path: '/api/catalog' }], arrival: { type: 'poisson', ratePerSec: 1 } },
      { id: 'scraper', kind: 'client', label: 'Scraper', target: 'edge', requests: [{ path: '/api/catalog' }], arrival: { type: 'poisson', ratePerSec: 15 } },
      {
        id: 'edge',
        kind: 'gateway',
        label: 'API gateway',
        routes: [{ prefix: '/api/catalog', target: 'catalog' }],
        rateLimit: { algorithm: 'fixed-window', limit: 100, windowMs: 60000, per: 'client' },
        overhead: 1,
      },
      { id: 'catalog', kind: 'service', label: 'Catalog', serviceTime: { dist: 'exponential', meanMs: 10 } },
    ],
    layout: { partner: { x: 0, y: 40 }, scraper: { x: 0, y: 220 }, edge: { x: 260, y: 130 }, catalog: { x: 520, y: 130 } },
  },
};
