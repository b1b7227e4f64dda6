// Backoff formulas from the AWS Architecture Blog "Exponential Backoff and Jitter" (Marc Brooker, 2015;
// the code of aws-samples/aws-arch-backoff-simulator, src/backoff_simulator.py), as SEMANTICS.md fixes them:
// the first retry's ceiling is baseDelayMs.
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { backoffCap, backoffDelay, shouldRetry, type BackoffConfig, type JitterStrategy } from '../../../src/model/policies/backoff';
import { DEFAULT_RETRY_ON } from '../../../src/scenario/schema';

const CFG: BackoffConfig = { baseDelayMs: 1000, maxDelayMs: 10000, multiplier: 2 };
const SEEDS = 4000;

/** One draw per seed, each from its own alea stream: the spread over many seeds. */
function drawsOverSeeds(strategy: JitterStrategy, n: number, prev: number | null, cfg = CFG): number[] {
  const out: number[] = [];
  for (let s = 0; s < SEEDS; s++) {
    const rng = seedrandom.alea(`backoff-${strategy}-${n}-${s}`);
    out.push(backoffDelay(strategy, n, prev, cfg, rng));
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('backoff', () => {
  // SEMANTICS.md / the seed scenario: "1 s, 2 s, 4 s, 8 s", capped at maxDelayMs.
  it('none: the exponential ceiling min(maxDelayMs, base * multiplier^(n-1))', () => {
    const never = () => {
      throw new Error('none takes no draw');
    };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay('none', n, null, CFG, never))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    expect(backoffCap(3, { baseDelayMs: 100, maxDelayMs: 1e9, multiplier: 3 })).toBe(900);
  });

  // "Full Jitter": sleep = random_between(0, min(cap, base * 2 ** attempt))
  it('full jitter: draws in [0, cap) with mean cap/2', () => {
    for (const n of [1, 3, 5]) {
      const cap = backoffCap(n, CFG);
      const xs = drawsOverSeeds('full', n, null);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(cap);
      expect(Math.abs(mean(xs) - cap / 2)).toBeLessThan(cap * 0.02);
    }
  });

  // "Equal Jitter": temp = min(cap, base * 2 ** attempt); sleep = temp / 2 + random_between(0, temp / 2)
  it('equal jitter: draws in [cap/2, cap) with mean 3cap/4', () => {
    for (const n of [1, 2, 4]) {
      const cap = backoffCap(n, CFG);
      const xs = drawsOverSeeds('equal', n, null);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(cap / 2);
      expect(Math.max(...xs)).toBeLessThan(cap);
      expect(Math.abs(mean(xs) - (3 * cap) / 4)).toBeLessThan(cap * 0.02);
    }
  });

  // "Decorrelated Jitter": sleep = min(cap, random_between(base, sleep * 3)), sleep starting at base.
  it('decorrelated jitter: U(base, prev*3) capped, with prev = base before the first retry', () => {
    const first = drawsOverSeeds('decorrelated', 1, null);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...first)).toBeLessThan(3000);
    expect(Math.abs(mean(first) - 2000)).toBeLessThan(2000 * 0.02);

    const later = drawsOverSeeds('decorrelated', 2, 2500);
    expect(Math.min(...later)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...later)).toBeLessThan(7500);
    expect(Math.abs(mean(later) - 4250)).toBeLessThan(4250 * 0.02);

    // Capped: U(1000, 9000) then min(.., 5000): P(cap) = 0.5, mean = 0.5 * 3000 + 0.5 * 5000 = 4000.
    const capped = drawsOverSeeds('decorrelated', 3, 3000, { ...CFG, maxDelayMs: 5000 });
    expect(Math.max(...capped)).toBe(5000);
    expect(Math.abs(mean(capped) - 4000)).toBeLessThan(4000 * 0.02);
  });

  it('every strategy stays inside its bounds for any config and draw (property)', () => {
    const cfgArb = fc.record({
      baseDelayMs: fc.integer({ min: 1, max: 10_000 }),
      maxDelayMs: fc.integer({ min: 1, max: 100_000 }),
      multiplier: fc.double({ min: 1, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(cfgArb, fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (cfg, n, u) => {
        const cap = backoffCap(n, cfg);
        const draw = () => u;
        const full = backoffDelay('full', n, null, cfg, draw);
        const equal = backoffDelay('equal', n, null, cfg, draw);
        expect(full).toBeGreaterThanOrEqual(0);
        expect(full).toBeLessThanOrEqual(cap);
        expect(equal).toBeGreaterThanOrEqual(cap / 2);
        expect(equal).toBeLessThanOrEqual(cap);
        expect(cap).toBeLessThanOrEqual(cfg.maxDelayMs);
        // A chain of decorrelated sleeps: each within [base, 3 * previous], never above maxDelayMs.
        let prev: number | null = null;
        const rng = seedrandom.alea(`chain-${u}`);
        for (let k = 1; k <= n; k++) {
          const d: number = backoffDelay('decorrelated', k, prev, cfg, rng);
          const p: number = prev ?? cfg.baseDelayMs;
          expect(d).toBeLessThanOrEqual(cfg.maxDelayMs);
          expect(d).toBeLessThanOrEqual(Math.max(cfg.baseDelayMs, p * 3));
          expect(d).toBeGreaterThanOrEqual(Math.min(cfg.baseDelayMs, cfg.maxDelayMs, p * 3));
          prev = d;
        }
      }),
    );
  });

  it('takes one draw per jittered delay and none without jitter', () => {
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    backoffDelay('none', 2, null, CFG, counting);
    expect(draws).toBe(0);
    for (const s of ['full', 'equal', 'decorrelated'] as const) backoffDelay(s, 2, 1500, CFG, counting);
    expect(draws).toBe(3);
  });
});

describe('retry decision', () => {
  // SEMANTICS.md "Retries": 408, 429, 500, 502, 503, 504 and timeouts are retried; 400, 401, 403, 404, 409 are not.
  it('retries the conventional statuses and timeouts, not client errors', () => {
    for (const s of [408, 429, 500, 502, 503, 504, 'timeout'] as const) expect(shouldRetry(s, DEFAULT_RETRY_ON)).toBe(true);
    for (const s of [200, 400, 401, 403, 404, 409]) expect(shouldRetry(s, DEFAULT_RETRY_ON)).toBe(false);
    expect(DEFAULT_RETRY_ON).toHaveLength(7);
  });

  it('follows a custom retryOn list', () => {
    expect(shouldRetry(503, [503])).toBe(true);
    expect(shouldRetry('timeout', [503])).toBe(false);
  });
});
