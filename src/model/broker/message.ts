/**
 * The message record, and the dead-letter bookkeeping RabbitMQ keeps on it.
 *
 * One record is one copy: a publish routed to three queues makes three records with three
 * `messageId`s (and one `eventId`). A copy lives in exactly one queue; the queue mutates its
 * `redelivered`, `deliveryCount`, `seq` and `enqueuedAt` in place. Dead-lettering ends a copy and
 * makes new ones (see `deadLetterCopy`), which is how the accounting tells them apart.
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

export interface Message {
  /** Unique per copy in the broker. */
  readonly messageId: string;
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
  /** The copy this one was dead-lettered from, or null for a publisher's message. */
  readonly parentId: string | null;
  /** Most recent first. */
  readonly xDeath: readonly XDeath[];
  /** Set when the copy goes back to its queue after a delivery (nack/reject with requeue, consumer death). */
  redelivered: boolean;
  /** Deliveries of this copy so far. */
  deliveryCount: number;
  /** Queue-local: the queue's arrival sequence number (its position), set on enqueue. */
  seq: number;
  /** Queue-local: when it entered its queue (the message TTL counts from here). */
  enqueuedAt: number;
}

const NO_HEADERS: Headers = Object.freeze({});

/** A publisher's message, one copy. */
export function createMessage(messageId: string, exchange: string, routingKey: string, props: PublishProps, now: number): Message {
  return {
    messageId,
    eventId: props.eventId,
    correlationId: props.correlationId ?? null,
    causationId: props.causationId ?? null,
    routingKey,
    exchange,
    headers: props.headers ?? NO_HEADERS,
    poison: props.poison ?? false,
    publishedAt: now,
    parentId: null,
    xDeath: [],
    redelivered: false,
    deliveryCount: 0,
    seq: -1,
    enqueuedAt: now,
  };
}

/** Another copy of a message on its way to another queue (fresh queue-local state). */
export function copyMessage(m: Message, messageId: string): Message {
  return { ...m, messageId, redelivered: false, deliveryCount: 0, seq: -1 };
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
 * else with its own key (`rabbit_dead_letter:publish/5`). `messageId` is a placeholder until the
 * broker makes one copy per destination queue.
 */
export function deadLettered(m: Message, sourceQueue: string, reason: DeathReason, dlx: string, dlRoutingKey: string | null, now: number): Message {
  return {
    ...m,
    exchange: dlx,
    routingKey: dlRoutingKey ?? m.routingKey,
    parentId: m.messageId,
    xDeath: recordDeath(m.xDeath, sourceQueue, reason, m.exchange, [m.routingKey], now),
    redelivered: false,
    deliveryCount: 0,
    seq: -1,
    enqueuedAt: now,
  };
}
