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

export type JitterStrategy = 'none' | 'full' | 'equal' | 'decorrelated';

export interface BackoffConfig {
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
}

/** A retry is decided on an HTTP status or on the caller's timeout. */
export type AttemptOutcome = number | 'timeout';

/** By convention (SEMANTICS.md): retried 408, 429, 500, 502, 503, 504 and timeouts. */
export const CONVENTIONAL_RETRY_ON: readonly AttemptOutcome[] = [408, 429, 500, 502, 503, 504, 'timeout'];

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

/** Whether an attempt that ended with `outcome` should be retried under `retryOn`. */
export function shouldRetry(outcome: AttemptOutcome, retryOn: readonly AttemptOutcome[] = CONVENTIONAL_RETRY_ON): boolean {
  return retryOn.includes(outcome);
}

/** Statuses that may carry Retry-After in the simulation (SEMANTICS.md): 429 and 503. */
export function mayCarryRetryAfter(status: AttemptOutcome): boolean {
  return status === 429 || status === 503;
}

/**
 * Parse a Retry-After header value in its delta-seconds form ("120") to seconds; null when
 * absent or not a non-negative integer (the HTTP-date form has no meaning on simulated time).
 */
export function parseRetryAfter(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The wait before the next attempt: the server's Retry-After (seconds) replaces the computed
 * backoff when the policy honours it and the answer carried one, else the backoff.
 */
export function retryDelayMs(backoffMs: number, retryAfterSec: number | null | undefined, honorRetryAfter: boolean): number {
  if (honorRetryAfter && retryAfterSec !== null && retryAfterSec !== undefined && retryAfterSec >= 0) return retryAfterSec * 1000;
  return backoffMs;
}
