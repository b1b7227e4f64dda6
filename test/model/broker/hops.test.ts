/**
 * Link faults on the broker's own hops: publish (service → exchange), delivery (queue → consumer)
 * and ack (consumer → queue). Each case says what the real counterpart does:
 * - a publish lost on the network never reaches the exchange: the event is lost (RabbitMQ never
 *   saw it); an error is the broker's basic.nack to a confirming publisher (confirms guide,
 *   "Negative Acknowledgments for Publishes");
 * - a delivery or ack lost stays unacked at the broker until the delivery acknowledgement timeout
 *   closes the channel, which requeues every message the channel held (consumers guide,
 *   "Delivery Acknowledgement Timeout"; confirms guide, "Automatic Requeueing"): a redelivery, and
 *   a second side effect for a consumer that is not idempotent (the seed's "Network drops ack →
 *   redeliver").
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../../src/run/types';
import { validateScenario } from '../../../src/scenario/validate';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);

/** orders publishes order.placed for each of `n` requests (one every 100 ms) to a fanout exchange; worker consumes q. */
function pipeline(faults: Record<string, unknown>[], opts: { n?: number; durationMs?: number; consume?: Record<string, unknown>; queue?: Record<string, unknown> } = {}) {
  const n = opts.n ?? 20;
  return {
    seed: 'hops',
    durationMs: opts.durationMs ?? 5_000,
    network: { latency: 1 },
    nodes: [
      { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: n }, (_, i) => i * 100) } },
      { id: 'orders', kind: 'service', serviceTime: 2, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', type: 'fanout' },
      { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }], consumerTimeoutMs: 60_000, ...opts.queue },
      { id: 'worker', kind: 'service', consumes: [{ queue: 'q', serviceTime: 50, prefetch: 1, recoveryDelayMs: 1000, ...opts.consume }] },
    ],
    faults,
  };
}

describe('link faults on publish hops (service → exchange)', () => {
  it('no fault: every event reaches the queue and is acked (the baseline the others change)', () => {
    const { summary } = run(pipeline([]));
    expect(summary.nodes.orders).toMatchObject({ published: 20, lostEvents: 0, duplicateEvents: 0 });
    expect(summary.nodes.q).toMatchObject({ published: 20, acked: 20 });
  });

  it('drop: each lost publish is a lost event, counted with its fault; the queue never sees it', () => {
    const { summary, events } = run(pipeline([{ atMs: 0, untilMs: 1000, target: 'orders->events', kind: 'drop', probability: 1 }]));
    expect(summary.nodes.orders).toMatchObject({ published: 20, lostEvents: 10 });
    expect(summary.nodes.q).toMatchObject({ published: 10, acked: 10 });
    expect(of(events, 'message.publishLost')).toHaveLength(10);
    expect(of(events, 'message.publishLost').every((e) => e.fault === 0 && e.exchange === 'events')).toBe(true);
  });

  it('partition: nothing passes while it lasts, whichever way the link is named; the connection outlives it, so the held publishes arrive after', () => {
    const { summary, events } = run(pipeline([{ atMs: 500, untilMs: 1500, target: 'events->orders', kind: 'partition' }]));
    expect(summary.nodes.orders).toMatchObject({ published: 20, lostEvents: 0 });
    expect(summary.nodes.q).toMatchObject({ published: 20, acked: 20 });
    expect(of(events, 'message.route').filter((e) => e.t > 503 && e.t < 1500)).toEqual([]);
    // The ten publishes sent while it lasted (503..1403 ms) try again a second later, after it healed at 1.5 s.
    const sentAt = new Map(of(events, 'message.publish').map((e) => [e.eventId, e.t]));
    const late = of(events, 'message.route').map((e) => e.t - sentAt.get(e.eventId)!);
    expect(late.filter((d) => d > 1)).toEqual(Array(10).fill(1001));
  });

  it("error: the broker nacks the publish (basic.nack): the publisher's nack, and a lost event", () => {
    const { summary, events } = run(pipeline([{ atMs: 0, untilMs: 1000, target: 'orders->events', kind: 'error', probability: 1 }]));
    expect(summary.nodes.orders).toMatchObject({ publishNacks: 10, lostEvents: 10 });
    expect(of(events, 'message.publishNack')).toHaveLength(10);
    expect(summary.nodes.q!.published).toBe(10);
  });

  it('duplicate: the exchange receives the publish twice, so a consumer that is not idempotent applies it twice', () => {
    const { summary } = run(pipeline([{ atMs: 0, untilMs: 1000, target: 'orders->events', kind: 'duplicate', probability: 1 }]));
    expect(summary.nodes.orders).toMatchObject({ duplicateEvents: 10, lostEvents: 0 });
    expect(summary.nodes.q).toMatchObject({ published: 30, acked: 30, duplicatesProcessed: 10 });
  });

  it('latency: each publish reaches the exchange `add` ms later', () => {
    const base = run(pipeline([])).events;
    const slow = run(pipeline([{ atMs: 0, untilMs: null, target: 'orders->events', kind: 'latency', add: 300 }])).events;
    const routed = (evs: LoggedEvent[]) => of(evs, 'message.route').map((e) => e.t);
    expect(routed(slow).map((t, i) => t - routed(base)[i]!)).toEqual(Array(20).fill(300));
  });

  it('reorder: held-back publishes are overtaken, so events enter the queue out of publish order', () => {
    const { events } = run(pipeline([{ atMs: 0, untilMs: null, target: 'orders->events', kind: 'reorder', probability: 0.5, delayMs: 250 }]));
    const order = of(events, 'message.route').map((e) => e.eventId as number);
    expect(order).toHaveLength(20);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });
});

describe('link faults on delivery and ack hops (queue ↔ consumer)', () => {
  it('a lost ack leaves the message unacked until the consumer timeout closes the channel; it is redelivered and applied twice', () => {
    // One message: delivered at ~4 ms, worked 50 ms, its ack leaves at ~55 ms into a drop.
    const { summary, events } = run(pipeline([{ atMs: 30, untilMs: 100, target: 'q->worker', kind: 'drop', probability: 1 }], { n: 1, durationMs: 130_000 }));
    expect(of(events, 'message.ackLost')).toHaveLength(1);
    const close = of(events, 'channel.close');
    // Checked once a minute from the channel's opening: the first check at 60 s finds it 59.95 s old; the next, at 120 s, closes.
    expect(close.map((e) => [e.t, e.requeued])).toEqual([[120_000, 1]]);
    const redelivery = of(events, 'message.deliver').filter((e) => e.redelivered === true);
    expect(redelivery).toHaveLength(1);
    expect(redelivery[0]!.t).toBeGreaterThanOrEqual(121_000); // the consumer reopens its channel after recoveryDelayMs
    expect(summary.nodes.q).toMatchObject({ acked: 1, redelivered: 1, acksLost: 1, channelsClosed: 1, duplicatesProcessed: 1 });
  });

  it('an idempotent consumer shrugs off the redelivery of a lost ack', () => {
    const { summary } = run(pipeline([{ atMs: 30, untilMs: 100, target: 'worker', kind: 'drop', probability: 1 }], { n: 1, durationMs: 130_000, consume: { idempotent: true } }));
    expect(summary.nodes.q).toMatchObject({ acked: 1, redelivered: 1, duplicatesSkipped: 1, duplicatesProcessed: 0 });
  });

  it('a lost delivery: the consumer never sees it, its prefetch slot stays taken, and everything waits for the consumer timeout', () => {
    const { summary, events } = run(pipeline([{ atMs: 0, untilMs: 50, target: 'q->worker', kind: 'drop', probability: 1 }], { n: 5, durationMs: 130_000 }));
    expect(of(events, 'message.deliveryLost')).toHaveLength(1);
    // prefetch 1: the four others wait behind the lost one until a check finds it a minute old
    // (the check at 60 s finds it 59.997 s old; the one at 120 s requeues it).
    expect(of(events, 'message.deliver').filter((e) => e.t < 120_000)).toHaveLength(1);
    expect(of(events, 'channel.close').map((e) => e.t)).toEqual([120_000]);
    expect(summary.nodes.q).toMatchObject({ deliveriesLost: 1, channelsClosed: 1, acked: 5, redelivered: 1, duplicatesProcessed: 0 });
  });

  it('partition: deliveries and acks wait for the link to heal (TCP keeps the connection); the queue grows meanwhile, then drains, nothing redelivered', () => {
    // Default consumer timeout (30 min): a lost delivery would hold its prefetch slot for the whole run; a held one only for the partition.
    const { summary, events } = run(pipeline([{ atMs: 300, untilMs: 1300, target: 'q->worker', kind: 'partition' }], { queue: { consumerTimeoutMs: 1_800_000 } }));
    const acks = of(events, 'message.ack').map((e) => e.t);
    expect(acks.filter((t) => t > 310 && t < 1300)).toEqual([]);
    expect(summary.nodes.q).toMatchObject({ published: 20, acked: 20, redelivered: 0, deliveriesLost: 0, acksLost: 0, channelsClosed: 0, depthEnd: 0 });
    expect(summary.nodes.q!.depthMax).toBeGreaterThanOrEqual(8);
  });

  it('an open-ended partition holds the consumer\'s window for good: the queue keeps every later message', () => {
    const { summary } = run(pipeline([{ atMs: 300, untilMs: null, target: 'worker->q', kind: 'partition' }], { queue: { consumerTimeoutMs: 1_800_000 } }));
    expect(summary.nodes.q).toMatchObject({ published: 20, unackedEnd: 1, channelsClosed: 0, deliveriesLost: 0, acksLost: 0 });
    expect(summary.nodes.q!.depthEnd).toBe(20 - 1 - (summary.nodes.q!.acked as number));
  });

  it('with the default consumer timeout (30 min) a lost ack holds its message for the whole run', () => {
    const { summary } = run(pipeline([{ atMs: 30, untilMs: 100, target: 'q->worker', kind: 'drop', probability: 1 }], { n: 3, durationMs: 120_000, queue: { consumerTimeoutMs: 1_800_000 } }));
    expect(summary.nodes.q).toMatchObject({ acked: 0, unackedEnd: 1, depthEnd: 2, channelsClosed: 0 });
  });

  it('duplicate: each delivery arrives twice and is worked twice (the second ack finds nothing to ack)', () => {
    const { summary } = run(pipeline([{ atMs: 0, untilMs: null, target: 'q->worker', kind: 'duplicate', probability: 1 }], { n: 5 }));
    expect(summary.nodes.q).toMatchObject({ acked: 5, duplicatesDelivered: 5, duplicatesProcessed: 5 });
  });

  it('latency: deliveries and acks both slow down, so with prefetch 1 the consumer finishes later', () => {
    const base = run(pipeline([], { n: 3 })).events;
    const slow = run(pipeline([{ atMs: 0, untilMs: null, target: 'q->worker', kind: 'latency', add: 100 }], { n: 3 })).events;
    const acks = (evs: LoggedEvent[]) => of(evs, 'message.ack').map((e) => e.t);
    const shift = acks(slow).map((t, i) => t - acks(base)[i]!);
    // The first ack is 100 ms later each way; the later ones wait for it too (prefetch 1).
    expect(shift[0]).toBe(200);
    expect(shift.every((d) => d >= 200)).toBe(true);
  });

  it('reorder: a held-back delivery lets later ones overtake it at the consumer', () => {
    const { events } = run(pipeline([{ atMs: 0, untilMs: null, target: 'q->worker', kind: 'reorder', probability: 0.5, delayMs: 400 }], { n: 20, consume: { prefetch: 10, serviceTime: 1 } }));
    const acked = of(events, 'message.ack').map((e) => e.messageId as number);
    expect(acked).toHaveLength(20);
    expect(acked).not.toEqual([...acked].sort((a, b) => a - b));
  });

  it('auto-ack: a lost delivery is a lost message (the broker forgot it when it sent it)', () => {
    const { summary, events } = run(pipeline([{ atMs: 0, untilMs: 1000, target: 'q->worker', kind: 'drop', probability: 1 }], { consume: { ackMode: 'auto' } }));
    expect(summary.nodes.q).toMatchObject({ published: 20, acked: 20, autoAcked: 20, lost: 10, deliveriesLost: 10 });
    expect(of(events, 'message.lost').every((e) => e.reason === 'link')).toBe(true);
  });
});

describe('faults a broker hop cannot carry are refused with a sentence', () => {
  const base = pipeline([]);
  const problems = (fault: Record<string, unknown>) => {
    const r = validateScenario({ format: 'faultline/1', name: 'x', ...base, faults: [{ atMs: 0, ...fault }] });
    return r.ok ? [] : r.problems;
  };

  it('an error on a consume link', () => {
    expect(problems({ target: 'q->worker', kind: 'error' })).toEqual([
      { path: 'faults[0].kind', message: expect.stringMatching(/^the link "q->worker" cannot carry a error fault — a delivery or an ack .* carries no status/) },
    ]);
  });

  it('any fault between an exchange and its queue (routing inside the broker)', () => {
    for (const kind of ['drop', 'latency', 'partition']) {
      expect(problems({ target: 'events->q', kind, ...(kind === 'latency' ? { add: 1 } : {}) })[0]!.message).toMatch(/inside the broker/);
    }
  });

  it('every other kind on publish and consume links is accepted', () => {
    for (const kind of ['drop', 'partition', 'duplicate', 'reorder', 'latency']) {
      expect(problems({ target: 'q->worker', kind, ...(kind === 'latency' ? { add: 5 } : {}) })).toEqual([]);
      expect(problems({ target: 'orders->events', kind, ...(kind === 'latency' ? { add: 5 } : {}) })).toEqual([]);
    }
    expect(problems({ target: 'orders->events', kind: 'error' })).toEqual([]);
  });
});
