/**
 * Retry backoff and the retry decision (SEMANTICS.md "Retries"; AWS Architecture Blog,
 * "Exponential Backoff and Jitter", with the first retry's ceiling at `baseDelayMs`).
 *
 * Before retry n = 1, 2, ...: `cap(n) = min(maxDelayMs, baseDelayMs * multiplier^(n-1))`
 * - none:         cap(n)                                   (no draw)
 * - full:         U(0, cap(n))                             (one draw)
 * - equal:        cap(n)/2 + U(0, cap(n)/2)                (one draw)
 * - decorrelated: min(maxDelayMs, U(baseDelayMs, prev*3)), prev = baseDelayMs before retry 1 (one draw)
 * `uniform` is the caller's seeded [0, 1) stream; the number of draws per call is fixed per
 * strategy, so changing one retry policy never shifts another stream.
 */

import { powInt } from '../../engine/fmath';
import type { RetryPolicy } from '../../scenario/schema';

export type JitterStrategy = RetryPolicy['jitter'];

export interface BackoffConfig {
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
}

/** A retry is decided on an HTTP status or on the caller's timeout. */
export type AttemptOutcome = number | 'timeout';

/** The exponential ceiling before retry `n` (1-based). */
export function backoffCap(n: number, cfg: BackoffConfig): number {
  return Math.min(cfg.maxDelayMs, cfg.baseDelayMs * powInt(cfg.multiplier, n - 1));
}

/**
 * The delay before retry `n` (1-based). `prevDelayMs` is the delay chosen before the previous
 * retry (only decorrelated reads it; null or ignored for n = 1, where it is `baseDelayMs`).
 */
export function backoffDelay(
  strategy: JitterStrategy,
  n: number,
  prevDelayMs: number | null,
  cfg: BackoffConfig,
  uniform: () => number,
): number {
  switch (strategy) {
    case 'none':
      return backoffCap(n, cfg);
    case 'full':
      return uniform() * backoffCap(n, cfg);
    case 'equal': {
      const half = backoffCap(n, cfg) / 2;
      return half + uniform() * half;
    }
    case 'decorrelated': {
      const prev = n <= 1 || prevDelayMs === null ? cfg.baseDelayMs : prevDelayMs;
      const lo = cfg.baseDelayMs;
      const hi = prev * 3;
      return Math.min(cfg.maxDelayMs, lo + uniform() * (hi - lo));
    }
  }
}

/** Whether an attempt that ended with `outcome` should be retried under `retryOn` (by default, the scenario's DEFAULT_RETRY_ON). */
export function shouldRetry(outcome: AttemptOutcome, retryOn: readonly AttemptOutcome[]): boolean {
  return retryOn.includes(outcome);
}
