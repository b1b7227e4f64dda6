/**
 * resilience4j's CircuitBreakerStateMachine with CircuitBreakerMetrics, FixedSizeSlidingWindowMetrics
 * (COUNT_BASED) and SlidingTimeWindowMetrics (TIME_BASED), on simulated time:
 * - CLOSED records every outcome; no decision until `minimumNumberOfCalls` are in the window
 *   (COUNT_BASED: at most the window size); then OPEN when the failure rate `>=` failureRateThreshold
 *   or the slow-call rate `>=` slowCallRateThreshold. Slow: duration strictly greater than
 *   slowCallDurationThreshold. Rates are computed in Java `float`, as the library does.
 * - Calls the breaker rejects are not recorded (only counted as not permitted).
 * - OPEN keeps the closed window (late outcomes are still recorded in it). The first call strictly
 *   after `waitDurationInOpenState` moves it to HALF_OPEN and takes a permit; with
 *   `automaticTransitionFromOpenToHalfOpenEnabled` the move also happens at the deadline itself.
 * - HALF_OPEN: a fresh COUNT_BASED window of `permittedNumberOfCallsInHalfOpenState` outcomes whose
 *   minimum is min(minimumNumberOfCalls, permitted) (CircuitBreakerMetrics.forHalfOpen); that many
 *   permits, others rejected. Any outcome recorded while HALF_OPEN counts (as in the library).
 *   Over a threshold: OPEN; below: CLOSED with a fresh window.
 * TIME_BASED buckets are epoch seconds: simulated time 0 is the start of an epoch second.
 */
import type { DenyReason, Breaker, BreakerHooks, BreakerState, FailureKind, Resilience4jBreakerConfig } from '../breaker';

export interface Resilience4jSnapshot {
  calls: number;
  failedCalls: number;
  slowCalls: number;
  /** Percent as resilience4j reports it; -1 below the minimum number of calls. */
  failureRate: number;
  slowCallRate: number;
}

type Verdict = 'BELOW_MINIMUM' | 'BELOW_THRESHOLDS' | 'ABOVE_THRESHOLDS';

interface Counts {
  calls: number;
  failed: number;
  slow: number;
}

/** A window of outcomes: the last N calls, or the calls of the last N epoch seconds. */
interface Window {
  record(now: number, failed: boolean, slow: boolean): Counts;
  counts(now: number): Counts;
}

/** FixedSizeSlidingWindowMetrics: a ring of the last `size` outcomes. */
class CountWindow implements Window {
  private readonly ring: Uint8Array; // bit 0: failed, bit 1: slow, bit 2: present
  private head = 0;
  private readonly total: Counts = { calls: 0, failed: 0, slow: 0 };

  constructor(size: number) {
    this.ring = new Uint8Array(Math.max(1, size));
  }

  record(_now: number, failed: boolean, slow: boolean): Counts {
    const old = this.ring[this.head]!;
    if (old & 4) {
      this.total.calls--;
      if (old & 1) this.total.failed--;
      if (old & 2) this.total.slow--;
    }
    this.ring[this.head] = 4 | (failed ? 1 : 0) | (slow ? 2 : 0);
    this.head = (this.head + 1) % this.ring.length;
    this.total.calls++;
    if (failed) this.total.failed++;
    if (slow) this.total.slow++;
    return { ...this.total };
  }

  counts(): Counts {
    return { ...this.total };
  }
}

/** SlidingTimeWindowMetrics: `seconds` buckets, one per epoch second, ending at the current one. */
class TimeWindow implements Window {
  private readonly buckets: Array<Counts & { second: number }>;

  constructor(seconds: number) {
    this.buckets = Array.from({ length: Math.max(1, seconds) }, () => ({ second: -Infinity, calls: 0, failed: 0, slow: 0 }));
  }

  record(now: number, failed: boolean, slow: boolean): Counts {
    const second = Math.floor(now / 1000);
    const n = this.buckets.length;
    const slot = ((second % n) + n) % n;
    let b = this.buckets[slot]!;
    if (b.second !== second) {
      b = { second, calls: 0, failed: 0, slow: 0 };
      this.buckets[slot] = b;
    }
    b.calls++;
    if (failed) b.failed++;
    if (slow) b.slow++;
    return this.counts(now);
  }

  counts(now: number): Counts {
    const second = Math.floor(now / 1000);
    const total: Counts = { calls: 0, failed: 0, slow: 0 };
    for (const b of this.buckets) {
      if (b.second > second || b.second <= second - this.buckets.length) continue;
      total.calls += b.calls;
      total.failed += b.failed;
      total.slow += b.slow;
    }
    return total;
  }
}

/** `count * 100.0f / total` in Java float arithmetic. */
function floatRate(count: number, total: number): number {
  return Math.fround(Math.fround(count * 100) / total);
}

/** CircuitBreakerMetrics: a window plus the thresholds it is judged by. */
class Metrics {
  /** CircuitBreakerMetrics.numberOfNotPermittedCalls: lives and dies with the metrics object. */
  notPermitted = 0;

  constructor(
    private readonly window: Window,
    private readonly minimumNumberOfCalls: number,
    private readonly failureRateThreshold: number,
    private readonly slowCallRateThreshold: number,
  ) {}

  record(now: number, failed: boolean, slow: boolean): Verdict {
    return this.judge(this.window.record(now, failed, slow));
  }

  snapshot(now: number): Resilience4jSnapshot {
    const c = this.window.counts(now);
    const below = c.calls === 0 || c.calls < this.minimumNumberOfCalls;
    return {
      calls: c.calls,
      failedCalls: c.failed,
      slowCalls: c.slow,
      failureRate: below ? -1 : floatRate(c.failed, c.calls),
      slowCallRate: below ? -1 : floatRate(c.slow, c.calls),
    };
  }

  private judge(c: Counts): Verdict {
    if (c.calls === 0 || c.calls < this.minimumNumberOfCalls) return 'BELOW_MINIMUM';
    const failureRate = floatRate(c.failed, c.calls);
    const slowRate = floatRate(c.slow, c.calls);
    if (failureRate >= this.failureRateThreshold || slowRate >= this.slowCallRateThreshold) return 'ABOVE_THRESHOLDS';
    return 'BELOW_THRESHOLDS';
  }
}

export class Resilience4jBreaker implements Breaker {
  readonly model = 'resilience4j' as const;
  readonly callTimeoutMs = null;

  private readonly windowType: 'COUNT_BASED' | 'TIME_BASED';
  private readonly windowSize: number;
  private readonly minimumNumberOfCalls: number;
  private readonly failureRateThreshold: number;
  private readonly slowCallRateThreshold: number;
  private readonly slowCallDurationThreshold: number;
  private readonly permittedInHalfOpen: number;
  private readonly waitDurationInOpenState: number;
  private readonly automatic: boolean;

  private current: BreakerState = 'CLOSED';
  private metrics: Metrics;
  private retryAfter = 0;
  private permits = 0;
  private nextTicket = 1;
  denied: DenyReason = 'open';
  private readonly inFlight = new Set<number>();

  constructor(
    config: Resilience4jBreakerConfig,
    private readonly hooks: BreakerHooks,
  ) {
    this.windowType = config.slidingWindowType ?? 'COUNT_BASED';
    this.windowSize = config.slidingWindowSize ?? 100;
    this.minimumNumberOfCalls = config.minimumNumberOfCalls ?? 100;
    // Thresholds are Java floats in CircuitBreakerConfig.
    this.failureRateThreshold = Math.fround(config.failureRateThreshold ?? 50);
    this.slowCallRateThreshold = Math.fround(config.slowCallRateThreshold ?? 100);
    this.slowCallDurationThreshold = config.slowCallDurationThreshold ?? 60000;
    this.permittedInHalfOpen = config.permittedNumberOfCallsInHalfOpenState ?? 10;
    this.waitDurationInOpenState = config.waitDurationInOpenState ?? 60000;
    this.automatic = config.automaticTransitionFromOpenToHalfOpenEnabled ?? false;
    this.metrics = this.closedMetrics();
  }

  /** The current state's metrics, as `CircuitBreaker.getMetrics()` reports them. */
  snapshot(now: number): Resilience4jSnapshot & { notPermittedCalls: number } {
    return { ...this.metrics.snapshot(now), notPermittedCalls: this.metrics.notPermitted };
  }

  /** Lazy: without automatic transition an OPEN breaker stays OPEN until a call asks. */
  state(now: number): BreakerState {
    this.tick(now);
    return this.current;
  }

  nextDeadline(): number | null {
    return this.automatic && this.current === 'OPEN' ? this.retryAfter : null;
  }

  tick(now: number): void {
    if (this.automatic && this.current === 'OPEN' && now >= this.retryAfter) this.toHalfOpen(this.retryAfter);
  }

  private deny(reason: DenyReason): number {
    this.denied = reason;
    return 0;
  }

  acquire(now: number): number {
    this.tick(now);
    if (this.current === 'OPEN') {
      // OpenState.tryAcquirePermission: clock.instant().isAfter(retryAfterWaitDuration).
      if (now > this.retryAfter) {
        this.toHalfOpen(now);
      } else {
        this.metrics.notPermitted++;
        return this.deny('open');
      }
    }
    if (this.current === 'HALF_OPEN') {
      if (this.permits <= 0) {
        this.metrics.notPermitted++;
        return this.deny('half-open-full');
      }
      this.permits--;
    }
    const ticket = this.nextTicket++;
    this.inFlight.add(ticket);
    return ticket;
  }

  onSuccess(now: number, durationMs: number, ticket: number): void {
    this.outcome(now, durationMs, ticket, false);
  }

  onFailure(now: number, durationMs: number, ticket: number, _kind: FailureKind): void {
    this.outcome(now, durationMs, ticket, true);
  }

  private outcome(now: number, durationMs: number, ticket: number, failed: boolean): void {
    this.tick(now);
    if (!this.inFlight.delete(ticket)) return;
    const verdict = this.metrics.record(now, failed, durationMs > this.slowCallDurationThreshold);
    if (this.current === 'CLOSED') {
      if (verdict === 'ABOVE_THRESHOLDS') this.toOpen(now);
    } else if (this.current === 'HALF_OPEN') {
      if (verdict === 'ABOVE_THRESHOLDS') this.toOpen(now);
      else if (verdict === 'BELOW_THRESHOLDS') this.toClosed(now);
    }
    // OPEN: recorded in the window it kept, no transition.
  }

  private closedMetrics(): Metrics {
    const count = this.windowType === 'COUNT_BASED';
    return new Metrics(
      count ? new CountWindow(this.windowSize) : new TimeWindow(this.windowSize),
      count ? Math.min(this.minimumNumberOfCalls, this.windowSize) : this.minimumNumberOfCalls,
      this.failureRateThreshold,
      this.slowCallRateThreshold,
    );
  }

  private toOpen(now: number): void {
    // OpenState keeps the metrics of the state it came from.
    this.retryAfter = now + this.waitDurationInOpenState;
    this.transition('OPEN', now);
  }

  private toHalfOpen(now: number): void {
    this.metrics = new Metrics(
      new CountWindow(this.permittedInHalfOpen),
      Math.min(this.minimumNumberOfCalls, this.permittedInHalfOpen),
      this.failureRateThreshold,
      this.slowCallRateThreshold,
    );
    this.permits = this.permittedInHalfOpen;
    this.transition('HALF_OPEN', now);
  }

  private toClosed(now: number): void {
    this.metrics = this.closedMetrics();
    this.transition('CLOSED', now);
  }

  private transition(to: BreakerState, now: number): void {
    const from = this.current;
    this.current = to;
    this.hooks.onTransition(from, to, now);
  }
}
