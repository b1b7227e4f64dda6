import type { Preset } from './index';

/** A rolling restart without graceful shutdown: each instance dies with its work. */
export const rollingDeploy: Preset = {
  slug: 'rolling-deploy',
  title: 'A rolling deploy without graceful shutdown',
  summary: 'orders restarts its four instances one by one; killed at once, each loses the requests it holds and is refused by stale callers.',
  watch: [
    { text: 'orders: the dots go red one at a time from 12 s — stopped, restarting (4 s), then back once two readiness probes pass.', figures: ['nodes.orders.shutdowns', 'nodes.orders.unready'] },
    { text: 'orders lostInShutdown and the users\' timeouts: every request an instance held when it was killed gets no answer.', figures: ['nodes.orders.lostInShutdown', 'nodes.users.timeouts'] },
    { text: 'The users\' refused requests: the gateway\'s copy of the registry is up to 10 s old, so it still sends to the instance that just went away.', figures: ['nodes.orders.refused', 'nodes.orders.staleRouted'] },
  ],
  tryThis: [
    'Set the fault\'s "graceful" to true and "drainMs" to 10000: each instance deregisters, keeps accepting until every caller\'s copy has expired, finishes its work and stops. No request fails during the whole deploy.',
    'Graceful with "drainMs" 0: no work is lost, but the gateway\'s stale copy still sends requests to an instance that has stopped accepting — refused.',
    'Set "healthyThreshold" to 1 and watch the deploy finish sooner: the next instance goes down as soon as the last one passes a single probe.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A rolling deploy without graceful shutdown',
    description: [
      'A new version of **orders** rolls out at 12 s: one instance at a time is stopped, restarted (4 s) and waits for its',
      'readiness probes before the next goes down. The processes do not handle SIGTERM: each is **killed at once**, and',
      'the requests it holds die with it. The **gateway** caches the registry for **10 s**, so it keeps sending to an',
      'instance that is already gone.',
      '',
      'Graceful shutdown is the cure from the course checklist: stop taking new work, drain what is in flight, deregister —',
      'and keep serving until the callers have noticed.',
    ].join('\n'),
    seed: 'rolling-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'gw', arrival: { type: 'poisson', ratePerSec: 40 }, timeoutMs: 3000, requests: [{ path: '/api/orders' }] },
      { id: 'gw', kind: 'gateway', label: 'Gateway', routes: [{ prefix: '/api/orders', target: 'orders' }] },
      {
        id: 'orders',
        kind: 'service',
        label: 'Orders',
        instances: 4,
        concurrency: 20,
        serviceTime: { dist: 'lognormal', medianMs: 200, p99Ms: 800 },
        healthCheck: { intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 3, healthyThreshold: 2 },
        discovery: { cacheTtlMs: 10000, evictOnRefused: false },
      },
    ],
    faults: [{ atMs: 12000, target: 'orders', kind: 'rolling-restart', restartMs: 4000, graceful: false }],
    layout: { users: { x: 0, y: 100 }, gw: { x: 320, y: 100 }, orders: { x: 640, y: 100 } },
  },
};
