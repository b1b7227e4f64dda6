/**
 * Gateway rate limiters (SEMANTICS.md "Rate limiting at the gateway"), keyed per client or global.
 *
 * - fixed-window: express-rate-limit with its MemoryStore (source/memory-store.ts, source/rate-limit.ts,
 *   source/headers.ts). A key's window starts at its first hit and resets lazily when
 *   `now >= resetTime`; the hit is counted before the check, so blocked requests count; blocked
 *   when `hits > limit`; `remaining = max(limit - hits, 0)`; Retry-After = ceil((reset - now) / 1 s).
 * - token-bucket: Envoy's local rate limit (envoy.type.v3.TokenBucket; the fill timer of
 *   local_ratelimit_impl.cc): starts full at `maxTokens`; every `fillIntervalMs`, on a fixed
 *   cadence from the limiter's creation, `tokensPerFill` are added, capped; a request takes one
 *   token or is refused. Envoy sends no Retry-After, so none is given.
 * - sliding-window: exactly the requests of the last `windowMs` (a sliding log). Only allowed
 *   requests are logged: a blocked request does not count. So any interval of `windowMs` holds at
 *   most `limit` allowed requests, a client hammering past the limit gets through again as soon
 *   as its oldest allowed request leaves the window (instead of locking itself out for as long as
 *   it keeps retrying), and the log per key never holds more than `limit` entries.
 *   Retry-After = ceil((oldest + windowMs - now) / 1 s). A request exactly `windowMs` old has left.
 */

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds a 429 should carry in Retry-After, when the algorithm gives one. */
  retryAfterSec?: number;
  /** Requests (or tokens) left for this key after this one. */
  remaining: number;
}

export type RateLimitPer = 'client' | 'global';

export interface FixedWindowConfig {
  algorithm: 'fixed-window';
  limit: number;
  windowMs: number;
  per?: RateLimitPer;
}

export interface TokenBucketConfig {
  algorithm: 'token-bucket';
  maxTokens: number;
  tokensPerFill?: number;
  fillIntervalMs: number;
  per?: RateLimitPer;
}

export interface SlidingWindowConfig {
  algorithm: 'sliding-window';
  limit: number;
  windowMs: number;
  per?: RateLimitPer;
}

export type RateLimitConfig = FixedWindowConfig | TokenBucketConfig | SlidingWindowConfig;

export interface RateLimiter {
  /** A request from `key` (a client id; ignored when global) at simulated time `now`. */
  hit(key: string, now: number): RateLimitDecision;
  /** The same decision allocating nothing: whether it is allowed; `retryAfterSec` (-1: none) and `remaining` describe it. */
  allow(key: string, now: number): boolean;
  readonly retryAfterSec: number;
  readonly remaining: number;
}

/** Whole seconds until `at`, as express-rate-limit's getResetSeconds computes them. */
const secondsUntil = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

/** The last decision of an algorithm (allow → retryAfterSec, remaining). */
abstract class Algorithm {
  retryAfterSec = -1;
  remaining = 0;
  abstract allow(key: string, now: number): boolean;
}

class FixedWindow extends Algorithm {
  private readonly clients = new Map<string, { hits: number; resetTime: number }>();

  constructor(private readonly config: FixedWindowConfig) {
    super();
  }

  allow(key: string, now: number): boolean {
    let client = this.clients.get(key);
    if (client === undefined) {
      client = { hits: 0, resetTime: now + this.config.windowMs };
      this.clients.set(key, client);
    } else if (client.resetTime <= now) {
      client.hits = 0;
      client.resetTime = now + this.config.windowMs;
    }
    client.hits++;
    this.remaining = Math.max(this.config.limit - client.hits, 0);
    if (client.hits > this.config.limit) {
      this.retryAfterSec = secondsUntil(client.resetTime, now);
      return false;
    }
    this.retryAfterSec = -1;
    return true;
  }
}

class TokenBuckets extends Algorithm {
  private readonly buckets = new Map<string, { tokens: number; fills: number }>();
  private readonly tokensPerFill: number;

  constructor(
    private readonly config: TokenBucketConfig,
    private readonly createdAt: number,
  ) {
    super();
    this.tokensPerFill = config.tokensPerFill ?? 1;
  }

  allow(key: string, now: number): boolean {
    const fills = Math.floor((now - this.createdAt) / this.config.fillIntervalMs);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      // A bucket nobody has used is full whatever the time.
      bucket = { tokens: this.config.maxTokens, fills };
      this.buckets.set(key, bucket);
    } else if (fills > bucket.fills) {
      bucket.tokens = Math.min(this.config.maxTokens, bucket.tokens + (fills - bucket.fills) * this.tokensPerFill);
      bucket.fills = fills;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens--;
      this.remaining = bucket.tokens;
      return true;
    }
    this.remaining = 0;
    return false;
  }
}

class SlidingWindow extends Algorithm {
  /** Per key, the times of the allowed requests still in the window, oldest first. */
  private readonly logs = new Map<string, number[]>();

  constructor(private readonly config: SlidingWindowConfig) {
    super();
  }

  allow(key: string, now: number): boolean {
    let log = this.logs.get(key);
    if (log === undefined) {
      log = [];
      this.logs.set(key, log);
    }
    const horizon = now - this.config.windowMs;
    let expired = 0;
    while (expired < log.length && log[expired]! <= horizon) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length >= this.config.limit) {
      this.retryAfterSec = secondsUntil(log[0]! + this.config.windowMs, now);
      this.remaining = 0;
      return false;
    }
    log.push(now);
    this.retryAfterSec = -1;
    this.remaining = this.config.limit - log.length;
    return true;
  }
}

const GLOBAL_KEY = '*';

/** Build the limiter a gateway's `rateLimit` names. `createdAtMs` starts the token bucket's fill cadence. */
export function createRateLimiter(config: RateLimitConfig, createdAtMs = 0): RateLimiter {
  const inner =
    config.algorithm === 'fixed-window'
      ? new FixedWindow(config)
      : config.algorithm === 'token-bucket'
        ? new TokenBuckets(config, createdAtMs)
        : new SlidingWindow(config);
  return new Limiter(inner, (config.per ?? 'client') === 'global');
}

/** A limiter and its keying; its state is in `inner`, plain data. */
class Limiter implements RateLimiter {
  constructor(
    private readonly inner: Algorithm,
    private readonly global: boolean,
  ) {}

  allow(key: string, now: number): boolean {
    return this.inner.allow(this.global ? GLOBAL_KEY : key, now);
  }

  get retryAfterSec(): number {
    return this.inner.retryAfterSec;
  }

  get remaining(): number {
    return this.inner.remaining;
  }

  hit(key: string, now: number): RateLimitDecision {
    const allowed = this.allow(key, now);
    const sec = this.inner.retryAfterSec;
    return sec >= 0 && !allowed ? { allowed, retryAfterSec: sec, remaining: this.inner.remaining } : { allowed, remaining: this.inner.remaining };
  }
}
