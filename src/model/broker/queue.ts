/**
 * A RabbitMQ-style queue as a plain data structure driven with explicit simulated time.
 *
 * - Ready messages are FIFO. A message returned to the queue comes back with `redelivered = true`:
 *   in a **classic** queue to its original position (nack/reject with requeue, or its consumer's
 *   channel closing); in a **quorum** queue a nack with requeue goes to the tail when the queue
 *   has no delivery limit, while with a delivery limit it joins the returns served before the
 *   ready messages, and a closed channel's messages always go back to the head, in the order they
 *   are returned (behind returns not yet redelivered) — what RabbitMQ 3.10.8's quorum queues
 *   (`rabbit_fifo`) did in the recorded experiments (test/fixtures/rabbitmq/recorded).
 * - Consumers have a per-consumer prefetch (unacked limit; 0 means unlimited, as in AMQP) and
 *   get messages round-robin among those with room. Dispatch is eager, as RabbitMQ pushes: every
 *   operation delivers whatever it can before returning, and reports each delivery as an event.
 *   A consumer in automatic acknowledgement mode (`autoAck`) has no prefetch limit (RabbitMQ
 *   ignores basic.qos for it) and each delivery to it is acked as it is sent: the broker forgets
 *   the message at once.
 * - Message TTL (`messageTtlMs`, per queue) counts from when the copy entered this queue and is
 *   checked only at the head: an expired message is removed when it is at the head and the queue
 *   is touched (any operation, or `expire(now)` at `nextExpiryAt()`); a requeued message keeps
 *   its original expiry; unacked messages never expire.
 * - `maxLength` counts ready messages only. `drop-head` removes the oldest ready messages until
 *   the limit holds (reason `maxlen`); `reject-publish` refuses a new message when the ready count
 *   would go over it (the publisher sees a nack). Requeues are never refused, so with
 *   `reject-publish` the ready count can exceed the limit after a requeue, as in RabbitMQ.
 * - `deliveryLimit` (quorum queues): a copy returned to the queue after its `limit + 1`-th
 *   delivery is dead-lettered (`delivery_limit`) instead. Every return counts (nack with requeue
 *   and consumer death alike).
 * - Removal for `rejected`, `expired`, `maxlen`, `delivery_limit` dead-letters the copy when the
 *   queue has a dead-letter exchange, else drops it. Dead-lettered copies are handed to the
 *   `deadLetter` hook after the operation's own bookkeeping is done (the broker routes them).
 */
import { Fifo } from '../../engine/fifo';
import type { DeathReason, Holder, Message } from './message';

export type Overflow = 'drop-head' | 'reject-publish';
export type QueueType = 'classic' | 'quorum';

/** The `queue` node of SCENARIO.md (the keys this module reads; bindings are the broker's). */
export interface QueueConfig {
  id: string;
  /** `classic` (the default) or `quorum`: where a returned message goes (see above). */
  queueType?: QueueType;
  messageTtlMs?: number | null;
  maxLength?: number | null;
  overflow?: Overflow;
  deadLetter?: { exchange: string; routingKey?: string | null } | null;
  deliveryLimit?: number | null;
}

/** Why a message left through a consumer's return. */
export type ReturnCause = 'nack' | 'consumerDied';

export type QueueEvent =
  | { kind: 'enqueued'; queue: string; t: number; message: Message }
  /** reject-publish: the copy never entered the queue; the publisher gets a nack. */
  | { kind: 'refused'; queue: string; t: number; message: Message }
  | { kind: 'delivered'; queue: string; t: number; message: Message; consumer: string; redelivered: boolean }
  | { kind: 'acked'; queue: string; t: number; message: Message; consumer: string }
  | { kind: 'requeued'; queue: string; t: number; message: Message; consumer: string; cause: ReturnCause }
  /** The copy left for the dead-letter exchange (its successors, if any, are new copies). */
  | { kind: 'deadLettered'; queue: string; t: number; message: Message; reason: DeathReason }
  /** The copy is gone: no dead-letter exchange configured. */
  | { kind: 'dropped'; queue: string; t: number; message: Message; reason: DeathReason };

/**
 * What a queue does, as calls (the model's way: no event object is made). `consumer` is the
 * consumer's tag. Each call is one `QueueEvent` (see `queueEventSink`).
 */
export interface QueueSink {
  enqueued(queue: BrokerQueue, m: Message, now: number): void;
  refused(queue: BrokerQueue, m: Message, now: number): void;
  delivered(queue: BrokerQueue, m: Message, consumer: string, redelivered: boolean, now: number): void;
  acked(queue: BrokerQueue, m: Message, consumer: string, now: number): void;
  requeued(queue: BrokerQueue, m: Message, consumer: string, cause: ReturnCause, now: number): void;
  deadLettered(queue: BrokerQueue, m: Message, reason: DeathReason, now: number): void;
  dropped(queue: BrokerQueue, m: Message, reason: DeathReason, now: number): void;
}

/** A sink that hands each call to `onEvent` as a `QueueEvent` object. */
export function queueEventSink(onEvent: (e: QueueEvent) => void): QueueSink {
  return {
    enqueued: (q, message, t) => onEvent({ kind: 'enqueued', queue: q.id, t, message }),
    refused: (q, message, t) => onEvent({ kind: 'refused', queue: q.id, t, message }),
    delivered: (q, message, consumer, redelivered, t) => onEvent({ kind: 'delivered', queue: q.id, t, message, consumer, redelivered }),
    acked: (q, message, consumer, t) => onEvent({ kind: 'acked', queue: q.id, t, message, consumer }),
    requeued: (q, message, consumer, cause, t) => onEvent({ kind: 'requeued', queue: q.id, t, message, consumer, cause }),
    deadLettered: (q, message, reason, t) => onEvent({ kind: 'deadLettered', queue: q.id, t, message, reason }),
    dropped: (q, message, reason, t) => onEvent({ kind: 'dropped', queue: q.id, t, message, reason }),
  };
}

export interface QueueHooks {
  /** Events as objects (tests, inspection); ignored when `sink` is given. */
  onEvent?: (e: QueueEvent) => void;
  /** Events as calls. */
  sink?: QueueSink;
  /** Receives every dead-lettered copy, after the operation that removed it is complete. */
  deadLetter?: (message: Message, reason: DeathReason, queue: BrokerQueue, now: number) => void;
}

/** The per-queue summary counters (SCENARIO.md's queue summary, and a few more). */
export interface QueueCounters {
  /** Copies that entered the queue (publishes and dead-letter arrivals). */
  published: number;
  /** Copies refused by reject-publish. */
  refused: number;
  delivered: number;
  /** Deliveries with `redelivered = true`. */
  redelivered: number;
  acked: number;
  /** Returns to the queue (nack with requeue, consumer death). */
  requeued: number;
  /** Deliveries to consumers in automatic acknowledgement mode (each also counts as acked). */
  autoAcked: number;
  deadLettered: number;
  dropped: number;
  deadLetteredBy: Record<DeathReason, number>;
  droppedBy: Record<DeathReason, number>;
  /** The most ready messages left after any one operation (the settled depth, not transients). */
  depthMax: number;
}

interface Consumer extends Holder {
  readonly tag: string;
  /** The queue it consumes from (a message it holds is unacked there). */
  readonly queue: BrokerQueue;
  /** Its unacked limit (0: none). A quorum queue may raise it: see `nack`. */
  prefetch: number;
  readonly autoAck: boolean;
  unacked: number;
}

/**
 * The unacked messages in delivery order: a list threaded through the records themselves
 * (`prevUnacked`/`nextUnacked`), so holding and settling a delivery touches no hash table.
 */
class UnackedList {
  first: Message | null = null;
  last: Message | null = null;
  size = 0;

  add(m: Message): void {
    m.prevUnacked = this.last;
    m.nextUnacked = null;
    if (this.last === null) this.first = m;
    else this.last.nextUnacked = m;
    this.last = m;
    this.size++;
  }

  delete(m: Message): void {
    const prev = m.prevUnacked;
    const next = m.nextUnacked;
    if (prev === null) this.first = next;
    else prev.nextUnacked = next;
    if (next === null) this.last = prev;
    else next.prevUnacked = prev;
    m.prevUnacked = null;
    m.nextUnacked = null;
    this.size--;
  }
}

const reasons = (): Record<DeathReason, number> => ({ rejected: 0, expired: 0, maxlen: 0, delivery_limit: 0 });

export class BrokerQueue {
  readonly id: string;
  readonly queueType: QueueType;
  readonly messageTtlMs: number | null;
  readonly maxLength: number | null;
  readonly overflow: Overflow;
  readonly deadLetterExchange: string | null;
  readonly deadLetterRoutingKey: string | null;
  readonly deliveryLimit: number | null;
  readonly counters: QueueCounters = {
    published: 0,
    refused: 0,
    delivered: 0,
    redelivered: 0,
    acked: 0,
    requeued: 0,
    autoAcked: 0,
    deadLettered: 0,
    dropped: 0,
    deadLetteredBy: reasons(),
    droppedBy: reasons(),
    depthMax: 0,
  };

  /**
   * Ready messages = `returned` followed by `fresh` (FIFO). In a classic queue `returned` is
   * sorted by seq: a returned message was at the head when it was delivered, so its seq is below
   * every fresh one's and the two parts together are in queue order. In a quorum queue it holds
   * the returns in the order they came back (served before `fresh`): closed channels' messages,
   * and nacked ones when the queue has a delivery limit; without one a nacked message goes to the
   * end of `fresh` with a new seq.
   */
  private readonly returned: Message[] = [];
  private readonly fresh = new Fifo<Message>(64);
  private readonly consumers: Consumer[] = [];
  /** Delivered, not yet acked, in delivery order (each knows its `holder` and `deliveredAt`). */
  private readonly unacked = new UnackedList();
  /** Round-robin pointer into `consumers`. */
  private next = 0;
  private seq = 0;
  private depthOps = 0;
  /** The message being offered, while it is dispatched. */
  private arriving: Message | null = null;
  private outbox: { message: Message; reason: DeathReason; t: number }[] = [];
  private readonly hooks: QueueHooks;
  /** Where its events go: the hooks' sink, or one making `QueueEvent`s for `onEvent`, or none. */
  private readonly sink: QueueSink | null;

  /** Its position among the broker's queues (declaration order; 0 for a queue on its own). */
  readonly ordinal: number;

  constructor(config: QueueConfig, hooks: QueueHooks = {}, ordinal = 0) {
    this.id = config.id;
    this.ordinal = ordinal;
    this.queueType = config.queueType ?? 'classic';
    this.messageTtlMs = config.messageTtlMs ?? null;
    this.maxLength = config.maxLength ?? null;
    this.overflow = config.overflow ?? 'drop-head';
    this.deadLetterExchange = config.deadLetter?.exchange ?? null;
    this.deadLetterRoutingKey = config.deadLetter?.routingKey ?? null;
    this.deliveryLimit = config.deliveryLimit ?? null;
    this.hooks = hooks;
    this.sink = hooks.sink ?? (hooks.onEvent ? queueEventSink(hooks.onEvent) : null);
  }

  /** Ready messages (the queue depth). */
  get depth(): number {
    return this.returned.length + this.fresh.size;
  }

  /** Delivered, not yet acked. */
  get unackedCount(): number {
    return this.unacked.size;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  /** The ready messages in queue order (a copy; for tests and inspection). */
  readyMessages(): Message[] {
    const out = this.returned.slice();
    const all = this.fresh.drain();
    for (const m of all) this.fresh.push(m);
    return out.concat(all);
  }

  /** Unacked messages in queue order, of one consumer or of all. */
  unackedMessages(consumer?: string): Message[] {
    const out: Message[] = [];
    for (let m = this.unacked.first; m !== null; m = m.nextUnacked) if (consumer === undefined || (m.holder as Consumer).tag === consumer) out.push(m);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** When the oldest message `consumer` holds unacked was delivered, or null when it holds none. */
  oldestUnackedAt(consumer: string): number | null {
    let oldest: number | null = null;
    for (let m = this.unacked.first; m !== null; m = m.nextUnacked) if ((m.holder as Consumer).tag === consumer && (oldest === null || m.deliveredAt < oldest)) oldest = m.deliveredAt;
    return oldest;
  }

  /** The consumer holding `messageId`, if it is unacked. */
  holderOf(messageId: string): string | undefined {
    return this.unackedById(messageId)?.holder?.tag;
  }

  /** Whether `m` is unacked here. */
  isUnacked(m: Message): boolean {
    return m.holder !== null && (m.holder as Consumer).queue === this;
  }

  /** The unacked copy named `messageId` (a scan: the model acks by record, see `ackCopy`). */
  private unackedById(messageId: string): Message | undefined {
    for (let m = this.unacked.first; m !== null; m = m.nextUnacked) if (m.messageId === messageId) return m;
    return undefined;
  }

  /**
   * A copy arrives. Returns false when reject-publish refuses it (the publisher's nack);
   * otherwise it is enqueued, delivered if a consumer has room, and the head dropped or
   * dead-lettered while the ready count is over `maxLength` (drop-head).
   */
  offer(message: Message, now: number): boolean {
    this.begin();
    try {
      this.expireHead(now);
      if (this.overflow === 'reject-publish' && this.maxLength !== null && this.depth + 1 > this.maxLength) {
        this.counters.refused++;
        if (this.sink !== null) this.sink.refused(this, message, now);
        return false;
      }
      message.seq = this.seq++;
      message.enqueuedAt = now;
      this.fresh.push(message);
      this.counters.published++;
      if (this.sink !== null) this.sink.enqueued(this, message, now);
      // A message arriving while a consumer waits goes straight to it, before any TTL check
      // (RabbitMQ's attempt_delivery): this is what lets a TTL of 0 deliver to idle consumers.
      this.arriving = message;
      this.dispatch(now);
      this.arriving = null;
      this.enforceMaxLength(now);
      this.expireHead(now); // TTL 0: what no consumer took at once is already expired
      return true;
    } finally {
      this.end();
    }
  }

  /**
   * A consumer starts (prefetch: its unacked limit; 0 means unlimited). With `autoAck` each
   * delivery is acked as it is sent and prefetch does not apply.
   */
  addConsumer(tag: string, prefetch: number, now: number, autoAck = false): void {
    if (this.consumers.some((c) => c.tag === tag)) throw new Error(`queue ${this.id}: consumer ${tag} already exists`);
    this.begin();
    try {
      this.consumers.push({ tag, queue: this, prefetch: autoAck ? 0 : prefetch, autoAck, unacked: 0 });
      this.expireHead(now);
      this.dispatch(now);
    } finally {
      this.end();
    }
  }

  /**
   * A consumer goes away (its channel closes, it crashes, it loses its connection): its unacked
   * messages return, oldest first, with `redelivered = true` — to their original positions
   * (classic) or to the head in that order (quorum) — and go to the remaining consumers.
   * Returns false for an unknown consumer.
   */
  removeConsumer(tag: string, now: number): boolean {
    const i = this.consumers.findIndex((c) => c.tag === tag);
    if (i < 0) return false;
    this.begin();
    try {
      const consumer = this.consumers[i] as Consumer;
      this.consumers.splice(i, 1);
      if (this.next > i) this.next--;
      if (this.next >= this.consumers.length) this.next = 0;
      for (const m of this.unackedMessages(tag)) {
        this.unacked.delete(m);
        m.holder = null;
        consumer.unacked--;
        this.giveBack(m, consumer.tag, 'consumerDied', now);
      }
      this.expireHead(now);
      this.dispatch(now);
      this.enforceMaxLength(now);
      return true;
    } finally {
      this.end();
    }
  }

  /** basic.ack of one delivery. Returns false when `messageId` is not unacked here (a stale ack). */
  ack(messageId: string, now: number): boolean {
    const m = this.unackedById(messageId);
    return m !== undefined && this.ackCopy(m, now);
  }

  /** basic.ack of the delivery of `m`. Returns false when it is not unacked here (a stale ack). */
  ackCopy(m: Message, now: number): boolean {
    if (!this.isUnacked(m)) return false;
    const consumer = m.holder as Consumer;
    this.begin();
    try {
      this.unacked.delete(m);
      m.holder = null;
      consumer.unacked--;
      this.counters.acked++;
      if (this.sink !== null) this.sink.acked(this, m, consumer.tag, now);
      this.expireHead(now);
      this.dispatch(now);
      return true;
    } finally {
      this.end();
    }
  }

  /**
   * basic.nack / basic.reject of one delivery. With `requeue` the message returns to its original
   * position (or is dead-lettered for `delivery_limit`); without, it is dead-lettered (`rejected`)
   * or, with no dead-letter exchange, dropped. Returns false for an unknown `messageId`.
   */
  nack(messageId: string, requeue: boolean, now: number): boolean {
    const m = this.unackedById(messageId);
    return m !== undefined && this.nackCopy(m, requeue, now);
  }

  /** basic.nack of the delivery of `m` (see `nack`). Returns false when it is not unacked here. */
  nackCopy(m: Message, requeue: boolean, now: number): boolean {
    if (!this.isUnacked(m)) return false;
    const consumer = m.holder as Consumer;
    this.begin();
    try {
      this.unacked.delete(m);
      m.holder = null;
      consumer.unacked--;
      if (requeue) {
        const before = this.counters.deadLetteredBy.delivery_limit + this.counters.droppedBy.delivery_limit;
        this.giveBack(m, consumer.tag, 'nack', now);
        // RabbitMQ 3.10's quorum queue credits a consumer twice for a message its nack sends past
        // the delivery limit (rabbit_fifo's return/2 tops up credit for every returned message,
        // and complete/6, which settles the dropped one, once more): its prefetch grows by one for
        // as long as it is subscribed. Recorded: test/fixtures/rabbitmq/recorded.
        const limited = this.counters.deadLetteredBy.delivery_limit + this.counters.droppedBy.delivery_limit > before;
        if (limited && this.queueType === 'quorum' && consumer.prefetch > 0) consumer.prefetch++;
      } else this.remove(m, 'rejected', now);
      this.expireHead(now);
      this.dispatch(now);
      this.enforceMaxLength(now);
      return true;
    } finally {
      this.end();
    }
  }

  /** basic.reject is basic.nack for one message. */
  reject(messageId: string, requeue: boolean, now: number): boolean {
    return this.nack(messageId, requeue, now);
  }

  /** Remove the expired messages at the head (call at `nextExpiryAt()`). Returns how many. */
  expire(now: number): number {
    this.begin();
    try {
      const n = this.expireHead(now);
      if (n > 0) this.dispatch(now);
      return n;
    } finally {
      this.end();
    }
  }

  /** When the head message expires, or null (no TTL, or nothing ready). */
  nextExpiryAt(): number | null {
    if (this.messageTtlMs === null) return null;
    const head = this.head();
    return head === undefined ? null : head.enqueuedAt + this.messageTtlMs;
  }

  // ------------------------------------------------------------------ internals

  private head(): Message | undefined {
    return this.returned.length > 0 ? this.returned[0] : this.fresh.peek();
  }

  private shift(): Message | undefined {
    return this.returned.length > 0 ? this.returned.shift() : this.fresh.shift();
  }

  private isExpired(m: Message, now: number): boolean {
    return this.messageTtlMs !== null && now >= m.enqueuedAt + this.messageTtlMs;
  }

  private expireHead(now: number): number {
    if (this.messageTtlMs === null) return 0;
    let n = 0;
    for (let h = this.head(); h !== undefined && this.isExpired(h, now); h = this.head()) {
      this.shift();
      this.remove(h, 'expired', now);
      n++;
    }
    return n;
  }

  /** Deliver ready messages round-robin to consumers with room; expired heads are removed, not delivered. */
  private dispatch(now: number): void {
    const cs = this.consumers;
    while (cs.length > 0) {
      const head = this.head();
      if (head === undefined) return;
      if (head !== this.arriving && this.isExpired(head, now)) {
        this.shift();
        this.remove(head, 'expired', now);
        continue;
      }
      let chosen = -1;
      for (let k = 0; k < cs.length; k++) {
        const i = (this.next + k) % cs.length;
        const c = cs[i] as Consumer;
        if (c.prefetch === 0 || c.unacked < c.prefetch) {
          chosen = i;
          break;
        }
      }
      if (chosen < 0) return;
      const c = cs[chosen] as Consumer;
      this.next = (chosen + 1) % cs.length;
      this.shift();
      head.deliveryCount++;
      this.counters.delivered++;
      if (head.redelivered) this.counters.redelivered++;
      if (c.autoAck) {
        // basic.deliver with no-ack: the broker forgets the message as it sends it.
        this.counters.autoAcked++;
        this.counters.acked++;
        if (this.sink !== null) {
          this.sink.delivered(this, head, c.tag, head.redelivered, now);
          this.sink.acked(this, head, c.tag, now);
        }
        continue;
      }
      c.unacked++;
      head.holder = c;
      head.deliveredAt = now;
      this.unacked.add(head);
      if (this.sink !== null) this.sink.delivered(this, head, c.tag, head.redelivered, now);
    }
  }

  private enforceMaxLength(now: number): void {
    if (this.overflow !== 'drop-head' || this.maxLength === null) return;
    while (this.depth > this.maxLength) {
      const h = this.shift() as Message;
      this.remove(h, 'maxlen', now);
    }
  }

  /**
   * A delivered message comes back (or goes out for `delivery_limit`): classic queues put it at
   * its original position; quorum queues put a nacked one at the tail when they have no delivery
   * limit, and otherwise (and a closed channel's always) behind the returns waiting at the head.
   */
  private giveBack(m: Message, consumer: string, cause: ReturnCause, now: number): void {
    m.redelivered = true;
    if (this.deliveryLimit !== null && m.deliveryCount > this.deliveryLimit) {
      this.remove(m, 'delivery_limit', now);
      return;
    }
    if (this.queueType === 'quorum') {
      if (cause === 'nack' && this.deliveryLimit === null) {
        m.seq = this.seq++;
        this.fresh.push(m);
      } else this.returned.push(m);
      this.counters.requeued++;
      if (this.sink !== null) this.sink.requeued(this, m, consumer, cause, now);
      return;
    }
    const r = this.returned;
    let lo = 0;
    let hi = r.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((r[mid] as Message).seq < m.seq) lo = mid + 1;
      else hi = mid;
    }
    r.splice(lo, 0, m);
    this.counters.requeued++;
    if (this.sink !== null) this.sink.requeued(this, m, consumer, cause, now);
  }

  /** The copy leaves the queue for `reason`: dead-lettered when there is a DLX, else dropped. */
  private remove(m: Message, reason: DeathReason, now: number): void {
    if (this.deadLetterExchange !== null) {
      this.counters.deadLettered++;
      this.counters.deadLetteredBy[reason]++;
      if (this.sink !== null) this.sink.deadLettered(this, m, reason, now);
      this.outbox.push({ message: m, reason, t: now });
    } else {
      this.counters.dropped++;
      this.counters.droppedBy[reason]++;
      if (this.sink !== null) this.sink.dropped(this, m, reason, now);
    }
  }

  private noteDepth(): void {
    const d = this.depth;
    if (d > this.counters.depthMax) this.counters.depthMax = d;
  }

  private begin(): void {
    this.depthOps++;
  }

  /** Leaving the outermost operation: hand the dead-lettered copies over, in order. */
  private end(): void {
    this.depthOps--;
    if (this.depthOps > 0) return;
    this.noteDepth();
    if (this.outbox.length === 0) return;
    const out = this.outbox;
    this.outbox = [];
    const hook = this.hooks.deadLetter;
    if (hook) for (const o of out) hook(o.message, o.reason, this, o.t);
  }
}
