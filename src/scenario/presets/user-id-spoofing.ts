import type { Preset } from './index';

/** The gateway authenticates, strips client-sent X-User-Id headers and injects the verified one. */
export const userIdSpoofing: Preset = {
  slug: 'user-id-spoofing',
  title: 'X-User-Id spoofing stopped at the gateway',
  summary: 'A signed-in user forges X-User-Id to act as someone else; the gateway strips the header and sends the id from the token.',
  watch: [
    { text: 'edge spoofAttempts and spoofStripped: equal — every forged header was removed at the edge.', figures: ['nodes.edge.spoofAttempts', 'nodes.edge.spoofStripped'] },
    { text: 'edge spoofPassedThrough: 0. Services behind the gateway trust X-User-Id, so this is the number that must stay at zero.', figures: ['nodes.edge.spoofPassedThrough'] },
    { text: 'edge unauthorized and byStatus 401: the bot without a token is turned away before any route is called.', figures: ['nodes.edge.unauthorized', 'requests.byStatus.401'] },
  ],
  tryThis: [
    'Set the gateway\'s "auth": { "required": false }: nothing is verified and nothing stripped — spoofPassedThrough equals spoofAttempts, and accounts acts on forged identities.',
    'Give the bot a valid token ("auth": { "valid": 1 }): it gets through, as itself.',
  ],
  document: {
    format: 'faultline/1',
    name: 'X-User-Id spoofing stopped at the gateway',
    description: [
      'Services behind the **edge** gateway trust the `X-User-Id` header: the gateway validates the token once and',
      'injects the user\'s id. That is safe only if the gateway also **strips** any X-User-Id a client sends itself.',
      '',
      '**mallory** is signed in but adds `X-User-Id` of another user to every request; a **bot** sends no token at all.',
      'The gateway strips mallory\'s header (her requests go through as herself) and answers the bot 401.',
    ].join('\n'),
    seed: 'spoof-1',
    durationMs: 30000,
    nodes: [
      { id: 'app', kind: 'client', label: 'App users', target: 'edge', requests: [{ path: '/api/accounts' }], arrival: { type: 'poisson', ratePerSec: 10 } },
      {
        id: 'mallory',
        kind: 'client',
        label: 'Mallory (forges X-User-Id)',
        target: 'edge',
        requests: [{ path: '/api/accounts' }],
        arrival: { type: 'poisson', ratePerSec: 2 },
        spoofUserIdHeader: 1,
      },
      {
        id: 'bot',
        kind: 'client',
        label: 'Bot (no token)',
        target: 'edge',
        requests: [{ path: '/api/accounts' }],
        arrival: { type: 'poisson', ratePerSec: 2 },
        auth: { valid: 0, invalid: 0, missing: 1 },
      },
      { id: 'edge', kind: 'gateway', label: 'API gateway', routes: [{ prefix: '/api/accounts', target: 'accounts' }], auth: { required: true }, overhead: 1 },
      { id: 'accounts', kind: 'service', label: 'Accounts', serviceTime: { dist: 'exponential', meanMs: 10 } },
    ],
    layout: {
      app: { x: 0, y: 0 },
      mallory: { x: 0, y: 130 },
      bot: { x: 0, y: 260 },
      edge: { x: 260, y: 130 },
      accounts: { x: 520, y: 130 },
    },
  },
};
