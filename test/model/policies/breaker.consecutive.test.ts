// The consecutive model (cockatiel's ConsecutiveBreaker in its CircuitBreakerPolicy), and properties every model keeps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBreaker, tryAcquire, type Breaker, type BreakerConfig, type BreakerState } from '../../../src/model/policies/breaker';

function consecutive(opts: Omit<Extract<BreakerConfig, { model: 'consecutive' }>, 'model'>) {
  const transitions: Array<[BreakerState, BreakerState, number]> = [];
  const breaker = createBreaker({ model: 'consecutive', ...opts }, { onTransition: (f, t, now) => transitions.push([f, t, now]) });
  return { breaker, transitions };
}

function call(b: Breaker, now: number, ok: boolean): boolean {
  const a = tryAcquire(b, now);
  if (!a.permitted) return false;
  if (ok) b.onSuccess(now, 0, a.ticket);
  else b.onFailure(now, 0, a.ticket, 'error');
  return true;
}

describe('consecutive breaker', () => {
  // connor4312/cockatiel src/breaker/ConsecutiveBreaker.test.ts "works": threshold 3 -> failure() is false, false,
  // true; a success resets the count (src/breaker/ConsecutiveBreaker.ts: `++this.count >= this.threshold`).
  it('opens at the failureThreshold-th consecutive failure; a success resets the count', () => {
    const { breaker } = consecutive({ failureThreshold: 3, resetTimeoutMs: 1000 });
    call(breaker, 0, false);
    call(breaker, 1, false);
    call(breaker, 2, true);
    call(breaker, 3, false);
    call(breaker, 4, false);
    expect(breaker.state(4)).toBe('CLOSED');
    call(breaker, 5, false);
    expect(breaker.state(5)).toBe('OPEN');
    expect(tryAcquire(breaker, 6)).toEqual({ permitted: false, reason: 'open' });
  });

  // connor4312/cockatiel src/CircuitBreakerPolicy.ts: after halfOpenAfter the circuit is half-open and a test call
  // passes; success closes, failure re-opens with a new open period.
  it('goes half-open after resetTimeoutMs; a trial success closes with the count reset', () => {
    const { breaker, transitions } = consecutive({ failureThreshold: 2, resetTimeoutMs: 1000 });
    call(breaker, 0, false);
    call(breaker, 10, false);
    expect(breaker.nextDeadline()).toBe(1010);
    expect(breaker.state(1009)).toBe('OPEN');
    expect(breaker.state(1010)).toBe('HALF_OPEN');
    expect(call(breaker, 1010, true)).toBe(true);
    expect(breaker.state(1010)).toBe('CLOSED');
    call(breaker, 1011, false); // the count starts again from zero
    expect(breaker.state(1011)).toBe('CLOSED');
    expect(transitions).toEqual([
      ['CLOSED', 'OPEN', 10],
      ['OPEN', 'HALF_OPEN', 1010],
      ['HALF_OPEN', 'CLOSED', 1010],
    ]);
  });

  it('re-opens on a trial failure and restarts the timer', () => {
    const { breaker } = consecutive({ failureThreshold: 1, resetTimeoutMs: 1000 });
    call(breaker, 0, false);
    const trial = tryAcquire(breaker, 1000);
    expect(trial.permitted).toBe(true);
    if (trial.permitted) breaker.onFailure(1500, 500, trial.ticket, 'timeout');
    expect(breaker.state(1500)).toBe('OPEN');
    expect(breaker.nextDeadline()).toBe(2500);
    expect(breaker.state(2499)).toBe('OPEN');
    expect(breaker.state(2500)).toBe('HALF_OPEN');
  });

  it('lets halfOpenMaxCalls trials through and rejects the rest', () => {
    const { breaker } = consecutive({ failureThreshold: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 2 });
    call(breaker, 0, false);
    const permits = [0, 1, 2, 3].map(() => tryAcquire(breaker, 100));
    expect(permits.map((p) => p.permitted)).toEqual([true, true, false, false]);
    expect(permits[2]).toEqual({ permitted: false, reason: 'half-open-full' });
  });

  it('ignores the outcome of a call started before the breaker opened while it is open or half-open', () => {
    const { breaker } = consecutive({ failureThreshold: 1, resetTimeoutMs: 100 });
    const old = tryAcquire(breaker, 0);
    call(breaker, 0, false);
    expect(breaker.state(100)).toBe('HALF_OPEN');
    if (old.permitted) breaker.onSuccess(150, 150, old.ticket);
    expect(breaker.state(150)).toBe('HALF_OPEN');
  });
});

// A property for every model: during one half-open period no more calls are permitted than the model's
// trial limit (opossum: exactly one, lib/circuit.js pendingClose; resilience4j:
// permittedNumberOfCallsInHalfOpenState, CircuitBreakerStateMachine.HalfOpenState; consecutive: halfOpenMaxCalls).
describe('half-open limits (property)', () => {
  type Op = { kind: 'acquire' } | { kind: 'succeed'; pick: number } | { kind: 'fail'; pick: number } | { kind: 'wait'; ms: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.constant<Op>({ kind: 'acquire' }),
    fc.nat(50).map<Op>((pick) => ({ kind: 'succeed', pick })),
    fc.nat(50).map<Op>((pick) => ({ kind: 'fail', pick })),
    fc.integer({ min: 1, max: 400 }).map<Op>((ms) => ({ kind: 'wait', ms })),
  );
  const configs: Array<[BreakerConfig, number]> = [
    [{ model: 'opossum', errorThresholdPercentage: 10, resetTimeout: 300, rollingCountTimeout: 1000 }, 1],
    [{ model: 'resilience4j', slidingWindowSize: 4, minimumNumberOfCalls: 2, permittedNumberOfCallsInHalfOpenState: 3, waitDurationInOpenState: 300 }, 3],
    [{ model: 'resilience4j', slidingWindowType: 'TIME_BASED', slidingWindowSize: 2, minimumNumberOfCalls: 2, permittedNumberOfCallsInHalfOpenState: 2, waitDurationInOpenState: 300, automaticTransitionFromOpenToHalfOpenEnabled: true }, 2],
    [{ model: 'consecutive', failureThreshold: 2, resetTimeoutMs: 300, halfOpenMaxCalls: 2 }, 2],
  ];

  for (const [config, limit] of configs) {
    it(`${config.model} never permits more than ${limit} call(s) per half-open period`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
          let halfOpenPermits = 0;
          let now = 0;
          const breaker = createBreaker(config, {
            onTransition: (_from, to) => {
              if (to === 'HALF_OPEN') halfOpenPermits = 0;
            },
          });
          const open: number[] = [];
          for (const o of ops) {
            if (o.kind === 'wait') {
              const deadline = breaker.nextDeadline();
              if (deadline !== null && deadline <= now + o.ms) breaker.tick(deadline);
              now += o.ms;
              breaker.tick(now);
            } else if (o.kind === 'acquire') {
              const a = tryAcquire(breaker, now);
              if (a.permitted) {
                open.push(a.ticket);
                if (breaker.state(now) === 'HALF_OPEN') halfOpenPermits++;
              }
            } else if (open.length > 0) {
              const [ticket] = open.splice(o.pick % open.length, 1);
              if (o.kind === 'succeed') breaker.onSuccess(now, 0, ticket!);
              else breaker.onFailure(now, 0, ticket!, 'error');
            }
            expect(halfOpenPermits).toBeLessThanOrEqual(limit);
          }
        }),
      );
    });
  }
});
