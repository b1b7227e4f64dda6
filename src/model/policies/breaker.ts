/**
 * Circuit breakers: one interface, three models (see SEMANTICS.md and ./README.md).
 *
 * A breaker is a pure state machine. It never reads a clock and never sets a timer: every method
 * takes the simulated time `now` (ms), and a breaker that changes state by itself (opossum's
 * resetTimeout, the consecutive model's reset, resilience4j with automatic transition) reports
 * the moment through `nextDeadline()`; the owner schedules a wake-up and calls `tick(now)` then.
 * Reading `state(now)` or calling any other method also catches up on a deadline already passed,
 * so a late `tick` changes nothing but the call order of the hook.
 */
import { ConsecutiveBreaker } from './breakers/consecutive';
import { OpossumBreaker } from './breakers/opossum';
import { Resilience4jBreaker } from './breakers/resilience4j';

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** How a permitted call failed: an error answer, the caller's timeout, or a capacity rejection downstream. */
export type FailureKind = 'error' | 'timeout' | 'rejected';

/**
 * Why a call was not permitted: the breaker is open; it is half-open and its trials are taken;
 * or (opossum only) its `capacity` of concurrent calls is full, which opossum counts as a failure.
 */
export type DenyReason = 'open' | 'half-open-full' | 'capacity';

export type Acquire = { permitted: true; ticket: number } | { permitted: false; reason: DenyReason };

export interface BreakerHooks {
  /** Called on every state change, with the simulated time at which it happened. */
  onTransition(from: BreakerState, to: BreakerState, now: number): void;
}

export interface Breaker {
  readonly model: BreakerConfig['model'];
  /**
   * The call timeout the library itself would apply (opossum's `timeout`), or null. The breaker
   * does not time calls out; the owner does, and reports it as `onFailure(..., 'timeout')`.
   */
  readonly callTimeoutMs: number | null;
  state(now: number): BreakerState;
  /**
   * Ask to make a call, allocating nothing: the ticket (from 1 up), or 0 when denied (then
   * `denied` says why, and the call is short-circuited: not made). `tryAcquire` gives it as an object.
   */
  acquire(now: number): number;
  /** Why the last call to `acquire` was denied. */
  readonly denied: DenyReason;
  /** Outcome of a permitted call. `durationMs` feeds slow-call rules; an unknown or already reported ticket is ignored. */
  onSuccess(now: number, durationMs: number, ticket: number): void;
  onFailure(now: number, durationMs: number, ticket: number, kind: FailureKind): void;
  /** Earliest time at which the breaker changes state by itself, or null. */
  nextDeadline(): number | null;
  tick(now: number): void;
}

/** Ask `breaker` to make a call: a permit with its ticket, or a denial with its reason. */
export function tryAcquire(breaker: Breaker, now: number): Acquire {
  const ticket = breaker.acquire(now);
  return ticket > 0 ? { permitted: true, ticket } : { permitted: false, reason: breaker.denied };
}

// ---------------------------------------------------------------------------------------------
// Configs: the option names of SCENARIO.md (the same names as src/scenario/schema.ts). Omitted
// options take the defaults of SEMANTICS.md.

export interface ConsecutiveBreakerConfig {
  model: 'consecutive';
  failureThreshold?: number;
  resetTimeoutMs?: number;
  halfOpenMaxCalls?: number;
}

/** nodeshift/opossum's option names. */
export interface OpossumBreakerConfig {
  model: 'opossum';
  errorThresholdPercentage?: number;
  volumeThreshold?: number;
  rollingCountTimeout?: number;
  rollingCountBuckets?: number;
  resetTimeout?: number;
  /** Call timeout in ms, or false for none (reported through `callTimeoutMs`). */
  timeout?: number | false;
  /** Concurrent calls allowed; null: unlimited (opossum's default, Number.MAX_SAFE_INTEGER). */
  capacity?: number | null;
}

/** resilience4j's option names, durations in ms. */
export interface Resilience4jBreakerConfig {
  model: 'resilience4j';
  slidingWindowType?: 'COUNT_BASED' | 'TIME_BASED';
  slidingWindowSize?: number;
  minimumNumberOfCalls?: number;
  failureRateThreshold?: number;
  slowCallRateThreshold?: number;
  slowCallDurationThreshold?: number;
  permittedNumberOfCallsInHalfOpenState?: number;
  waitDurationInOpenState?: number;
  automaticTransitionFromOpenToHalfOpenEnabled?: boolean;
}

export type BreakerConfig = ConsecutiveBreakerConfig | OpossumBreakerConfig | Resilience4jBreakerConfig;

const NO_HOOKS: BreakerHooks = { onTransition: () => {} };

/**
 * Build the breaker a policy names. `createdAtMs` is the simulated time the breaker starts at:
 * opossum's rolling buckets rotate on a fixed cadence from that moment.
 */
export function createBreaker(config: BreakerConfig, hooks: BreakerHooks = NO_HOOKS, createdAtMs = 0): Breaker {
  switch (config.model) {
    case 'consecutive':
      return new ConsecutiveBreaker(config, hooks);
    case 'opossum':
      return new OpossumBreaker(config, hooks, createdAtMs);
    case 'resilience4j':
      return new Resilience4jBreaker(config, hooks);
  }
}
