/**
 * The message record, and the dead-letter bookkeeping RabbitMQ keeps on it.
 *
 * One record is one copy: a publish routed to three queues makes three records with three
 * `messageId`s (and one `eventId`). A copy lives in exactly one queue; the queue mutates its
 * `redelivered`, `deliveryCount`, `seq` and `enqueuedAt` in place. Dead-lettering ends a copy and
 * makes new ones (see `deadLettered`), which is how the accounting tells them apart. The queue
 * and the broker keep their per-copy state on the record too (`holder`, `deliveredAt`, `liveIn`),
 * so nothing is looked up by name on the way.
 */
import type { Headers } from './exchange';

/** Why a message was dead-lettered: RabbitMQ's `x-death` reasons. */
export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/**
 * One `x-death` entry: one per (queue, reason). `count` grows on repeats; `exchange`,
 * `routingKeys` and `time` describe the first time (as in RabbitMQ's AMQP 0.9.1 header).
 */
export interface XDeath {
  readonly queue: string;
  readonly reason: DeathReason;
  readonly count: number;
  /** The exchange the message had been published to before that first dead-lettering. */
  readonly exchange: string;
  /** Its routing keys then (one here: CC/BCC are not modelled). */
  readonly routingKeys: readonly string[];
  /** Simulated ms of the first dead-lettering from this queue for this reason. */
  readonly time: number;
}

/** What a publisher supplies. */
export interface PublishProps {
  eventId: string;
  correlationId?: string | null;
  causationId?: string | null;
  /** Header table (headers exchanges route on it). */
  headers?: Headers;
  /** A poison message: every consumer fails on it, every time (kept by every copy). */
  poison?: boolean;
}

/** What a queue knows of the consumer holding a message unacked (the queue's own record). */
export interface Holder {
  readonly tag: string;
}

/**
 * One copy. The broker numbers its copies (`id`: 1, 2, ...) and names one (`messageId`, the
 * broker's prefix and that number) only when something asks for the name; a copy made outside a
 * broker (`createMessage`) has the name it was given and the number 0.
 */
export class Message {
  /** The broker's number of this copy (0: made outside a broker, or a template not yet a copy). */
  id: number;
  /** The domain event: shared by every copy, resends and dead-letter copies. */
  readonly eventId: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  /** The key it was last published with (the dead-letter key after dead-lettering). */
  readonly routingKey: string;
  /** The exchange it was last published to (the DLX after dead-lettering). */
  readonly exchange: string;
  readonly headers: Headers;
  /** A poison message (see PublishProps). */
  readonly poison: boolean;
  /** When the publisher published the original (kept across dead-lettering). */
  readonly publishedAt: number;
  /** The number of the copy this one was dead-lettered from (0: a publisher's message). */
  readonly parent: number;
  /** The name of that copy, or null for a publisher's message. */
  readonly parentId: string | null;
  /** Most recent first. */
  readonly xDeath: readonly XDeath[];
  /** Set when the copy goes back to its queue after a delivery (nack/reject with requeue, consumer death). */
  redelivered = false;
  /** Deliveries of this copy so far. */
  deliveryCount = 0;
  /** Queue-local: the queue's arrival sequence number (its position), set on enqueue. */
  seq = -1;
  /** Queue-local: when it entered its queue (the message TTL counts from here). */
  enqueuedAt: number;
  /** Queue-local: the consumer holding it unacked, or null (ready, or not in a queue). */
  holder: Holder | null = null;
  /** Queue-local: when it was delivered to `holder` (the consumer timeout counts from here). */
  deliveredAt = 0;
  /** Queue-local: its neighbours in the queue's list of unacked messages (delivery order). */
  prevUnacked: Message | null = null;
  nextUnacked: Message | null = null;
  /** The broker's books: the queue it is live in (ready or unacked), or null. */
  liveIn: string | null = null;
  private readonly prefix: string;
  private name: string | null;

  constructor(
    id: number,
    prefix: string,
    name: string | null,
    eventId: string,
    correlationId: string | null,
    causationId: string | null,
    routingKey: string,
    exchange: string,
    headers: Headers,
    poison: boolean,
    publishedAt: number,
    parent: number,
    parentId: string | null,
    xDeath: readonly XDeath[],
    enqueuedAt: number,
  ) {
    this.id = id;
    this.prefix = prefix;
    this.name = name;
    this.eventId = eventId;
    this.correlationId = correlationId;
    this.causationId = causationId;
    this.routingKey = routingKey;
    this.exchange = exchange;
    this.headers = headers;
    this.poison = poison;
    this.publishedAt = publishedAt;
    this.parent = parent;
    this.parentId = parentId;
    this.xDeath = xDeath;
    this.enqueuedAt = enqueuedAt;
  }

  /** Unique per copy in the broker. */
  get messageId(): string {
    if (this.name === null) this.name = this.prefix + String(this.id);
    return this.name;
  }
}

const NO_HEADERS: Headers = Object.freeze({});
const NO_DEATHS: readonly XDeath[] = Object.freeze([]);

/** A publisher's message, one copy, named `messageId` (outside a broker: the broker numbers its own). */
export function createMessage(messageId: string, exchange: string, routingKey: string, props: PublishProps, now: number): Message {
  return publisherMessage(0, '', messageId, exchange, routingKey, props, now);
}

/** A publisher's message: number `id`, named by `prefix` and the number unless `name` is given. */
export function publisherMessage(id: number, prefix: string, name: string | null, exchange: string, routingKey: string, props: PublishProps, now: number): Message {
  const headers = props.headers ?? NO_HEADERS;
  return new Message(id, prefix, name, props.eventId, props.correlationId ?? null, props.causationId ?? null, routingKey, exchange, headers, props.poison ?? false, now, 0, null, NO_DEATHS, now);
}

/** Another copy of a message (number `id`) on its way to another queue: fresh queue-local state, entering at `now`. */
export function copyMessage(m: Message, id: number, prefix: string, now: number): Message {
  return new Message(id, prefix, null, m.eventId, m.correlationId, m.causationId, m.routingKey, m.exchange, m.headers, m.poison, m.publishedAt, m.parent, m.parentId, m.xDeath, now);
}

/**
 * The `x-death` list after dead-lettering from `queue` for `reason` (`mc:record_death/4`): an
 * existing (queue, reason) entry has its count incremented and moves to the front, keeping its
 * first exchange, keys and time; otherwise a new entry with count 1 goes in front.
 */
export function recordDeath(
  deaths: readonly XDeath[],
  queue: string,
  reason: DeathReason,
  exchange: string,
  routingKeys: readonly string[],
  now: number,
): XDeath[] {
  const i = deaths.findIndex((d) => d.queue === queue && d.reason === reason);
  if (i < 0) return [{ queue, reason, count: 1, exchange, routingKeys, time: now }, ...deaths];
  const old = deaths[i] as XDeath;
  return [{ ...old, count: old.count + 1 }, ...deaths.slice(0, i), ...deaths.slice(i + 1)];
}

/**
 * Whether delivering a dead-lettered message to `targetQueue` closes a cycle that must be
 * dropped (`mc:is_cycle_v2`): take the deaths up to and including the most recent one from
 * `targetQueue`; it is a cycle when there is such a death and none of those is `rejected`.
 * A dead-lettering for `rejected` is never a cycle (`rabbit_dead_letter:detect_cycles/3`).
 */
export function isDeathCycle(deaths: readonly XDeath[], targetQueue: string): boolean {
  for (const d of deaths) {
    if (d.reason === 'rejected') return false;
    if (d.queue === targetQueue) return true;
  }
  return false;
}

/**
 * The message a queue dead-letters (before it is routed): the death recorded in `x-death`,
 * published to the dead-letter exchange with the dead-letter routing key when the queue sets one,
 * else with its own key (`rabbit_dead_letter:publish/5`). It has no number until the broker makes
 * it a copy for a destination queue.
 */
export function deadLettered(m: Message, sourceQueue: string, reason: DeathReason, dlx: string, dlRoutingKey: string | null, now: number, prefix: string): Message {
  const xDeath = recordDeath(m.xDeath, sourceQueue, reason, m.exchange, [m.routingKey], now);
  return new Message(0, prefix, null, m.eventId, m.correlationId, m.causationId, dlRoutingKey ?? m.routingKey, dlx, m.headers, m.poison, m.publishedAt, m.id, m.messageId, xDeath, now);
}
