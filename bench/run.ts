/**
 * `npm run bench`: medians of repeated runs, printed as a table (and as JSON with --json).
 *
 *  (a) The kernel under the classic "hold" workload — 10^4 pending events; each step takes the
 *      earliest and schedules a new one at now + an exponential draw — next to a bare reference
 *      heap loop (a binary heap of float64 times, nothing else) doing the same operations in the
 *      same process. Both read the same precomputed draws. Reported as a ratio: kernel / reference.
 *  (b) M/M/1 (λ = 900/s, mean service 1 ms) through the full model — client, call site, network,
 *      service, event log and trace hash — in simulated requests per second of wall time.
 *  (c) The default scenario (checkout -> inventory, payments) for one simulated hour.
 *  (d) DESIGN.md's standard scenario: clients -> gateway -> two services with retries and a
 *      breaker -> broker with a DLQ, one simulated hour at 1,000 requests/s.
 *
 * A benchmark, not a test: it asserts nothing, it measures. Times are CPU time of this process
 * (process.cpuUsage: user + system), not wall time, so that other work on a shared machine
 * steals less from the figures; close other work anyway for stable numbers.
 */
/** CPU milliseconds used by this process so far (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
import { Kernel } from '../src/engine/kernel';
import { createStream } from '../src/engine/random';
import { createRun } from '../src/run/run';
import { defaultScenario } from '../src/scenario/defaultScenario';
import { parseScenario } from '../src/scenario/validate';

const PENDING = 10_000;
const HOLD_OPS = 2_000_000;
const DRAWS = 1 << 20;

const u = createStream('bench', 'hold', 'draws');
const draws = new Float64Array(DRAWS);
for (let i = 0; i < DRAWS; i++) draws[i] = -Math.log(1 - u());

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Operations per second of the kernel under hold. */
function holdKernel(): number {
  const k = new Kernel();
  let d = 0;
  const t = k.register('hold', (p: null) => {
    k.schedule(draws[d++ & (DRAWS - 1)]!, t, p);
  });
  for (let i = 0; i < PENDING; i++) k.schedule(draws[d++ & (DRAWS - 1)]!, t, null);
  const t0 = cpuMs();
  k.run({ maxEvents: HOLD_OPS });
  const dt = cpuMs() - t0;
  return (HOLD_OPS / dt) * 1000;
}

/** The same hold loop on the barest binary heap: float64 keys, no ties, no payloads, no dispatch. */
function holdReference(): number {
  const heap = new Float64Array(PENDING + 1);
  let n = 0;
  let d = 0;
  const push = (x: number) => {
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]! <= x) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = x;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const x = heap[--n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && heap[c + 1]! < heap[c]!) c++;
      if (x <= heap[c]!) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = x;
    return top;
  };
  for (let i = 0; i < PENDING; i++) push(draws[d++ & (DRAWS - 1)]!);
  let now = 0;
  const t0 = cpuMs();
  for (let i = 0; i < HOLD_OPS; i++) {
    now = pop();
    push(now + draws[d++ & (DRAWS - 1)]!);
  }
  const dt = cpuMs() - t0;
  if (now < 0) throw new Error('unreachable');
  return (HOLD_OPS / dt) * 1000;
}

function mm1(): { reqPerSec: number; eventsPerSec: number } {
  const s = parseScenario({
    format: 'faultline/1',
    name: 'bench M/M/1',
    seed: 'bench',
    durationMs: 1_000_000,
    network: { latency: 0 },
    nodes: [
      { id: 'load', kind: 'client', target: 'station', arrival: { type: 'poisson', ratePerSec: 900 } },
      { id: 'station', kind: 'service', concurrency: 1, queueLimit: null, serviceTime: { dist: 'exponential', meanMs: 1 } },
    ],
  });
  const t0 = cpuMs();
  const run = createRun(s);
  run.runToEnd();
  const dt = cpuMs() - t0;
  const sum = run.summary();
  return { reqPerSec: (sum.requests.sent / dt) * 1000, eventsPerSec: (sum.events / dt) * 1000 };
}

function defaultHour(): { wallMs: number; requests: number; events: number } {
  const s = parseScenario({ ...defaultScenario, durationMs: 3_600_000 });
  const t0 = cpuMs();
  const run = createRun(s);
  run.runToEnd();
  const dt = cpuMs() - t0;
  const sum = run.summary();
  return { wallMs: dt, requests: sum.requests.sent, events: sum.events };
}

/** DESIGN.md's performance budget: "seconds, not minutes, headless". */
function standardHour(): { wallMs: number; requests: number; events: number } {
  const s = parseScenario({
    format: 'faultline/1',
    name: 'bench standard',
    seed: 'bench',
    durationMs: 3_600_000,
    nodes: [
      { id: 'web', kind: 'client', target: 'gw', requests: [{ path: '/api/orders' }], arrival: { type: 'poisson', ratePerSec: 700 }, timeoutMs: 3000 },
      { id: 'mobile', kind: 'client', target: 'gw', requests: [{ path: '/api/orders' }], arrival: { type: 'poisson', ratePerSec: 300 }, timeoutMs: 3000 },
      {
        id: 'gw',
        kind: 'gateway',
        routes: [{ prefix: '/api/orders', target: 'orders', timeoutMs: 2000 }],
        rateLimit: { algorithm: 'token-bucket', maxTokens: 2000, tokensPerFill: 200, fillIntervalMs: 100, per: 'client' },
        overhead: 0.5,
      },
      {
        id: 'orders',
        kind: 'service',
        instances: 4,
        concurrency: 16,
        serviceTime: { dist: 'lognormal', medianMs: 8, p99Ms: 40 },
        calls: [
          {
            target: 'payments',
            timeoutMs: 500,
            retry: { maxAttempts: 3, baseDelayMs: 50, jitter: 'full' },
            breaker: { model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 10000 },
          },
        ],
        publishes: [{ exchange: 'events', routingKey: 'order.placed' }],
      },
      { id: 'payments', kind: 'service', instances: 4, concurrency: 16, serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: 0.01 },
      { id: 'events', kind: 'exchange', type: 'topic' },
      { id: 'dlx', kind: 'exchange', type: 'fanout' },
      { id: 'notifications', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: 'dlx' } },
      { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
      { id: 'notifier', kind: 'service', consumes: [{ queue: 'notifications', prefetch: 20, consumers: 8, serviceTime: 3, errorRate: 0.001, onError: 'dead-letter' }] },
    ],
  });
  const t0 = cpuMs();
  const run = createRun(s);
  run.runToEnd();
  const dt = cpuMs() - t0;
  const sum = run.summary();
  if (!sum.invariants.ok) throw new Error(`standard scenario broke an invariant: ${sum.invariants.violations[0]}`);
  return { wallMs: dt, requests: sum.requests.sent, events: sum.events };
}

const REPS = Number(process.env.BENCH_REPS ?? 7);
const json = process.argv.includes('--json');

// Warm up both loops and the model so the JIT has settled before anything is timed.
holdKernel();
holdReference();
mm1();

const kernel: number[] = [];
const reference: number[] = [];
const ratio: number[] = [];
for (let r = 0; r < REPS; r++) {
  // Interleave so that a noisy moment hits both sides alike.
  const k = holdKernel();
  const ref = holdReference();
  kernel.push(k);
  reference.push(ref);
  ratio.push(k / ref);
}
const mm1Runs = Array.from({ length: REPS }, mm1);
const hour = Array.from({ length: Math.max(3, Math.ceil(REPS / 2)) }, defaultHour);
const standard = Array.from({ length: 3 }, standardHour);

const results = {
  node: process.version,
  reps: REPS,
  hold: {
    pending: PENDING,
    kernelOpsPerSec: Math.round(median(kernel)),
    referenceOpsPerSec: Math.round(median(reference)),
    ratio: Math.round(median(ratio) * 1000) / 1000,
  },
  mm1: {
    requestsPerSec: Math.round(median(mm1Runs.map((m) => m.reqPerSec))),
    eventsPerSec: Math.round(median(mm1Runs.map((m) => m.eventsPerSec))),
  },
  defaultScenarioHour: {
    wallMs: Math.round(median(hour.map((h) => h.wallMs))),
    requests: hour[0]!.requests,
    events: hour[0]!.events,
  },
  standardScenarioHour: {
    wallMs: Math.round(median(standard.map((h) => h.wallMs))),
    requests: standard[0]!.requests,
    events: standard[0]!.events,
  },
};

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const f = (x: number) => x.toLocaleString('en-US');
  process.stdout.write(
    [
      `Faultline bench (node ${results.node}, median of ${REPS})`,
      ``,
      `(a) kernel, hold with ${f(PENDING)} pending   ${f(results.hold.kernelOpsPerSec)} events/s`,
      `    reference binary heap, same loop     ${f(results.hold.referenceOpsPerSec)} ops/s`,
      `    kernel / reference                   ${(results.hold.ratio * 100).toFixed(1)}%   (target >= 70%)`,
      `(b) M/M/1 through the full model         ${f(results.mm1.requestsPerSec)} simulated requests/s   (target >= 2,000,000)`,
      `                                         ${f(results.mm1.eventsPerSec)} events/s`,
      `(c) default scenario, 1 simulated hour   ${f(results.defaultScenarioHour.wallMs)} ms CPU  (${f(results.defaultScenarioHour.requests)} requests, ${f(results.defaultScenarioHour.events)} events)`,
      `(d) standard scenario, 1 h at 1,000/s    ${f(results.standardScenarioHour.wallMs)} ms CPU  (${f(results.standardScenarioHour.requests)} requests, ${f(results.standardScenarioHour.events)} events; median of 3)`,
      ``,
    ].join('\n'),
  );
}
