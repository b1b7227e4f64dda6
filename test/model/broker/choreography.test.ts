/**
 * Consumers that work like a service (src/model/broker/work.ts, messaging.ts): a consume entry's
 * calls and publishes, the message held unacked until the work ends, and the requests born at
 * consumers, counted apart from the clients'.
 *
 * Sources: RabbitMQ's consumer acknowledgement guide (a message stays unacknowledged, and is
 * redelivered if the channel closes, until the consumer acks it — so the ack comes after the
 * work, calls included; a negative acknowledgement with requeue returns it, without requeue it is
 * dead-lettered); the seeds' choreography (a service that consumes an event, calls another and
 * publishes the next event) and their "consumer crashes before ack → redeliver".
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../../src/run/types';
import { buildWaterfall } from '../../../src/run/waterfall';
import { scenarioEdges } from '../../../src/scenario/graph';
import { validateScenario } from '../../../src/scenario/validate';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string, where: (e: LoggedEvent) => boolean = () => true) => events.filter((e) => e.kind === kind && where(e));

/**
 * 20 orders, one every 100 ms; `orders` publishes order.placed to the queue `payments-q`; the
 * consumer `payments` calls `bank` for each message and publishes payment.done to `receipts-q`.
 */
function chain(consume: Record<string, unknown> = {}, bank: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, payments: Record<string, unknown> = {}) {
  return {
    seed: 'choreo',
    durationMs: 10_000,
    network: { latency: 1 },
    nodes: [
      { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: 20 }, (_, i) => i * 100) } },
      { id: 'orders', kind: 'service', serviceTime: 2, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'events', kind: 'exchange', type: 'topic' },
      { id: 'dlx', kind: 'exchange', type: 'fanout' },
      { id: 'payments-q', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.placed' }], deadLetter: { exchange: 'dlx' } },
      { id: 'payments-dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
      { id: 'receipts-q', kind: 'queue', bindings: [{ exchange: 'events', key: 'payment.done' }] },
      { id: 'bank', kind: 'service', serviceTime: 30, ...bank },
      {
        id: 'payments',
        kind: 'service',
        ...payments,
        consumes: [
          {
            queue: 'payments-q',
            serviceTime: 5,
            calls: [{ target: 'bank', timeoutMs: 1000 }],
            publishes: [{ exchange: 'events', routingKey: 'payment.done' }],
            ...consume,
          },
        ],
      },
    ],
    ...extra,
  };
}

describe('a consumer that calls a service and publishes', () => {
  it('calls once per message, publishes after the call, and acks only after both: the message is held unacked meanwhile', () => {
    const { summary: s, events } = run(chain());
    expect(s.nodes['payments-q']).toMatchObject({ published: 20, acked: 20, redelivered: 0 });
    expect(s.nodes.bank).toMatchObject({ received: 20, ok: 20 });
    expect(s.nodes['receipts-q']).toMatchObject({ published: 20, depthEnd: 20 });
    for (const d of of(events, 'message.deliver', (e) => e.node === 'payments-q')) {
      const work = of(events, 'work.start', (e) => e.messageId === d.messageId)[0]!;
      const attempt = of(events, 'attempt.start', (e) => e.requestId === work.requestId && e.target === 'bank')[0]!;
      const answered = of(events, 'attempt.end', (e) => e.requestId === work.requestId)[0]!;
      const publish = of(events, 'message.publish', (e) => e.node === 'payments' && e.requestId === work.requestId)[0]!;
      const ack = of(events, 'message.ack', (e) => e.node === 'payments-q' && e.messageId === d.messageId)[0]!;
      // own work (5 ms), the call (1 ms there, 30 ms of work, 1 ms back), the publish, then the ack one hop later
      expect(attempt.t).toBeCloseTo(d.t + 1 + 5, 6);
      expect(answered.t).toBeCloseTo(attempt.t + 32, 6);
      expect(publish.t).toBe(answered.t);
      expect(ack.t).toBeCloseTo(answered.t + 1, 6);
    }
  });

  it('counts its work as requests born at the consumer, apart from the clients\' requests', () => {
    const { summary: s, events } = run(chain());
    expect(s.requests).toMatchObject({ sent: 20, ok: 20, failed: 0, inFlight: 0 });
    expect(s.messageWork).toEqual({ started: 20, ok: 20, failed: 0, inFlight: 0, byReason: {} });
    expect(s.nodes.payments).toMatchObject({ messageWorkOk: 20, messageWorkFailed: 0, attempts: 20, consumed: 20 });
    expect(of(events, 'request.start').length).toBe(20);
    expect(of(events, 'work.start').length).toBe(20);
    expect(new Set(of(events, 'work.end').map((e) => e.status))).toEqual(new Set([200]));
    // A run with no consumer calls reports no messageWork at all.
    const plain = run({ ...chain(), nodes: chain().nodes.map((n) => (n.id === 'payments' ? { id: 'payments', kind: 'service', consumes: [{ queue: 'payments-q' }] } : n)) });
    expect(plain.summary.messageWork).toBeUndefined();
    expect(plain.summary.nodes.payments!.messageWorkOk).toBeUndefined();
  });

  it('a consumer\'s work draws as a waterfall: the work, its call to the bank, the event it published', () => {
    const { events } = run(chain());
    const work = of(events, 'work.start')[0]!;
    const w = buildWaterfall(events, work.requestId as number);
    expect(w.complete).toBe(true);
    expect(w.status).toBe(200);
    expect(w.spans[0]).toMatchObject({ kind: 'request', label: `work ${String(work.requestId)}`, node: 'payments', open: false, outcome: 'ok' });
    expect(w.spans.some((x) => x.kind === 'attempt' && x.node === 'payments' && x.target === 'bank')).toBe(true);
    expect(w.spans.some((x) => x.kind === 'publish')).toBe(true);
  });

  it('a failed call fails the delivery: dead-lettered with onError dead-letter, and no event is published', () => {
    const { summary: s, events } = run(chain({ onError: 'dead-letter' }, { errorRate: 1 }));
    expect(s.nodes['payments-q']).toMatchObject({ published: 20, acked: 0, deadLettered: 20 });
    expect(s.nodes['payments-dlq']).toMatchObject({ depthEnd: 20 });
    expect(s.nodes['receipts-q']).toMatchObject({ published: 0 });
    expect(s.messageWork).toEqual({ started: 20, ok: 0, failed: 20, inFlight: 0, byReason: { dependency: 20 } });
    expect(new Set(of(events, 'work.end').map((e) => e.status))).toEqual(new Set([502]));
    expect(of(events, 'message.nack').every((e) => e.requeue === false)).toBe(true);
  });

  it('a call that times out fails with 504; with onError requeue the message comes back until the callee answers in time', () => {
    const faults = [{ atMs: 0, untilMs: 1500, target: 'bank', kind: 'hang' }];
    const { summary: s, events } = run(chain({ onError: 'requeue' }, {}, { faults }));
    const ends = of(events, 'work.end');
    expect(ends.some((e) => e.status === 504 && e.reason === 'dependency')).toBe(true);
    expect(s.nodes['payments-q']).toMatchObject({ published: 20, acked: 20, deadLettered: 0 });
    expect(s.nodes['payments-q']!.redelivered as number).toBeGreaterThan(0);
    expect(s.nodes.payments!.timeouts as number).toBeGreaterThan(0);
    expect(s.messageWork!.ok).toBe(20);
    expect(s.messageWork!.started).toBe(20 + (s.messageWork!.failed));
  });

  it('the call\'s policies apply: a retry counts in the consuming service\'s attempts and retries, a fallback answers for the call', () => {
    const retried = run(chain({ onError: 'dead-letter', calls: [{ target: 'bank', timeoutMs: 1000, retry: { maxAttempts: 3, baseDelayMs: 10, jitter: 'none' } }] }, { errorRate: 1, errorStatus: 503 })).summary;
    expect(retried.nodes.payments).toMatchObject({ attempts: 60, retries: 40 });
    expect(retried.nodes.bank).toMatchObject({ received: 60 });
    const fallback = run(chain({ calls: [{ target: 'bank', fallback: { status: 200 } }] }, { errorRate: 1 })).summary;
    expect(fallback.nodes['payments-q']).toMatchObject({ acked: 20, deadLettered: 0 });
    expect(fallback.nodes['receipts-q']).toMatchObject({ published: 20 });
    expect(fallback.messageWork).toMatchObject({ ok: 20, failed: 0 });
  });

  it('parallel calls: the message is acked when the slowest ends', () => {
    const doc = chain({ callMode: 'parallel', calls: [{ target: 'bank' }, { target: 'ledger' }] });
    doc.nodes.push({ id: 'ledger', kind: 'service', serviceTime: 80 });
    const { events } = run(doc);
    const first = of(events, 'message.deliver', (e) => e.node === 'payments-q')[0]!;
    const ack = of(events, 'message.ack', (e) => e.messageId === first.messageId)[0]!;
    // delivery hop 1 + own work 5 + the slower call (1 + 80 + 1) + ack hop 1
    expect(ack.t - first.t).toBeCloseTo(89, 6);
  });

  it('the consumer crashing mid-call ends its work as crashed; the message is redelivered and worked again', () => {
    const faults = [{ atMs: 520, untilMs: 700, target: 'payments', kind: 'crash' }];
    const { summary: s, events } = run(chain({}, {}, { faults }));
    expect(s.messageWork!.byReason).toEqual({ crashed: 1 });
    const crashed = of(events, 'work.end', (e) => e.reason === 'crashed')[0]!;
    const work = of(events, 'work.start', (e) => e.requestId === crashed.requestId)[0]!;
    expect(crashed.t).toBe(520);
    expect(of(events, 'message.deliver', (e) => e.messageId === work.messageId && e.redelivered === true).length).toBe(1);
    // Its call to the bank had gone out: the bank did that work twice (the consumer is not idempotent about it).
    expect(s.nodes.bank!.received).toBe(21);
    expect(s.nodes['payments-q']).toMatchObject({ acked: 20, redelivered: 1 });
    expect(s.nodes['receipts-q']).toMatchObject({ published: 20 });
  });

  it('an idempotent consumer skips the calls and the publishes of an event it has processed', () => {
    const resend = (idempotent: boolean) => {
      const doc = chain({ idempotent });
      (doc.nodes[1] as { publishes: Record<string, unknown>[] }).publishes[0]!.resendOnLostConfirm = 1;
      return run(doc).summary;
    };
    const skip = resend(true);
    expect(skip.nodes['payments-q']).toMatchObject({ published: 40, acked: 40, duplicatesDelivered: 20, duplicatesSkipped: 20 });
    expect(skip.nodes.bank!.received).toBe(20);
    expect(skip.nodes['receipts-q']!.published).toBe(20);
    expect(skip.messageWork).toMatchObject({ started: 40, ok: 40 });
    const twice = resend(false);
    expect(twice.nodes.bank!.received).toBe(40);
    expect(twice.nodes['receipts-q']!.published).toBe(40);
    expect(twice.nodes['payments-q']!.duplicatesProcessed).toBe(20);
  });

  it('with publishMode before-commit, an event published before a call that fails is a ghost', () => {
    const { summary: s, events } = run(chain({ onError: 'dead-letter' }, { errorRate: 1 }, {}, { publishMode: 'before-commit' }));
    expect(s.nodes['receipts-q']).toMatchObject({ published: 20 });
    expect(s.nodes.payments).toMatchObject({ ghostEvents: 20 });
    expect(of(events, 'event.ghost').length).toBe(20);
  });

  it('with publishMode outbox, the consumer writes rows and the service\'s relay publishes them', () => {
    const { summary: s } = run(chain({}, {}, {}, { publishMode: 'outbox', outbox: { pollIntervalMs: 200 } }));
    expect(s.nodes.payments).toMatchObject({ outboxWritten: 20, outboxPending: 0, lostEvents: 0 });
    expect(s.nodes['receipts-q']).toMatchObject({ published: 20 });
  });
});

describe('validation and the canvas', () => {
  it('checks a consume entry\'s call targets and publish exchanges by path', () => {
    const doc = chain({ calls: [{ target: 'nowhere' }], publishes: [{ exchange: 'payments-q' }] });
    const r = validateScenario({ format: 'faultline/1', name: 't', ...doc });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = (path: string) => r.problems.filter((p) => p.path === path).map((p) => p.message);
    expect(at('nodes[8].consumes[0].calls[0].target').join(' ')).toMatch(/nowhere/);
    expect(at('nodes[8].consumes[0].publishes[0].exchange').join(' ')).toMatch(/must name an exchange/);
  });

  it('draws the consumer\'s calls and publishes as edges', () => {
    const edges = scenarioEdges(scenario(chain()));
    expect(edges.find((e) => e.kind === 'call' && e.source === 'payments' && e.target === 'bank')?.path).toBe('nodes[8].consumes[0].calls[0].target');
    expect(edges.find((e) => e.kind === 'publish' && e.source === 'payments' && e.target === 'events')).toMatchObject({ label: 'payment.done' });
  });
});
