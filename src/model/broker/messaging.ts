/**
 * The broker inside a run: exchanges and queues as nodes, services publishing after a successful
 * request, and services consuming from queues. The Broker (broker.ts) keeps RabbitMQ's rules and
 * the per-copy accounting; this file moves messages through simulated time.
 *
 * - Publishing: a service publishes each of its `publishes` after a request succeeds (fire and
 *   forget: the request does not wait for the confirm). The message reaches the exchange after
 *   the network hop. With probability `resendOnLostConfirm` the confirm is lost and the publisher
 *   publishes the same event again one round trip later: a new message, same eventId.
 * - Consuming: each `consumes` entry runs `consumers` consumers (spread over the service's
 *   instances), each with its own `prefetch`. Consumers are not the service's HTTP workers. A
 *   consumer handles one message at a time; the others the broker gave it (up to `prefetch`
 *   unacked) wait in its buffer — so `consumers` sets the parallelism and `prefetch` how much
 *   each holds back from the others. A delivery reaches the consumer after the network hop; it
 *   works `serviceTime`, fails with
 *   `errorRate` (then nack: requeue, or dead-letter with `onError: "dead-letter"`), and its
 *   ack or nack reaches the broker one hop later. A consumer whose instance crashes loses its
 *   channel: its unacked messages are requeued (redelivered) — including any it had processed
 *   but not yet acked, which is how at-least-once delivery makes duplicates.
 * - Idempotency: an idempotent consumer skips an eventId it has processed (within
 *   `idempotencyTtlMs`); a non-idempotent one applies it again: a duplicate side effect.
 * - Queue faults: `duplicate` delivers a message twice to its consumer; `latency` delays deliveries.
 */
import { sampler } from '../../engine';
import type { DistSpec, EventType, Sampler, Uniform } from '../../engine';
import type { ConsumeSpec, ExchangeNode, PublishSpec, QueueNode, ServiceNode } from '../../scenario/schema';
import { LogKind } from '../events';
import { latencyDraw } from '../faults';
import type { ActiveFault } from '../faults';
import type { Request } from '../request';
import type { NodeModel, World } from '../world';
import type { ExchangeLive, QueueLive } from '../live';
import { Broker, checkAccounting } from './broker';
import type { BrokerEvent } from './broker';
import { ConsumerLedger } from './idempotency';
import type { Message } from './message';

/** Numeric codes of the reasons a message is dead-lettered or dropped, for the event log. */
export const MESSAGE_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'unroutable', 'refused', 'cycle'] as const;
const reasonCode = (r: string): number => MESSAGE_REASONS.indexOf(r as (typeof MESSAGE_REASONS)[number]);

interface Consumer {
  readonly tag: string;
  readonly service: number;
  readonly instance: number;
  readonly queue: string;
  readonly queueIndex: number;
  readonly spec: ConsumeSpec;
  readonly work: Sampler;
  readonly errors: Uniform;
  readonly ledger: ConsumerLedger;
  /** Bumped when the consumer's channel dies: work and acks of an older epoch are void. */
  epoch: number;
  up: boolean;
  /** Working on a delivery now; the others it was given wait in `buffer` (prefetched). */
  busy: boolean;
  buffer: Delivery[];
}

interface Delivery {
  readonly consumer: Consumer;
  readonly epoch: number;
  readonly messageId: string;
  readonly eventId: string;
  /** For acks travelling back: ack, or nack with requeue. */
  ack: boolean;
  requeue: boolean;
}

interface Publication {
  readonly service: number;
  readonly exchange: string;
  readonly exchangeIndex: number;
  readonly routingKey: string;
  readonly eventId: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly resend: boolean;
  /** The request whose success published it (0: none), for the event log. */
  readonly requestId: number;
}

export class Messaging {
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
  private readonly queueFaults = new Map<string, ActiveFault[]>();
  private readonly ledgers: { queue: string; service: number; ledger: ConsumerLedger }[] = [];

  // Accounting of what is in transit outside the broker.
  publishesSent = 0;
  publishesArrived = 0;
  readonly publishedBy = new Map<number, { published: number; resends: number }>();
  readonly exchangeStats = new Map<string, { received: number; unroutable: number }>();

  constructor(private readonly world: World) {
    world.addCheck((out) => this.checkInvariants(out));
    const nodes = world.scenario.nodes;
    const exchanges = nodes.filter((n): n is ExchangeNode => n.kind === 'exchange');
    const queues = nodes.filter((n): n is QueueNode => n.kind === 'queue');
    for (const x of exchanges) this.exchangeStats.set(x.id, { received: 0, unroutable: 0 });
    this.broker = new Broker(
      {
        exchanges: exchanges.map((x) => ({ id: x.id, type: x.type, alternateExchange: x.alternateExchange })),
        queues: queues.map((q) => ({
          id: q.id,
          messageTtlMs: q.messageTtlMs,
          maxLength: q.maxLength,
          overflow: q.overflow,
          deadLetter: q.deadLetter,
          deliveryLimit: q.deliveryLimit,
          bindings: q.bindings.map((b) => ({ exchange: b.exchange, key: b.key, arguments: b.arguments })),
        })),
      },
      { idPrefix: '', onEvent: (e) => this.onBrokerEvent(e) },
    );
    const k = world.kernel;
    this.expire = k.register('broker.expire', () => this.onExpire());
    this.publishArrive = k.register('broker.publish', (p: Publication) => this.onPublishArrive(p));
    this.workDone = k.register('consumer.workDone', (d: Delivery) => this.onWorkDone(d));
    this.ackArrive = k.register('consumer.ackArrive', (d: Delivery) => this.onAckArrive(d));
    this.deliveryDelayed = k.register('consumer.deliveryDelayed', (d: Delivery) => this.startWork(d));
  }

  /** Declare a service's consumers (called when the service starts). */
  addConsumers(service: number, spec: ServiceNode, instances: number): void {
    const w = this.world;
    const list: Consumer[] = [];
    spec.consumes.forEach((c, qi) => {
      // One ledger for all consumers of this entry: their processed-id store is shared, as a
      // database table would be.
      const ledger = new ConsumerLedger({ idempotent: c.idempotent, idempotencyTtlMs: c.idempotencyTtlMs });
      this.ledgers.push({ queue: c.queue, service, ledger });
      const work = sampler(c.serviceTime as DistSpec, w.streams.get(spec.id, `consume:${c.queue}:work`));
      const errors = w.streams.get(spec.id, `consume:${c.queue}:error`);
      for (let k = 0; k < c.consumers; k++) {
        const consumer: Consumer = {
          tag: `${spec.id}#${qi}.${k}`,
          service,
          instance: k % instances,
          queue: c.queue,
          queueIndex: w.indexOf(c.queue),
          spec: c,
          work,
          errors,
          ledger,
          epoch: 0,
          up: true,
          busy: false,
          buffer: [],
        };
        list.push(consumer);
        this.consumers.set(consumer.tag, consumer);
      }
    });
    this.consumersOf.set(service, list);
    for (const c of list) this.broker.addConsumer(c.queue, c.tag, c.spec.prefetch, w.now);
    this.armExpiry();
  }

  /** A service instance crashed (down) or restarted (up): its consumers lose or regain their channel. */
  instanceChanged(service: number, instance: number, up: boolean): void {
    const w = this.world;
    for (const c of this.consumersOf.get(service) ?? []) {
      if (c.instance !== instance || c.up === up) continue;
      c.up = up;
      if (up) this.broker.addConsumer(c.queue, c.tag, c.spec.prefetch, w.now);
      else {
        c.epoch++;
        c.busy = false;
        c.buffer = [];
        this.broker.removeConsumer(c.queue, c.tag, w.now);
      }
    }
    this.armExpiry();
  }

  /** A service publishes after a successful request. */
  publishFrom(service: number, spec: PublishSpec, request: Request | null, stream: Uniform): void {
    const eventId = String(this.nextEventId++);
    const p: Publication = {
      service,
      exchange: spec.exchange,
      exchangeIndex: this.world.indexOf(spec.exchange),
      routingKey: spec.routingKey,
      eventId,
      correlationId: request ? `c-${request.id}` : null,
      causationId: request ? `r-${request.id}` : null,
      resend: false,
      requestId: request ? request.id : 0,
    };
    this.send(p);
    if (spec.resendOnLostConfirm > 0 && stream() < spec.resendOnLostConfirm) {
      // The confirm never comes back: the publisher sends the same event again one round trip later.
      const rtt = this.world.net.latency(service, p.exchangeIndex) + this.world.net.latency(p.exchangeIndex, service);
      this.world.after(rtt, () => this.send({ ...p, resend: true }));
    }
  }

  private send(p: Publication): void {
    const w = this.world;
    const stats = this.publishedBy.get(p.service) ?? { published: 0, resends: 0 };
    stats.published++;
    if (p.resend) stats.resends++;
    this.publishedBy.set(p.service, stats);
    this.publishesSent++;
    w.log.emit(w.now, LogKind.messagePublish, p.service, Number(p.eventId), p.exchangeIndex, p.requestId * 2 + (p.resend ? 1 : 0));
    if (p.resend) w.log.emit(w.now, LogKind.messageDuplicate, p.service, -1, Number(p.eventId));
    const d = w.net.latency(p.service, p.exchangeIndex);
    w.kernel.schedule(d, this.publishArrive, p);
    w.net.hop('event', Number(p.eventId), p.service, p.exchangeIndex, d, 'request', p.resend ? 'duplicate' : 'pending');
  }

  private onPublishArrive(p: Publication): void {
    const w = this.world;
    this.publishesArrived++;
    this.broker.publish(p.exchange, p.routingKey, { eventId: p.eventId, correlationId: p.correlationId, causationId: p.causationId }, w.now);
    w.guard.checkBroker(
      this.broker.liveCopies,
      () => this.broker.queues().map((q) => ({ id: q.id, held: q.depth + q.unackedCount })),
      w.ids[p.service] ?? String(p.service),
    );
    this.armExpiry();
  }

  private onBrokerEvent(e: BrokerEvent): void {
    const w = this.world;
    const now = w.now;
    switch (e.kind) {
      case 'routed': {
        // Publishes and dead-letterings alike pass through the exchange.
        const stats = this.exchangeStats.get(e.exchange);
        if (stats) {
          stats.received++;
          if (e.routedTo.length + e.refusedBy.length + e.cycleAt.length === 0) stats.unroutable++;
        }
        e.messageIds.forEach((id, i) => {
          const q = w.indexOf(e.routedTo[i]!);
          w.log.emit(now, LogKind.messageRoute, w.indexOf(e.exchange), Number(id), q, Number(e.eventId));
          w.net.hop('message', Number(id), w.indexOf(e.exchange), q, 0, 'request', e.parentId ? 'dead-lettered' : 'pending');
        });
        break;
      }
      case 'unroutable':
        w.log.emit(now, LogKind.messageDrop, w.indexOf(e.message.exchange), Number(e.message.messageId), reasonCode('unroutable'), Number(e.message.eventId));
        break;
      case 'cycle':
        w.log.emit(now, LogKind.messageDrop, w.indexOf(e.queue), Number(e.message.messageId), reasonCode('cycle'), Number(e.message.eventId));
        break;
      case 'refused':
        w.log.emit(now, LogKind.messageDrop, w.indexOf(e.queue), Number(e.message.messageId), reasonCode('refused'), Number(e.message.eventId));
        break;
      case 'delivered':
        this.onDelivered(e.queue, e.message, e.consumer, e.redelivered);
        break;
      case 'acked':
        w.log.emit(now, LogKind.messageAck, w.indexOf(e.queue), Number(e.message.messageId));
        break;
      case 'requeued':
        // A consumer's nack is logged when it reaches the broker; here, the returns of a dead consumer.
        if (e.cause === 'consumerDied') w.log.emit(now, LogKind.messageNack, w.indexOf(e.queue), Number(e.message.messageId), 1, 1);
        break;
      case 'deadLettered':
        w.log.emit(now, LogKind.messageDeadLetter, w.indexOf(e.queue), Number(e.message.messageId), reasonCode(e.reason));
        break;
      case 'dropped':
        w.log.emit(now, LogKind.messageDrop, w.indexOf(e.queue), Number(e.message.messageId), reasonCode(e.reason), Number(e.message.eventId));
        break;
      default:
        break;
    }
  }

  private onDelivered(queue: string, m: Message, tag: string, redelivered: boolean): void {
    const w = this.world;
    const c = this.consumers.get(tag)!;
    w.log.emit(w.now, LogKind.messageDeliver, c.queueIndex, Number(m.messageId), redelivered ? 1 : 0, c.service);
    const d: Delivery = { consumer: c, epoch: c.epoch, messageId: m.messageId, eventId: m.eventId, ack: true, requeue: false };
    let copies = 1;
    let delay = w.net.latency(c.queueIndex, c.service);
    for (const f of this.queueFaults.get(queue) ?? []) {
      const spec = f.spec;
      if (spec.kind === 'duplicate' && f.draw() < spec.probability) copies = 2;
      if (spec.kind === 'latency') delay += Math.max(0, latencyDraw(f));
    }
    w.net.hop('message', Number(m.messageId), c.queueIndex, c.service, delay, 'request', redelivered ? 'retry' : 'pending');
    for (let i = 0; i < copies; i++) {
      if (i > 0) w.log.emit(w.now, LogKind.messageDuplicate, c.queueIndex, Number(m.messageId), Number(m.eventId));
      w.kernel.schedule(delay, this.deliveryDelayed, i === 0 ? d : { ...d });
    }
    void queue;
  }

  /** A delivery reaches its consumer: it starts at once if idle, else waits its turn (prefetched). */
  private startWork(d: Delivery): void {
    const c = d.consumer;
    if (d.epoch !== c.epoch) return;
    if (c.busy) {
      c.buffer.push(d);
      return;
    }
    c.busy = true;
    this.world.kernel.schedule(c.work(), this.workDone, d);
  }

  private onWorkDone(d: Delivery): void {
    const w = this.world;
    const c = d.consumer;
    if (d.epoch !== c.epoch) return; // the channel died while it worked: the message was requeued
    c.busy = false;
    const next = c.buffer.shift();
    if (next) this.startWork(next);
    if (c.spec.errorRate > 0 && c.errors() < c.spec.errorRate) {
      d.ack = false;
      d.requeue = c.spec.onError === 'requeue';
    } else {
      const outcome = c.ledger.process(d.eventId, w.now);
      if (outcome.duplicate) w.log.emit(w.now, LogKind.messageDuplicate, c.service, Number(d.messageId), Number(d.eventId));
    }
    const back = w.net.latency(c.service, c.queueIndex);
    w.kernel.schedule(back, this.ackArrive, d);
    w.net.hop('message', Number(d.messageId), c.service, c.queueIndex, back, 'response', d.ack ? 'ok' : d.requeue ? 'retry' : 'dead-lettered');
  }

  private onAckArrive(d: Delivery): void {
    const w = this.world;
    if (d.epoch !== d.consumer.epoch) return; // the channel closed: the broker already requeued it
    if (d.ack) this.broker.ack(d.consumer.queue, d.messageId, w.now);
    else {
      w.log.emit(w.now, LogKind.messageNack, d.consumer.queueIndex, Number(d.messageId), d.requeue ? 1 : 0, 0);
      this.broker.nack(d.consumer.queue, d.messageId, d.requeue, w.now);
    }
    this.armExpiry();
  }

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

  consumerTotals(queue: string): { applied: number; duplicates: number; duplicatesSkipped: number; duplicateSideEffects: number } {
    const t = { applied: 0, duplicates: 0, duplicatesSkipped: 0, duplicateSideEffects: 0 };
    for (const l of this.ledgers) {
      if (l.queue !== queue) continue;
      t.applied += l.ledger.counters.applied;
      t.duplicates += l.ledger.counters.duplicates;
      t.duplicatesSkipped += l.ledger.counters.duplicatesSkipped;
      t.duplicateSideEffects += l.ledger.counters.duplicateSideEffects;
    }
    return t;
  }

  serviceTotals(service: number): { consumed: number; duplicateSideEffects: number } {
    let consumed = 0;
    let dup = 0;
    for (const l of this.ledgers) {
      if (l.service !== service) continue;
      consumed += l.ledger.counters.deliveries;
      dup += l.ledger.counters.duplicateSideEffects;
    }
    return { consumed, duplicateSideEffects: dup };
  }

  checkInvariants(out: string[]): void {
    for (const v of checkAccounting(this.broker)) out.push(`broker: ${v}`);
    const inTransit = this.publishesSent - this.publishesArrived;
    if (inTransit < 0) out.push(`broker: ${-inTransit} more publishes arrived than were sent`);
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
    };
  }
}
