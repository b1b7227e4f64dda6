/**
 * The limits a run keeps so a runaway scenario stops with a sentence instead of exhausting the
 * machine: how many requests may be in flight at once, and how long a waiting line with no limit
 * of its own may grow. A limit stops the run through the kernel (`halt`), naming the limit, the
 * component that drove it, and the simulated time.
 */
import type { Kernel } from '../engine';

export interface Limits {
  /** The most requests in flight at once. */
  maxInFlight: number;
  /** The longest any waiting line may grow when it has no limit of its own. */
  maxQueueLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxInFlight: 1_000_000,
  maxQueueLength: 1_000_000,
};

export class Guardrails {
  readonly limits: Limits;

  constructor(
    private readonly kernel: Kernel,
    limits: Partial<Limits> = {},
  ) {
    this.limits = {
      maxInFlight: limits.maxInFlight ?? DEFAULT_LIMITS.maxInFlight,
      maxQueueLength: limits.maxQueueLength ?? DEFAULT_LIMITS.maxQueueLength,
    };
  }

  /** Stop the run: `what` went past its limit, driven by `culprit`. */
  stop(what: string, culprit: string): void {
    this.kernel.halt(`limit reached: ${what} (driven by ${culprit}, at ${this.kernel.now.toFixed(1)} ms)`);
  }

  /** Called as a request starts, with the count in flight. */
  checkInFlight(inFlight: number, client: string): void {
    if (inFlight > this.limits.maxInFlight) this.stop(`more than ${this.limits.maxInFlight.toLocaleString('en-US')} requests in flight`, `client "${client}"`);
  }
}
