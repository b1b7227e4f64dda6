/**
 * The broker: exchanges and queues together, dead-letter routing, and the message accounting.
 *
 * Accounting is per **copy**. A copy is one message record meant for one place:
 * - a publish makes one copy per destination queue, or a single copy when it reaches no queue
 *   (that copy ends at once as `unroutable`);
 * - a queue that dead-letters a copy ends it (`deadLettered`); routing it through the dead-letter
 *   exchange makes new copies (one per destination queue, with `parentId` pointing back), or a
 *   single one ending `unroutable` when it reaches no queue (or the DLX does not exist);
 * - a copy meant for a queue that refuses it (reject-publish) ends `refused`; one whose
 *   destination would close a dead-letter cycle ends `cycle`.
 * Every copy ends exactly once: `acked`, `deadLettered`, or dropped with a reason (`unroutable`,
 * `refused`, `cycle`, or, in a queue without DLX, `maxlen` / `expired` / `rejected` /
 * `delivery_limit`) — or it is still live: ready in a queue or unacked by a consumer.
 * {@link checkAccounting} checks the balance and the books the broker kept while running.
 */
import { Exchange, routeWithAlternates } from './exchange';
import type { BindingConfig, ExchangeConfig } from './exchange';
import { copyMessage, createMessage, deadLettered, isDeathCycle } from './message';
import type { DeathReason, Message, PublishProps } from './message';
import { BrokerQueue } from './queue';
import type { QueueConfig, QueueEvent } from './queue';

export interface BrokerQueueConfig extends QueueConfig {
  bindings?: readonly BindingConfig[];
}

export interface BrokerConfig {
  exchanges: readonly ExchangeConfig[];
  queues: readonly BrokerQueueConfig[];
}

/** Every way a copy can be dropped. */
export type DropReason = DeathReason | 'unroutable' | 'refused' | 'cycle';

export type BrokerEvent =
  | QueueEvent
  /** A publish or a dead-lettering was routed (`parentId` is set for dead-letterings). */
  | {
      kind: 'routed';
      t: number;
      exchange: string;
      routingKey: string;
      eventId: string;
      parentId: string | null;
      routedTo: string[];
      refusedBy: string[];
      cycleAt: string[];
      messageIds: string[];
    }
  /** A copy that reached no queue. */
  | { kind: 'unroutable'; t: number; message: Message }
  /** A dead-letter copy dropped because its destination closes a cycle with no rejection in it. */
  | { kind: 'cycle'; t: number; queue: string; message: Message };

export interface PublishResult {
  /** Queues that took a copy. */
  routedTo: string[];
  /** True when no queue was a destination (the message is dropped as unroutable). */
  unroutable: boolean;
  /** Destination queues that refused their copy (reject-publish): the publisher sees a nack. */
  refusedBy: string[];
  /** The ids of the copies that entered `routedTo`, in the same order. */
  messageIds: string[];
}

export interface BrokerCounters {
  /** Publisher publishes. */
  published: number;
  /** Copies created: publisher copies and dead-letter copies, including those that ended at once. */
  copies: number;
  /** Copies that entered a queue. */
  enqueued: number;
  acked: number;
  /** Copies that left a queue for its dead-letter exchange. */
  deadLettered: number;
  /** Copies dropped, by reason. */
  dropped: Record<DropReason, number>;
  /** Dead-letterings routed so far (one per dead-lettered copy once the broker is idle). */
  deadLetterRoutings: number;
}

export interface BrokerOptions {
  onEvent?: (e: BrokerEvent) => void;
  /** Prefix of generated message ids (default `m`). */
  idPrefix?: string;
}

interface Pending {
  message: Message;
  reason: DeathReason;
  queue: BrokerQueue;
  t: number;
}

export class Broker {
  readonly counters: BrokerCounters = {
    published: 0,
    copies: 0,
    enqueued: 0,
    acked: 0,
    deadLettered: 0,
    dropped: { rejected: 0, expired: 0, maxlen: 0, delivery_limit: 0, unroutable: 0, refused: 0, cycle: 0 },
    deadLetterRoutings: 0,
  };
  /** Bookkeeping problems seen while running (a copy ending twice, an unknown copy ending...). */
  readonly violations: string[] = [];

  private readonly exchangeMap = new Map<string, Exchange>();
  private readonly queueMap = new Map<string, BrokerQueue>();
  /** Live copies: messageId → the queue holding it. */
  private readonly live = new Map<string, string>();
  private readonly pending: Pending[] = [];
  private busy = 0;
  private nextId = 1;
  private readonly onEvent: ((e: BrokerEvent) => void) | undefined;
  private readonly idPrefix: string;

  constructor(config: BrokerConfig, options: BrokerOptions = {}) {
    this.onEvent = options.onEvent;
    this.idPrefix = options.idPrefix ?? 'm';
    for (const x of config.exchanges) {
      if (this.exchangeMap.has(x.id)) throw new Error(`exchange ${x.id} declared twice`);
      this.exchangeMap.set(x.id, new Exchange(x));
    }
    for (const q of config.queues) {
      if (this.queueMap.has(q.id)) throw new Error(`queue ${q.id} declared twice`);
      const queue = new BrokerQueue(q, {
        onEvent: (e) => this.onQueueEvent(e),
        deadLetter: (m, reason, src, t) => this.onDeadLetter(m, reason, src, t),
      });
      this.queueMap.set(q.id, queue);
      for (const b of q.bindings ?? []) {
        const x = this.exchangeMap.get(b.exchange);
        if (x === undefined) throw new Error(`queue ${q.id} binds to unknown exchange ${b.exchange}`);
        x.bind(q.id, b.key ?? '', b.arguments);
      }
    }
  }

  queue(id: string): BrokerQueue {
    const q = this.queueMap.get(id);
    if (q === undefined) throw new Error(`unknown queue ${id}`);
    return q;
  }

  exchange(id: string): Exchange {
    const x = this.exchangeMap.get(id);
    if (x === undefined) throw new Error(`unknown exchange ${id}`);
    return x;
  }

  /** The queues, in declaration order. */
  queues(): BrokerQueue[] {
    return [...this.queueMap.values()];
  }

  /** The number of live copies (ready or unacked, all queues). */
  get liveCopies(): number {
    return this.live.size;
  }

  /** Where a live copy is, or undefined once it has ended. */
  whereIs(messageId: string): string | undefined {
    return this.live.get(messageId);
  }

  /**
   * Publish to `exchange` (the alternate exchange is used when it routes nowhere; `''` is the
   * default exchange, routing to the queue named by the key). Throws for an unknown exchange,
   * as RabbitMQ closes the channel.
   */
  publish(exchange: string, routingKey: string, props: PublishProps, now: number): PublishResult {
    if (exchange !== '' && !this.exchangeMap.has(exchange)) throw new Error(`unknown exchange ${exchange}`);
    return this.op(() => {
      this.counters.published++;
      const template = createMessage('', exchange, routingKey, props, now);
      const r = this.deliverToExchange(template, exchange, now, null);
      return { routedTo: r.routedTo, unroutable: r.unroutable, refusedBy: r.refusedBy, messageIds: r.messageIds };
    });
  }

  /** A consumer starts; with `autoAck` the broker acks each delivery as it sends it. */
  addConsumer(queue: string, tag: string, prefetch: number, now: number, autoAck = false): void {
    this.op(() => this.queue(queue).addConsumer(tag, prefetch, now, autoAck));
  }

  /** The consumer dies or its channel closes: its unacked messages are requeued. */
  removeConsumer(queue: string, tag: string, now: number): boolean {
    return this.op(() => this.queue(queue).removeConsumer(tag, now));
  }

  ack(queue: string, messageId: string, now: number): boolean {
    return this.op(() => this.queue(queue).ack(messageId, now));
  }

  nack(queue: string, messageId: string, requeue: boolean, now: number): boolean {
    return this.op(() => this.queue(queue).nack(messageId, requeue, now));
  }

  /** Expire due head messages in every queue; returns how many were removed. */
  expire(now: number): number {
    return this.op(() => {
      let n = 0;
      for (const q of this.queueMap.values()) n += q.expire(now);
      return n;
    });
  }

  /** The earliest head expiry over all queues, or null. */
  nextExpiryAt(): number | null {
    let best: number | null = null;
    for (const q of this.queueMap.values()) {
      const t = q.nextExpiryAt();
      if (t !== null && (best === null || t < best)) best = t;
    }
    return best;
  }

  // ------------------------------------------------------------------ internals

  /** Run `f` with dead-letterings deferred, then route them breadth-first. */
  private op<T>(f: () => T): T {
    this.busy++;
    try {
      return f();
    } finally {
      this.busy--;
      if (this.busy === 0) this.drain();
    }
  }

  private drain(): void {
    this.busy++;
    try {
      for (let p = this.pending.shift(); p !== undefined; p = this.pending.shift()) this.routeDeadLetter(p);
    } finally {
      this.busy--;
    }
  }

  private newId(): string {
    return `${this.idPrefix}${this.nextId++}`;
  }

  /**
   * Route `template` through `exchange` (and alternates), making one copy per destination queue,
   * or one `unroutable` copy when there is none. Dead-letter copies (`parentId` set) skip the
   * destinations that would close a cycle.
   */
  private deliverToExchange(template: Message, exchange: string, now: number, parentId: string | null) {
    const route = routeWithAlternates(
      (id) => this.exchangeMap.get(id),
      exchange,
      template.routingKey,
      template.headers,
      (id) => this.queueMap.has(id),
    );
    const routedTo: string[] = [];
    const refusedBy: string[] = [];
    const cycleAt: string[] = [];
    const messageIds: string[] = [];
    for (const qid of route.queues) {
      const copy = copyMessage(template, this.newId());
      this.counters.copies++;
      if (parentId !== null && isDeathCycle(copy.xDeath, qid)) {
        cycleAt.push(qid);
        this.counters.dropped.cycle++;
        this.emit({ kind: 'cycle', t: now, queue: qid, message: copy });
        continue;
      }
      const q = this.queueMap.get(qid) as BrokerQueue;
      // Registered before the offer: the queue may deliver, drop or dead-letter it at once.
      this.live.set(copy.messageId, qid);
      if (q.offer(copy, now)) {
        this.counters.enqueued++;
        routedTo.push(qid);
        messageIds.push(copy.messageId);
      } else {
        this.live.delete(copy.messageId);
        refusedBy.push(qid);
        this.counters.dropped.refused++;
      }
    }
    const unroutable = route.queues.length === 0;
    if (unroutable) {
      const copy = copyMessage(template, this.newId());
      this.counters.copies++;
      this.counters.dropped.unroutable++;
      this.emit({ kind: 'unroutable', t: now, message: copy });
    }
    this.emit({
      kind: 'routed',
      t: now,
      exchange,
      routingKey: template.routingKey,
      eventId: template.eventId,
      parentId,
      routedTo,
      refusedBy,
      cycleAt,
      messageIds,
    });
    return { routedTo, refusedBy, unroutable, messageIds };
  }

  private onDeadLetter(message: Message, reason: DeathReason, queue: BrokerQueue, t: number): void {
    this.pending.push({ message, reason, queue, t });
    if (this.busy === 0) this.drain();
  }

  private routeDeadLetter(p: Pending): void {
    const q = p.queue;
    const dlx = q.deadLetterExchange as string;
    this.counters.deadLetterRoutings++;
    const template = deadLettered(p.message, q.id, p.reason, dlx, q.deadLetterRoutingKey, p.t);
    this.deliverToExchange(template, dlx, p.t, p.message.messageId);
  }

  private onQueueEvent(e: QueueEvent): void {
    switch (e.kind) {
      case 'acked':
        this.counters.acked++;
        this.end(e.message.messageId, e.queue, 'acked');
        break;
      case 'deadLettered':
        this.counters.deadLettered++;
        this.end(e.message.messageId, e.queue, 'deadLettered');
        break;
      case 'dropped':
        this.counters.dropped[e.reason]++;
        this.end(e.message.messageId, e.queue, `dropped (${e.reason})`);
        break;
      default:
        break;
    }
    this.emit(e);
  }

  private end(messageId: string, queue: string, how: string): void {
    const at = this.live.get(messageId);
    if (at === undefined) this.violations.push(`copy ${messageId} ended ${how} in ${queue} but was not live`);
    else if (at !== queue) this.violations.push(`copy ${messageId} ended ${how} in ${queue} but lives in ${at}`);
    this.live.delete(messageId);
  }

  private emit(e: BrokerEvent): void {
    this.onEvent?.(e);
  }
}

/**
 * The accounting invariants; returns one line per violation (empty when balanced):
 * - every copy made has ended exactly once or is live: `copies = acked + deadLettered + dropped + live`;
 * - the live copies are exactly the queues' ready and unacked messages, each in one queue;
 * - each queue balances: `published = acked + deadLettered + dropped + depth + unacked`;
 * - every dead-lettered copy has been routed through its dead-letter exchange;
 * - a drop-head queue holds no more ready messages than `maxLength`;
 * - nothing went wrong while running (a copy ending twice, or in a queue that did not hold it).
 */
export function checkAccounting(broker: Broker): string[] {
  const out = [...broker.violations];
  const c = broker.counters;
  const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  const live = broker.liveCopies;
  if (c.copies !== c.acked + c.deadLettered + dropped + live) {
    out.push(`copies ${c.copies} != acked ${c.acked} + deadLettered ${c.deadLettered} + dropped ${dropped} + live ${live}`);
  }
  if (c.deadLetterRoutings !== c.deadLettered) {
    out.push(`dead-lettered ${c.deadLettered} copies but routed ${c.deadLetterRoutings} through a DLX`);
  }
  let held = 0;
  let enqueued = 0;
  const seen = new Set<string>();
  for (const q of broker.queues()) {
    const k = q.counters;
    enqueued += k.published;
    const rhs = k.acked + k.deadLettered + k.dropped + q.depth + q.unackedCount;
    if (k.published !== rhs) {
      out.push(`queue ${q.id}: published ${k.published} != acked ${k.acked} + deadLettered ${k.deadLettered} + dropped ${k.dropped} + depth ${q.depth} + unacked ${q.unackedCount}`);
    }
    if (q.overflow === 'drop-head' && q.maxLength !== null && q.depth > q.maxLength) {
      out.push(`queue ${q.id}: depth ${q.depth} > maxLength ${q.maxLength}`);
    }
    for (const m of [...q.readyMessages(), ...q.unackedMessages()]) {
      held++;
      if (seen.has(m.messageId)) out.push(`copy ${m.messageId} is held twice`);
      seen.add(m.messageId);
      const at = broker.whereIs(m.messageId);
      if (at !== q.id) out.push(`copy ${m.messageId} is in ${q.id} but the books say ${at ?? 'ended'}`);
    }
  }
  if (held !== live) out.push(`queues hold ${held} copies but ${live} are live`);
  if (enqueued !== c.enqueued) out.push(`queues took ${enqueued} copies but the broker enqueued ${c.enqueued}`);
  return out;
}
