// gRPC retry throttling: grpc/proposal A6-client-retries.md ("Retry Throttling": token_count starts at
// max_tokens, failures decrement by 1, successes increment by token_ratio, retries throttled while
// token_count <= max_tokens / 2) and grpc/grpc-go clientconn.go retryThrottler.throttle()/successfulRPC().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../src/model/policies/retryBudget';

describe('retry budget (gRPC throttling)', () => {
  // A6's example: maxTokens 10, tokenRatio 0.1 -> threshold 5.
  it('starts full and stops retries once the count falls to maxTokens / 2', () => {
    const b = new RetryBudget({ maxTokens: 10, tokenRatio: 0.1 });
    expect(b.tokens).toBe(10);
    expect(b.canRetry()).toBe(true);
    expect([1, 2, 3, 4].map(() => b.onFailure())).toEqual([true, true, true, true]); // 9, 8, 7, 6
    expect(b.onFailure()).toBe(false); // 5: not > 5
    expect(b.tokens).toBe(5);
    b.onSuccess(); // 5.1
    expect(b.canRetry()).toBe(true);
  });

  // grpc-go retryThrottler.throttle(): `if rt.tokens < 0 { rt.tokens = 0 }`; successfulRPC(): capped at max.
  it('never goes below 0 nor above maxTokens', () => {
    const b = new RetryBudget({ maxTokens: 4, tokenRatio: 1.5 });
    for (let i = 0; i < 10; i++) b.onFailure();
    expect(b.tokens).toBe(0);
    b.onSuccess();
    b.onSuccess();
    expect(b.tokens).toBe(3);
    b.onSuccess();
    expect(b.tokens).toBe(4);
  });

  it('needs maxTokens/2 / tokenRatio successes to recover from empty (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.array(fc.boolean(), { maxLength: 300 }), (max, ratioMilli, outcomes) => {
        const b = new RetryBudget({ maxTokens: max, tokenRatio: ratioMilli / 1000 });
        let expected = max;
        for (const ok of outcomes) {
          if (ok) {
            b.onSuccess();
            expected = Math.min(max, expected + ratioMilli / 1000);
          } else {
            const allowed = b.onFailure();
            expected = Math.max(0, expected - 1);
            expect(allowed).toBe(expected > max / 2);
          }
          expect(b.tokens).toBeCloseTo(expected, 9);
          expect(b.canRetry()).toBe(b.tokens > max / 2);
        }
      }),
    );
  });
});
