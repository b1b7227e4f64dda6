/**
 * A bulkhead: a semaphore of `maxConcurrent` permits with a bounded FIFO wait queue of
 * `maxQueue` (Polly's / resilience4j's semaphore bulkhead with a queue; SCENARIO.md
 * `bulkhead`). Over both limits a call is rejected at once. No timing here: a waiter that gives
 * up (its caller timed out) is taken out with `cancel`.
 */

export type BulkheadEntry = 'admitted' | 'queued' | 'rejected';

export interface BulkheadConfig {
  maxConcurrent: number;
  maxQueue?: number;
}

export interface BulkheadCounters {
  admitted: number;
  queued: number;
  rejected: number;
  cancelled: number;
  maxActive: number;
  maxQueued: number;
}

export class Bulkhead<Id = number> {
  private readonly maxConcurrent: number;
  private readonly maxQueue: number;
  private activeCount = 0;
  private readonly waiting: Id[] = [];
  private readonly stats: BulkheadCounters = { admitted: 0, queued: 0, rejected: 0, cancelled: 0, maxActive: 0, maxQueued: 0 };

  constructor(config: BulkheadConfig) {
    this.maxConcurrent = config.maxConcurrent;
    this.maxQueue = config.maxQueue ?? 0;
  }

  get active(): number {
    return this.activeCount;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get counters(): Readonly<BulkheadCounters> {
    return this.stats;
  }

  /** Ask for a permit. Queued ids are admitted, in order, by later `leave` calls. */
  tryEnter(id: Id): BulkheadEntry {
    if (this.activeCount < this.maxConcurrent) {
      this.activeCount++;
      this.stats.admitted++;
      this.stats.maxActive = Math.max(this.stats.maxActive, this.activeCount);
      return 'admitted';
    }
    if (this.waiting.length < this.maxQueue) {
      this.waiting.push(id);
      this.stats.queued++;
      this.stats.maxQueued = Math.max(this.stats.maxQueued, this.waiting.length);
      return 'queued';
    }
    this.stats.rejected++;
    return 'rejected';
  }

  /** An admitted call is done: its permit passes to the oldest waiter, whose id is returned, or is freed (null). */
  leave(): Id | null {
    if (this.activeCount <= 0) throw new Error('Bulkhead.leave() without an admitted call');
    const next = this.waiting.shift();
    if (next === undefined) {
      this.activeCount--;
      return null;
    }
    this.stats.admitted++;
    return next;
  }

  /** A waiter gives up; returns whether it was waiting. */
  cancel(id: Id): boolean {
    const i = this.waiting.indexOf(id);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    this.stats.cancelled++;
    return true;
  }
}
