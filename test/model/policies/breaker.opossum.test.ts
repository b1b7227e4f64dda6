// opossum's rules, each case taken from nodeshift/opossum's own source or tests (cited per test).
import { describe, expect, it } from 'vitest';
import { createBreaker, tryAcquire, type Breaker, type BreakerConfig, type BreakerState } from '../../../src/model/policies/breaker';
import type { OpossumBreaker } from '../../../src/model/policies/breakers/opossum';

type Opts = Omit<Extract<BreakerConfig, { model: 'opossum' }>, 'model'>;

function opossum(opts: Opts = {}, createdAt = 0) {
  const transitions: Array<[BreakerState, BreakerState, number]> = [];
  const breaker = createBreaker({ model: 'opossum', ...opts }, { onTransition: (f, t, now) => transitions.push([f, t, now]) }, createdAt);
  return { breaker, transitions, stats: (now: number) => (breaker as OpossumBreaker).stats(now) };
}

/** One whole call: fire at `now`, fail or succeed at once. Returns false when short-circuited. */
function call(b: Breaker, now: number, ok: boolean): boolean {
  const a = tryAcquire(b, now);
  if (!a.permitted) return false;
  if (ok) b.onSuccess(now, 0, a.ticket);
  else b.onFailure(now, 0, a.ticket, 'error');
  return true;
}

function ticketOf(b: Breaker, now: number): number {
  const a = tryAcquire(b, now);
  if (!a.permitted) throw new Error(`expected a permit at ${now}`);
  return a.ticket;
}

describe('opossum breaker', () => {
  // nodeshift/opossum test/volume-threshold-test.js "By default does not have a volume threshold":
  // errorThresholdPercentage 1, resetTimeout 100, one failing fire opens it.
  it('opens on the first failure by default (volumeThreshold 0)', () => {
    const { breaker } = opossum({ errorThresholdPercentage: 1, resetTimeout: 100 });
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('OPEN');
  });

  // nodeshift/opossum test/volume-threshold-test.js "Has a volume threshold before tripping when option is provided"
  it('stays closed until fires reach volumeThreshold', () => {
    const { breaker } = opossum({ errorThresholdPercentage: 1, resetTimeout: 100, volumeThreshold: 3 });
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('CLOSED');
    call(breaker, 1, false);
    expect(breaker.state(1)).toBe('CLOSED');
    call(breaker, 2, false);
    expect(breaker.state(2)).toBe('OPEN');
  });

  // nodeshift/opossum test/volume-threshold-test.js "volume threshold does not affect halfOpen state":
  // rollingCountTimeout 300 -> after resetTimeout * 1.5 the window is empty, yet a half-open failure opens it.
  it('ignores volumeThreshold while half-open; the window has rotated empty by then', () => {
    const { breaker, stats } = opossum({ errorThresholdPercentage: 1, resetTimeout: 300, rollingCountTimeout: 300, volumeThreshold: 2 });
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('CLOSED');
    call(breaker, 1, false);
    expect(breaker.state(1)).toBe('OPEN');
    expect(breaker.state(450)).toBe('HALF_OPEN');
    expect(stats(450).fires).toBe(0);
    call(breaker, 450, false);
    expect(breaker.state(450)).toBe('OPEN');
  });

  // nodeshift/opossum lib/circuit.js fail(): `errorRate > options.errorThresholdPercentage` (strict).
  it('opens only when the error rate is strictly above errorThresholdPercentage', () => {
    const { breaker } = opossum({ errorThresholdPercentage: 50 });
    call(breaker, 0, true);
    call(breaker, 1, false); // 1 / 2 = 50 %: not above 50
    expect(breaker.state(1)).toBe('CLOSED');
    call(breaker, 2, false); // 2 / 3 = 66.7 %
    expect(breaker.state(2)).toBe('OPEN');
  });

  // nodeshift/opossum lib/circuit.js call(): `this.emit('fire')` comes before the closed/pendingClose check,
  // and lib/status.js counts every 'fire'; rejected calls are thus in the denominator of fail().
  it('counts rejected calls as fires, in the denominator', () => {
    const { breaker, stats } = opossum({ errorThresholdPercentage: 50, resetTimeout: 1000, rollingCountTimeout: 60000 });
    call(breaker, 0, false); // 1/1: open
    expect(breaker.state(0)).toBe('OPEN');
    for (const t of [10, 20, 30]) expect(tryAcquire(breaker, t)).toEqual({ permitted: false, reason: 'open' });
    expect(stats(30)).toMatchObject({ fires: 4, rejects: 3, failures: 1 });
    expect(call(breaker, 1000, true)).toBe(true); // the half-open trial succeeds: closed
    expect(breaker.state(1000)).toBe('CLOSED');
    // Never reset on close (lib/status.js has no reset): 5 fires, 1 failure so far.
    expect(stats(1000)).toMatchObject({ fires: 5, failures: 1, successes: 1 });
    call(breaker, 1100, false); // 2 failures / 6 fires = 33 %: stays closed (it would be 2/3 without the rejects)
    expect(breaker.state(1100)).toBe('CLOSED');
  });

  // nodeshift/opossum test/half-open-test.js "When half-open, the circuit only allows one request through"
  it('lets exactly one trial through while half-open; its failure re-opens', () => {
    const { breaker, transitions } = opossum({ errorThresholdPercentage: 1, resetTimeout: 100 });
    call(breaker, 0, false);
    expect(breaker.state(0)).toBe('OPEN');
    expect(breaker.state(150)).toBe('HALF_OPEN');
    const trial = ticketOf(breaker, 150); // fails after 500 ms
    expect(tryAcquire(breaker, 200)).toEqual({ permitted: false, reason: 'half-open-full' });
    expect(tryAcquire(breaker, 300)).toEqual({ permitted: false, reason: 'half-open-full' });
    breaker.onFailure(650, 500, trial, 'error');
    expect(breaker.state(650)).toBe('OPEN');
    expect(tryAcquire(breaker, 651)).toEqual({ permitted: false, reason: 'open' });
    expect(transitions).toEqual([
      ['CLOSED', 'OPEN', 0],
      ['OPEN', 'HALF_OPEN', 100],
      ['HALF_OPEN', 'OPEN', 650],
    ]);
  });

  // nodeshift/opossum lib/circuit.js constructor: `this.on('success', _ => { if (this.halfOpen) this.close(); })`
  // listens to every success, so a call started before the breaker opened closes it if it succeeds while half-open.
  it('closes on a late success of an earlier call while half-open, but not while open', () => {
    const { breaker } = opossum({ errorThresholdPercentage: 1, resetTimeout: 1000 });
    const slowA = ticketOf(breaker, 0);
    const slowB = ticketOf(breaker, 0);
    call(breaker, 1, false);
    expect(breaker.state(1)).toBe('OPEN');
    breaker.onSuccess(500, 500, slowA); // success while OPEN: nothing
    expect(breaker.state(500)).toBe('OPEN');
    expect(breaker.state(1000)).toBe('OPEN'); // opened at 1, half-open at 1001
    expect(breaker.state(1001)).toBe('HALF_OPEN');
    breaker.onSuccess(1500, 1500, slowB); // no trial made, yet it closes
    expect(breaker.state(1500)).toBe('CLOSED');
  });

  // nodeshift/opossum lib/status.js: buckets of floor(rollingCountTimeout / rollingCountBuckets) ms rotated by
  // setInterval from construction; stats sum the buckets. A failure leaves the window one full rotation later.
  it('ages a failure out of the rolling window after rollingCountTimeout', () => {
    const seen = opossum({ volumeThreshold: 2, errorThresholdPercentage: 50 });
    call(seen.breaker, 500, false); // bucket 0 (0..999), fires 1 < 2: closed
    expect(seen.stats(9999)).toMatchObject({ fires: 1, failures: 1 });
    expect(seen.stats(10000)).toMatchObject({ fires: 0, failures: 0 });
    call(seen.breaker, 9999, false); // still in the window: 2/2 -> open
    expect(seen.breaker.state(9999)).toBe('OPEN');

    const aged = opossum({ volumeThreshold: 2, errorThresholdPercentage: 50 });
    call(aged.breaker, 500, false);
    call(aged.breaker, 10000, false); // the first failure's bucket has rotated out: fires 1 < 2
    expect(aged.breaker.state(10000)).toBe('CLOSED');
  });

  // nodeshift/opossum lib/status.js: the interval starts at construction, not at the first call.
  it('rotates buckets on a cadence from the breaker creation', () => {
    const { breaker, stats } = opossum({ rollingCountTimeout: 1000, rollingCountBuckets: 10, volumeThreshold: 100 }, 50);
    call(breaker, 149, false); // bucket [50, 150)
    expect(stats(1049).failures).toBe(1);
    expect(stats(1050).failures).toBe(0);
  });

  // nodeshift/opossum lib/circuit.js call(): a locked semaphore emits 'semaphoreLocked' and goes through
  // handleError -> fail(), a failure like any other (lib/semaphore.js holds `capacity` permits).
  it('counts a capacity rejection as a failure', () => {
    const { breaker, stats } = opossum({ capacity: 1, errorThresholdPercentage: 50 });
    ticketOf(breaker, 0);
    expect(tryAcquire(breaker, 1)).toEqual({ permitted: false, reason: 'capacity' }); // 1/2 failures
    expect(breaker.state(1)).toBe('CLOSED');
    expect(tryAcquire(breaker, 2)).toEqual({ permitted: false, reason: 'capacity' }); // 2/3
    expect(breaker.state(2)).toBe('OPEN');
    expect(stats(2)).toMatchObject({ fires: 3, failures: 2, semaphoreRejections: 2 });
  });

  // nodeshift/opossum lib/circuit.js call(): on timeout it emits 'timeout' then handleError -> fail(); the late
  // answer is dropped (`if (!timeoutError)`).
  it('counts a timeout in timeouts and failures, and ignores the late answer of that call', () => {
    const { breaker, stats } = opossum({ errorThresholdPercentage: 50, timeout: 3000 });
    expect(breaker.callTimeoutMs).toBe(3000);
    call(breaker, 0, true);
    const t = ticketOf(breaker, 10);
    breaker.onFailure(3010, 3000, t, 'timeout');
    expect(stats(3010)).toMatchObject({ fires: 2, failures: 1, timeouts: 1 });
    breaker.onSuccess(4000, 3990, t); // late: ignored
    expect(stats(4000)).toMatchObject({ successes: 1 });
  });

  // nodeshift/opossum lib/circuit.js _startTimer: setTimeout(resetTimeout) armed on 'open'.
  it('reports the resetTimeout deadline and goes half-open on tick', () => {
    const { breaker, transitions } = opossum({ resetTimeout: 30000 });
    expect(breaker.nextDeadline()).toBeNull();
    call(breaker, 1234, false);
    expect(breaker.nextDeadline()).toBe(31234);
    breaker.tick(31233);
    expect(transitions.at(-1)).toEqual(['CLOSED', 'OPEN', 1234]);
    breaker.tick(31234);
    expect(transitions.at(-1)).toEqual(['OPEN', 'HALF_OPEN', 31234]);
    expect(breaker.nextDeadline()).toBeNull();
  });
});
