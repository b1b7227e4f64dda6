import type { Preset } from './index';

/** The calm first lesson: one client, one service, one database, and what the numbers mean. */
export const helloFaultline: Preset = {
  slug: 'hello-faultline',
  title: 'Hello, Faultline',
  summary: 'A healthy call chain at rest: how requests, latency percentiles and utilization are counted.',
  watch: [
    { text: 'requests: sent = ok + failed + in flight. Here every request ends 200.', figures: ['requests.sent', 'requests.ok', 'requests.failed', 'requests.inFlight'] },
    { text: 'latency p50 vs p99: the median request takes about 30 ms, the slowest 1% several times that — the exponential tail of the work itself, not a fault.', figures: ['latencyMs.p50', 'latencyMs.p99'] },
    { text: 'api utilization: 20 requests/s × about 32 ms of worker time ÷ 4 workers ≈ 0.16. A worker is held while api waits for db, so db time counts against api too.', figures: ['nodes.api.utilization'] },
    { text: 'api queueMax stays small: with 4 workers and 16% load, a request almost never waits for a worker.', figures: ['nodes.api.queueMax'] },
  ],
  tryThis: [
    'Raise the users rate from 20 to 110 per second: api utilization is about 0.86, queueMax reaches the dozens and latency nearly doubles — queueing alone, nothing broken. Past about 125 a second (4 workers ÷ 32 ms) api cannot keep up and its waiting line fills.',
    'Add a fault { "atMs": 20000, "untilMs": 40000, "target": "db", "kind": "latency", "add": 200 }: api utilization jumps although api itself did not change, because its workers wait for db.',
    'Change the seed: the counts move by a few percent, the shape stays. Same seed, same run, to the event.',
  ],
  document: {
    format: 'faultline/1',
    name: 'Hello, Faultline',
    description: [
      'Users call **api** 20 times a second; api does about 20 ms of work, then asks **db** (about 10 ms). Nothing fails.',
      '',
      'Read the summary: every request ends exactly once (here: all 200). The median latency is the typical request; p99 is',
      'the slowest one in a hundred. api\'s **utilization** is the share of its 4 workers kept busy — and a worker stays busy',
      'while api waits for db, which is how a slow dependency later uses up a caller.',
    ].join('\n'),
    seed: 'hello-1',
    durationMs: 60000,
    nodes: [
      { id: 'users', kind: 'client', label: 'Users', target: 'api', arrival: { type: 'poisson', ratePerSec: 20 } },
      { id: 'api', kind: 'service', label: 'API', concurrency: 4, serviceTime: { dist: 'exponential', meanMs: 20 }, calls: [{ target: 'db' }] },
      { id: 'db', kind: 'service', label: 'Database', concurrency: 8, serviceTime: { dist: 'exponential', meanMs: 10 } },
    ],
    layout: { users: { x: 0, y: 100 }, api: { x: 520, y: 100 }, db: { x: 780, y: 100 } },
  },
};
