/**
 * Retry throttling as gRPC specifies it (proposal A6 "gRPC Retry Design", grpc-go's
 * `retryThrottler` in clientconn.go):
 * - the token count starts at `maxTokens`;
 * - each failed attempt takes one token (never below 0), each success adds `tokenRatio`
 *   (never above `maxTokens`);
 * - retries are allowed only while the count is strictly greater than `maxTokens / 2`.
 * grpc-go decrements on a failed attempt whose status is retryable and reads the verdict right
 * after (`throttle()`); `onFailure` does both and returns the verdict.
 */

export interface RetryBudgetConfig {
  maxTokens: number;
  tokenRatio: number;
}

export class RetryBudget {
  private count: number;
  private readonly threshold: number;

  constructor(private readonly config: RetryBudgetConfig) {
    this.count = config.maxTokens;
    this.threshold = config.maxTokens / 2;
  }

  /** The current token count. */
  get tokens(): number {
    return this.count;
  }

  /** Whether a retry may be sent now (tokens > maxTokens / 2). */
  canRetry(): boolean {
    return this.count > this.threshold;
  }

  /** A failed attempt: take a token; returns whether a retry is still allowed. */
  onFailure(): boolean {
    this.count = Math.max(0, this.count - 1);
    return this.canRetry();
  }

  /** A successful attempt: give back `tokenRatio`, capped at `maxTokens`. */
  onSuccess(): void {
    this.count = Math.min(this.config.maxTokens, this.count + this.config.tokenRatio);
  }
}
