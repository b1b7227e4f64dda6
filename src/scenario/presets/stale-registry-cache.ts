import type { Preset } from './index';

/** Client-side discovery: the registry knows an instance is gone; the caller's cached copy does not. */
export const staleRegistryCache: Preset = {
  slug: 'stale-registry-cache',
  title: 'A crashed instance and a stale registry cache',
  summary: 'payments instance 2 dies at 20 s; the registry drops it 2 s later, but checkout keeps sending to it until its 30 s cache expires.',
  watch: [
    { text: 'payments: the dot of instance 2 turns red at 20 s (down), then brown (out of the registry) after two failed probes, at 22 s.', figures: ['nodes.payments.unready'] },
    { text: 'checkout failed and the users\' 502s: one call in three keeps going to the dead instance from 22 s to 30 s — checkout\'s copy of the registry is stale until its cache expires.', figures: ['nodes.checkout.failed', 'requests.byStatus.502'] },
    { text: 'payments staleRouted: calls sent by a stale copy to an instance the registry no longer lists. They stop at once when checkout fetches the registry again.', figures: ['nodes.payments.staleRouted'] },
  ],
  tryThis: [
    'Set payments "discovery.evictOnRefused" to true: the first refused connection drops instance 2 from checkout\'s copy, and the 502s stop after one ("if the client gets a connection refused, remove that instance from the local cache").',
    'Lower "discovery.cacheTtlMs" to 5000: the stale window shrinks to a few seconds, at the price of fetching the registry six times as often.',
    'Remove "healthCheck": nothing notices the crash, the registry keeps listing instance 2, and the 502s go on until the end of the run.',
  ],
  document: {
    format: 'faultline/1',
    name: 'A crashed instance and a stale registry cache',
    description: [
      '**checkout** finds **payments** through a registry (client-side discovery) and keeps a copy of it for **30 s**.',
      'At 20 s payments **instance 2 crashes** and stays down. Its readiness probe fails every 2 s; after two failures the',
      'registry drops it — but checkout still routes one call in three to it until its cached copy expires.',
      '',
      'The course notes on service discovery: when an instance goes away, clients still route to it until their cache',
      'expires. A crash is noticed by the probes; a stale cache is only cured by time, or by evicting on a refused connection.',
    ].join('\n'),
    seed: 'stale-cache-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'checkout', arrival: { type: 'poisson', ratePerSec: 30 }, timeoutMs: 3000 },
      { id: 'checkout', kind: 'service', label: 'Checkout', concurrency: 20, serviceTime: 5, calls: [{ target: 'payments', timeoutMs: 1000 }] },
      {
        id: 'payments',
        kind: 'service',
        label: 'Payments',
        instances: 3,
        concurrency: 10,
        serviceTime: { dist: 'exponential', meanMs: 15 },
        healthCheck: { intervalMs: 2000, timeoutMs: 500, unhealthyThreshold: 2, healthyThreshold: 2 },
        discovery: { cacheTtlMs: 30000, evictOnRefused: false },
      },
    ],
    faults: [{ atMs: 20000, target: 'payments', kind: 'crash', instance: 2 }],
    layout: { users: { x: 0, y: 100 }, checkout: { x: 320, y: 100 }, payments: { x: 640, y: 100 } },
  },
};
