import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../../src/run/types';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>, check?: (r: ReturnType<typeof createRun>) => void): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  if (check) {
    while (!r.finished) {
      r.advanceTo(r.nowMs + 50);
      check(r);
    }
  } else r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);

/** A shop whose orders service publishes `order.placed` once per request to `events`. */
function shop(nodes: Record<string, unknown>[], extra: Record<string, unknown> = {}, publish: Record<string, unknown> = {}) {
  return {
    seed: 'broker',
    durationMs: 5_000,
    nodes: [
      { id: 'shoppers', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: 20 }, (_, i) => i * 100) } },
      { id: 'orders', kind: 'service', serviceTime: 2, publishes: [{ exchange: 'events', routingKey: 'order.placed', ...publish }] },
      ...nodes,
    ],
    ...extra,
  };
}

describe('broker in a run', () => {
  it('topic routing sends order.placed only to the queues whose bindings match; fanout to all', () => {
    const queues = (type: string) => [
      { id: 'events', kind: 'exchange', type },
      { id: 'notifications', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }] },
      { id: 'analytics', kind: 'queue', bindings: [{ exchange: 'events', key: '#' }] },
      { id: 'payments-q', kind: 'queue', bindings: [{ exchange: 'events', key: 'payment.*' }] },
    ];
    const topic = run(shop(queues('topic'))).summary;
    expect([topic.nodes.notifications!.published, topic.nodes.analytics!.published, topic.nodes['payments-q']!.published]).toEqual([20, 20, 0]);
    const fanout = run(shop(queues('fanout'))).summary;
    expect([fanout.nodes.notifications!.published, fanout.nodes.analytics!.published, fanout.nodes['payments-q']!.published]).toEqual([20, 20, 20]);
    expect(fanout.nodes.events).toMatchObject({ received: 20, unroutable: 0 });
  });

  it('a message no binding matches is dropped as unroutable and counted at the exchange', () => {
    const { summary, events } = run(shop([{ id: 'events', kind: 'exchange', type: 'direct' }, { id: 'q', kind: 'queue', bindings: [{ exchange: 'events', key: 'other' }] }]));
    expect(summary.nodes.events).toMatchObject({ received: 20, unroutable: 20 });
    expect(of(events, 'message.drop').map((e) => e.reason)).toEqual(Array(20).fill('unroutable'));
  });

  it('a poison message: a consumer that always fails with onError dead-letter sends each to the DLQ (reason rejected)', () => {
    const { summary, events } = run(
      shop([
        { id: 'events', kind: 'exchange', type: 'topic' },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'work', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.#' }], deadLetter: { exchange: 'dlx' } },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
        { id: 'worker', kind: 'service', consumes: [{ queue: 'work', serviceTime: 5, errorRate: 1, onError: 'dead-letter' }] },
      ]),
    );
    expect(summary.nodes.work).toMatchObject({ delivered: 20, acked: 0, deadLettered: 20 });
    expect(summary.nodes.dlq).toMatchObject({ published: 20, depthEnd: 20 });
    expect(of(events, 'message.deadLetter').every((e) => e.reason === 'rejected')).toBe(true);
  });

  it('requeue on error with a delivery limit: delivered limit + 1 times, then dead-lettered (delivery_limit)', () => {
    const { summary, events } = run(
      shop([
        { id: 'events', kind: 'exchange', type: 'topic' },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'work', kind: 'queue', queueType: 'quorum', bindings: [{ exchange: 'events', key: '#' }], deadLetter: { exchange: 'dlx' }, deliveryLimit: 2 },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
        { id: 'worker', kind: 'service', consumes: [{ queue: 'work', serviceTime: 5, errorRate: 1, onError: 'requeue' }] },
      ]),
    );
    expect(summary.nodes.work).toMatchObject({ delivered: 60, redelivered: 40, deadLettered: 20 });
    expect(summary.nodes.dlq!.depthEnd).toBe(20);
    expect(of(events, 'message.deadLetter').every((e) => e.reason === 'delivery_limit')).toBe(true);
    expect(of(events, 'message.deliver').filter((e) => e.redelivered === true)).toHaveLength(40);
  });

  it('a publisher resending after a lost confirm makes duplicates: an idempotent consumer skips them, a non-idempotent one applies them again', () => {
    const nodes = [
      { id: 'events', kind: 'exchange', type: 'fanout' },
      { id: 'email', kind: 'queue', bindings: [{ exchange: 'events' }] },
      { id: 'ledger', kind: 'queue', bindings: [{ exchange: 'events' }] },
      { id: 'mailer', kind: 'service', consumes: [{ queue: 'email', serviceTime: 3, idempotent: false }] },
      { id: 'accounts', kind: 'service', consumes: [{ queue: 'ledger', serviceTime: 3, idempotent: true }] },
    ];
    const { summary, events } = run(shop(nodes, {}, { resendOnLostConfirm: 0.5 }));
    const resends = summary.nodes.orders!.publishResends as number;
    expect(resends).toBeGreaterThan(4);
    expect(of(events, 'message.publish').filter((e) => e.resend === true)).toHaveLength(resends);
    expect(summary.nodes.email).toMatchObject({ published: 20 + resends, duplicatesDelivered: resends, duplicatesProcessed: resends, duplicatesSkipped: 0 });
    expect(summary.nodes.ledger).toMatchObject({ published: 20 + resends, duplicatesDelivered: resends, duplicatesProcessed: 0, duplicatesSkipped: resends });
    // The event log tells a skipped duplicate from one applied again (so the trace hash does too).
    const seen = (node: string) => of(events, 'message.duplicate').filter((e) => e.node === node);
    expect(seen('mailer').map((e) => e.skipped)).toEqual(Array(resends).fill(false));
    expect(seen('accounts').map((e) => e.skipped)).toEqual(Array(resends).fill(true));
  });

  it('a consumer that dies after processing but before its ack: its messages are redelivered, and processed twice if not idempotent', () => {
    const { summary, events } = run(
      shop(
        [
          { id: 'events', kind: 'exchange', type: 'fanout' },
          { id: 'work', kind: 'queue', bindings: [{ exchange: 'events' }] },
          { id: 'worker', kind: 'service', consumes: [{ queue: 'work', serviceTime: 50, prefetch: 1 }] },
        ],
        // Message 6 (published at 503, delivered at 504) reaches the worker at 505 and is
        // processed by 555; its ack would reach the broker at 556. The worker dies in between.
        { network: { latency: 1 }, faults: [{ atMs: 555.5, untilMs: 700, target: 'worker', kind: 'crash' }] },
      ),
    );
    expect(summary.nodes.work).toMatchObject({ redelivered: 1, acked: 20, duplicatesProcessed: 1 });
    const redelivery = of(events, 'message.deliver').find((e) => e.redelivered === true)!;
    expect(redelivery.t).toBeGreaterThanOrEqual(700);
  });

  it('a slow consumer: the queue grows, and unacked never exceeds prefetch × consumers', () => {
    const { summary } = run(
      {
        seed: 'slow',
        durationMs: 5_000,
        nodes: [
          { id: 'c', kind: 'client', target: 'p', arrival: { type: 'constant', ratePerSec: 100 } },
          { id: 'p', kind: 'service', serviceTime: 1, publishes: [{ exchange: 'x', routingKey: 'k' }] },
          { id: 'x', kind: 'exchange', type: 'direct' },
          { id: 'q', kind: 'queue', bindings: [{ exchange: 'x', key: 'k' }] },
          { id: 'slowpoke', kind: 'service', consumes: [{ queue: 'q', serviceTime: 40, prefetch: 3, consumers: 2 }] },
        ],
      },
      (r) => {
        const q = r.nodeStates().q!;
        if (q.kind !== 'queue') throw new Error(q.kind);
        expect(q.unacked).toBeLessThanOrEqual(6);
      },
    );
    // 100/s in, 2 consumers × 1/40 ms = 50/s out: the depth grows by about 50 a second.
    expect(summary.nodes.q!.depthEnd as number).toBeGreaterThan(200);
    expect(summary.nodes.q!.unackedEnd).toBe(6);
  });

  it('message TTL: an idle queue expires its messages on time, to the DLX with reason expired', () => {
    const { events } = run(
      shop([
        { id: 'events', kind: 'exchange', type: 'fanout' },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }], messageTtlMs: 250, deadLetter: { exchange: 'dlx' } },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
      ]),
    );
    const dl = of(events, 'message.deadLetter');
    expect(dl).toHaveLength(20);
    expect(dl.every((e) => e.reason === 'expired')).toBe(true);
    const routed = of(events, 'message.route').filter((e) => e.queue === 'q');
    // Each expires exactly messageTtlMs after it entered the queue.
    expect(dl.map((e, i) => e.t - routed[i]!.t)).toEqual(Array(20).fill(250));
  });

  it('maxLength: drop-head dead-letters the oldest (maxlen); reject-publish refuses the newest', () => {
    const q = (overflow: string) =>
      run(
        shop([
          { id: 'events', kind: 'exchange', type: 'fanout' },
          { id: 'dlx', kind: 'exchange', type: 'fanout' },
          { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }], maxLength: 5, overflow, deadLetter: { exchange: 'dlx' } },
          { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
        ]),
      );
    const head = q('drop-head');
    expect(head.summary.nodes.q).toMatchObject({ depthEnd: 5, deadLettered: 15 });
    expect(of(head.events, 'message.deadLetter').every((e) => e.reason === 'maxlen')).toBe(true);
    const reject = q('reject-publish');
    expect(reject.summary.nodes.q).toMatchObject({ depthEnd: 5, refused: 15, deadLettered: 0 });
    expect(reject.summary.nodes.dlq!.published).toBe(0);
  });

  it('a duplicate fault on a queue delivers messages twice to their consumer', () => {
    const { summary } = run(
      shop(
        [
          { id: 'events', kind: 'exchange', type: 'fanout' },
          { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }] },
          { id: 'worker', kind: 'service', consumes: [{ queue: 'q', serviceTime: 5, idempotent: false }] },
        ],
        { faults: [{ atMs: 0, untilMs: 1000, target: 'q', kind: 'duplicate' }] },
      ),
    );
    expect(summary.nodes.q).toMatchObject({ acked: 20, duplicatesDelivered: 10, duplicatesProcessed: 10 });
  });

  it('every message copy is accounted for, over random broker topologies, consumers and crashes', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat(),
          xType: fc.constantFrom('fanout', 'direct', 'topic'),
          ttl: fc.option(fc.integer({ min: 1, max: 300 })),
          maxLength: fc.option(fc.integer({ min: 0, max: 10 })),
          overflow: fc.constantFrom('drop-head', 'reject-publish'),
          dlx: fc.boolean(),
          limit: fc.option(fc.nat(3)),
          quorum: fc.boolean(),
          autoAck: fc.boolean(),
          poison: fc.constantFrom(0, 0.2),
          mode: fc.constantFrom('after-commit', 'before-commit', 'dual-write', 'outbox'),
          pubErrorRate: fc.constantFrom(0, 0.3),
          hopFaults: fc.array(
            fc.record({
              link: fc.constantFrom('pub->x', 'q->sub', 'sub->q', 'sub'),
              kind: fc.constantFrom('latency', 'error', 'partition', 'drop', 'duplicate', 'reorder'),
              atMs: fc.integer({ min: 0, max: 1500 }),
              lengthMs: fc.integer({ min: 1, max: 800 }),
              probability: fc.double({ min: 0, max: 1, noNaN: true }),
            }),
            { maxLength: 3 },
          ),
          errorRate: fc.double({ min: 0, max: 1, noNaN: true }),
          onError: fc.constantFrom('requeue', 'dead-letter'),
          prefetch: fc.integer({ min: 1, max: 5 }),
          consumers: fc.integer({ min: 1, max: 3 }),
          resend: fc.double({ min: 0, max: 1, noNaN: true }),
          crashAt: fc.option(fc.integer({ min: 0, max: 1500 })),
          // Choreography: the consumer calls db (which may fail or crash) and publishes on to q2.
          choreo: fc.boolean(),
          dbErrorRate: fc.constantFrom(0, 0.3, 1),
          dbCrashAt: fc.option(fc.integer({ min: 0, max: 1500 })),
        }),
        fc.integer({ min: 1, max: 1900 }),
        (p, cut) => {
          const doc = scenario({
            seed: p.seed,
            durationMs: p.hopFaults.length > 0 ? 130_000 : 2_000,
            nodes: [
              // With hop faults the run lasts past a consumer timeout (60 s, checked once a minute); the load is the first two seconds.
              p.hopFaults.length > 0
                ? { id: 'c', kind: 'client', target: 'pub', arrival: { type: 'script', atMs: Array.from({ length: 80 }, (_, i) => i * 25) } }
                : { id: 'c', kind: 'client', target: 'pub', arrival: { type: 'poisson', ratePerSec: 50 } },
              {
                id: 'pub',
                kind: 'service',
                serviceTime: 1,
                errorRate: p.pubErrorRate,
                publishMode: p.mode,
                outbox: { pollIntervalMs: 100 },
                publishes: [{ exchange: 'x', routingKey: 'a.b', resendOnLostConfirm: p.resend, poisonRate: p.poison }],
              },
              { id: 'x', kind: 'exchange', type: p.xType },
              { id: 'dlx', kind: 'exchange', type: 'fanout' },
              {
                id: 'q',
                kind: 'queue',
                bindings: [{ exchange: 'x', key: p.xType === 'topic' ? 'a.*' : 'a.b' }],
                messageTtlMs: p.ttl,
                maxLength: p.maxLength,
                overflow: p.overflow,
                deadLetter: p.dlx ? { exchange: 'dlx' } : null,
                ...(p.quorum || p.limit !== null ? { queueType: 'quorum', deliveryLimit: p.limit } : {}),
                consumerTimeoutMs: 60_000,
              },
              { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }], maxLength: 50 },
              {
                id: 'sub',
                kind: 'service',
                instances: 2,
                consumes: [
                  {
                    queue: 'q',
                    prefetch: p.prefetch,
                    consumers: p.consumers,
                    serviceTime: { dist: 'exponential', meanMs: 20 },
                    errorRate: p.errorRate,
                    onError: p.onError,
                    ackMode: p.autoAck ? 'auto' : 'manual',
                    recoveryDelayMs: 100,
                    ...(p.choreo
                      ? {
                          calls: [{ target: 'db', timeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 5 } }],
                          publishes: [{ exchange: 'x2', routingKey: 'done', resendOnLostConfirm: p.resend }],
                        }
                      : {}),
                  },
                ],
                ...(p.choreo ? { publishMode: p.mode, outbox: { pollIntervalMs: 100 } } : {}),
              },
              ...(p.choreo
                ? [
                    { id: 'db', kind: 'service', instances: 2, serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: p.dbErrorRate },
                    { id: 'x2', kind: 'exchange', type: 'fanout' },
                    { id: 'q2', kind: 'queue', bindings: [{ exchange: 'x2' }] },
                  ]
                : []),
            ],
            faults: [
              ...(p.crashAt === null ? [] : [{ atMs: p.crashAt, untilMs: p.crashAt + 200, target: 'sub', kind: 'crash', instances: 1 }]),
              ...(p.choreo && p.dbCrashAt !== null ? [{ atMs: p.dbCrashAt, untilMs: p.dbCrashAt + 300, target: 'db', kind: 'crash', instances: 1 }] : []),
              // Link faults on every broker hop (publish, delivery, ack) and on the consumer's hops; no error on a consume link.
              ...p.hopFaults
                .filter((f) => !(f.kind === 'error' && f.link !== 'pub->x'))
                .map((f) => ({
                  atMs: f.atMs,
                  untilMs: f.atMs + f.lengthMs,
                  target: f.link,
                  kind: f.kind,
                  ...(f.kind === 'latency' ? { add: 30, probability: f.probability } : f.kind === 'partition' ? {} : f.kind === 'reorder' ? { probability: f.probability, delayMs: 40 } : { probability: f.probability }),
                })),
            ],
          });
          const r = createRun(doc);
          r.advanceTo(cut);
          expect(r.summary().invariants.violations).toEqual([]);
          r.runToEnd();
          const s = r.summary();
          expect(s.invariants.violations).toEqual([]);
          if (p.maxLength !== null && p.overflow === 'drop-head') expect(s.nodes.q!.depthMax as number).toBeLessThanOrEqual(p.maxLength);
          if (p.choreo) {
            // The consumers' work balances on its own, and leaves the clients' requests alone.
            const work = s.messageWork!;
            expect(work.started).toBe(work.ok + work.failed + work.inFlight);
            expect(work.inFlight).toBeLessThanOrEqual(p.consumers);
            expect(s.requests.sent).toBe(s.requests.ok + s.requests.failed + s.requests.inFlight);
            expect(s.nodes.sub!.messageWorkOk).toBe(work.ok);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
