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
import { DEFAULT_EXCHANGE, Exchange, routeWithAlternates } from './exchange';
import type { BindingConfig, ExchangeConfig, Headers } from './exchange';
import { copyMessage, deadLettered, isDeathCycle, publisherMessage } from './message';
import type { DeathReason, Message, PublishProps } from './message';
import { BrokerQueue, queueEventSink } from './queue';
import type { QueueConfig, QueueEvent, QueueSink, ReturnCause } from './queue';

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
      /** The number of the dead-lettered copy (0 for a publish). */
      parent: number;
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

/**
 * The broker's events as calls (the model's way: no event object is made). The queue calls come
 * after the broker's own bookkeeping. `routed` lists are the broker's and valid only during the call.
 */
export interface BrokerSink extends QueueSink {
  /** A publish (`parentId` null) or a dead-lettering was routed: `copies[i]` entered `routedTo[i]`. */
  routed(
    exchange: string,
    template: Message,
    parentId: string | null,
    routedTo: readonly string[],
    refusedBy: readonly string[],
    cycleAt: readonly string[],
    copies: readonly Message[],
    now: number,
  ): void;
  /** A copy that reached no queue. */
  unroutable(m: Message, now: number): void;
  /** A dead-letter copy dropped because its destination closes a cycle. */
  cycle(queue: string, m: Message, now: number): void;
}

/** A sink that hands each call to `onEvent` as a `BrokerEvent` object. */
function brokerEventSink(onEvent: (e: BrokerEvent) => void): BrokerSink {
  return {
    ...queueEventSink(onEvent),
    routed: (exchange, template, parentId, routedTo, refusedBy, cycleAt, copies, t) =>
      onEvent({
        kind: 'routed',
        t,
        exchange,
        routingKey: template.routingKey,
        eventId: template.eventId,
        parentId,
        parent: template.parent,
        routedTo: routedTo.slice(),
        refusedBy: refusedBy.slice(),
        cycleAt: cycleAt.slice(),
        messageIds: copies.map((m) => m.messageId),
      }),
    unroutable: (message, t) => onEvent({ kind: 'unroutable', t, message }),
    cycle: (queue, message, t) => onEvent({ kind: 'cycle', t, queue, message }),
  };
}

export interface BrokerOptions {
  /** Events as objects (tests, inspection); ignored when `sink` is given. */
  onEvent?: (e: BrokerEvent) => void;
  /** Events as calls. */
  sink?: BrokerSink;
  /** Prefix of generated message ids (default `m`). */
  idPrefix?: string;
}

/** What `publishInto` reports back: the routed event's lists. */
interface RouteLists {
  routedTo: string[];
  refusedBy: string[];
  messageIds: string[];
}

/** `publishCounted`'s answer when no queue was a destination. */
export const UNROUTABLE = -1;

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
  /** Live copies (each knows the queue it is in: `Message.liveIn`). */
  private live = 0;
  /** The queues with a message TTL (the only ones with expiries to wake up for). */
  private readonly ttlQueues: BrokerQueue[] = [];
  private readonly pending: Pending[] = [];
  private busy = 0;
  private nextId = 1;
  /** Where its events go (none: nothing is made for them). */
  private readonly sink: BrokerSink | null;
  private readonly idPrefix: string;
  /** The routed call's lists, reused (routing never nests; `routing` says when it would). */
  private readonly scratch = { routedTo: [] as string[], refusedBy: [] as string[], cycleAt: [] as string[], copies: [] as Message[] };
  private routing = false;

  constructor(config: BrokerConfig, options: BrokerOptions = {}) {
    this.sink = options.sink ?? (options.onEvent ? brokerEventSink(options.onEvent) : null);
    this.idPrefix = options.idPrefix ?? 'm';
    for (const x of config.exchanges) {
      if (this.exchangeMap.has(x.id)) throw new Error(`exchange ${x.id} declared twice`);
      this.exchangeMap.set(x.id, new Exchange(x));
    }
    for (const q of config.queues) {
      if (this.queueMap.has(q.id)) throw new Error(`queue ${q.id} declared twice`);
      const queue = new BrokerQueue(
        q,
        { sink: this.queueSink, deadLetter: (m, reason, src, t) => this.onDeadLetter(m, reason, src, t) },
        this.queueMap.size,
      );
      this.queueMap.set(q.id, queue);
      if (queue.messageTtlMs !== null) this.ttlQueues.push(queue);
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
    return this.live;
  }

  /** Where a live copy is, or undefined once it has ended (a scan of every queue: for tests and inspection). */
  whereIs(messageId: string): string | undefined {
    for (const q of this.queueMap.values()) {
      for (const m of q.readyMessages()) if (m.messageId === messageId) return m.liveIn ?? undefined;
      for (const m of q.unackedMessages()) if (m.messageId === messageId) return m.liveIn ?? undefined;
    }
    return undefined;
  }

  /**
   * Publish to `exchange` (the alternate exchange is used when it routes nowhere; `''` is the
   * default exchange, routing to the queue named by the key). Throws for an unknown exchange,
   * as RabbitMQ closes the channel.
   */
  publish(exchange: string, routingKey: string, props: PublishProps, now: number): PublishResult {
    const routedTo: string[] = [];
    const refusedBy: string[] = [];
    const messageIds: string[] = [];
    const unroutable = this.publishInto(exchange, routingKey, props, now, { routedTo, refusedBy, messageIds }) === UNROUTABLE;
    return { routedTo, unroutable, refusedBy, messageIds };
  }

  /**
   * `publish` without its result: returns how many destination queues refused their copy
   * (reject-publish: the publisher's nack), or `UNROUTABLE` (-1) when no queue was a destination.
   */
  publishCounted(exchange: string, routingKey: string, props: PublishProps, now: number): number {
    return this.publishInto(exchange, routingKey, props, now, null);
  }

  private publishInto(exchange: string, routingKey: string, props: PublishProps, now: number, out: RouteLists | null): number {
    if (exchange !== DEFAULT_EXCHANGE && !this.exchangeMap.has(exchange)) throw new Error(`unknown exchange ${exchange}`);
    this.busy++;
    try {
      this.counters.published++;
      const template = publisherMessage(0, this.idPrefix, null, exchange, routingKey, props, now);
      return this.deliverToExchange(template, exchange, now, null, out);
    } finally {
      this.leave();
    }
  }

  /** A consumer starts; with `autoAck` the broker acks each delivery as it sends it. */
  addConsumer(queue: string, tag: string, prefetch: number, now: number, autoAck = false): void {
    this.busy++;
    try {
      this.queue(queue).addConsumer(tag, prefetch, now, autoAck);
    } finally {
      this.leave();
    }
  }

  /** The consumer dies or its channel closes: its unacked messages are requeued. */
  removeConsumer(queue: string, tag: string, now: number): boolean {
    this.busy++;
    try {
      return this.queue(queue).removeConsumer(tag, now);
    } finally {
      this.leave();
    }
  }

  ack(queue: string, messageId: string, now: number): boolean {
    this.busy++;
    try {
      return this.queue(queue).ack(messageId, now);
    } finally {
      this.leave();
    }
  }

  nack(queue: string, messageId: string, requeue: boolean, now: number): boolean {
    this.busy++;
    try {
      return this.queue(queue).nack(messageId, requeue, now);
    } finally {
      this.leave();
    }
  }

  /** `ack` of the delivery of copy `m` from `queue` (no look-up by name). */
  ackCopy(queue: BrokerQueue, m: Message, now: number): boolean {
    this.busy++;
    try {
      return queue.ackCopy(m, now);
    } finally {
      this.leave();
    }
  }

  /** `nack` of the delivery of copy `m` from `queue` (no look-up by name). */
  nackCopy(queue: BrokerQueue, m: Message, requeue: boolean, now: number): boolean {
    this.busy++;
    try {
      return queue.nackCopy(m, requeue, now);
    } finally {
      this.leave();
    }
  }

  /** Expire due head messages in every queue; returns how many were removed. */
  expire(now: number): number {
    this.busy++;
    try {
      let n = 0;
      for (const q of this.ttlQueues) n += q.expire(now);
      return n;
    } finally {
      this.leave();
    }
  }

  /** The earliest head expiry over all queues, or null (only queues with a message TTL have one). */
  nextExpiryAt(): number | null {
    let best: number | null = null;
    for (const q of this.ttlQueues) {
      const t = q.nextExpiryAt();
      if (t !== null && (best === null || t < best)) best = t;
    }
    return best;
  }

  // ------------------------------------------------------------------ internals

  /** The end of an operation (begun with `busy++`): the outermost routes the dead-letterings deferred meanwhile, breadth-first. */
  private leave(): void {
    this.busy--;
    if (this.busy === 0) this.drain();
  }

  private drain(): void {
    this.busy++;
    try {
      for (let p = this.pending.shift(); p !== undefined; p = this.pending.shift()) this.routeDeadLetter(p);
    } finally {
      this.busy--;
    }
  }

  /** The queues `exchange` (and its alternates) route `key` to; no allocation on the common path. */
  private destinations(exchange: string, key: string, headers: Headers): readonly string[] {
    const x = exchange === DEFAULT_EXCHANGE ? undefined : this.exchangeMap.get(exchange);
    if (x !== undefined) {
      const qs = x.route(key, headers);
      if (qs.length > 0 || x.alternateExchange === null) return qs;
    }
    return routeWithAlternates(
      (id) => this.exchangeMap.get(id),
      exchange,
      key,
      headers,
      (id) => this.queueMap.has(id),
    ).queues;
  }

  /**
   * Route `template` through `exchange` (and alternates), making one copy per destination queue
   * (the template itself is the first), or one `unroutable` copy when there is none. Dead-letter
   * copies (`parentId` set) skip the destinations that would close a cycle. Fills `out` when
   * given; returns how many destinations refused their copy, or `UNROUTABLE`.
   */
  private deliverToExchange(template: Message, exchange: string, now: number, parentId: string | null, out: RouteLists | null): number {
    const queues = this.destinations(exchange, template.routingKey, template.headers);
    const sink = this.sink;
    const nested = this.routing;
    this.routing = true;
    const lists = sink === null ? null : nested ? { routedTo: [], refusedBy: [], cycleAt: [], copies: [] } : this.scratch;
    if (lists !== null && !nested) {
      // Emptied by pops: setting `length` is a runtime call, a pop or two is not.
      while (lists.routedTo.length > 0) lists.routedTo.pop();
      while (lists.refusedBy.length > 0) lists.refusedBy.pop();
      while (lists.cycleAt.length > 0) lists.cycleAt.pop();
      while (lists.copies.length > 0) lists.copies.pop();
    }
    let refused = 0;
    try {
      for (let i = 0; i < queues.length; i++) {
        const qid = queues[i]!;
        const copy = i === 0 ? template : copyMessage(template, 0, this.idPrefix, now);
        copy.id = this.nextId++;
        this.counters.copies++;
        if (parentId !== null && isDeathCycle(copy.xDeath, qid)) {
          this.counters.dropped.cycle++;
          if (sink !== null) {
            lists!.cycleAt.push(qid);
            sink.cycle(qid, copy, now);
          }
          continue;
        }
        const q = this.queueMap.get(qid) as BrokerQueue;
        // Registered before the offer: the queue may deliver, drop or dead-letter it at once.
        copy.liveIn = qid;
        this.live++;
        if (q.offer(copy, now)) {
          this.counters.enqueued++;
          if (lists !== null) {
            lists.routedTo.push(qid);
            lists.copies.push(copy);
          }
          if (out !== null) {
            out.routedTo.push(qid);
            out.messageIds.push(copy.messageId);
          }
        } else {
          copy.liveIn = null;
          this.live--;
          if (lists !== null) lists.refusedBy.push(qid);
          if (out !== null) out.refusedBy.push(qid);
          refused++;
          this.counters.dropped.refused++;
        }
      }
      const unroutable = queues.length === 0;
      if (unroutable) {
        template.id = this.nextId++;
        this.counters.copies++;
        this.counters.dropped.unroutable++;
        if (sink !== null) sink.unroutable(template, now);
      }
      if (sink !== null) sink.routed(exchange, template, parentId, lists!.routedTo, lists!.refusedBy, lists!.cycleAt, lists!.copies, now);
      return unroutable ? UNROUTABLE : refused;
    } finally {
      this.routing = nested;
    }
  }

  private onDeadLetter(message: Message, reason: DeathReason, queue: BrokerQueue, t: number): void {
    this.pending.push({ message, reason, queue, t });
    if (this.busy === 0) this.drain();
  }

  private routeDeadLetter(p: Pending): void {
    const q = p.queue;
    const dlx = q.deadLetterExchange as string;
    this.counters.deadLetterRoutings++;
    const template = deadLettered(p.message, q.id, p.reason, dlx, q.deadLetterRoutingKey, p.t, this.idPrefix);
    this.deliverToExchange(template, dlx, p.t, template.parentId, null);
  }

  /** The queues' events: the broker's books first, then its own sink. */
  private readonly queueSink: QueueSink = {
    enqueued: (q, m, now) => this.sink?.enqueued(q, m, now),
    refused: (q, m, now) => this.sink?.refused(q, m, now),
    delivered: (q, m, consumer, redelivered, now) => this.sink?.delivered(q, m, consumer, redelivered, now),
    acked: (q, m, consumer, now) => {
      this.counters.acked++;
      this.end(m, q.id, 'acked');
      this.sink?.acked(q, m, consumer, now);
    },
    requeued: (q, m, consumer, cause: ReturnCause, now) => this.sink?.requeued(q, m, consumer, cause, now),
    deadLettered: (q, m, reason, now) => {
      this.counters.deadLettered++;
      this.end(m, q.id, 'deadLettered');
      this.sink?.deadLettered(q, m, reason, now);
    },
    dropped: (q, m, reason, now) => {
      this.counters.dropped[reason]++;
      this.end(m, q.id, reason);
      this.sink?.dropped(q, m, reason, now);
    },
  };

  /** A copy ends (`how`: acked, deadLettered, or the reason it was dropped). */
  private end(m: Message, queue: string, how: string): void {
    const at = m.liveIn;
    if (at !== queue) {
      const what = how === 'acked' || how === 'deadLettered' ? how : `dropped (${how})`;
      if (at === null) this.violations.push(`copy ${m.messageId} ended ${what} in ${queue} but was not live`);
      else this.violations.push(`copy ${m.messageId} ended ${what} in ${queue} but lives in ${at}`);
    }
    if (at !== null) this.live--;
    m.liveIn = null;
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
      const at = m.liveIn;
      if (at !== q.id) out.push(`copy ${m.messageId} is in ${q.id} but the books say ${at ?? 'ended'}`);
    }
  }
  if (held !== live) out.push(`queues hold ${held} copies but ${live} are live`);
  if (enqueued !== c.enqueued) out.push(`queues took ${enqueued} copies but the broker enqueued ${c.enqueued}`);
  return out;
}
