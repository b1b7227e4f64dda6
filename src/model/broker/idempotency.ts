/**
 * Consumer-side idempotency: the processed-eventId store an idempotent consumer keys on, and the
 * count of duplicate side effects a consumer actually performs.
 *
 * A duplicate is a delivery whose eventId was already processed: a publisher's resend after a
 * lost confirm (a new message, same eventId) or a redelivery after a consumer died between its
 * work and its ack. An idempotent consumer skips an eventId its store still remembers; with a
 * TTL (`idempotencyTtlMs`) the store forgets, and a duplicate arriving later is processed again:
 * a duplicate side effect, which is exactly what the TTL trades away.
 */

export interface IdempotencyStoreOptions {
  /** How long a processed eventId is remembered (ms); null or undefined: forever. */
  ttlMs?: number | null;
  /** Most ids remembered; the oldest are forgotten first (default 1,000,000). */
  maxEntries?: number;
}

/** Processed eventIds with an optional TTL, insertion-ordered so expiry is amortised O(1). */
export class IdempotencyStore {
  readonly ttlMs: number | null;
  readonly maxEntries: number;
  /** eventId → when it was recorded. */
  private readonly at = new Map<string, number>();

  constructor(options: IdempotencyStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? null;
    this.maxEntries = options.maxEntries ?? 1_000_000;
  }

  /** How many ids are remembered (expired ones may linger until the next call). */
  get size(): number {
    return this.at.size;
  }

  /** Whether `eventId` was processed and is still remembered at `now`. */
  seen(eventId: string, now: number): boolean {
    this.evict(now);
    const t = this.at.get(eventId);
    return t !== undefined && (this.ttlMs === null || now < t + this.ttlMs);
  }

  /** Remember `eventId` as processed at `now` (re-recording restarts its TTL). */
  record(eventId: string, now: number): void {
    this.evict(now);
    this.at.delete(eventId); // re-insert at the end: the map stays in recording order
    this.at.set(eventId, now);
    if (this.at.size > this.maxEntries) {
      const oldest = this.at.keys().next();
      if (!oldest.done) this.at.delete(oldest.value);
    }
  }

  /** Forget ids whose TTL has passed (they are in recording order, so stop at the first live one). */
  private evict(now: number): void {
    if (this.ttlMs === null) return;
    for (const [id, t] of this.at) {
      if (now < t + this.ttlMs) return;
      this.at.delete(id);
    }
  }
}

/**
 * The set of eventIds a consumer has processed at least once (ground truth for counting
 * duplicates, whatever the consumer's own store remembers). The ids the model issues are dense
 * decimal integers, kept in a growable byte map (a byte per event, no hashing, nothing for the
 * garbage collector); any other id goes to a Set.
 */
class ProcessedIds {
  private dense = new Uint8Array(1024);
  private readonly other = new Set<string>();

  /** The id as a small non-negative integer, or -1 when it is not one in canonical form. */
  private static index(id: string): number {
    const n = +id;
    if (!(n >= 0 && n < 0x40000000) || (n | 0) !== n) return -1;
    if (id.length > 1 && id.charCodeAt(0) === 48) return -1; // a leading zero: not canonical
    return id.length <= 10 ? n : -1;
  }

  has(id: string): boolean {
    const i = ProcessedIds.index(id);
    return i >= 0 ? i < this.dense.length && this.dense[i] === 1 : this.other.has(id);
  }

  add(id: string): void {
    const i = ProcessedIds.index(id);
    if (i < 0) {
      this.other.add(id);
      return;
    }
    if (i >= this.dense.length) {
      let size = this.dense.length;
      while (size <= i) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.dense);
      this.dense = grown;
    }
    this.dense[i] = 1;
  }
}

export interface ConsumerOptions {
  idempotent: boolean;
  idempotencyTtlMs?: number | null;
}

/** What a delivery did. */
export interface ProcessOutcome {
  /** The eventId had been processed before (ground truth, whatever the store remembers). */
  duplicate: boolean;
  /** The side effect happened (false only when an idempotent consumer skipped it). */
  applied: boolean;
}

export interface ConsumerCounters {
  /** Deliveries handed to `process`. */
  deliveries: number;
  /** Side effects performed. */
  applied: number;
  /** Deliveries of an already-processed eventId. */
  duplicates: number;
  /** Duplicates the idempotency store caught and skipped. */
  duplicatesSkipped: number;
  /** Duplicates whose side effect happened again: the harm a non-idempotent consumer (or an expired TTL) lets through. */
  duplicateSideEffects: number;
}

/**
 * One consumer's processing ledger. Call `process` at the moment the side effect would be
 * committed (an idempotent consumer checks and records in the same step, as a database
 * transaction writing the effect and the processed id does).
 */
export class ConsumerLedger {
  readonly idempotent: boolean;
  readonly counters: ConsumerCounters = { deliveries: 0, applied: 0, duplicates: 0, duplicatesSkipped: 0, duplicateSideEffects: 0 };
  private readonly store: IdempotencyStore | null;
  /** Ground truth: eventIds whose side effect happened at least once. */
  private readonly processed = new ProcessedIds();

  constructor(options: ConsumerOptions) {
    this.idempotent = options.idempotent;
    this.store = options.idempotent ? new IdempotencyStore({ ttlMs: options.idempotencyTtlMs ?? null }) : null;
  }

  /** Whether `process` would skip `eventId` now (an idempotent consumer that has it in its store); changes nothing. */
  wouldSkip(eventId: string, now: number): boolean {
    return this.store !== null && this.store.seen(eventId, now);
  }

  process(eventId: string, now: number): ProcessOutcome {
    const c = this.counters;
    c.deliveries++;
    const duplicate = this.processed.has(eventId);
    if (duplicate) c.duplicates++;
    if (this.store !== null && this.store.seen(eventId, now)) {
      c.duplicatesSkipped++;
      return { duplicate, applied: false };
    }
    this.store?.record(eventId, now);
    if (!duplicate) this.processed.add(eventId);
    c.applied++;
    if (duplicate) c.duplicateSideEffects++;
    return { duplicate, applied: true };
  }
}
