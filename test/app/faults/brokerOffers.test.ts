/**
 * Every fault the app offers on a broker edge changes the run the way its real counterpart would.
 *
 * Driven by the offer table itself: the broker edges of a small pipeline (scenarioEdges), what the
 * menus offer on each (linkTarget + faultKindsFor, the functions the context menu, the inject form
 * and the fork dialog call) and what they inject (defaultFault, the menus' settings, for 15 s — the
 * menu's default duration). A new offer with no expectation here fails the test, so it cannot ship
 * untested; a refused kind must come with the sentence the menu shows.
 *
 * What the real counterpart does (RabbitMQ over TCP, the model's stand-ins in
 * src/model/broker/README.md):
 * - publish (service → exchange): a dropped publish never reaches the exchange (a lost event); a
 *   partitioned one waits for the link to heal (the TCP connection outlives a short partition); an error is the broker's basic.nack; a duplicate is a second publish of the same event
 *   (a consumer that is not idempotent applies it twice); latency delays routing; a held-back
 *   publish is overtaken.
 * - consume (queue ↔ consumer, deliveries one way and acks the other): a lost delivery or ack
 *   stays unacked until the consumer timeout closes the channel, which requeues it — deliveries
 *   stop while the prefetch window is full of them, messages wait in the queue, and come again
 *   marked redelivered; a partition holds deliveries and acks until it heals (deliveries stop,
 *   the queue grows, then drains); a doubled delivery is worked twice; latency makes consumption later; a
 *   held-back delivery is overtaken.
 * - binding, dead-letter, alternate (inside the broker): no network hop, nothing to fault.
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../../src/run/types';
import { withLiveFault } from '../../../src/run/live';
import { scenarioEdges } from '../../../src/scenario/graph';
import type { GraphEdge } from '../../../src/scenario/graph';
import { FAULT_KINDS } from '../../../src/scenario/schema';
import type { FaultKind, ScenarioInput } from '../../../src/scenario/schema';
import { parseScenario, validateScenario } from '../../../src/scenario/validate';
import { FAULT_HELP, defaultFault, edgeFaultOffer, faultHelp, faultKindsFor, linkTarget } from '../../../src/app/faults/kinds';

const AT = 5_000;
const FOR = 15_000;
const UNTIL = AT + FOR;

/**
 * orders publishes order.placed for 300 requests (one every 100 ms) to a direct exchange with an
 * alternate; q is bound to it and dead-letters to dlx; worker consumes q and publishes order.done
 * to audit, whose queue auditor consumes; pager consumes a second copy of each order from alerts
 * with automatic acknowledgement and calls sms for each (so its work shows in the log). Consumer timeouts are a minute (RabbitMQ's shortest
 * useful setting) so a lost delivery's redelivery falls inside the run.
 */
const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'broker offers',
  seed: 'offers',
  durationMs: 150_000,
  network: { latency: 1 },
  nodes: [
    { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: 300 }, (_, i) => i * 100) } },
    { id: 'orders', kind: 'service', serviceTime: 2, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
    { id: 'events', kind: 'exchange', type: 'direct', alternateExchange: 'unrouted' },
    { id: 'unrouted', kind: 'exchange', type: 'fanout' },
    { id: 'parked', kind: 'queue', bindings: [{ exchange: 'unrouted' }] },
    { id: 'q', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.placed' }], deadLetter: { exchange: 'dlx' }, consumerTimeoutMs: 60_000 },
    { id: 'dlx', kind: 'exchange', type: 'fanout' },
    { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
    { id: 'worker', kind: 'service', consumes: [{ queue: 'q', serviceTime: 20, prefetch: 10, publishes: [{ exchange: 'audit', routingKey: 'order.done' }] }] },
    { id: 'audit', kind: 'exchange', type: 'fanout' },
    { id: 'log', kind: 'queue', bindings: [{ exchange: 'audit' }], consumerTimeoutMs: 60_000 },
    { id: 'auditor', kind: 'service', consumes: [{ queue: 'log', serviceTime: 5, prefetch: 10 }] },
    { id: 'alerts', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.placed' }] },
    { id: 'pager', kind: 'service', consumes: [{ queue: 'alerts', serviceTime: 5, ackMode: 'auto', calls: [{ target: 'sms' }] }] },
    { id: 'sms', kind: 'service', serviceTime: 1 },
  ],
};
const scenario = parseScenario(doc);
const BROKER_EDGES = ['publish', 'binding', 'consume', 'dead-letter', 'alternate'] as const;
const edges = scenarioEdges(scenario).filter((e) => (BROKER_EDGES as readonly string[]).includes(e.kind));

interface Outcome {
  summary: RunSummary;
  events: LoggedEvent[];
}

function run(d: ScenarioInput): Outcome {
  const r = createRun(parseScenario(d), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const base = run(doc);
const num = (o: Outcome, node: string, key: string) => o.summary.nodes[node]![key] as number;
/** The queue an exchange routes to in this pipeline. */
const queueOf = (exchange: string) => scenario.nodes.find((n) => n.kind === 'queue' && n.bindings.some((b) => b.exchange === exchange))!.id;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Pairs out of order in a sequence (0: sorted). */
const inversions = (xs: number[]) => xs.reduce((n, x, i) => n + xs.slice(i + 1).filter((y) => y < x).length, 0);

/** How long each event took from its publish by `from` to its routing at `exchange`, in ms (mean). */
function publishToRoute(o: Outcome, from: string, exchange: string): number {
  const sent = new Map<unknown, number>();
  for (const e of o.events) if (e.kind === 'message.publish' && e.node === from && !e.resend) sent.set(e.eventId, e.t);
  return mean(o.events.filter((e) => e.kind === 'message.route' && e.node === exchange && sent.has(e.eventId)).map((e) => e.t - sent.get(e.eventId)!));
}
/** The events as `exchange` routed them. */
const routed = (o: Outcome, exchange: string) => o.events.filter((e) => e.kind === 'message.route' && e.node === exchange).map((e) => e.eventId as number);
/** How long each of `queue`'s messages took from its first delivery to its ack (mean). */
function deliverToAck(o: Outcome, queue: string): number {
  const first = new Map<unknown, number>();
  for (const e of o.events) if (e.kind === 'message.deliver' && e.node === queue && !first.has(e.messageId)) first.set(e.messageId, e.t);
  return mean(o.events.filter((e) => e.kind === 'message.ack' && e.node === queue).map((e) => e.t - first.get(e.messageId)!));
}
const acked = (o: Outcome, queue: string) => o.events.filter((e) => e.kind === 'message.ack' && e.node === queue).map((e) => e.messageId as number);
/** Deliveries `queue` made that reached their consumer, between `from` and `to`. */
function deliveredBetween(o: Outcome, queue: string, from: number, to: number): number {
  const lost = new Set(o.events.filter((e) => e.kind === 'message.deliveryLost' && e.node === queue).map((e) => `${e.t}:${e.messageId}`));
  return o.events.filter((e) => e.kind === 'message.deliver' && e.node === queue && e.t >= from && e.t < to && !lost.has(`${e.t}:${e.messageId}`)).length;
}

/** What a consumer with calls worked: each message (its id), when it started, and how long after the broker sent it. */
function worked(o: Outcome, consumer: string): { order: number; t: number; after: number }[] {
  const sent = new Map<unknown, number>();
  for (const e of o.events) if (e.kind === 'message.deliver' && e.consumer === consumer && !sent.has(e.messageId)) sent.set(e.messageId, e.t);
  return o.events.filter((e) => e.kind === 'work.start' && e.node === consumer).map((e) => ({ order: e.messageId as number, t: e.t, after: e.t - sent.get(e.messageId)! }));
}

type Check = (o: Outcome, edge: GraphEdge) => void;
type Role = (typeof BROKER_EDGES)[number] | 'consume (auto-ack)';

/** What an edge is for the expectations: its kind, and for a consume link whether its consumer acks automatically. */
function roleOf(edge: GraphEdge): Role {
  if (edge.kind !== 'consume') return edge.kind as Role;
  const consumer = scenario.nodes.find((n) => n.id === edge.target);
  const entry = consumer?.kind === 'service' ? consumer.consumes.find((c) => c.queue === edge.source) : undefined;
  return entry?.ackMode === 'auto' ? 'consume (auto-ack)' : 'consume';
}

/** What each offered fault must do to the run, by edge kind: the real counterpart's effect. */
const EXPECTED: Partial<Record<Role, Partial<Record<FaultKind, Check>>>> = {
  publish: {
    drop: (o, { source, target }) => {
      // Half the publishes of those 15 s never reach the exchange: lost events, and fewer in the queue.
      expect(num(o, source, 'lostEvents')).toBeGreaterThan(30);
      expect(num(o, source, 'publishNacks')).toBe(0);
      expect(num(o, queueOf(target), 'published')).toBe(num(base, queueOf(target), 'published') - num(o, source, 'lostEvents'));
    },
    partition: (o, { source, target }) => {
      // Nothing passes for 15 s, but the connection outlives it (TCP): the publishes of those 15 s
      // reach the exchange when it heals, none lost, routed up to 15 s late.
      const during = o.events.filter((e) => e.kind === 'message.route' && e.node === target && e.t > AT + 10 && e.t < UNTIL);
      expect(during).toHaveLength(0);
      expect(num(o, source, 'lostEvents')).toBe(0);
      expect(num(o, queueOf(target), 'published')).toBe(num(base, queueOf(target), 'published'));
      expect(publishToRoute(o, source, target)).toBeGreaterThan(publishToRoute(base, source, target) + 1_000);
    },
    error: (o, { source, target }) => {
      // The broker nacks every publish of those 15 s (basic.nack); a direct publisher does not resend.
      expect(num(o, source, 'publishNacks')).toBeGreaterThanOrEqual(140);
      expect(num(o, source, 'lostEvents')).toBe(num(o, source, 'publishNacks'));
      expect(num(o, queueOf(target), 'published')).toBe(num(base, queueOf(target), 'published') - num(o, source, 'publishNacks'));
    },
    duplicate: (o, { source, target }) => {
      // Half the publishes reach the exchange twice; the consumer is not idempotent, so it applies them twice.
      const dup = num(o, source, 'duplicateEvents');
      expect(dup).toBeGreaterThan(30);
      expect(num(o, queueOf(target), 'published')).toBe(num(base, queueOf(target), 'published') + dup);
      expect(num(o, queueOf(target), 'duplicatesProcessed')).toBe(dup);
    },
    latency: (o, { source, target }) => {
      // 2 s more on each publish of those 15 s: routed later on average, none lost.
      expect(publishToRoute(o, source, target)).toBeGreaterThan(publishToRoute(base, source, target) + 500);
      expect(num(o, source, 'lostEvents')).toBe(0);
      expect(num(o, queueOf(target), 'published')).toBe(num(base, queueOf(target), 'published'));
    },
    reorder: (o, { target }) => {
      // Held-back publishes are overtaken: the exchange routes them out of publish order.
      expect(inversions(routed(base, target))).toBe(0);
      expect(inversions(routed(o, target))).toBeGreaterThan(10);
      expect(routed(o, target)).toHaveLength(routed(base, target).length);
    },
  },
  consume: {
    drop: (o, { source }) => {
      // Lost deliveries and acks stay unacked until the consumer timeout closes the channel; then
      // they come again, marked redelivered; a lost ack's message is applied twice.
      expect(num(o, source, 'deliveriesLost') + num(o, source, 'acksLost')).toBeGreaterThan(5);
      expect(num(o, source, 'channelsClosed')).toBeGreaterThan(0);
      expect(num(o, source, 'redelivered')).toBeGreaterThan(0);
      expect(num(o, source, 'depthMax')).toBeGreaterThan(num(base, source, 'depthMax'));
      expect(num(o, source, 'acked')).toBe(num(base, source, 'acked'));
    },
    partition: (o, { source }) => {
      // Deliveries stop once the prefetch window is full of deliveries and acks the partition holds,
      // messages wait in the queue; when it heals the held ones cross (TCP kept the connection:
      // shorter than the heartbeat timeout, nothing is requeued) and the backlog drains.
      expect(deliveredBetween(base, source, AT + 1_000, UNTIL)).toBeGreaterThan(100);
      expect(deliveredBetween(o, source, AT + 1_000, UNTIL)).toBe(0);
      expect(num(o, source, 'depthMax')).toBeGreaterThan(100);
      const acks = o.events.filter((e) => e.kind === 'message.ack' && e.node === source && e.t > AT + 100 && e.t < UNTIL);
      expect(acks).toHaveLength(0);
      expect(num(o, source, 'acked')).toBe(num(base, source, 'acked'));
      expect(num(o, source, 'depthEnd')).toBe(0);
      expect(num(o, source, 'deliveriesLost') + num(o, source, 'acksLost')).toBe(0);
    },
    duplicate: (o, { source }) => {
      // Half the deliveries arrive twice and are worked twice (the consumer is not idempotent).
      expect(num(o, source, 'duplicatesDelivered')).toBeGreaterThan(30);
      expect(num(o, source, 'duplicatesProcessed')).toBe(num(o, source, 'duplicatesDelivered'));
      expect(num(o, source, 'acked')).toBe(num(base, source, 'acked'));
    },
    latency: (o, { source }) => {
      // 2 s more on each delivery and each ack: every message of those 15 s is acked later.
      expect(deliverToAck(o, source)).toBeGreaterThan(deliverToAck(base, source) + 500);
      expect(num(o, source, 'acked')).toBe(num(base, source, 'acked'));
      expect(num(o, source, 'redelivered')).toBe(0);
    },
    reorder: (o, { source }) => {
      // Held-back deliveries are overtaken: the consumer works them, and acks them, out of order.
      expect(inversions(acked(base, source))).toBe(0);
      expect(inversions(acked(o, source))).toBeGreaterThan(10);
      expect(num(o, source, 'acked')).toBe(num(base, source, 'acked'));
    },
  },
  'consume (auto-ack)': {
    drop: (o, { source }) => {
      // The broker forgot each message as it sent it: a lost delivery is a lost message, never redelivered.
      expect(num(o, source, 'lost')).toBeGreaterThan(30);
      expect(num(o, source, 'lost')).toBe(num(o, source, 'deliveriesLost'));
      expect(num(o, source, 'redelivered')).toBe(0);
    },
    partition: (o, { source, target }) => {
      // Deliveries wait for the link to heal, then arrive: nothing lost, every order worked, late.
      expect(worked(o, target).filter((w) => w.t > AT + 100 && w.t < UNTIL)).toEqual([]);
      expect(num(o, source, 'lost')).toBe(0);
      expect(worked(o, target)).toHaveLength(worked(base, target).length);
      expect(num(o, source, 'redelivered')).toBe(0);
    },
    duplicate: (o, { source }) => {
      expect(num(o, source, 'duplicatesDelivered')).toBeGreaterThan(30);
      expect(num(o, source, 'duplicatesProcessed')).toBe(num(o, source, 'duplicatesDelivered'));
    },
    latency: (o, { target }) => {
      // Each delivery of those 15 s reaches pager 2 s later: it works them later, all of them.
      expect(mean(worked(o, target).map((w) => w.after))).toBeGreaterThan(mean(worked(base, target).map((w) => w.after)) + 500);
      expect(worked(o, target)).toHaveLength(worked(base, target).length);
    },
    reorder: (o, { source, target }) => {
      // Held-back deliveries are overtaken: pager works the orders out of order.
      expect(inversions(worked(base, target).map((w) => w.order))).toBe(0);
      expect(inversions(worked(o, target).map((w) => w.order))).toBeGreaterThan(10);
      expect(num(o, source, 'lost')).toBe(0);
    },
  },
};

describe('faults offered on broker edges', () => {
  it('the pipeline has every kind of broker edge, and the baseline is clean', () => {
    expect(new Set(edges.map((e) => e.kind))).toEqual(new Set(BROKER_EDGES));
    for (const q of ['q', 'log']) expect(base.summary.nodes[q]).toMatchObject({ published: 300, acked: 300, redelivered: 0, depthEnd: 0 });
  });

  for (const edge of edges) {
    const target = linkTarget(edge);
    const offered = target === null ? [] : faultKindsFor(scenario, target);
    const offer = edgeFaultOffer(scenario, edge);

    it(`${edge.kind} ${edge.source} → ${edge.target}: the menus offer what the table says, and say why the rest is refused`, () => {
      expect(offer.target).toBe(target);
      expect(offer.kinds).toEqual(offered);
      const refused = FAULT_KINDS.filter((k) => !offered.includes(k));
      // Node-only kinds are never offered on an edge; the sentence is about the link kinds refused.
      const linkRefused = refused.filter((k) => !['crash', 'hang', 'slow', 'rolling-restart'].includes(k));
      if (linkRefused.length > 0) expect(offer.why).toMatch(/\w+ .{20,}/);
      else expect(offer.why).toBeNull();
      // The help beside each offered kind says what it does on this hop (a partition holds, it does not lose).
      for (const kind of offered) expect(faultHelp(scenario, target!, kind)).toMatch(/\w/);
      if (offered.includes('partition')) expect(faultHelp(scenario, target!, 'partition')).toMatch(/held until it heals/);
      if (offered.includes('latency')) expect(faultHelp(scenario, target!, 'latency')).not.toBe(FAULT_HELP.latency);
      // Every refused link kind is refused by validation too, so a document cannot hold it either.
      for (const kind of linkRefused) {
        expect({ kind, ok: validateScenario(withLiveFault(doc, defaultFault(kind, `${edge.source}->${edge.target}`, FOR), AT)).ok }).toEqual({ kind, ok: false });
      }
    });

    for (const kind of offered) {
      it(`${edge.kind} ${edge.source} → ${edge.target}: ${kind} changes the run as it would on RabbitMQ`, () => {
        const check = EXPECTED[roleOf(edge)]?.[kind];
        if (!check) throw new Error(`the app offers ${kind} on a ${roleOf(edge)} edge, but nothing says what it must do: add its expectation`);
        check(run(withLiveFault(doc, defaultFault(kind, target!, FOR), AT)), edge);
      });
    }
  }
});
