/**
 * nodeshift/opossum's breaker (lib/circuit.js `call()` and `fail()`, lib/status.js), replayed on
 * simulated time:
 * - Every call first counts as a `fire`, before the state check, so rejected calls are in the
 *   denominator.
 * - Not closed and no half-open trial pending: rejected (`rejects`). Half-open lets exactly one
 *   trial through (`pendingClose` is consumed by the first call); the state stays HALF_OPEN until
 *   an outcome arrives.
 * - Capacity full (opossum's semaphore): a failure (`semaphoreRejections` and `failures`).
 * - On a failure (error, timeout — counted in `timeouts` too —, capacity rejection):
 *   `fires < volumeThreshold` and not half-open: nothing more; otherwise open when
 *   `failures / fires * 100 > errorThresholdPercentage` (strictly), or at once when half-open.
 * - Any success while HALF_OPEN closes, including a late success of a call started earlier.
 *   A success while OPEN changes nothing.
 * - `resetTimeout` is a timer armed each time the breaker opens; when it fires: HALF_OPEN.
 * - Counts live in `rollingCountBuckets` buckets of floor(rollingCountTimeout / rollingCountBuckets)
 *   ms rotating on a fixed cadence from creation; never reset on open or close.
 * Each ticket's outcome is taken once: after a timeout, opossum ignores the call's late answer.
 */
import type { DenyReason, Breaker, BreakerHooks, BreakerState, FailureKind, OpossumBreakerConfig } from '../breaker';

/** The counters of lib/status.js that decisions read (plus the ones a UI may want). */
export interface OpossumStats {
  fires: number;
  failures: number;
  successes: number;
  rejects: number;
  timeouts: number;
  semaphoreRejections: number;
}

interface Bucket extends OpossumStats {
  /** Which bucket period (floor((t - createdAt) / bucketMs)) these counts belong to; -1: empty. */
  period: number;
}

const emptyBucket = (): Bucket => ({
  period: -1,
  fires: 0,
  failures: 0,
  successes: 0,
  rejects: 0,
  timeouts: 0,
  semaphoreRejections: 0,
});

export class OpossumBreaker implements Breaker {
  readonly model = 'opossum' as const;
  readonly callTimeoutMs: number | null;

  private readonly errorThresholdPercentage: number;
  private readonly volumeThreshold: number;
  private readonly resetTimeout: number;
  private readonly capacity: number;
  private readonly bucketMs: number;
  private readonly buckets: Bucket[];

  private current: BreakerState = 'CLOSED';
  private pendingClose = false;
  private resetAt: number | null = null;
  private nextTicket = 1;
  denied: DenyReason = 'open';
  private readonly inFlight = new Set<number>();

  constructor(
    config: OpossumBreakerConfig,
    private readonly hooks: BreakerHooks,
    private readonly createdAt: number,
  ) {
    // Defaults as in lib/circuit.js's constructor (`??`, so an explicit 0 is kept).
    this.errorThresholdPercentage = config.errorThresholdPercentage ?? 50;
    this.volumeThreshold = config.volumeThreshold ?? 0;
    this.resetTimeout = config.resetTimeout ?? 30000;
    const timeout = config.timeout ?? 10000;
    this.callTimeoutMs = timeout === false || timeout === 0 ? null : timeout;
    this.capacity = config.capacity ?? Number.MAX_SAFE_INTEGER;
    const rollingCountTimeout = config.rollingCountTimeout ?? 10000;
    const rollingCountBuckets = Math.max(1, Math.floor(config.rollingCountBuckets ?? 10));
    // setInterval(…, 0) still waits ~1 ms in Node: a period of at least 1 ms.
    this.bucketMs = Math.max(1, Math.floor(rollingCountTimeout / rollingCountBuckets));
    this.buckets = Array.from({ length: rollingCountBuckets }, emptyBucket);
  }

  /** The sums over the rolling window at `now` (lib/status.js `stats`). */
  stats(now: number): OpossumStats {
    const period = this.periodOf(now);
    const total: OpossumStats = { fires: 0, failures: 0, successes: 0, rejects: 0, timeouts: 0, semaphoreRejections: 0 };
    for (const b of this.buckets) {
      if (b.period < 0 || b.period > period || b.period <= period - this.buckets.length) continue;
      total.fires += b.fires;
      total.failures += b.failures;
      total.successes += b.successes;
      total.rejects += b.rejects;
      total.timeouts += b.timeouts;
      total.semaphoreRejections += b.semaphoreRejections;
    }
    return total;
  }

  state(now: number): BreakerState {
    this.tick(now);
    return this.current;
  }

  nextDeadline(): number | null {
    return this.current === 'OPEN' ? this.resetAt : null;
  }

  tick(now: number): void {
    if (this.current === 'OPEN' && this.resetAt !== null && now >= this.resetAt) {
      const at = this.resetAt;
      this.resetAt = null;
      this.pendingClose = true;
      this.transition('HALF_OPEN', at);
    }
  }

  private deny(reason: DenyReason): number {
    this.denied = reason;
    return 0;
  }

  acquire(now: number): number {
    this.tick(now);
    this.bucket(now).fires++;
    if (this.current !== 'CLOSED' && !this.pendingClose) {
      this.bucket(now).rejects++;
      return this.deny(this.current === 'OPEN' ? 'open' : 'half-open-full');
    }
    this.pendingClose = false;
    if (this.inFlight.size >= this.capacity) {
      this.bucket(now).semaphoreRejections++;
      this.fail(now);
      return this.deny('capacity');
    }
    const ticket = this.nextTicket++;
    this.inFlight.add(ticket);
    return ticket;
  }

  onSuccess(now: number, _durationMs: number, ticket: number): void {
    this.tick(now);
    if (!this.inFlight.delete(ticket)) return;
    this.bucket(now).successes++;
    if (this.current === 'HALF_OPEN') this.close(now);
  }

  onFailure(now: number, _durationMs: number, ticket: number, kind: FailureKind): void {
    this.tick(now);
    if (!this.inFlight.delete(ticket)) return;
    if (kind === 'timeout') this.bucket(now).timeouts++;
    if (kind === 'rejected') this.bucket(now).semaphoreRejections++;
    this.fail(now);
  }

  /** lib/circuit.js `fail()`. */
  private fail(now: number): void {
    this.bucket(now).failures++;
    const stats = this.stats(now);
    const halfOpen = this.current === 'HALF_OPEN';
    if (stats.fires < this.volumeThreshold && !halfOpen) return;
    // As in JavaScript: with no fire left in the window, n / 0 * 100 is Infinity (or NaN for 0 / 0).
    const errorRate = (stats.failures / stats.fires) * 100;
    if (errorRate > this.errorThresholdPercentage || halfOpen) this.open(now);
  }

  private open(now: number): void {
    if (this.current === 'OPEN') return;
    this.pendingClose = false;
    this.resetAt = now + this.resetTimeout;
    this.transition('OPEN', now);
  }

  private close(now: number): void {
    if (this.current === 'CLOSED') return;
    this.resetAt = null;
    this.pendingClose = false;
    this.transition('CLOSED', now);
  }

  private transition(to: BreakerState, now: number): void {
    const from = this.current;
    this.current = to;
    this.hooks.onTransition(from, to, now);
  }

  private periodOf(now: number): number {
    return Math.floor((now - this.createdAt) / this.bucketMs);
  }

  /** The bucket that counts events at `now`, rotated in if its slot held an older period. */
  private bucket(now: number): Bucket {
    const period = this.periodOf(now);
    const n = this.buckets.length;
    const slot = ((period % n) + n) % n;
    let b = this.buckets[slot]!;
    if (b.period !== period) {
      b = emptyBucket();
      b.period = period;
      this.buckets[slot] = b;
    }
    return b;
  }
}
