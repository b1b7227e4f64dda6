/**
 * The discrete-event kernel: a simulated clock and a queue of pending events ordered by
 * (time, sequence). Handlers are registered once and referred to by a small integer, so an event
 * is a (time, sequence, type, payload) tuple and the hot loop allocates nothing.
 *
 * The kernel knows nothing of services or brokers; it never reads a wall clock.
 */
import { EventQueue } from './queue';

/** A registered event type whose handler takes a payload of type P. */
export type EventType<P> = number & { readonly __payload?: P };

/**
 * A handle to a scheduled event, for `cancel`: a non-negative integer naming one scheduling of one
 * queue slot (see queue.ts), unambiguous at any number of pending events. Never negative, so -1
 * can mean "no timer".
 */
export type TimerHandle = number;

export type StopReason = 'until' | 'max-events' | 'empty' | 'halted';

export interface RunLimits {
  /** Process events with time <= untilMs. */
  untilMs?: number;
  /** Process at most this many events in this call. */
  maxEvents?: number;
}

export class Kernel {
  /** The simulated clock, in milliseconds. Moves only forward, and only between events. */
  now = 0;
  /** Events processed so far (cancelled timers are not counted). */
  events = 0;
  /** Set by `halt()`: the run stops before the next event and stays stopped. */
  haltedBy: string | null = null;

  private readonly queue = new EventQueue(1024);
  private readonly handlers: ((payload: never) => void)[] = [];
  private readonly names: string[] = [];
  private nextSeq = 0;

  /** Register a handler; the returned type is used to schedule events for it. */
  register<P>(name: string, handler: (payload: P) => void): EventType<P> {
    this.handlers.push(handler as (payload: never) => void);
    this.names.push(name);
    return (this.handlers.length - 1) as EventType<P>;
  }

  /** Schedule `type` to run `delayMs` from now. Returns a handle for `cancel`. */
  schedule<P>(delayMs: number, type: EventType<P>, payload: P): TimerHandle {
    if (!(delayMs >= 0)) throw new RangeError(`cannot schedule ${delayMs} ms from now: time never goes backwards`);
    if (delayMs === 0) return this.queue.pushNow(this.now, this.nextSeq++, type, payload);
    return this.queue.push(this.now + delayMs, this.nextSeq++, type, payload);
  }

  /** Schedule `type` at absolute simulated time `timeMs` (>= now). */
  at<P>(timeMs: number, type: EventType<P>, payload: P): TimerHandle {
    if (!(timeMs >= this.now)) throw new RangeError(`cannot schedule at ${timeMs} ms: the clock is at ${this.now} ms`);
    if (timeMs === this.now) return this.queue.pushNow(timeMs, this.nextSeq++, type, payload);
    return this.queue.push(timeMs, this.nextSeq++, type, payload);
  }

  /**
   * Cancel a scheduled event: it will not run, and its payload is let go at once. Cancelling an
   * event that already ran, or twice, or a negative handle, does nothing. Returns whether an
   * event was cancelled.
   */
  cancel(handle: TimerHandle): boolean {
    return this.queue.cancel(handle);
  }

  /** Events waiting to run (cancelled ones are not counted). */
  get pending(): number {
    return this.queue.size - this.queue.cancelledCount;
  }

  /** Time of the next event (Infinity when none). May be a cancelled one. */
  peekTime(): number {
    return this.queue.peekTime();
  }

  /** Stop the run for good (a guardrail); `reason` says which limit and who drove it. */
  halt(reason: string): void {
    if (this.haltedBy === null) this.haltedBy = reason;
  }

  /** Process exactly one event (skipping cancelled ones). False when none is left or halted. */
  step(untilMs = Infinity): boolean {
    return this.run({ untilMs, maxEvents: 1 }) === 'max-events';
  }

  run(limits: RunLimits = {}): StopReason {
    const untilMs = limits.untilMs ?? Infinity;
    const budget = limits.maxEvents ?? Infinity;
    const queue = this.queue;
    const handlers = this.handlers;
    let done = 0;
    for (;;) {
      if (this.haltedBy !== null) return 'halted';
      if (done >= budget) return 'max-events';
      if (queue.size === 0) {
        if (untilMs !== Infinity && untilMs > this.now) this.now = untilMs;
        return 'empty';
      }
      if (queue.peekTime() > untilMs) {
        if (untilMs > this.now) this.now = untilMs;
        return 'until';
      }
      queue.pop();
      if (queue.poppedCancelled) continue;
      this.now = queue.poppedTime;
      this.events++;
      done++;
      (handlers[queue.poppedType] as (p: unknown) => void)(queue.poppedPayload);
    }
  }

  /** Name given to an event type at registration (for diagnostics). */
  typeName(type: number): string {
    return this.names[type] ?? `#${type}`;
  }
}
