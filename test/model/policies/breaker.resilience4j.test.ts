// resilience4j's rules. Most cases replay resilience4j/resilience4j
// resilience4j-circuitbreaker/src/test/java/io/github/resilience4j/circuitbreaker/internal/CircuitBreakerStateMachineTest.java,
// whose setUp is: failureRateThreshold 50, permittedNumberOfCallsInHalfOpenState 4, slowCallDurationThreshold 4 s,
// slowCallRateThreshold 50, slidingWindow(5, 5, TIME_BASED), waitDurationInOpenState 5 s.
import { describe, expect, it } from 'vitest';
import { createBreaker, tryAcquire, type Breaker, type BreakerConfig, type BreakerState } from '../../../src/model/policies/breaker';
import type { Resilience4jBreaker } from '../../../src/model/policies/breakers/resilience4j';

type Opts = Omit<Extract<BreakerConfig, { model: 'resilience4j' }>, 'model'>;

const SETUP: Opts = {
  failureRateThreshold: 50,
  permittedNumberOfCallsInHalfOpenState: 4,
  slowCallDurationThreshold: 4000,
  slowCallRateThreshold: 50,
  slidingWindowType: 'TIME_BASED',
  slidingWindowSize: 5,
  minimumNumberOfCalls: 5,
  waitDurationInOpenState: 5000,
};

function r4j(opts: Opts) {
  const transitions: Array<[BreakerState, BreakerState, number]> = [];
  const breaker = createBreaker({ model: 'resilience4j', ...opts }, { onTransition: (f, t, now) => transitions.push([f, t, now]) });
  return { breaker, transitions, snapshot: (now: number) => (breaker as Resilience4jBreaker).snapshot(now) };
}

function call(b: Breaker, now: number, ok: boolean, durationMs = 0): boolean {
  const a = tryAcquire(b, now);
  if (!a.permitted) return false;
  if (ok) b.onSuccess(now, durationMs, a.ticket);
  else b.onFailure(now, durationMs, a.ticket, 'error');
  return true;
}

/** Open the breaker at `t` with 5 failures (SETUP's window), then let the wait pass and take it half-open lazily. */
function toHalfOpen(b: Breaker, t: number): number {
  for (let i = 0; i < 5; i++) call(b, t, false);
  expect(b.state(t)).toBe('OPEN');
  return t + 5001;
}

describe('resilience4j breaker', () => {
  // CircuitBreakerStateMachineTest.shouldOpenAfterFailureRateThresholdExceeded
  it('decides nothing below minimumNumberOfCalls, then opens at 3 failures of 5 (60 %)', () => {
    const { breaker, snapshot } = r4j(SETUP);
    call(breaker, 0, false);
    call(breaker, 0, false);
    call(breaker, 0, false);
    call(breaker, 0, true);
    expect(breaker.state(0)).toBe('CLOSED');
    expect(snapshot(0)).toMatchObject({ failureRate: -1, calls: 4, failedCalls: 3 });
    call(breaker, 0, true);
    expect(breaker.state(0)).toBe('OPEN');
    expect(snapshot(0)).toMatchObject({ failureRate: 60, calls: 5, failedCalls: 3 });
    expect(tryAcquire(breaker, 0)).toEqual({ permitted: false, reason: 'open' });
    expect(snapshot(0).notPermittedCalls).toBe(1);
  });

  // CircuitBreakerStateMachineTest.shouldOpenAfterSlowCallRateThresholdExceeded: durations 5 s, 5 s, 100 ms, 100 ms, 5 s
  it('opens on the slow-call rate (duration > slowCallDurationThreshold) even with failures below threshold', () => {
    const { breaker, snapshot } = r4j(SETUP);
    call(breaker, 0, false, 5000);
    call(breaker, 0, true, 5000);
    call(breaker, 0, false, 100);
    call(breaker, 0, true, 100);
    expect(breaker.state(0)).toBe('CLOSED');
    call(breaker, 0, true, 5000);
    expect(breaker.state(0)).toBe('OPEN');
    expect(snapshot(0)).toMatchObject({ slowCalls: 3, slowCallRate: 60, failureRate: 40 });
  });

  // CircuitBreakerMetrics.onSuccess/onError: `durationUnit.toNanos(duration) > slowCallDurationThresholdInNanos`
  it('does not count a call of exactly slowCallDurationThreshold as slow', () => {
    const { breaker, snapshot } = r4j({ ...SETUP, slowCallRateThreshold: 1 });
    for (let i = 0; i < 5; i++) call(breaker, 0, true, 4000);
    expect(breaker.state(0)).toBe('CLOSED');
    expect(snapshot(0).slowCalls).toBe(0);
  });

  // CircuitBreakerMetrics.checkIfThresholdsExceeded: `failureRateInPercentage >= failureRateThreshold`
  it('opens at a failure rate equal to the threshold (>=)', () => {
    const { breaker } = r4j({ slidingWindowType: 'COUNT_BASED', slidingWindowSize: 4, minimumNumberOfCalls: 4, failureRateThreshold: 50 });
    call(breaker, 0, true);
    call(breaker, 1, false);
    call(breaker, 2, true);
    call(breaker, 3, false);
    expect(breaker.state(3)).toBe('OPEN');
  });

  // CircuitBreakerMetrics constructor: COUNT_BASED minimumNumberOfCalls = min(minimumNumberOfCalls, slidingWindowSize)
  it('caps minimumNumberOfCalls at the window size in COUNT_BASED', () => {
    const { breaker } = r4j({ slidingWindowType: 'COUNT_BASED', slidingWindowSize: 3, minimumNumberOfCalls: 100 });
    call(breaker, 0, false);
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('CLOSED');
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('OPEN');
  });

  // FixedSizeSlidingWindowMetrics: a ring of the last slidingWindowSize outcomes
  it('keeps only the last slidingWindowSize outcomes in COUNT_BASED', () => {
    const { breaker, snapshot } = r4j({ slidingWindowType: 'COUNT_BASED', slidingWindowSize: 4, minimumNumberOfCalls: 4, failureRateThreshold: 50 });
    call(breaker, 0, false);
    for (let i = 1; i <= 4; i++) call(breaker, i, true); // the failure is pushed out by the 5th outcome
    expect(snapshot(4)).toMatchObject({ calls: 4, failedCalls: 0 });
    call(breaker, 5, false);
    expect(breaker.state(5)).toBe('CLOSED'); // 1/4
  });

  // resilience4j-core SlidingTimeWindowMetrics: one bucket per epoch second, the window is the current second and
  // the N-1 before it, so a call drops out at the start of the N-th second after its own, not N seconds after it.
  it('uses epoch-second buckets in TIME_BASED', () => {
    const early = r4j(SETUP);
    for (let i = 0; i < 3; i++) call(early.breaker, 900, false); // second 0
    call(early.breaker, 4999, true);
    call(early.breaker, 4999, true); // second 4: seconds 0..4 are in the window, 3/5 -> open
    expect(early.breaker.state(4999)).toBe('OPEN');

    const late = r4j(SETUP);
    for (let i = 0; i < 3; i++) call(late.breaker, 900, false);
    call(late.breaker, 5000, true);
    call(late.breaker, 5000, true); // second 5: second 0 has left, 4.1 s after the failures
    expect(late.breaker.state(5000)).toBe('CLOSED');
    expect(late.snapshot(5000)).toMatchObject({ calls: 2, failedCalls: 0 });
  });

  // CircuitBreakerStateMachineTest.shouldTransitionToHalfOpenAfterWaitDuration, and OpenState.tryAcquirePermission:
  // `clock.instant().isAfter(retryAfterWaitDuration)` - lazy, strictly after, the call that moves it takes a permit.
  it('moves OPEN -> HALF_OPEN lazily on the first call strictly after waitDurationInOpenState', () => {
    const { breaker, transitions, snapshot } = r4j(SETUP);
    for (let i = 0; i < 5; i++) call(breaker, 0, false);
    expect(tryAcquire(breaker, 0).permitted).toBe(false);
    expect(tryAcquire(breaker, 3000).permitted).toBe(false);
    expect(snapshot(3000).notPermittedCalls).toBe(2);
    expect(tryAcquire(breaker, 5000).permitted).toBe(false); // exactly the wait: not after it
    expect(breaker.nextDeadline()).toBeNull();
    expect(breaker.state(6000)).toBe('OPEN'); // nobody asked yet
    expect(tryAcquire(breaker, 6000).permitted).toBe(true);
    expect(breaker.state(6000)).toBe('HALF_OPEN');
    expect(transitions.at(-1)).toEqual(['OPEN', 'HALF_OPEN', 6000]);
    expect(snapshot(6000)).toMatchObject({ calls: 0, notPermittedCalls: 0 }); // metrics are fresh
  });

  // CircuitBreakerStateMachine.OpenState constructor: with automaticTransitionFromOpenToHalfOpenEnabled a
  // scheduler runs toHalfOpenState after waitDurationInMillis.
  it('moves to HALF_OPEN at the deadline with automaticTransitionFromOpenToHalfOpenEnabled', () => {
    const { breaker, transitions } = r4j({ ...SETUP, automaticTransitionFromOpenToHalfOpenEnabled: true });
    for (let i = 0; i < 5; i++) call(breaker, 1000, false);
    expect(breaker.nextDeadline()).toBe(6000);
    breaker.tick(6000);
    expect(transitions.at(-1)).toEqual(['OPEN', 'HALF_OPEN', 6000]);
    expect(breaker.nextDeadline()).toBeNull();
  });

  // CircuitBreakerStateMachineTest.shouldOnlyPermitFourCallsInHalfOpenState
  it('permits exactly permittedNumberOfCallsInHalfOpenState calls while half-open', () => {
    const { breaker } = r4j(SETUP);
    const t = toHalfOpen(breaker, 0);
    const permits = [0, 1, 2, 3, 4, 5].map(() => tryAcquire(breaker, t).permitted);
    expect(permits).toEqual([true, true, true, true, false, false]);
  });

  // CircuitBreakerStateMachineTest.shouldTransitionBackToOpenStateWhenFailureRateIsAboveThreshold (75 %)
  it('re-opens from half-open when the trial window is over the failure threshold', () => {
    const { breaker, snapshot } = r4j(SETUP);
    const t = toHalfOpen(breaker, 0);
    call(breaker, t, false);
    call(breaker, t, false);
    call(breaker, t, true);
    expect(breaker.state(t)).toBe('HALF_OPEN');
    call(breaker, t, false);
    expect(breaker.state(t)).toBe('OPEN');
    expect(snapshot(t)).toMatchObject({ failureRate: 75, calls: 4, failedCalls: 3 });
  });

  // CircuitBreakerStateMachineTest.shouldTransitionBackToOpenStateWhenSlowCallRateIsAboveThreshold
  it('re-opens from half-open on slow trials', () => {
    const { breaker } = r4j(SETUP);
    const t = toHalfOpen(breaker, 0);
    call(breaker, t, true, 5000);
    call(breaker, t, true, 5000);
    call(breaker, t, true, 5000);
    call(breaker, t, true, 1000);
    expect(breaker.state(t)).toBe('OPEN');
  });

  // CircuitBreakerStateMachineTest.shouldTransitionBackToClosedStateWhenFailureIsBelowThreshold
  it('closes from half-open below the thresholds, with fresh closed metrics', () => {
    const { breaker, snapshot } = r4j(SETUP);
    const t = toHalfOpen(breaker, 0);
    call(breaker, t, false);
    call(breaker, t, true);
    call(breaker, t, true);
    call(breaker, t, true);
    expect(breaker.state(t)).toBe('CLOSED');
    expect(snapshot(t)).toMatchObject({ calls: 0, failureRate: -1 });
    call(breaker, t, true);
    expect(snapshot(t)).toMatchObject({ calls: 1, failedCalls: 0 });
  });

  // CircuitBreakerMetrics.forHalfOpen: a COUNT_BASED window of `permitted` whose minimum is
  // min(minimumNumberOfCalls, permitted), so a smaller minimumNumberOfCalls decides before all trials return.
  it('decides the half-open window at min(minimumNumberOfCalls, permitted) outcomes', () => {
    const { breaker } = r4j({ ...SETUP, minimumNumberOfCalls: 2, permittedNumberOfCallsInHalfOpenState: 4 });
    for (let i = 0; i < 2; i++) call(breaker, 0, false);
    expect(breaker.state(0)).toBe('OPEN');
    call(breaker, 5001, true);
    expect(breaker.state(5001)).toBe('HALF_OPEN');
    call(breaker, 5001, true);
    expect(breaker.state(5001)).toBe('CLOSED');
  });

  // CircuitBreakerStateMachine.HalfOpenState.tryAcquirePermission: a denied call only bumps onCallNotPermitted;
  // nothing is recorded in the window.
  it('does not record rejected calls', () => {
    const { breaker, snapshot } = r4j(SETUP);
    const t = toHalfOpen(breaker, 0);
    const tickets = [0, 1, 2, 3].map(() => tryAcquire(breaker, t));
    for (let i = 0; i < 5; i++) expect(tryAcquire(breaker, t).permitted).toBe(false);
    expect(snapshot(t)).toMatchObject({ calls: 0, notPermittedCalls: 5 });
    for (const a of tickets) if (a.permitted) breaker.onSuccess(t, 0, a.ticket);
    expect(breaker.state(t)).toBe('CLOSED');
  });

  // CircuitBreakerStateMachine.OpenState.onSuccess/onError: late outcomes are recorded, no transition.
  it('records a late outcome while open without leaving OPEN', () => {
    const { breaker, snapshot } = r4j({ ...SETUP, slidingWindowType: 'COUNT_BASED', slidingWindowSize: 10 });
    const late = tryAcquire(breaker, 0);
    for (let i = 0; i < 5; i++) call(breaker, 0, false);
    expect(breaker.state(0)).toBe('OPEN');
    if (late.permitted) breaker.onSuccess(100, 100, late.ticket);
    expect(breaker.state(100)).toBe('OPEN');
    expect(snapshot(100)).toMatchObject({ calls: 6, failedCalls: 5 });
  });

  // CircuitBreakerConfig defaults: failureRateThreshold 50, slidingWindowSize 100, minimumNumberOfCalls 100, COUNT_BASED
  it('uses resilience4j defaults', () => {
    const { breaker } = r4j({});
    for (let i = 0; i < 99; i++) call(breaker, i, i % 2 === 0);
    expect(breaker.state(99)).toBe('CLOSED');
    call(breaker, 99, false); // 50 failures of 100
    expect(breaker.state(99)).toBe('OPEN');
    expect(tryAcquire(breaker, 60099).permitted).toBe(false);
    expect(tryAcquire(breaker, 60100).permitted).toBe(true);
  });
});
