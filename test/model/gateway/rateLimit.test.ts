import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/model/gateway/rateLimit';

describe('fixed-window (express-rate-limit)', () => {
  // express-rate-limit/express-rate-limit source/memory-store.ts: a new client gets resetTime = now + windowMs at
  // its first increment; `if (client.resetTime.getTime() <= now) resetClient`; totalHits++ before the check.
  // source/rate-limit.ts: blocked when `totalHits > limit`, remaining = max(limit - totalHits, 0).
  // source/headers.ts getResetSeconds: Retry-After = ceil((resetTime - now) / 1000).
  it('starts the window at the key\'s first hit and resets it lazily at resetTime', () => {
    const rl = createRateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 60000 });
    expect(rl.hit('a', 10000)).toEqual({ allowed: true, remaining: 1 });
    expect(rl.hit('a', 20000)).toEqual({ allowed: true, remaining: 0 });
    expect(rl.hit('a', 30000)).toEqual({ allowed: false, remaining: 0, retryAfterSec: 40 });
    expect(rl.hit('a', 69999)).toEqual({ allowed: false, remaining: 0, retryAfterSec: 1 });
    expect(rl.hit('a', 70000)).toEqual({ allowed: true, remaining: 1 }); // now >= resetTime: a new window
    // Another key's window starts at its own first hit.
    expect(rl.hit('b', 65000)).toEqual({ allowed: true, remaining: 1 });
    expect(rl.hit('b', 66000)).toEqual({ allowed: true, remaining: 0 });
    expect(rl.hit('b', 124999)).toEqual({ allowed: false, remaining: 0, retryAfterSec: 1 });
    expect(rl.hit('b', 125000).allowed).toBe(true);
  });

  // source/rate-limit.ts: the store is incremented before the limit check, so a blocked request is a hit too:
  // a limit of N lets N requests through per window whatever the number of blocked ones.
  it('counts blocked hits but lets exactly limit through per window', () => {
    const rl = createRateLimiter({ algorithm: 'fixed-window', limit: 3, windowMs: 1000 });
    const allowed = Array.from({ length: 10 }, (_, i) => rl.hit('a', i * 10).allowed);
    expect(allowed).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(rl.hit('a', 1000).allowed).toBe(true);
  });

  it('shares one window between all clients when global', () => {
    const rl = createRateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 1000, per: 'global' });
    expect(rl.hit('a', 0).allowed).toBe(true);
    expect(rl.hit('b', 1).allowed).toBe(false);
  });
});

describe('token-bucket (Envoy local rate limit)', () => {
  // envoyproxy/envoy api/envoy/type/v3/token_bucket.proto: max_tokens is "also the number of tokens that the
  // bucket initially contains"; every fill_interval, tokens_per_fill are added, never above max_tokens.
  // source/extensions/filters/common/local_ratelimit/local_ratelimit_impl.cc: a fill timer re-armed every
  // fill_interval from construction; each request takes one token.
  it('starts full, refills tokensPerFill every fillIntervalMs on a fixed cadence, capped at maxTokens', () => {
    const rl = createRateLimiter({ algorithm: 'token-bucket', maxTokens: 3, tokensPerFill: 1, fillIntervalMs: 1000 });
    expect([0, 0, 0, 0].map((t) => rl.hit('a', t))).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 },
      { allowed: false, remaining: 0 },
    ]);
    expect(rl.hit('a', 999).allowed).toBe(false);
    expect(rl.hit('a', 1000).allowed).toBe(true); // first fill at 1000
    expect(rl.hit('a', 1500).allowed).toBe(false);
    expect(rl.hit('a', 2000).allowed).toBe(true); // the cadence is fixed: 2000, not 1000 after the last take
    expect([6000, 6000, 6000, 6000].map((t) => rl.hit('a', t).allowed)).toEqual([true, true, true, false]); // 4 fills, capped at 3
  });

  it('adds tokensPerFill at once and follows the cadence from the limiter creation', () => {
    const rl = createRateLimiter({ algorithm: 'token-bucket', maxTokens: 10, tokensPerFill: 4, fillIntervalMs: 500 }, 100);
    for (let i = 0; i < 10; i++) rl.hit('a', 100);
    expect(rl.hit('a', 599).allowed).toBe(false);
    expect(rl.hit('a', 600)).toEqual({ allowed: true, remaining: 3 });
    // A client first seen late finds a full bucket of its own.
    expect(rl.hit('b', 5000)).toEqual({ allowed: true, remaining: 9 });
  });
});

describe('sliding-window (exact log of the last windowMs)', () => {
  it('allows exactly limit requests in any windowMs, and frees a slot as the oldest leaves', () => {
    const rl = createRateLimiter({ algorithm: 'sliding-window', limit: 3, windowMs: 1000 });
    expect(rl.hit('a', 0)).toEqual({ allowed: true, remaining: 2 });
    expect(rl.hit('a', 100)).toEqual({ allowed: true, remaining: 1 });
    expect(rl.hit('a', 200)).toEqual({ allowed: true, remaining: 0 });
    expect(rl.hit('a', 300)).toEqual({ allowed: false, remaining: 0, retryAfterSec: 1 });
    expect(rl.hit('a', 999).allowed).toBe(false);
    expect(rl.hit('a', 1000)).toEqual({ allowed: true, remaining: 0 }); // the request at 0 has left
    expect(rl.hit('a', 1099).allowed).toBe(false);
    expect(rl.hit('a', 1100).allowed).toBe(true);
  });

  it('does not count blocked requests: a client hammering past the limit still gets through', () => {
    const rl = createRateLimiter({ algorithm: 'sliding-window', limit: 2, windowMs: 1000 });
    const passed: number[] = [];
    for (let t = 0; t < 3000; t += 10) if (rl.hit('a', t).allowed) passed.push(t);
    expect(passed).toEqual([0, 10, 1000, 1010, 2000, 2010]);
  });

  it('counts exactly the allowed requests of the last windowMs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 200 }),
        (limit, windowMs, raw) => {
          const times = [...raw].sort((a, b) => a - b);
          const rl = createRateLimiter({ algorithm: 'sliding-window', limit, windowMs });
          const allowed: number[] = [];
          for (const t of times) {
            const inWindow = allowed.filter((a) => a > t - windowMs).length;
            const d = rl.hit('k', t);
            expect(d.allowed).toBe(inWindow < limit);
            if (d.allowed) {
              allowed.push(t);
              expect(d.remaining).toBe(limit - inWindow - 1);
            } else {
              const oldest = allowed.filter((a) => a > t - windowMs)[0]!;
              expect(d.retryAfterSec).toBe(Math.ceil((oldest + windowMs - t) / 1000));
            }
          }
        },
      ),
    );
  });
});
