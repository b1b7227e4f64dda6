/**
 * Metrics over simulated time: one sample per fixed interval of simulated time (1 s by default),
 * read between kernel slices. The run splits `advanceTo` at interval boundaries and samples there;
 * sampling schedules no kernel event and logs nothing, so the trace hash is the same with
 * metrics on or off (test/run/metrics.test.ts proves it).
 *
 * A sample covers (startMs, endMs]: the requests sent and ended in it, the latency percentiles of
 * those that ended (a histogram per interval), the deltas of every node's and call site's
 * counters, and the state at its end (breakers, queue depths, requests in flight). The series is
 * bounded: the interval grows so that one run never has more than `maxSamples` samples.
 */
import { Histogram } from '../engine/histogram';
import { REASON_NAMES } from '../model';
import type { NodeLive, Reason, World } from '../model';
import { Reason as R } from '../model';

export const DEFAULT_METRICS_INTERVAL_MS = 1000;
export const DEFAULT_MAX_SAMPLES = 2000;
/** The peak amplification is measured over windows this long. */
const PEAK_WINDOW_MS = 5000;

export interface MetricsOptions {
  /** Simulated time one sample covers (default 1,000 ms; grown to respect maxSamples). */
  intervalMs?: number;
  /** The most samples one run keeps (default 2,000). */
  maxSamples?: number;
}

export type BreakerStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** One interval of simulated time, (startMs, endMs]. Counts are for the interval, not cumulative. */
export interface MetricSample {
  startMs: number;
  endMs: number;
  /** Requests the clients sent. */
  sent: number;
  /** Requests that ended ok (fallback answers included, as in the summary). */
  ok: number;
  /** Of `ok`, the ones a fallback answered. */
  fallback: number;
  failed: number;
  /** Failed requests by reason ("timeout", "status", "short-circuited", ...). */
  failedBy: Record<string, number>;
  /** failed / (ok + failed); 0 when none ended. */
  errorRate: number;
  /** End-to-end latency of the requests that ended in the interval (0s when none did). */
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Requests in flight at the end of the interval. */
  inFlight: number;
  /** Attempts made by every call site (first tries and retries), and retries alone. */
  attempts: number;
  retries: number;
  /** Attempts into each target (callee id), all callers together. */
  attemptsTo: Record<string, number>;
  /** The worst load amplification: max over targets of attemptsTo / sent (0 when nothing was sent). */
  amplification: number;
  /** Breaker state at the end of the interval, by call site ("orders->inventory"). */
  breakers: Record<string, BreakerStateName>;
  /** Breaker opens during the interval, by call site (a breaker may open and close within one). */
  breakerOpens: Record<string, number>;
  /** Per queue: depth and unacked at the end; dead-lettered, acked and published in the interval. */
  queues: Record<string, { depth: number; unacked: number; deadLettered: number; acked: number; published: number }>;
  /** Per node: received, ok and failed in the interval. */
  nodes: Record<string, { received: number; ok: number; failed: number }>;
}

/** The totals a series adds up to (what the run summary reports over the whole run). */
export interface SeriesTotals {
  sent: number;
  ok: number;
  failed: number;
  /** Whole-run attempts into each target ÷ requests sent, worst target. */
  amplification: number;
  /** The worst amplification over any 5 s window of whole intervals. */
  peakAmplification: number;
  /** The target of the worst whole-run amplification ("" when none). */
  amplifiedTarget: string;
}

/** The interval a run of `durationMs` samples at: `intervalMs`, grown so that samples stay within the cap. */
export function effectiveInterval(durationMs: number, options: MetricsOptions = {}): number {
  const base = options.intervalMs ?? DEFAULT_METRICS_INTERVAL_MS;
  if (!(base > 0)) throw new RangeError(`metrics intervalMs must be > 0, got ${base}`);
  const max = Math.max(1, Math.floor(options.maxSamples ?? DEFAULT_MAX_SAMPLES));
  if (durationMs / base <= max) return base;
  // Whole multiples of the asked interval keep sample boundaries on round numbers.
  return base * Math.ceil(durationMs / base / max);
}

interface SiteRef {
  key: string;
  node: number;
  call: number;
  target: string;
}

/** Collects samples from a World; the run calls `sample(t)` at each boundary it reaches. */
export class MetricsCollector {
  readonly intervalMs: number;
  readonly samples: MetricSample[] = [];

  private sentBefore = 0;
  private ok = 0;
  private fallback = 0;
  private failed = 0;
  private failedBy = new Map<Reason, number>();
  private hist = new Histogram();
  private readonly sites: SiteRef[] = [];
  private readonly prevSite: { attempts: number; retries: number; opens: number }[] = [];
  private readonly prevNode: { received: number; ok: number; failed: number }[] = [];
  private readonly prevQueue = new Map<number, { deadLettered: number; acked: number; published: number }>();
  private readonly attemptsToTotal = new Map<string, number>();
  private peakAmplification = 0;
  private lastT = 0;

  constructor(
    private readonly world: World,
    durationMs: number,
    options: MetricsOptions = {},
  ) {
    this.intervalMs = effectiveInterval(durationMs, options);
    world.requests.onEnd((_client, _status, reason, latencyMs) => {
      if (reason === R.ok || reason === R.fallback) {
        this.ok++;
        if (reason === R.fallback) this.fallback++;
      } else {
        this.failed++;
        this.failedBy.set(reason, (this.failedBy.get(reason) ?? 0) + 1);
      }
      this.hist.record(latencyMs);
    });
    world.nodes.forEach((n, i) => {
      const live = n.live();
      const seen = new Map<string, number>();
      live.calls.forEach((c, j) => {
        const base = `${n.id}->${c.target}`;
        const k = (seen.get(base) ?? 0) + 1;
        seen.set(base, k);
        this.sites.push({ key: k === 1 ? base : `${base}#${k}`, node: i, call: j, target: c.target });
        this.prevSite.push({ attempts: c.attempts, retries: c.retries, opens: c.breakerOpens });
      });
      this.prevNode.push({ received: live.received, ok: live.ok, failed: live.failed });
      if (n.kind === 'queue') this.prevQueue.set(i, { deadLettered: 0, acked: 0, published: 0 });
    });
  }

  /** The next boundary after `t` (boundaries are whole multiples of the interval). */
  nextBoundary(t: number): number {
    return (Math.floor(t / this.intervalMs) + 1) * this.intervalMs;
  }

  /** Close the interval ending at `t` (the world's clock stands at t, every event <= t processed). */
  sample(t: number): void {
    if (t <= this.lastT && this.samples.length > 0) return;
    const w = this.world;
    const sent = w.requests.sent - this.sentBefore;
    this.sentBefore = w.requests.sent;
    const h = this.hist;
    const ended = this.ok + this.failed;
    const failedBy: Record<string, number> = {};
    for (const [reason, n] of [...this.failedBy].sort((a, b) => a[0] - b[0])) failedBy[REASON_NAMES[reason]] = n;

    let attempts = 0;
    let retries = 0;
    const attemptsTo: Record<string, number> = {};
    const breakers: Record<string, BreakerStateName> = {};
    const breakerOpens: Record<string, number> = {};
    const nodes: MetricSample['nodes'] = {};
    const queues: MetricSample['queues'] = {};
    const lives = w.nodes.map((n) => n.live());
    this.sites.forEach((s, i) => {
      const c = lives[s.node]!.calls[s.call];
      if (!c) return;
      const prev = this.prevSite[i]!;
      const da = c.attempts - prev.attempts;
      attempts += da;
      retries += c.retries - prev.retries;
      attemptsTo[s.target] = (attemptsTo[s.target] ?? 0) + da;
      this.attemptsToTotal.set(s.target, (this.attemptsToTotal.get(s.target) ?? 0) + da);
      if (c.breaker !== null) {
        breakers[s.key] = c.breaker;
        breakerOpens[s.key] = c.breakerOpens - prev.opens;
      }
      this.prevSite[i] = { attempts: c.attempts, retries: c.retries, opens: c.breakerOpens };
    });
    w.nodes.forEach((n, i) => {
      const live = lives[i]!;
      const prev = this.prevNode[i]!;
      nodes[n.id] = { received: live.received - prev.received, ok: live.ok - prev.ok, failed: live.failed - prev.failed };
      this.prevNode[i] = { received: live.received, ok: live.ok, failed: live.failed };
      const pq = this.prevQueue.get(i);
      const q = live as NodeLive;
      if (pq && q.kind === 'queue') {
        const dl = q.deadLettered;
        const acked = q.ok;
        const published = q.received;
        queues[n.id] = { depth: q.depth, unacked: q.unacked, deadLettered: dl - pq.deadLettered, acked: acked - pq.acked, published: published - pq.published };
        this.prevQueue.set(i, { deadLettered: dl, acked, published });
      }
    });
    let amplification = 0;
    if (sent > 0) for (const target in attemptsTo) amplification = Math.max(amplification, attemptsTo[target]! / sent);
    // A sample never changes once taken: frozen, it is shared (not copied) by every checkpoint after it.
    this.samples.push(deepFreeze({
      startMs: this.lastT,
      endMs: t,
      sent,
      ok: this.ok,
      fallback: this.fallback,
      failed: this.failed,
      failedBy,
      errorRate: ended > 0 ? this.failed / ended : 0,
      latency: ended > 0 ? { mean: round3(h.mean), p50: round3(h.percentile(50)), p90: round3(h.percentile(90)), p99: round3(h.percentile(99)), max: round3(h.max) } : { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      inFlight: w.requests.inFlight,
      attempts,
      retries,
      attemptsTo,
      amplification: round3(amplification),
      breakers,
      breakerOpens,
      queues,
      nodes,
    }));
    this.windowPeak(t);
    this.lastT = t;
    this.ok = 0;
    this.fallback = 0;
    this.failed = 0;
    this.failedBy = new Map();
    if (ended > 0) this.hist = new Histogram();
  }

  /** Samples in the window the peak amplification is measured over (at least 5 s). */
  private get peakWindow(): number {
    return Math.max(1, Math.ceil(PEAK_WINDOW_MS / this.intervalMs));
  }

  /**
   * The peak amplification: attempts into a target ÷ requests sent, over the last few intervals
   * (a retry lands an interval after its request was sent, so one interval alone overshoots).
   */
  private windowPeak(t: number): void {
    const k = this.peakWindow;
    if (this.samples.length < k || t - this.samples[this.samples.length - k]!.startMs < k * this.intervalMs) return;
    let sent = 0;
    const to = new Map<string, number>();
    for (let i = this.samples.length - k; i < this.samples.length; i++) {
      const s = this.samples[i]!;
      sent += s.sent;
      for (const target in s.attemptsTo) to.set(target, (to.get(target) ?? 0) + s.attemptsTo[target]!);
    }
    if (sent === 0) return;
    for (const n of to.values()) this.peakAmplification = Math.max(this.peakAmplification, n / sent);
  }

  totals(): SeriesTotals {
    let sent = 0;
    let ok = 0;
    let failed = 0;
    for (const s of this.samples) {
      sent += s.sent;
      ok += s.ok;
      failed += s.failed;
    }
    let amplification = 0;
    let amplifiedTarget = '';
    if (sent > 0) {
      for (const [target, n] of this.attemptsToTotal) {
        if (n / sent > amplification) {
          amplification = n / sent;
          amplifiedTarget = target;
        }
      }
    }
    return { sent, ok, failed, amplification: round3(amplification), peakAmplification: round3(this.peakAmplification), amplifiedTarget };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** `x` and every object in it, frozen. */
function deepFreeze<T extends object>(x: T): T {
  for (const v of Object.values(x)) if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v as object);
  return Object.freeze(x);
}
