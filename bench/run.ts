/**
 * `npm run bench`: medians of repeated runs, printed as a table (and as JSON with --json).
 *
 *  (a) The kernel under the classic "hold" workload — 10^4 pending events; each step takes the
 *      earliest and schedules a new one at now + an exponential draw — next to a bare reference
 *      heap loop (a binary heap of float64 times, nothing else) doing the same operations in the
 *      same process. Both read the same precomputed draws. Reported as a ratio: kernel / reference.
 *  (b) M/M/1 (λ = 900/s, mean service 1 ms) through the full model — client, call site, network,
 *      service, event log and trace hash — in simulated requests per CPU second.
 *  (c) The default scenario (checkout -> inventory, payments) for one simulated hour.
 *  (d) DESIGN.md's standard scenario: clients -> gateway -> two services with retries and a
 *      breaker -> broker with a DLQ, one simulated hour at 1,000 requests/s.
 *  (f) Seeking in the worker (run/worker.ts, checkpoints: run/checkpoint.ts): the standard scenario
 *      played for ten minutes as the app plays it at "max" (advance commands of 100,000 events), its
 *      CPU next to the same play with checkpoints off; then seeks to random moments of those ten
 *      minutes (each answered with a frame, as the app gets it): the median, 90th percentile and
 *      worst CPU per seek, and what the checkpoints hold (as counted, and as the heap grew).
 *  (g) What the standard scenario allocates per request (V8's sampling heap profiler, objects the
 *      collector took included), one simulated minute.
 *  (e) M/M/1 whose client times out after 1e9 ms (every request schedules a timeout that is
 *      cancelled when the answer comes), 1 M and 3 M customers, each run a whole process of its
 *      own: requests per CPU second of the process (start-up included) and its peak RSS, next
 *      to a bare TypeScript M/M/1 loop (bareMM1 below: a minimal heap and exponential draws)
 *      run the same way, alternately.
 *
 * A benchmark, not a test: it asserts nothing, it measures. Times are CPU time of the process
 * (process.cpuUsage: user + system), not wall time, so that other work on a shared machine
 * steals less from the figures; close other work anyway for stable numbers.
 *
 * `npm run bench` runs this bundled (vite.cli.config.ts --mode bench -> dist-cli/bench.mjs), as
 * the CLI ships, not through tsx. `-- --only a,e` runs some sections; `-- --json` prints JSON.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kernel } from '../src/engine/kernel';
import { createStream } from '../src/engine/random';
import { createRun } from '../src/run/run';
import { defaultScenario } from '../src/scenario/defaultScenario';
import { parseScenario } from '../src/scenario/validate';
import { SimulationHost } from '../src/run/host';
import * as checker from '../src/run/checker';
import * as tools from '../src/run/tools';
import { STANDARD } from './standard';

/** CPU milliseconds used by this process so far (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const PENDING = 10_000;
const HOLD_OPS = 2_000_000;
const DRAWS = 1 << 20;

let drawsMemo: Float64Array | null = null;
/** Exponential draws shared by the two hold loops (made once, outside the timings). */
function holdDraws(): Float64Array {
  if (drawsMemo !== null) return drawsMemo;
  const u = createStream('bench', 'hold', 'draws');
  drawsMemo = new Float64Array(DRAWS);
  for (let i = 0; i < DRAWS; i++) drawsMemo[i] = -Math.log(1 - u());
  return drawsMemo;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Operations per second of the kernel under hold. */
function holdKernel(): number {
  const draws = holdDraws();
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
  const draws = holdDraws();
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
  const s = parseScenario(STANDARD);
  const t0 = cpuMs();
  const run = createRun(s);
  run.runToEnd();
  const dt = cpuMs() - t0;
  const sum = run.summary();
  if (!sum.invariants.ok) throw new Error(`standard scenario broke an invariant: ${sum.invariants.violations[0]}`);
  return { wallMs: dt, requests: sum.requests.sent, events: sum.events };
}

/** M/M/1 through the model, λ = 900/s and mean service 1 ms, its client waiting at most 1e9 ms. */
function mm1TimeoutRun(customers: number): { requests: number; traceHash: string } {
  const s = parseScenario({
    format: 'faultline/1',
    name: 'bench M/M/1, client timeout 1e9 ms',
    seed: 'bench',
    durationMs: Math.round((customers / 900) * 1000),
    network: { latency: 0 },
    nodes: [
      { id: 'load', kind: 'client', target: 'station', arrival: { type: 'poisson', ratePerSec: 900 }, timeoutMs: 1e9 },
      { id: 'station', kind: 'service', concurrency: 1, queueLimit: null, serviceTime: { dist: 'exponential', meanMs: 1 } },
    ],
  });
  const run = createRun(s);
  run.runToEnd();
  const sum = run.summary();
  if (!sum.invariants.ok) throw new Error(`M/M/1 broke an invariant: ${sum.invariants.violations[0]}`);
  return { requests: sum.requests.sent, traceHash: sum.traceHash };
}

/**
 * The bare M/M/1 loop: the same arrival rate and service time, a binary heap of (time, kind)
 * events over typed arrays, a ring of waiting customers' arrival times, exponential draws from
 * the same seeded streams the model uses. No timeouts, logs, hashes or accounting: the floor.
 */
function bareMM1(customers: number): { requests: number; meanResponseMs: number } {
  const arrivals = createStream('bench', 'bare', 'arrivals');
  const service = createStream('bench', 'bare', 'service');
  let times = new Float64Array(16);
  let kinds = new Uint8Array(16);
  let n = 0;
  const push = (t: number, kind: number) => {
    if (n === times.length) {
      const t2 = new Float64Array(2 * n);
      t2.set(times);
      const k2 = new Uint8Array(2 * n);
      k2.set(kinds);
      times = t2;
      kinds = k2;
    }
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p]! <= t) break;
      times[i] = times[p]!;
      kinds[i] = kinds[p]!;
      i = p;
    }
    times[i] = t;
    kinds[i] = kind;
  };
  let poppedKind = 0;
  const pop = (): number => {
    const top = times[0]!;
    poppedKind = kinds[0]!;
    const t = times[--n]!;
    const k = kinds[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && times[c + 1]! < times[c]!) c++;
      if (t <= times[c]!) break;
      times[i] = times[c]!;
      kinds[i] = kinds[c]!;
      i = c;
    }
    times[i] = t;
    kinds[i] = k;
    return top;
  };
  let ring = new Float64Array(1024);
  let head = 0;
  let waiting = 0;
  let sent = 1;
  let served = 0;
  let inService = 0;
  let busy = false;
  let totalResponse = 0;
  push(-(1000 / 900) * Math.log(1 - arrivals()), 0);
  while (n > 0) {
    const now = pop();
    if (poppedKind === 0) {
      if (sent < customers) {
        push(now - (1000 / 900) * Math.log(1 - arrivals()), 0);
        sent++;
      }
      if (!busy) {
        busy = true;
        inService = now;
        push(now - Math.log(1 - service()), 1);
      } else {
        if (waiting === ring.length) {
          const r2 = new Float64Array(2 * waiting);
          for (let j = 0; j < waiting; j++) r2[j] = ring[(head + j) % waiting]!;
          ring = r2;
          head = 0;
        }
        ring[(head + waiting++) % ring.length] = now;
      }
    } else {
      served++;
      totalResponse += now - inService;
      if (waiting > 0) {
        inService = ring[head]!;
        head = (head + 1) % ring.length;
        waiting--;
        push(now - Math.log(1 - service()), 1);
      } else busy = false;
    }
  }
  return { requests: served, meanResponseMs: totalResponse / served };
}

const SEEK_SPAN_MS = 600_000;

/** Play the standard scenario's first ten minutes through a worker host; CPU ms, and the host. */
function playTenMinutes(checkpoints: boolean): { cpuMs: number; host: SimulationHost } {
  const host = new SimulationHost({ checker, tools }, checkpoints ? undefined : { intervalMs: 1_000, minEvents: Infinity, maxCount: 1, maxBytes: 0 });
  host.handle({ type: 'load', document: { ...STANDARD, durationMs: SEEK_SPAN_MS } });
  const t0 = cpuMs();
  for (;;) {
    const m = host.handle({ type: 'advance', toMs: SEEK_SPAN_MS, maxEvents: 100_000 });
    if (m.type !== 'frame') throw new Error(`bench play: ${JSON.stringify(m).slice(0, 200)}`);
    if (m.frame.finished) break;
  }
  return { cpuMs: cpuMs() - t0, host };
}

function seeks(reps: number) {
  const plain: number[] = [];
  const withCheckpoints: number[] = [];
  let host: SimulationHost | null = null;
  // A full collection before each reading, so the growth is what the checkpoints keep, not garbage.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapNow = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  let grew = 0;
  for (let r = 0; r < 2; r++) {
    plain.push(playTenMinutes(false).cpuMs);
    const before = heapNow();
    const played = playTenMinutes(true);
    withCheckpoints.push(played.cpuMs);
    grew = heapNow() - before;
    host = played.host;
  }
  const u = createStream('bench', 'seek', 'times');
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = Math.round(u() * SEEK_SPAN_MS);
    const t0 = cpuMs();
    const m = host!.handle({ type: 'seek', tMs: t });
    times.push(cpuMs() - t0);
    if (m.type !== 'frame' || m.frame.simTimeMs !== t) throw new Error(`bench seek to ${t}: ${JSON.stringify(m).slice(0, 200)}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    seeks: reps,
    medianMs: Math.round(median(times)),
    p90Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!),
    maxMs: Math.round(sorted[sorted.length - 1]!),
    firstMs: Math.round(times[0]!),
    timesMs: times.map(Math.round),
    checkpoints: host!.checkpointTimes.length,
    countedMiB: Math.round((host!.checkpointBytes / 1048576) * 10) / 10,
    heapGrowthMiB: Math.round((grew / 1048576) * 10) / 10,
    playCpuMs: Math.round(median(withCheckpoints)),
    playWithoutCpuMs: Math.round(median(plain)),
  };
}

/** Bytes allocated per request over one simulated minute of the standard scenario (sampled, collected objects included). */
function allocationPerRequest(): { bytesPerRequest: number; requests: number } {
  const s = parseScenario({ ...STANDARD, durationMs: 60_000 });
  createRun({ ...s, durationMs: 5_000 }).runToEnd(); // warm up
  const session = new Session();
  session.connect();
  // The in-process inspector answers synchronously.
  const post = (method: string, params: object = {}): unknown => {
    let out: unknown;
    session.post(method, params, (err, res) => {
      if (err) throw err;
      out = res;
    });
    return out;
  };
  post('HeapProfiler.enable');
  post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const run = createRun(s);
  run.runToEnd();
  const { profile } = post('HeapProfiler.stopSampling') as { profile: { head: SampleNode } };
  session.disconnect();
  let bytes = 0;
  const walk = (n: SampleNode): void => {
    bytes += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const requests = run.summary().requests.sent;
  return { bytesPerRequest: Math.round(bytes / requests), requests };
}

interface SampleNode {
  selfSize: number;
  children: SampleNode[];
}

/** What a child process reports: its whole life's CPU and its peak resident memory. */
interface ChildReport {
  requests: number;
  cpuMs: number;
  peakRssMiB: number;
}

/**
 * This process's peak resident memory in MiB. On Linux it is VmHWM, the high-water mark of this
 * process's own memory: `resourceUsage().maxRSS` carries the parent's peak across fork and exec
 * (a child spawned after the seek section, which holds 160 MiB of checkpoints, reported 160 MiB
 * whatever it used).
 */
function peakRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux: fall back to what Node reports
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function child(kind: string, customers: number): void {
  const result = kind === 'bare' ? bareMM1(customers) : mm1TimeoutRun(customers);
  const report: ChildReport = { requests: result.requests, cpuMs: cpuMs(), peakRssMiB: peakRssMiB() };
  process.stdout.write(`${JSON.stringify({ ...result, ...report })}\n`);
}

/** Run `kind` with `customers` in a fresh process of this same bundle. */
function spawnChild(kind: string, customers: number): ChildReport {
  const r = spawnSync(process.execPath, [process.argv[1]!, '--child', kind, String(customers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child ${kind} ${customers} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ChildReport;
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv[childAt + 1]!, Number(process.argv[childAt + 2]));
else main();

function main(): void {
  const REPS = Number(process.env.BENCH_REPS ?? 7);
  const json = process.argv.includes('--json');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : null;
  const want = (section: string) => only === null || only.has(section);
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const lines: string[] = [`Faultline bench (node ${process.version}, bundled, median of ${REPS})`, ``];
  const results: Record<string, unknown> = { node: process.version, reps: REPS };

  if (want('a')) {
    // Warm up both loops so the JIT has settled before anything is timed.
    holdKernel();
    holdReference();
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
    const hold = { pending: PENDING, kernelOpsPerSec: Math.round(median(kernel)), referenceOpsPerSec: Math.round(median(reference)), ratio: Math.round(median(ratio) * 1000) / 1000 };
    results.hold = hold;
    lines.push(
      `(a) kernel, hold with ${f(PENDING)} pending   ${f(hold.kernelOpsPerSec)} events/s`,
      `    reference binary heap, same loop     ${f(hold.referenceOpsPerSec)} ops/s`,
      `    kernel / reference                   ${(hold.ratio * 100).toFixed(1)}%   (target >= 70%)`,
    );
  }
  if (want('b')) {
    mm1();
    const runs = Array.from({ length: REPS }, mm1);
    const m = { requestsPerSec: Math.round(median(runs.map((x) => x.reqPerSec))), eventsPerSec: Math.round(median(runs.map((x) => x.eventsPerSec))) };
    results.mm1 = m;
    lines.push(`(b) M/M/1 through the full model         ${f(m.requestsPerSec)} simulated requests/s`, `                                         ${f(m.eventsPerSec)} events/s`);
  }
  if (want('c')) {
    const hour = Array.from({ length: Math.max(3, Math.ceil(REPS / 2)) }, defaultHour);
    const h = { cpuMs: Math.round(median(hour.map((x) => x.wallMs))), requests: hour[0]!.requests, events: hour[0]!.events };
    results.defaultScenarioHour = h;
    lines.push(`(c) default scenario, 1 simulated hour   ${f(h.cpuMs)} ms CPU  (${f(h.requests)} requests, ${f(h.events)} events)`);
  }
  if (want('d')) {
    const standard = Array.from({ length: 3 }, standardHour);
    const h = { cpuMs: Math.round(median(standard.map((x) => x.wallMs))), requests: standard[0]!.requests, events: standard[0]!.events };
    results.standardScenarioHour = h;
    lines.push(`(d) standard scenario, 1 h at 1,000/s    ${f(h.cpuMs)} ms CPU  (${f(h.requests)} requests, ${f(h.events)} events; median of 3; target <= 10,000)`);
  }
  if (want('f')) {
    const sk = seeks(Math.max(21, REPS * 3));
    results.seek = sk;
    lines.push(
      `(f) seek in the first 10 min of the standard scenario (worker host, ${sk.seeks} seeks)`,
      `    CPU per seek                         median ${f(sk.medianMs)} ms, p90 ${f(sk.p90Ms)} ms, worst ${f(sk.maxMs)} ms, first ${f(sk.firstMs)} ms   (target <= 300)`,
      `    each, in order                       ${sk.timesMs.join(' ')}`,
      `    checkpoints after playing 10 min     ${sk.checkpoints}, ${sk.countedMiB} MiB counted, heap grew ${sk.heapGrowthMiB} MiB`,
      `    playing 10 min                       ${f(sk.playCpuMs)} ms CPU with checkpoints, ${f(sk.playWithoutCpuMs)} ms without (median of 2)`,
    );
  }
  if (want('g')) {
    const g = allocationPerRequest();
    results.allocation = g;
    lines.push(`(g) standard scenario, 1 simulated min    ${f(g.bytesPerRequest)} bytes allocated per request (${f(g.requests)} requests, sampled)`);
  }
  if (want('e')) {
    const reps = Math.max(3, Math.ceil(REPS / 2));
    const e: Record<string, unknown> = {};
    for (const customers of [1_000_000, 3_000_000]) {
      const model: ChildReport[] = [];
      const bare: ChildReport[] = [];
      const ratio: number[] = [];
      for (let r = 0; r < reps; r++) {
        const m = spawnChild('mm1-timeout', customers);
        const b = spawnChild('bare', customers);
        model.push(m);
        bare.push(b);
        ratio.push(m.requests / m.cpuMs / (b.requests / b.cpuMs));
      }
      const row = {
        requestsPerSec: Math.round(median(model.map((x) => (x.requests / x.cpuMs) * 1000))),
        peakRssMiB: Math.round(median(model.map((x) => x.peakRssMiB))),
        bareRequestsPerSec: Math.round(median(bare.map((x) => (x.requests / x.cpuMs) * 1000))),
        barePeakRssMiB: Math.round(median(bare.map((x) => x.peakRssMiB))),
        ratio: Math.round(median(ratio) * 1000) / 1000,
      };
      e[customers] = row;
      const label = `${customers / 1e6} M`;
      lines.push(
        `(e) M/M/1, timeout 1e9 ms, ${label} customers, whole process (median of ${reps})`,
        `    model                                ${f(row.requestsPerSec)} requests/s   peak RSS ${row.peakRssMiB} MiB   (targets >= 2,000,000; <= 150 MB)`,
        `    bare M/M/1 loop                      ${f(row.bareRequestsPerSec)} requests/s   peak RSS ${row.barePeakRssMiB} MiB`,
        `    model / bare                         ${row.ratio.toFixed(3)}   (target >= 0.25)`,
      );
    }
    results.mm1Timeout = e;
  }
  process.stdout.write(json ? `${JSON.stringify(results, null, 2)}\n` : `${lines.join('\n')}\n`);
}
