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
  /** The most messages (ready and unacked) one broker queue may hold. */
  maxQueueMessages: number;
  /** The most messages (ready and unacked) all broker queues together may hold. */
  maxBrokerMessages: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxInFlight: 1_000_000,
  maxQueueLength: 1_000_000,
  maxQueueMessages: 500_000,
  maxBrokerMessages: 1_000_000,
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
      maxQueueMessages: limits.maxQueueMessages ?? DEFAULT_LIMITS.maxQueueMessages,
      maxBrokerMessages: limits.maxBrokerMessages ?? DEFAULT_LIMITS.maxBrokerMessages,
    };
  }

  /** Stop the run: `what` went past its limit, driven by `culprit`. */
  stop(what: string, culprit: string): void {
    this.kernel.halt(`limit reached: ${what} (driven by ${culprit}, at ${this.kernel.now.toFixed(1)} ms)`);
  }

  /**
   * Called after a publish reaches the broker: `live` messages held in all queues, `queues` each
   * queue's id and count (read only when some limit may be passed), `publisher` the service.
   */
  checkBroker(live: number, queues: () => { id: string; held: number }[], publisher: string): void {
    const perQueue = this.limits.maxQueueMessages;
    if (live <= perQueue && live <= this.limits.maxBrokerMessages) return;
    const all = queues();
    const deepest = all.reduce((a, b) => (b.held > a.held ? b : a), all[0] ?? { id: '?', held: 0 });
    if (deepest.held > perQueue) {
      this.stop(`queue "${deepest.id}" holds more than ${perQueue.toLocaleString('en-US')} messages`, `service "${publisher}" publishing into it`);
    } else if (live > this.limits.maxBrokerMessages) {
      this.stop(
        `the broker holds more than ${this.limits.maxBrokerMessages.toLocaleString('en-US')} messages (the deepest queue, "${deepest.id}", ${deepest.held.toLocaleString('en-US')})`,
        `service "${publisher}" publishing`,
      );
    }
  }

  /** Called as a request starts, with the count in flight. */
  checkInFlight(inFlight: number, client: string): void {
    if (inFlight > this.limits.maxInFlight) this.stop(`more than ${this.limits.maxInFlight.toLocaleString('en-US')} requests in flight`, `client "${client}"`);
  }
}
