/**
 * The broker inside a run: exchanges and queues as nodes, services publishing, and services
 * consuming from queues. The Broker (broker.ts) keeps RabbitMQ's rules and the per-copy
 * accounting; this file moves messages through simulated time.
 *
 * - Publishing: a service publishes each of its `publishes` as its `publishMode` says (service.ts
 *   decides when; the outbox relay is here). A publish crosses the network hop to its exchange,
 *   where link faults act on it (hops.ts): lost (a lost event, unless an outbox relay publishes the
 *   row again), refused by an error fault (the publisher's nack), delayed, reordered or doubled. It
 *   is fire and forget: the request does not wait for the confirm. With probability
 *   `resendOnLostConfirm` the confirm is lost and the publisher publishes the same event again one
 *   round trip later: a new message, same eventId. A share `poisonRate` of the events are poison.
 * - Consuming: each `consumes` entry runs `consumers` consumers (spread over the service's
 *   instances), each with its own `prefetch`. Consumers are not the service's HTTP workers. A
 *   consumer handles one message at a time; the others the broker gave it (up to `prefetch`
 *   unacked) wait in its buffer — so `consumers` sets the parallelism and `prefetch` how much
 *   each holds back from the others. A delivery reaches the consumer after the network hop; it
 *   works `serviceTime`, fails on a poison message or with `errorRate` (then nack: requeue, or
 *   dead-letter with `onError: "dead-letter"`), and its ack or nack reaches the broker one hop
 *   later. Link faults act on the delivery and on the ack: a lost delivery or ack leaves the
 *   message unacked at the broker.
 * - The consumer timeout (the queue's `consumerTimeoutMs`, RabbitMQ's delivery acknowledgement
 *   timeout): checked once a minute per channel; a delivery unacked for that long makes the
 *   broker close the consumer's channel, requeueing every message it held. The consumer opens a
 *   new channel `recoveryDelayMs` later. Work in progress finishes (its side effect happens) but
 *   its ack is void: the message comes again, a duplicate for a consumer that is not idempotent.
 * - A consumer whose instance crashes loses its channel: its unacked messages are requeued
 *   (redelivered) — including any it had processed but not yet acked, which is how at-least-once
 *   delivery makes duplicates. With `ackMode: "auto"` the broker forgot each message as it sent it:
 *   what the consumer held (in transit, buffered, in work) is lost, and so is a message whose
 *   processing fails.
 * - Idempotency: an idempotent consumer skips an eventId it has processed (within
 *   `idempotencyTtlMs`); a non-idempotent one applies it again: a duplicate side effect.
 * - Choreography: a consume entry may call services (`calls`, work.ts) and publish (`publishes`).
 *   Its calls follow its own work while the consumer holds the message unacked; a failed call fails
 *   the delivery. Its publishes go out when the work succeeds, before the ack, as the service's
 *   `publishMode` says (before-commit: when the work starts, a ghost if it then fails; outbox: rows
 *   for the service's relay) — so a consumer that dies after publishing and before its ack
 *   publishes again on the redelivery. An idempotent consumer that has processed the eventId skips
 *   the calls and the publishes.
 * - Queue faults: `duplicate` delivers a message twice to its consumer; `latency` delays deliveries.
 */
import { sampler } from '../../engine';
import type { DistSpec, EventType, Sampler, Uniform } from '../../engine';
import type { ConsumeSpec, ExchangeNode, PublishSpec, QueueNode, ServiceNode } from '../../scenario/schema';
import { LogKind, NO_STATUS, Reason } from '../events';
import { latencyDraw } from '../faults';
import type { ActiveFault } from '../faults';
import type { Request } from '../request';
import type { NodeModel, World } from '../world';
import type { ConsumerLive, ExchangeLive, QueueLive } from '../live';
import { Broker, checkAccounting } from './broker';
import type { BrokerSink } from './broker';
import type { BrokerQueue } from './queue';
import { RETRANSMIT_MS, crossHop, partitionOf } from './hops';
import { ConsumerLedger } from './idempotency';
import { recordDeath } from './message';
import type { Message, XDeath } from './message';
import { CallsInProgress, EntryCalls } from './work';
import { ChoreographedSagas } from './choreography';
import { EntitySequences, EntityStates, entityEventOf, orderVerdict } from './ordering';
import type { CallsOwner } from './work';

/** Names of the reasons a message is dead-lettered, dropped or lost, for the event log (by code). */
export const MESSAGE_REASONS = [
  'rejected',
  'expired',
  'maxlen',
  'delivery_limit',
  'unroutable',
  'refused',
  'cycle',
  /** Automatic acknowledgement: the consumer crashed holding it. */
  'consumer-crashed',
  /** Automatic acknowledgement: its processing failed, and there was nothing to nack. */
  'processing-failed',
  /** Automatic acknowledgement: the delivery was lost on its link. */
  'link',
] as const;
export type MessageReason = (typeof MESSAGE_REASONS)[number];
const reasonCode = (r: MessageReason): number => MESSAGE_REASONS.indexOf(r);
const REFUSED = reasonCode('refused');
const CYCLE = reasonCode('cycle');
const UNROUTABLE_CODE = reasonCode('unroutable');

const NO_FAULTS: readonly ActiveFault[] = [];

/** The x-death entry as the event log and the popover show it (RabbitMQ's header field names). */
export interface XDeathEntry {
  queue: string;
  reason: string;
  count: number;
  exchange: string;
  'routing-keys': string[];
  time: number;
}

/** Most dead-letterings whose x-death list is kept for the event log (the oldest are forgotten). */
const X_DEATH_KEPT = 100_000;

function keep(map: Map<number, readonly XDeath[]>, messageId: number, deaths: readonly XDeath[]): void {
  if (map.size >= X_DEATH_KEPT) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(messageId, deaths);
}

interface Consumer {
  readonly tag: string;
  readonly service: number;
  readonly instance: number;
  readonly queue: string;
  readonly queueIndex: number;
  /** The broker's queue it consumes from. */
  readonly brokerQueue: BrokerQueue;
  readonly spec: ConsumeSpec;
  readonly autoAck: boolean;
  readonly timeoutMs: number;
  readonly work: Sampler;
  readonly errors: Uniform;
  readonly ledger: ConsumerLedger;
  readonly stats: ConsumeStats;
  /** The entry's calls (choreography), shared by its consumers. */
  readonly calls: EntryCalls;
  /** The service's publish mode, for the entry's own publishes. */
  readonly publishMode: ServiceNode['publishMode'];
  /** Lost-confirm draws of the entry's publishes. */
  readonly publishStream: Uniform;
  /** Bumped when the consumer's channel closes: acks of an older epoch are void. */
  epoch: number;
  /** Bumped when its process dies: work of an older life never finishes. */
  life: number;
  /** The process is up. */
  up: boolean;
  /** Its channel is open (subscribed to the queue). */
  open: boolean;
  /** When its channel opened (the consumer timeout is checked once a minute from here). */
  openedAt: number;
  /** A consumer-timeout check is scheduled. */
  checking: boolean;
  /** Working on a delivery now; the others it was given wait in `buffer` (prefetched). */
  busy: boolean;
  current: Delivery | null;
  buffer: Delivery[];
}

/** One consume entry's counts beyond the broker's (per queue and service). */
interface ConsumeStats {
  readonly queue: string;
  readonly service: number;
  readonly ledger: ConsumerLedger;
  /** Channels the broker closed for the consumer timeout. */
  channelsClosed: number;
  /** Deliveries and acks lost on their links. */
  deliveriesLost: number;
  acksLost: number;
  /** Automatic acknowledgement: deliveries the broker forgot as it sent them, and their fates. */
  autoDelivered: number;
  autoProcessed: number;
  autoLost: Record<'consumer-crashed' | 'processing-failed' | 'link', number>;
  /** Automatic acknowledgement: primary deliveries on their way to a consumer. */
  autoInTransit: number;
  /** Work that failed on a poison message. */
  poisonFailures: number;
  /** Deliveries whose work (with calls) ended ok, or failed (own work, a call, a crash). */
  workOk: number;
  workFailed: number;
}

/** The message a consumer's publish follows from. */
interface Cause {
  readonly correlationId: string | null;
  readonly eventId: string;
}

/** A delivery on its way to its consumer, with what the queue's own faults did to it. */
interface HeldDelivery {
  d: Delivery;
  copies: number;
  delay: number;
  redelivered: boolean;
}

interface Delivery {
  readonly consumer: Consumer;
  readonly epoch: number;
  readonly life: number;
  /** The copy delivered (its `id` is the message id the event log shows). */
  readonly message: Message;
  readonly eventId: string;
  readonly correlationId: string | null;
  readonly poison: boolean;
  /** A second copy made by a duplicate fault (the accounting follows the first). */
  readonly extra: boolean;
  /** The request its work is, when the entry calls services (set when the work starts). */
  request: Request | null;
  /** Events its work published before the write (publishMode "before-commit"), until the work ends. */
  events: string[] | null;
  /** For acks travelling back: ack, or nack with requeue. */
  ack: boolean;
  requeue: boolean;
  /** Its message's headers (a state-machine consumer reads the entity and version there). */
  readonly headers: Message['headers'];
  /** A state-machine consumer's decision on it, taken when its own work is done (null: none). */
  order: 'ack' | 'reject' | 'park' | null;
}

/** One domain event a service published: every send of it (resends, republishes, copies) shares it. */
interface EventRecord {
  readonly service: number;
  /** The service's publisher totals (the event's sends count there). */
  readonly totals: PublisherTotals;
  /** Sends not yet arrived or lost. */
  pending: number;
  arrived: number;
  /** Published through the outbox: the relay publishes it again until it is confirmed. */
  readonly outbox: boolean;
}

interface Publication {
  readonly service: number;
  readonly exchange: string;
  readonly exchangeIndex: number;
  readonly routingKey: string;
  readonly eventId: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly headers: PublishSpec['headers'];
  readonly poison: boolean;
  readonly resend: boolean;
  /** The request whose success published it (0: none), for the event log. */
  readonly requestId: number;
  readonly event: EventRecord;
  /** The outbox row it publishes, if the relay sent it. */
  readonly row: OutboxRow | null;
  /** The spec's lost-confirm share (the relay draws it when the publish arrives). */
  readonly lostConfirm: number;
  /** Its first arrival starts a choreographed saga (the publish's `startsSaga`). */
  readonly startsSaga: boolean;
}

interface OutboxRow {
  readonly key: number;
  /** The row's publication (its `resend` and `row` are set on each send: see {@link sendOf}). */
  readonly publication: Publication;
  state: 'new' | 'sent';
  /** How many times the relay has published it. */
  sends: number;
  /** The relay's life when it sent the row: a confirm for an older one is void. */
  relayLife: number;
}

/** The outbox relay of one service: polls the outbox table, publishes, marks on confirm. */
interface Relay {
  readonly service: number;
  readonly intervalMs: number;
  readonly batch: number;
  readonly rows: Map<number, OutboxRow>;
  readonly confirmLost: Uniform;
  life: number;
  up: boolean;
  written: number;
  marked: number;
}

/** What a publishing service's events came to. */
export interface PublisherTotals {
  published: number;
  resends: number;
  /** Events that never reached the broker and will not be sent again. */
  lostEvents: number;
  /** Before-commit events whose request then failed. */
  ghostEvents: number;
  /** Sends of an event that had already reached the broker (a resend, a relay's republish, a doubled hop). */
  duplicateEvents: number;
  /** Publishes refused with a nack (an error fault on the publish hop). */
  publishNacks: number;
  /** Outbox rows written, and still unmarked (not confirmed yet). */
  outboxWritten: number;
  outboxPending: number;
}

export class Messaging implements CallsOwner<Delivery> {
  readonly broker: Broker;
  private readonly consumers = new Map<string, Consumer>();
  private readonly consumersOf = new Map<number, Consumer[]>();
  private nextEventId = 1;
  private expiryTimer = -1;
  private expiryAt = Infinity;
  private readonly expire: EventType<null>;
  private readonly publishArrive: EventType<Publication>;
  private readonly workDone: EventType<Delivery>;
  private readonly ackArrive: EventType<Delivery>;
  private readonly deliveryDelayed: EventType<Delivery>;
  private readonly timeoutCheck: EventType<Consumer>;
  private readonly reopen: EventType<Consumer>;
  private readonly relayPoll: EventType<Relay>;
  private readonly relayConfirm: EventType<OutboxRow>;
  /** A publisher whose confirm was lost sends the same event again. */
  private readonly resend: EventType<Publication>;
  private readonly queueFaults = new Map<string, ActiveFault[]>();
  private readonly queueTimeouts = new Map<string, number>();
  private readonly stats: ConsumeStats[] = [];
  private readonly entryCalls: { service: number; calls: EntryCalls }[] = [];
  private readonly relays = new Map<number, Relay>();
  private readonly poisonStreams = new Map<PublishSpec, Uniform>();
  /** The x-death list each dead-lettered copy left with, and the one each dead-letter copy arrived with. */
  private readonly xDeaths = new Map<number, readonly XDeath[]>();
  private readonly xDeathsIn = new Map<number, readonly XDeath[]>();
  private nextRow = 1;
  /** Publishes with `entities`: their open entities, and the last version published per entity. */
  private readonly entitySequences = new Map<PublishSpec, EntitySequences>();
  readonly entityPublished = new Map<string, number>();
  /** State-machine consumers' entity tables, per service. */
  private readonly entityStates = new Map<number, EntityStates>();
  /** Choreographed sagas (null when no publish starts one). */
  readonly choreography: ChoreographedSagas | null;
  private readonly parkDone: EventType<Delivery>;
  /** A hop a partition held (TCP keeps the connection): it tries again (hops.ts). */
  private readonly publishHeld: EventType<Publication>;
  private readonly deliveryHeld: EventType<HeldDelivery>;
  private readonly ackHeld: EventType<Delivery>;
  /** Per service: compensating messages processed (entries with `compensates`), compensating events published (`onFailurePublish`). */
  readonly compensationsBy = new Map<number, { run: number; published: number }>();
  /** The node index of each broker queue, by its ordinal. */
  private readonly queueNodes: number[];
  private readonly exchangeNodes = new Map<string, number>();

  // Accounting of what is in transit outside the broker.
  publishesSent = 0;
  publishesArrived = 0;
  publishesLost = 0;
  readonly publishedBy = new Map<number, PublisherTotals>();
  readonly exchangeStats = new Map<string, { received: number; unroutable: number }>();

  constructor(private readonly world: World) {
    world.addCheck((out) => this.checkInvariants(out));
    world.addEventDetail(LogKind.messageDeadLetter, (messageId) => this.xDeathDetail(messageId, false));
    world.addEventDetail(LogKind.messageRoute, (messageId) => this.xDeathDetail(messageId, true));
    const nodes = world.scenario.nodes;
    const exchanges = nodes.filter((n): n is ExchangeNode => n.kind === 'exchange');
    const queues = nodes.filter((n): n is QueueNode => n.kind === 'queue');
    for (const x of exchanges) this.exchangeStats.set(x.id, { received: 0, unroutable: 0 });
    for (const q of queues) this.queueTimeouts.set(q.id, q.consumerTimeoutMs);
    this.broker = new Broker(
      {
        exchanges: exchanges.map((x) => ({ id: x.id, type: x.type, alternateExchange: x.alternateExchange, hashHeader: x.hashHeader })),
        queues: queues.map((q) => ({
          id: q.id,
          queueType: q.queueType,
          messageTtlMs: q.messageTtlMs,
          maxLength: q.maxLength,
          overflow: q.overflow,
          deadLetter: q.deadLetter,
          deliveryLimit: q.deliveryLimit,
          bindings: q.bindings.map((b) => ({ exchange: b.exchange, key: b.key, arguments: b.arguments })),
        })),
      },
      { idPrefix: '', sink: this.brokerSink },
    );
    this.queueNodes = this.broker.queues().map((q) => world.indexOf(q.id));
    for (const x of exchanges) this.exchangeNodes.set(x.id, world.indexOf(x.id));
    const k = world.kernel;
    this.expire = k.register('broker.expire', () => this.onExpire());
    this.publishArrive = k.register('broker.publish', (p: Publication) => this.onPublishArrive(p));
    this.workDone = k.register('consumer.workDone', (d: Delivery) => this.onWorkDone(d));
    this.ackArrive = k.register('consumer.ackArrive', (d: Delivery) => this.onAckArrive(d));
    this.deliveryDelayed = k.register('consumer.deliveryDelayed', (d: Delivery) => this.onDeliveryArrive(d));
    this.timeoutCheck = k.register('consumer.timeoutCheck', (c: Consumer) => this.onTimeoutCheck(c));
    this.reopen = k.register('consumer.reopen', (c: Consumer) => this.openChannel(c));
    this.relayPoll = k.register('outbox.poll', (r: Relay) => this.onRelayPoll(r));
    this.relayConfirm = k.register('outbox.confirm', (row: OutboxRow) => this.onRelayConfirm(row));
    this.parkDone = k.register('consumer.parkDone', (d: Delivery) => this.sendAck(d));
    this.publishHeld = k.register('broker.publishHeld', (p: Publication) => this.crossPublish(p));
    this.deliveryHeld = k.register('consumer.deliveryHeld', (h: HeldDelivery) => {
      if (h.d.consumer.autoAck) h.d.consumer.stats.autoInTransit--;
      this.crossDelivery(h);
    });
    this.ackHeld = k.register('consumer.ackHeld', (d: Delivery) => this.sendAck(d));
    const services = nodes.filter((n): n is ServiceNode => n.kind === 'service');
    const sagas = services.some((n) => n.publishes.some((p) => p.startsSaga) || n.consumes.some((c) => c.publishes.some((p) => p.startsSaga)));
    this.choreography = sagas ? new ChoreographedSagas(world.sagas) : null;
    if (this.choreography) world.addCheck((out) => this.choreography!.check(out));
    this.resend = k.register('publisher.resend', (p: Publication) => this.send(this.sendOf(p, true, null)));
  }

  /** Declare a service's consumers (called when the service starts). */
  addConsumers(service: number, spec: ServiceNode, instances: number): void {
    const w = this.world;
    const list: Consumer[] = [];
    if (spec.consumes.some((c) => c.stateMachine !== null)) this.entityStates.set(service, new EntityStates());
    if (spec.consumes.some((c) => c.compensates || c.onFailurePublish.length > 0)) this.compensationsBy.set(service, { run: 0, published: 0 });
    spec.consumes.forEach((c, qi) => {
      // One ledger for all consumers of this entry: their processed-id store is shared, as a
      // database table would be.
      const ledger = new ConsumerLedger({ idempotent: c.idempotent, idempotencyTtlMs: c.idempotencyTtlMs });
      const stats: ConsumeStats = {
        queue: c.queue,
        service,
        ledger,
        channelsClosed: 0,
        deliveriesLost: 0,
        acksLost: 0,
        autoDelivered: 0,
        autoProcessed: 0,
        autoLost: { 'consumer-crashed': 0, 'processing-failed': 0, link: 0 },
        autoInTransit: 0,
        poisonFailures: 0,
        workOk: 0,
        workFailed: 0,
      };
      this.stats.push(stats);
      const work = sampler(c.serviceTime as DistSpec, w.streams.get(spec.id, `consume:${c.queue}:work`));
      const errors = w.streams.get(spec.id, `consume:${c.queue}:error`);
      const calls = new EntryCalls(w, service, c);
      const publishStream = w.streams.get(spec.id, `consume:${c.queue}:publishConfirm`);
      this.entryCalls.push({ service, calls });
      for (let k = 0; k < c.consumers; k++) {
        const consumer: Consumer = {
          tag: `${spec.id}#${qi}.${k}`,
          service,
          instance: k % instances,
          queue: c.queue,
          queueIndex: w.indexOf(c.queue),
          brokerQueue: this.broker.queue(c.queue),
          spec: c,
          autoAck: c.ackMode === 'auto',
          timeoutMs: this.queueTimeouts.get(c.queue) ?? Infinity,
          work,
          errors,
          ledger,
          stats,
          calls,
          publishMode: spec.publishMode,
          publishStream,
          epoch: 0,
          life: 0,
          up: true,
          open: false,
          openedAt: 0,
          checking: false,
          busy: false,
          current: null,
          buffer: [],
        };
        list.push(consumer);
        this.consumers.set(consumer.tag, consumer);
      }
    });
    this.consumersOf.set(service, list);
    for (const c of list) this.openChannel(c);
    this.armExpiry();
  }

  /** Open the consumer's channel and subscribe (at start, after a restart, after the broker closed it). */
  private openChannel(c: Consumer): void {
    if (!c.up || c.open) return;
    c.open = true;
    c.openedAt = this.world.now;
    this.broker.addConsumer(c.queue, c.tag, c.spec.prefetch, this.world.now, c.autoAck);
    this.armExpiry();
  }

  /** A service instance crashed (down) or restarted (up): its consumers lose or regain their channel; its outbox relay stops or resumes. */
  instanceChanged(service: number, instance: number, up: boolean): void {
    const w = this.world;
    for (const c of this.consumersOf.get(service) ?? []) {
      if (c.instance !== instance || c.up === up) continue;
      c.up = up;
      if (up) this.openChannel(c);
      else {
        c.epoch++;
        c.life++;
        if (c.autoAck) {
          // The broker forgot these when it sent them: they die with the process.
          const held = c.buffer.filter((d) => !d.extra);
          if (c.current && !c.current.extra) held.push(c.current);
          for (const d of held) this.loseAuto(c, d, 'consumer-crashed');
        }
        if (c.current) this.workDied(c.current);
        c.busy = false;
        c.current = null;
        c.buffer = [];
        if (c.open) {
          c.open = false;
          this.broker.removeConsumer(c.queue, c.tag, w.now);
        }
      }
    }
    const relay = this.relays.get(service);
    if (relay && instance === 0) {
      relay.up = up;
      if (!up) {
        // Rows sent but not marked stay in the table: the relay publishes them again after its restart.
        relay.life++;
        for (const row of relay.rows.values()) row.state = 'new';
      }
    }
    this.armExpiry();
  }

  // ------------------------------------------------------------------ publishing

  private totals(service: number): PublisherTotals {
    let t = this.publishedBy.get(service);
    if (!t) {
      t = { published: 0, resends: 0, lostEvents: 0, ghostEvents: 0, duplicateEvents: 0, publishNacks: 0, outboxWritten: 0, outboxPending: 0 };
      this.publishedBy.set(service, t);
    }
    return t;
  }

  private poisonDraw(service: number, spec: PublishSpec): boolean {
    if (spec.poisonRate <= 0) return false;
    let s = this.poisonStreams.get(spec);
    if (!s) {
      const w = this.world;
      s = w.streams.get(w.ids[service]!, `publish:${spec.exchange}:${spec.routingKey}:poison`);
      this.poisonStreams.set(spec, s);
    }
    return s() < spec.poisonRate;
  }

  /** The next event of a publish with `entities`: its headers name the entity, the version and the event. */
  private entityHeaders(service: number, spec: PublishSpec): PublishSpec['headers'] {
    const e = spec.entities;
    if (e === null) return spec.headers;
    let seq = this.entitySequences.get(spec);
    if (!seq) {
      const w = this.world;
      seq = new EntitySequences(e, w.streams.get(w.ids[service]!, `publish:${spec.exchange}:${spec.routingKey}:entities`));
      this.entitySequences.set(spec, seq);
    }
    const next = seq.next();
    if ((this.entityPublished.get(next.entity) ?? 0) < next.version) this.entityPublished.set(next.entity, next.version);
    return { ...spec.headers, entity: next.entity, version: next.version, event: next.event };
  }

  /** A new event's first send (built field by field, one shape for every publication). */
  private publication(service: number, spec: PublishSpec, request: Request | null, outbox: boolean, cause: Cause | null): Publication {
    const eventId = String(this.nextEventId++);
    return {
      service,
      exchange: spec.exchange,
      exchangeIndex: this.world.indexOf(spec.exchange),
      routingKey: spec.routingKey,
      eventId,
      // A consumer's publish carries on the correlation of the message it works on, caused by that event.
      correlationId: cause ? cause.correlationId : request ? `c-${request.id}` : null,
      causationId: cause ? `e-${cause.eventId}` : request ? `r-${request.id}` : null,
      headers: this.entityHeaders(service, spec),
      poison: this.poisonDraw(service, spec),
      resend: false,
      requestId: request ? request.id : 0,
      event: { service, totals: this.totals(service), pending: 0, arrived: 0, outbox },
      row: null,
      lostConfirm: spec.resendOnLostConfirm,
      startsSaga: spec.startsSaga,
    };
  }

  /** Another send of `p`'s event: a resend, or the outbox relay's send of `row`. */
  private sendOf(p: Publication, resend: boolean, row: OutboxRow | null): Publication {
    return {
      service: p.service,
      exchange: p.exchange,
      exchangeIndex: p.exchangeIndex,
      routingKey: p.routingKey,
      eventId: p.eventId,
      correlationId: p.correlationId,
      causationId: p.causationId,
      headers: p.headers,
      poison: p.poison,
      resend,
      requestId: p.requestId,
      event: p.event,
      row,
      lostConfirm: p.lostConfirm,
      startsSaga: p.startsSaga,
    };
  }

  /** A service publishes one event now (after its request succeeded, or before its write); returns its eventId. */
  publishFrom(service: number, spec: PublishSpec, request: Request | null, stream: Uniform, cause: Cause | null = null): string {
    const p = this.publication(service, spec, request, false, cause);
    p.event.pending++;
    this.send(p);
    if (spec.resendOnLostConfirm > 0 && stream() < spec.resendOnLostConfirm) {
      // The confirm never comes back: the publisher sends the same event again one round trip later.
      const rtt = this.world.net.latency(service, p.exchangeIndex) + this.world.net.latency(p.exchangeIndex, service);
      p.event.pending++;
      this.world.kernel.schedule(rtt, this.resend, p);
    }
    return p.eventId;
  }

  /** Before-commit events whose request failed after they went out: ghosts. */
  ghosts(service: number, eventIds: readonly string[], requestId: number): void {
    const w = this.world;
    const t = this.totals(service);
    for (const id of eventIds) {
      t.ghostEvents++;
      w.log.emit(w.now, LogKind.eventGhost, service, Number(id), requestId);
    }
  }

  /** Start a service's outbox relay (publishMode "outbox"): it polls every `pollIntervalMs`. */
  startRelay(service: number, spec: ServiceNode): void {
    const w = this.world;
    const relay: Relay = {
      service,
      intervalMs: spec.outbox.pollIntervalMs,
      batch: spec.outbox.batchSize,
      rows: new Map(),
      confirmLost: w.streams.get(spec.id, 'outbox:confirm'),
      life: 0,
      up: true,
      written: 0,
      marked: 0,
    };
    this.relays.set(service, relay);
    this.totals(service);
    w.kernel.schedule(relay.intervalMs, this.relayPoll, relay);
  }

  /** The request's transaction commits with one outbox row per publish; the relay sends them later. */
  outboxWrite(service: number, spec: PublishSpec, request: Request | null, cause: Cause | null = null): string {
    const relay = this.relays.get(service)!;
    const row: OutboxRow = { key: this.nextRow++, publication: this.publication(service, spec, request, true, cause), state: 'new', sends: 0, relayLife: 0 };
    relay.rows.set(row.key, row);
    relay.written++;
    this.totals(service).outboxWritten++;
    return row.publication.eventId;
  }

  private onRelayPoll(relay: Relay): void {
    const w = this.world;
    w.kernel.schedule(relay.intervalMs, this.relayPoll, relay);
    if (!relay.up) return;
    // A row sent at an earlier poll whose confirm never came: published again now.
    let sent = 0;
    for (const row of relay.rows.values()) {
      if (sent >= relay.batch) break;
      row.state = 'sent';
      row.relayLife = relay.life;
      row.publication.event.pending++;
      this.send(this.sendOf(row.publication, row.sends > 0, row));
      row.sends++;
      sent++;
    }
  }

  private onRelayConfirm(row: OutboxRow): void {
    const relay = this.relays.get(row.publication.service)!;
    if (row.state !== 'sent' || row.relayLife !== relay.life || !relay.rows.has(row.key)) return;
    relay.rows.delete(row.key);
    relay.marked++;
  }

  private send(p: Publication): void {
    const w = this.world;
    const stats = p.event.totals;
    stats.published++;
    if (p.resend) stats.resends++;
    this.publishesSent++;
    w.log.emit(w.now, LogKind.messagePublish, p.service, Number(p.eventId), p.exchangeIndex, p.requestId * 2 + (p.resend ? 1 : 0));
    if (p.resend) w.log.emit(w.now, LogKind.messageDuplicate, p.service, -1, Number(p.eventId));
    this.crossPublish(p);
  }

  /** A publish crosses to the exchange: lost, refused, delayed or doubled by the link's faults; held while the link is partitioned. */
  private crossPublish(p: Publication): void {
    const w = this.world;
    const stats = p.event.totals;
    const faults = w.net.faultsOn(p.service, p.exchangeIndex);
    if (partitionOf(faults) !== null) {
      w.kernel.schedule(RETRANSMIT_MS, this.publishHeld, p);
      return;
    }
    const d = w.net.latency(p.service, p.exchangeIndex);
    const hop = crossHop(faults, true);
    if (hop.lost !== null || hop.refused !== null) {
      this.publishesLost++;
      if (hop.lost !== null) {
        w.log.emit(w.now, LogKind.messagePublishLost, p.service, Number(p.eventId), p.exchangeIndex, hop.lost.index);
        w.net.hop('event', Number(p.eventId), p.service, p.exchangeIndex, 0, 'request', 'dropped');
      } else {
        stats.publishNacks++;
        w.log.emit(w.now, LogKind.messagePublishNack, p.service, Number(p.eventId), p.exchangeIndex, hop.refused!.index);
        w.net.hop('event', Number(p.eventId), p.service, p.exchangeIndex, d, 'request', 'rejected');
      }
      this.settle(p.event, false);
      return;
    }
    for (let i = 0; i < hop.copies; i++) {
      if (i > 0) {
        this.publishesSent++;
        p.event.pending++;
        w.log.emit(w.now, LogKind.messageDuplicate, p.service, -1, Number(p.eventId));
      }
      w.kernel.schedule(d + hop.extraMs, this.publishArrive, p);
      w.net.hop('event', Number(p.eventId), p.service, p.exchangeIndex, d + hop.extraMs, 'request', p.resend || i > 0 ? 'duplicate' : 'pending');
    }
  }

  /** One send of an event arrived (or was lost): a second arrival is a duplicate; an event whose sends all failed is lost. */
  private settle(e: EventRecord, arrived: boolean): void {
    e.pending--;
    const t = e.totals;
    if (arrived) {
      e.arrived++;
      if (e.arrived > 1) t.duplicateEvents++;
    } else if (e.pending === 0 && e.arrived === 0 && !e.outbox) t.lostEvents++;
  }

  private onPublishArrive(p: Publication): void {
    const w = this.world;
    this.publishesArrived++;
    this.settle(p.event, true);
    if (p.startsSaga && p.event.arrived === 1) this.choreography?.start(p.correlationId);
    // How many destination queues refused it (reject-publish), or UNROUTABLE (-1).
    const refused = this.broker.publishCounted(p.exchange, p.routingKey, p, w.now);
    if (p.row !== null) {
      // The relay marks the row when the confirm comes back; a refusal (reject-publish) or a lost
      // confirm leaves it for the next poll.
      const relay = this.relays.get(p.service)!;
      const lost = p.lostConfirm > 0 && relay.confirmLost() < p.lostConfirm;
      if (refused <= 0 && !lost) w.kernel.schedule(w.net.latency(p.exchangeIndex, p.service), this.relayConfirm, p.row);
    }
    w.guard.checkBroker(this.broker.liveCopies, this.queueHolds, w.ids[p.service] ?? String(p.service));
    this.armExpiry();
  }

  // ------------------------------------------------------------------ consuming

  /** Each queue's id and messages held (read by the guardrails only when a limit may be passed). */
  private readonly queueHolds = (): { id: string; held: number }[] => this.broker.queues().map((q) => ({ id: q.id, held: q.depth + q.unackedCount }));

  /** The node index of an exchange (the default exchange, not a node, throws as `indexOf` does). */
  private exchangeIndex(exchange: string): number {
    return this.exchangeNodes.get(exchange) ?? this.world.indexOf(exchange);
  }

  /** What the broker does, turned into the event log (called by the broker, no event objects). */
  private readonly brokerSink: BrokerSink = {
    enqueued: () => {},
    refused: (q, m, now) => {
      this.world.log.emit(now, LogKind.messageDrop, this.queueNodes[q.ordinal]!, m.id, REFUSED, Number(m.eventId));
      this.choreography?.unprocessed(m.correlationId, m.eventId);
    },
    delivered: (q, m, tag, redelivered) => this.onDelivered(q, m, tag, redelivered),
    acked: (q, m, _tag, now) => this.world.log.emit(now, LogKind.messageAck, this.queueNodes[q.ordinal]!, m.id),
    requeued: (q, m, _tag, cause, now) => {
      // A consumer's nack is logged when it reaches the broker; here, the returns of a closed channel.
      if (cause === 'consumerDied') this.world.log.emit(now, LogKind.messageNack, this.queueNodes[q.ordinal]!, m.id, 1, 1);
    },
    deadLettered: (q, m, reason, now) => {
      keep(this.xDeaths, m.id, recordDeath(m.xDeath, q.id, reason, m.exchange, [m.routingKey], now));
      this.world.log.emit(now, LogKind.messageDeadLetter, this.queueNodes[q.ordinal]!, m.id, reasonCode(reason));
      this.choreography?.unprocessed(m.correlationId, m.eventId);
    },
    dropped: (q, m, reason, now) => {
      this.world.log.emit(now, LogKind.messageDrop, this.queueNodes[q.ordinal]!, m.id, reasonCode(reason), Number(m.eventId));
      this.choreography?.unprocessed(m.correlationId, m.eventId);
    },
    routed: (exchange, template, parentId, routedTo, refusedBy, cycleAt, copies, now) => {
      const w = this.world;
      // Publishes and dead-letterings alike pass through the exchange.
      const stats = this.exchangeStats.get(exchange);
      if (stats) {
        stats.received++;
        if (routedTo.length + refusedBy.length + cycleAt.length === 0) stats.unroutable++;
      }
      if (copies.length === 0) return;
      // A dead-lettered copy's successors carry the x-death list it left with.
      const deaths = template.parent === 0 ? undefined : this.xDeaths.get(template.parent);
      const x = this.exchangeIndex(exchange);
      const eventId = Number(template.eventId);
      for (let i = 0; i < copies.length; i++) {
        const id = copies[i]!.id;
        const q = w.indexOf(routedTo[i]!);
        if (deaths) keep(this.xDeathsIn, id, deaths);
        w.log.emit(now, LogKind.messageRoute, x, id, q, eventId);
        w.net.hop('message', id, x, q, 0, 'request', parentId ? 'dead-lettered' : 'pending');
      }
    },
    unroutable: (m, now) => {
      this.world.log.emit(now, LogKind.messageDrop, this.exchangeIndex(m.exchange), m.id, UNROUTABLE_CODE, Number(m.eventId));
      this.choreography?.unprocessed(m.correlationId, m.eventId);
    },
    cycle: (queue, m, now) => {
      this.world.log.emit(now, LogKind.messageDrop, this.world.indexOf(queue), m.id, CYCLE, Number(m.eventId));
      this.choreography?.unprocessed(m.correlationId, m.eventId);
    },
  };

  /** The x-death list a dead-lettering gave its message (`message.deadLetter`), or with `arrived` the one a dead-letter copy came with (`message.route`). */
  xDeathOf(messageId: number, arrived = false): XDeathEntry[] | undefined {
    const d = (arrived ? this.xDeathsIn : this.xDeaths).get(messageId);
    return d?.map((x) => ({ queue: x.queue, reason: x.reason, count: x.count, exchange: x.exchange, 'routing-keys': [...x.routingKeys], time: x.time }));
  }

  private xDeathDetail(messageId: number, arrived: boolean): Record<string, XDeathEntry[]> | undefined {
    const x = this.xDeathOf(messageId, arrived);
    return x ? { xDeath: x } : undefined;
  }

  private onDelivered(queue: BrokerQueue, m: Message, tag: string, redelivered: boolean): void {
    const w = this.world;
    const c = this.consumers.get(tag)!;
    w.log.emit(w.now, LogKind.messageDeliver, c.queueIndex, m.id, redelivered ? 1 : 0, c.service);
    const d: Delivery = {
      consumer: c,
      epoch: c.epoch,
      life: c.life,
      message: m,
      eventId: m.eventId,
      correlationId: m.correlationId,
      poison: m.poison,
      extra: false,
      request: null,
      events: null,
      ack: true,
      requeue: false,
      headers: m.headers,
      order: null,
    };
    let copies = 1;
    let delay = w.net.latency(c.queueIndex, c.service);
    for (const f of this.queueFaults.get(queue.id) ?? NO_FAULTS) {
      const spec = f.spec;
      if (spec.kind === 'duplicate' && f.draw() < spec.probability) copies = 2;
      if (spec.kind === 'latency') delay += Math.max(0, latencyDraw(f));
    }
    if (c.autoAck) c.stats.autoDelivered++;
    this.crossDelivery({ d, copies, delay, redelivered });
  }

  /** A delivery crosses to its consumer: lost, delayed or doubled by the link's faults; held while the link is partitioned. */
  private crossDelivery(h: HeldDelivery): void {
    const w = this.world;
    const { d, redelivered } = h;
    const c = d.consumer;
    const m = d.message;
    let { copies, delay } = h;
    const faults = w.net.faultsOn(c.queueIndex, c.service);
    if (partitionOf(faults) !== null) {
      if (c.autoAck) c.stats.autoInTransit++;
      w.kernel.schedule(RETRANSMIT_MS, this.deliveryHeld, h);
      if (!c.autoAck) this.armTimeout(c);
      return;
    }
    const hop = crossHop(faults, false);
    if (hop.lost !== null) {
      c.stats.deliveriesLost++;
      w.log.emit(w.now, LogKind.messageDeliveryLost, c.queueIndex, m.id, c.service, hop.lost.index);
      w.net.hop('message', m.id, c.queueIndex, c.service, 0, 'request', 'dropped');
      if (c.autoAck) this.loseAuto(c, d, 'link');
      else this.armTimeout(c);
      return;
    }
    delay += hop.extraMs;
    if (hop.copies > 1) copies = 2;
    w.net.hop('message', m.id, c.queueIndex, c.service, delay, 'request', redelivered ? 'retry' : 'pending');
    if (c.autoAck) c.stats.autoInTransit++;
    for (let i = 0; i < copies; i++) {
      if (i > 0) w.log.emit(w.now, LogKind.messageDuplicate, c.queueIndex, m.id, Number(m.eventId));
      w.kernel.schedule(delay, this.deliveryDelayed, i === 0 ? d : { ...d, extra: true });
    }
    if (!c.autoAck) this.armTimeout(c);
  }

  /** A consumer's work succeeded: its entry's publishes go out (or into the outbox) before the ack. */
  private publishAfterWork(c: Consumer, d: Delivery): void {
    const pubs = c.spec.publishes;
    if (pubs.length === 0) return;
    if (c.publishMode === 'outbox') for (const p of pubs) this.outboxWrite(c.service, p, d.request, d);
    else if (c.publishMode !== 'before-commit') for (const p of pubs) this.publishFrom(c.service, p, d.request, c.publishStream, d);
  }

  /** A state-machine consumer's verdict (ordering.ts `orderVerdict`): true when the event is not applied (`d.order` says what goes back). */
  private checkOrder(c: Consumer, d: Delivery): boolean {
    d.order = orderVerdict(this.entityStates.get(c.service)!, c.spec.stateMachine!, d.headers, d.eventId);
    return d.order !== null;
  }

  /** A processed event's effects on the books: a state machine's transition, the end of a choreographed saga. */
  private applyEvent(c: Consumer, d: Delivery): void {
    const sm = c.spec.stateMachine;
    if (sm !== null) {
      const ev = entityEventOf(d.headers, sm.sequence);
      if (ev !== null) this.entityStates.get(c.service)!.apply(ev.entity, ev.version);
    }
    if (c.spec.compensates) {
      this.compensationsBy.get(c.service)!.run++;
      this.choreography?.compensated(d.correlationId);
    }
    if (c.spec.completesSaga) this.choreography?.completed(d.correlationId);
  }

  /** A delivery's work failed and will not be retried: its entry's compensating events go out. */
  private publishCompensation(c: Consumer, d: Delivery): void {
    const pubs = c.spec.onFailurePublish;
    const ids: string[] = [];
    for (const p of pubs) {
      ids.push(c.publishMode === 'outbox' ? this.outboxWrite(c.service, p, d.request, d) : this.publishFrom(c.service, p, d.request, c.publishStream, d));
    }
    this.compensationsBy.get(c.service)!.published += pubs.length;
    this.choreography?.compensating(d.correlationId, ids);
  }

  /** A state-machine service's counts and its entities at the end (null for a service without one). */
  orderTotals(service: number): (EntityStates['counters'] & { entities: number; entitiesIncomplete: number; entitiesInconsistent: number }) | null {
    const s = this.entityStates.get(service);
    if (!s) return null;
    const e = s.entities(this.entityPublished);
    return { ...s.counters, entities: e.seen, entitiesIncomplete: e.incomplete, entitiesInconsistent: e.inconsistent };
  }

  /** The consumer's process died during a delivery's work: the work's request ends, its before-commit events are ghosts. */
  private workDied(d: Delivery): void {
    const c = d.consumer;
    if (d.events) this.ghosts(c.service, d.events, d.request ? d.request.id : 0);
    if (d.request && !d.request.ended) {
      c.stats.workFailed++;
      this.world.requests.end(d.request, NO_STATUS, Reason.crashed);
    }
  }

  /** The call sites of a service's consume entries (its summary counts their calls with its own). */
  consumerSites(service: number): EntryCalls['sites'] {
    const out: EntryCalls['sites'] = [];
    for (const e of this.entryCalls) if (e.service === service) out.push(...e.calls.sites);
    return out;
  }

  /** An automatically acked message that no consumer will process. */
  private loseAuto(c: Consumer, d: Delivery, reason: 'consumer-crashed' | 'processing-failed' | 'link'): void {
    const w = this.world;
    c.stats.autoLost[reason]++;
    w.log.emit(w.now, LogKind.messageLost, c.queueIndex, d.message.id, reasonCode(reason), Number(d.eventId));
    this.choreography?.unprocessed(d.correlationId, d.eventId);
  }

  private onDeliveryArrive(d: Delivery): void {
    if (d.consumer.autoAck && !d.extra) d.consumer.stats.autoInTransit--;
    this.startWork(d);
  }

  /** A delivery reaches its consumer: it starts at once if idle, else waits its turn (prefetched). */
  private startWork(d: Delivery): void {
    const c = d.consumer;
    if (d.life !== c.life) {
      // The process died while it travelled: an automatically acked message is lost with it.
      if (c.autoAck && !d.extra) this.loseAuto(c, d, 'consumer-crashed');
      return;
    }
    if (d.epoch !== c.epoch) return; // its channel was closed: the broker requeued it
    if (c.busy) {
      c.buffer.push(d);
      return;
    }
    c.busy = true;
    c.current = d;
    const w = this.world;
    if (c.calls.any) d.request = w.requests.startWork(c.service, d.message.id, c.queueIndex);
    if (c.publishMode === 'before-commit' && c.spec.publishes.length > 0) {
      // Publish first, write second: if the work then fails, the events announced what never happened.
      d.events = c.spec.publishes.map((p) => this.publishFrom(c.service, p, d.request, c.publishStream, d));
    }
    w.kernel.schedule(c.work(), this.workDone, d);
  }

  /** The consumer's own work on a delivery fails: a poison message, or its `errorRate`. */
  private ownWorkFails(c: Consumer, d: Delivery): boolean {
    if (d.poison) {
      c.stats.poisonFailures++;
      return true;
    }
    return c.spec.errorRate > 0 && c.errors() < c.spec.errorRate;
  }

  private onWorkDone(d: Delivery): void {
    const c = d.consumer;
    if (d.life !== c.life) return; // the process died while it worked: the message was requeued (or lost, auto-ack)
    if (c.spec.stateMachine !== null && this.checkOrder(c, d)) {
      this.endWork(d, c.calls.any ? { status: d.order === 'ack' ? 200 : 409, reason: d.order === 'ack' ? Reason.ok : Reason.status } : null);
      return;
    }
    if (!c.calls.any) {
      this.endWork(d, null);
      return;
    }
    // Choreography: the calls follow the consumer's own work, unless that failed or an idempotent
    // consumer has processed this event already (it skips the calls and the publishes).
    if (this.ownWorkFails(c, d)) {
      this.endWork(d, { status: 500, reason: Reason.status });
      return;
    }
    if (c.ledger.wouldSkip(d.eventId, this.world.now)) {
      this.endWork(d, { status: 200, reason: Reason.ok });
      return;
    }
    new CallsInProgress(c.calls, c.service, d.request!, d, this).start();
  }

  /** Whether the process that took `d` still lives (its calls' answers find nobody once it died). */
  workAlive(d: Delivery): boolean {
    return d.life === d.consumer.life;
  }

  /** Every call of `d`'s work has ended. */
  workCallsDone(d: Delivery, calls: CallsInProgress<Delivery>): void {
    this.endWork(d, calls.failReason !== Reason.ok ? { status: calls.failStatus, reason: calls.failReason } : { status: 200, reason: Reason.ok });
  }

  /**
   * A delivery's work ends: the consumer takes its next message, the side effect and the publishes
   * happen (or the work failed), and the ack or nack goes back. `outcome` is how the work with calls
   * ended; null for an entry without calls (its own work's failure is drawn here).
   */
  private endWork(d: Delivery, outcome: { status: number; reason: Reason } | null): void {
    const w = this.world;
    const c = d.consumer;
    if (d.life !== c.life) return; // the process died while its calls ran
    c.busy = false;
    c.current = null;
    const next = c.buffer.shift();
    if (next) this.startWork(next);
    if (d.order !== null) {
      // A state-machine consumer's verdict on an event out of order: no side effect, no publish.
      d.ack = d.order === 'ack';
      d.requeue = d.order === 'park';
      if (d.request) {
        if (d.ack) c.stats.workOk++;
        else c.stats.workFailed++;
        w.requests.end(d.request, outcome!.status, outcome!.reason);
      }
      if (d.order === 'park') w.kernel.schedule(c.spec.stateMachine!.parkDelayMs, this.parkDone, d);
      else this.sendAck(d);
      return;
    }
    const failed = outcome === null ? this.ownWorkFails(c, d) : outcome.reason !== Reason.ok;
    if (failed) {
      d.ack = false;
      d.requeue = c.spec.onError === 'requeue';
      if (d.events) this.ghosts(c.service, d.events, d.request ? d.request.id : 0);
      if (c.spec.onFailurePublish.length > 0) this.publishCompensation(c, d);
    } else {
      const done = c.ledger.process(d.eventId, w.now);
      if (done.duplicate) w.log.emit(w.now, LogKind.messageDuplicate, c.service, d.message.id, Number(d.eventId), done.applied ? 0 : 1);
      if (done.applied) {
        this.applyEvent(c, d);
        this.publishAfterWork(c, d);
      }
    }
    if (d.request) {
      if (failed) c.stats.workFailed++;
      else c.stats.workOk++;
      w.requests.end(d.request, outcome!.status, outcome!.reason);
    }
    if (c.autoAck) {
      // Nothing to ack or nack: the broker forgot the message when it sent it.
      if (!d.extra) {
        if (failed) this.loseAuto(c, d, 'processing-failed');
        else c.stats.autoProcessed++;
      }
      return;
    }
    this.sendAck(d);
  }

  /** The ack or nack of a delivery goes back to the broker (now, or after a park delay). */
  private sendAck(d: Delivery): void {
    const w = this.world;
    const c = d.consumer;
    if (d.life !== c.life) return; // the process died meanwhile (a parked message): the broker requeued it
    if (d.epoch !== c.epoch) return; // the broker closed the channel meanwhile: the work is done, its ack is void
    const faults = w.net.faultsOn(c.service, c.queueIndex);
    if (partitionOf(faults) !== null) {
      w.kernel.schedule(RETRANSMIT_MS, this.ackHeld, d);
      return;
    }
    const back = w.net.latency(c.service, c.queueIndex);
    const hop = crossHop(faults, false);
    if (hop.lost !== null) {
      c.stats.acksLost++;
      w.log.emit(w.now, LogKind.messageAckLost, c.queueIndex, d.message.id, c.service, hop.lost.index);
      w.net.hop('message', d.message.id, c.service, c.queueIndex, 0, 'response', 'dropped');
      return;
    }
    for (let i = 0; i < hop.copies; i++) w.kernel.schedule(back + hop.extraMs, this.ackArrive, d);
    w.net.hop('message', d.message.id, c.service, c.queueIndex, back + hop.extraMs, 'response', d.ack ? 'ok' : d.requeue ? 'retry' : 'dead-lettered');
  }

  private onAckArrive(d: Delivery): void {
    const w = this.world;
    if (d.epoch !== d.consumer.epoch) return; // the channel closed: the broker already requeued it
    const q = d.consumer.brokerQueue;
    if (d.ack) this.broker.ackCopy(q, d.message, w.now);
    else {
      // A second copy of a nack (a duplicate fault) finds nothing unacked: the broker ignores it here.
      if (!q.isUnacked(d.message)) return;
      w.log.emit(w.now, LogKind.messageNack, d.consumer.queueIndex, d.message.id, d.requeue ? 1 : 0, 0);
      this.broker.nackCopy(q, d.message, d.requeue, w.now);
    }
    this.armExpiry();
  }

  // ------------------------------------------------------------------ the consumer timeout

  /** The next once-a-minute check of `c`'s channel at or after `due`. */
  private checkAt(c: Consumer, due: number): number {
    const step = 60_000;
    const k = Math.max(1, Math.ceil((due - c.openedAt) / step));
    return c.openedAt + k * step;
  }

  /** Make sure a check is scheduled for the oldest delivery `c` holds unacked. */
  private armTimeout(c: Consumer): void {
    if (c.checking || !c.open || !Number.isFinite(c.timeoutMs)) return;
    const oldest = this.broker.queue(c.queue).oldestUnackedAt(c.tag);
    if (oldest === null) return;
    c.checking = true;
    this.world.kernel.at(this.checkAt(c, oldest + c.timeoutMs), this.timeoutCheck, c);
  }

  private onTimeoutCheck(c: Consumer): void {
    const w = this.world;
    c.checking = false;
    if (!c.open) return;
    const q = this.broker.queue(c.queue);
    const oldest = q.oldestUnackedAt(c.tag);
    if (oldest === null) return;
    if (w.now - oldest < c.timeoutMs) {
      this.armTimeout(c);
      return;
    }
    // PRECONDITION_FAILED: delivery acknowledgement timed out. The channel closes; its unacked
    // messages are requeued; the consumer opens a new channel after its recovery delay.
    c.stats.channelsClosed++;
    w.log.emit(w.now, LogKind.channelClose, c.queueIndex, q.unackedMessages(c.tag).length, c.service);
    c.open = false;
    c.epoch++;
    c.buffer = [];
    this.broker.removeConsumer(c.queue, c.tag, w.now);
    w.kernel.schedule(c.spec.recoveryDelayMs, this.reopen, c);
    this.armExpiry();
  }

  // ------------------------------------------------------------------ TTL

  /** Keep a wake-up at the earliest head expiry, so TTLs expire on time even on an idle queue. */
  private armExpiry(): void {
    const at = this.broker.nextExpiryAt();
    if (at === null || at >= this.expiryAt) return;
    if (this.expiryTimer >= 0) this.world.kernel.cancel(this.expiryTimer);
    this.expiryAt = at;
    this.expiryTimer = this.world.kernel.at(Math.max(at, this.world.now), this.expire, null);
  }

  private onExpire(): void {
    this.expiryTimer = -1;
    this.expiryAt = Infinity;
    this.broker.expire(this.world.now);
    this.armExpiry();
  }

  setQueueFault(queue: string, f: ActiveFault, on: boolean): void {
    const list = (this.queueFaults.get(queue) ?? []).filter((x) => x !== f);
    if (on) list.push(f);
    this.queueFaults.set(queue, list);
  }

  // ------------------------------------------------------------------ summaries and the accounting

  consumerTotals(queue: string) {
    const t = {
      applied: 0,
      duplicates: 0,
      duplicatesSkipped: 0,
      duplicateSideEffects: 0,
      channelsClosed: 0,
      deliveriesLost: 0,
      acksLost: 0,
      autoDelivered: 0,
      lost: 0,
      poisonFailures: 0,
      auto: false,
    };
    for (const s of this.stats) {
      if (s.queue !== queue) continue;
      const l = s.ledger.counters;
      t.applied += l.applied;
      t.duplicates += l.duplicates;
      t.duplicatesSkipped += l.duplicatesSkipped;
      t.duplicateSideEffects += l.duplicateSideEffects;
      t.channelsClosed += s.channelsClosed;
      t.deliveriesLost += s.deliveriesLost;
      t.acksLost += s.acksLost;
      t.autoDelivered += s.autoDelivered;
      t.lost += s.autoLost['consumer-crashed'] + s.autoLost['processing-failed'] + s.autoLost.link;
      t.poisonFailures += s.poisonFailures;
    }
    return t;
  }

  serviceTotals(service: number): { consumed: number; duplicateSideEffects: number; workOk: number; workFailed: number } {
    let consumed = 0;
    let dup = 0;
    let workOk = 0;
    let workFailed = 0;
    for (const s of this.stats) {
      if (s.service !== service) continue;
      consumed += s.ledger.counters.deliveries;
      dup += s.ledger.counters.duplicateSideEffects;
      workOk += s.workOk;
      workFailed += s.workFailed;
    }
    return { consumed, duplicateSideEffects: dup, workOk, workFailed };
  }

  /** What a consuming service's consumers did with their messages, for the canvas (live.ts). */
  consumerLive(service: number): ConsumerLive {
    const out: ConsumerLive = { deliveries: 0, processed: 0, duplicatesSkipped: 0, duplicateSideEffects: 0, idempotent: true };
    for (const s of this.stats) {
      if (s.service !== service) continue;
      const l = s.ledger.counters;
      out.deliveries += l.deliveries;
      out.processed += l.applied;
      out.duplicatesSkipped += l.duplicatesSkipped;
      out.duplicateSideEffects += l.duplicateSideEffects;
      if (!s.ledger.idempotent) out.idempotent = false;
    }
    return out;
  }

  /** What a publishing service's events came to (zeros for one that has not published). */
  publisherTotals(service: number): PublisherTotals {
    const t = { ...this.totals(service) };
    const relay = this.relays.get(service);
    t.outboxPending = relay ? relay.rows.size : 0;
    return t;
  }

  checkInvariants(out: string[]): void {
    for (const v of checkAccounting(this.broker)) out.push(`broker: ${v}`);
    // Consumers' work (choreography): every request born at a consumer and not ended is the
    // delivery that consumer is working on now.
    let working = 0;
    for (const c of this.consumers.values()) if (c.current?.request && !c.current.request.ended) working++;
    const inFlight = this.world.requests.workInFlight;
    if (working !== inFlight) out.push(`consumers: ${inFlight} work requests in flight, but ${working} deliveries are being worked on`);
    const inTransit = this.publishesSent - this.publishesArrived - this.publishesLost;
    if (inTransit < 0) out.push(`broker: ${-inTransit} more publishes arrived or were lost than were sent`);
    for (const relay of this.relays.values()) {
      if (relay.written !== relay.marked + relay.rows.size) {
        out.push(`outbox of ${this.world.ids[relay.service]}: ${relay.written} rows written != ${relay.marked} marked + ${relay.rows.size} pending`);
      }
    }
    // Automatic acknowledgement: every message the broker forgot as it sent it was processed, was
    // lost with a reason, or is still with its consumer (on its way, buffered or in work).
    for (const s of this.stats) {
      if (s.autoDelivered === 0) continue;
      let held = s.autoInTransit;
      for (const c of this.consumers.values()) {
        if (c.stats !== s) continue;
        held += c.buffer.filter((d) => !d.extra).length + (c.current && !c.current.extra ? 1 : 0);
      }
      const lost = s.autoLost['consumer-crashed'] + s.autoLost['processing-failed'] + s.autoLost.link;
      if (s.autoDelivered !== s.autoProcessed + lost + held) {
        out.push(`consumers of ${s.queue}: ${s.autoDelivered} auto-acked deliveries != ${s.autoProcessed} processed + ${lost} lost + ${held} held`);
      }
    }
  }
}

export class ExchangeModel implements NodeModel {
  readonly kind = 'exchange';
  constructor(
    private readonly broker: Messaging,
    readonly index: number,
    private readonly spec: ExchangeNode,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  private get stats() {
    return this.broker.exchangeStats.get(this.spec.id)!;
  }

  live(): ExchangeLive {
    const s = this.stats;
    return { kind: 'exchange', received: s.received, ok: s.received - s.unroutable, failed: s.unroutable, unroutable: s.unroutable, byStatus: s.unroutable ? { unroutable: s.unroutable } : {}, calls: [] };
  }

  summary(): Record<string, number | string | null> {
    const s = this.stats;
    return { kind: this.kind, type: this.spec.type, received: s.received, routed: s.received - s.unroutable, unroutable: s.unroutable };
  }
}

export class QueueModel implements NodeModel {
  readonly kind = 'queue';
  constructor(
    private readonly broker: Messaging,
    readonly index: number,
    private readonly spec: QueueNode,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  private get queue() {
    return this.broker.broker.queue(this.spec.id);
  }

  applyFault(f: ActiveFault, on: boolean): void {
    this.broker.setQueueFault(this.spec.id, f, on);
  }

  live(): QueueLive {
    const q = this.queue;
    const c = q.counters;
    return {
      kind: 'queue',
      depth: q.depth,
      unacked: q.unackedCount,
      deadLettered: c.deadLettered,
      dropped: c.dropped,
      received: c.published,
      ok: c.acked,
      failed: c.deadLettered + c.dropped,
      byStatus: { deadLettered: c.deadLettered, dropped: c.dropped },
      calls: [],
    };
  }

  summary(): Record<string, number | string | null> {
    const q = this.queue;
    const c = q.counters;
    const t = this.broker.consumerTotals(this.spec.id);
    return {
      kind: this.kind,
      published: c.published,
      delivered: c.delivered,
      acked: c.acked,
      redelivered: c.redelivered,
      requeued: c.requeued,
      deadLettered: c.deadLettered,
      dropped: c.dropped,
      refused: c.refused,
      duplicatesDelivered: t.duplicates,
      duplicatesSkipped: t.duplicatesSkipped,
      duplicatesProcessed: t.duplicateSideEffects,
      depthMax: c.depthMax,
      depthEnd: q.depth,
      unackedEnd: q.unackedCount,
      queueType: q.queueType,
      autoAcked: c.autoAcked,
      lost: t.lost,
      poisonFailures: t.poisonFailures,
      deliveriesLost: t.deliveriesLost,
      acksLost: t.acksLost,
      channelsClosed: t.channelsClosed,
    };
  }
}
