import type { Preset } from './index';

/** 300 devices that fail together retry together: without jitter they return in waves. */
export const DEVICES = 300;
export const SYNC_AT_MS = 12000;

export const thunderingHerd: Preset = {
  slug: 'thundering-herd',
  title: 'The thundering herd after recovery',
  summary: 'api\'s only instance crashes; 300 devices that failed at the same instant retry in lockstep and hit it in waves when it returns.',
  watch: [
    { text: 'The event log around 27 s and 43 s: 300, then about 250 attempts from devices land on api within the same millisecond.', figures: ['nodes.devices.attempts'] },
    { text: 'api queueMax and byStatus 503: 8 workers and a waiting line of 40 take 48 of each wave; the rest are refused and go round again.', figures: ['nodes.api.queueMax', 'requests.byStatus.503'] },
    { text: 'devices failed: many give up after 6 attempts, although api was healthy for most of the run.', figures: ['nodes.devices.failed'] },
    { text: 'users (the steady web traffic) are refused only while api is down: each wave is over in a tenth of a second, a burst the averages hide.', figures: ['nodes.users.failed'] },
  ],
  tryThis: [
    'Set the devices\' "jitter" to "full": each retry waits a random time up to its backoff, the 300 spread over seconds, and once api is back every one gets through (a few draw short waits and spend all 6 attempts while it is still down).',
    'Try "equal" jitter: half of each wait fixed, half random — at this size that is already enough for all 300.',
    'Keep no jitter and raise api\'s queueLimit to 400: the whole wave waits in line and drains in under a second. A deeper queue absorbs one herd; it does not stop the next.',
  ],
  document: {
    format: 'faultline/1',
    name: 'The thundering herd after recovery',
    description: [
      'The only instance of **api** crashes at 10 s and is back at 20 s. At 12 s, 300 **devices** wake for their',
      'scheduled sync — all refused. They retry with exponential backoff (1, 2, 4, 8, 16 s) and **no jitter**, so',
      'they stay in lockstep: at 27 s all 300 arrive in the same instant, api takes 48, refuses the rest, and they',
      'come back together at 43 s.',
      '',
      'Jitter breaks the lockstep: the same retries, spread over time, fit through a small service.',
    ].join('\n'),
    seed: 'herd-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Web users', target: 'api', arrival: { type: 'poisson', ratePerSec: 20 } },
      {
        id: 'devices',
        kind: 'client',
        label: 'Devices (sync at 12 s)',
        target: 'api',
        arrival: { type: 'script', atMs: Array.from({ length: DEVICES }, () => SYNC_AT_MS) },
        timeoutMs: 5000,
        retry: { maxAttempts: 6, baseDelayMs: 1000, multiplier: 2, maxDelayMs: 16000, jitter: 'none' },
      },
      { id: 'api', kind: 'service', label: 'API', concurrency: 8, queueLimit: 40, serviceTime: { dist: 'exponential', meanMs: 20 } },
    ],
    faults: [{ atMs: 10000, untilMs: 20000, target: 'api', kind: 'crash', instances: 'all' }],
    variants: [
      { name: 'full jitter', description: 'Each device waits a random time up to its backoff: the herd spreads over seconds.', set: { 'nodes[devices].retry.jitter': 'full' } },
      { name: 'equal jitter', description: 'Half of each wait fixed, half random.', set: { 'nodes[devices].retry.jitter': 'equal' } },
      { name: 'deeper queue', description: 'No jitter, but api queues 400 requests: the wave waits in line.', set: { 'nodes[api].queueLimit': 400 } },
    ],
    layout: { users: { x: 0, y: 40 }, devices: { x: 0, y: 220 }, api: { x: 520, y: 130 } },
  },
};
