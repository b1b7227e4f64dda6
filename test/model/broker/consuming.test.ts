/**
 * Consumers in a run: acknowledgement modes and what the event log shows of dead-lettering.
 *
 * Sources: RabbitMQ's consumer acknowledgement guide ("Acknowledgement Modes": automatic
 * acknowledgement is fire-and-forget and unsafe — a consumer whose connection or channel closes
 * before it processed what it was sent loses those messages; manual acknowledgement requeues
 * them); the seeds' "prefetch(100) → fast but risk losing messages on crash"; the dead lettering
 * guide ("Dead-Lettered Messages": the x-death header's queue, reason, count, exchange,
 * routing-keys, time; one entry per (queue, reason), count incremented on repeat).
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary, XDeathField } from '../../../src/run/types';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);

/** 50 orders in the first second; a slow worker (20 ms each) that crashes at 500 ms for 200 ms. */
function crashy(consume: Record<string, unknown>) {
  return {
    seed: 'acks',
    durationMs: 10_000,
    network: { latency: 1 },
    nodes: [
      { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: 50 }, (_, i) => i * 10) } },
      { id: 'orders', kind: 'service', serviceTime: 1, publishes: [{ exchange: 'events' }] },
      { id: 'events', kind: 'exchange', type: 'fanout' },
      { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }] },
      { id: 'worker', kind: 'service', consumes: [{ queue: 'q', serviceTime: 20, prefetch: 100, ...consume }] },
    ],
    faults: [{ atMs: 500, untilMs: 700, target: 'worker', kind: 'crash' }],
  };
}

describe('acknowledgement modes', () => {
  it('manual: a crash requeues what the consumer held; every message is processed in the end', () => {
    const { summary } = run(crashy({ ackMode: 'manual' }));
    expect(summary.nodes.q).toMatchObject({ published: 50, acked: 50, lost: 0 });
    expect(summary.nodes.q!.redelivered as number).toBeGreaterThan(10);
  });

  it('auto: the broker forgot each message as it sent it, so a crash loses everything the consumer had prefetched', () => {
    const { summary, events } = run(crashy({ ackMode: 'auto' }));
    const q = summary.nodes.q!;
    expect(q).toMatchObject({ published: 50, acked: 50, autoAcked: 50, redelivered: 0 });
    expect(q.lost as number).toBeGreaterThan(10);
    expect(summary.nodes.worker!.consumed).toBe(50 - (q.lost as number));
    expect(of(events, 'message.lost').every((e) => e.reason === 'consumer-crashed' && e.t >= 500)).toBe(true);
  });

  it('auto: a message whose processing fails is lost too — there is nothing left to nack', () => {
    const { summary, events } = run({ ...crashy({ ackMode: 'auto', errorRate: 0.2, onError: 'requeue' }), faults: [] });
    const lost = of(events, 'message.lost');
    expect(lost.length).toBeGreaterThan(3);
    expect(lost.every((e) => e.reason === 'processing-failed')).toBe(true);
    expect(summary.nodes.q).toMatchObject({ lost: lost.length, redelivered: 0 });
  });
});

describe('x-death on message.deadLetter', () => {
  it('each dead-lettering carries the list the message leaves with: one entry per (queue, reason), counts growing', () => {
    // work rejects everything to retry, which expires back to work after 100 ms: the x-death
    // list grows an entry per queue, and counts go up on each lap (no cycle: a rejection is in it).
    const { events } = run({
      seed: 'xdeath',
      durationMs: 1_000,
      network: { latency: 1 },
      nodes: [
        { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: [0] } },
        { id: 'orders', kind: 'service', serviceTime: 1, publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
        { id: 'events', kind: 'exchange', type: 'direct' },
        { id: 'retry-x', kind: 'exchange', type: 'fanout' },
        { id: 'work', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.placed' }], deadLetter: { exchange: 'retry-x' } },
        { id: 'retry', kind: 'queue', bindings: [{ exchange: 'retry-x' }], messageTtlMs: 100, deadLetter: { exchange: 'events', routingKey: null } },
        { id: 'worker', kind: 'service', consumes: [{ queue: 'work', serviceTime: 1, errorRate: 1, onError: 'dead-letter' }] },
      ],
    });
    const dl = of(events, 'message.deadLetter');
    expect(dl.length).toBeGreaterThanOrEqual(4);
    const short = (e: LoggedEvent) => (e.xDeath as XDeathField[]).map((x) => `${x.queue}:${x.reason}:${x.count}`);
    expect(short(dl[0]!)).toEqual(['work:rejected:1']);
    expect(short(dl[1]!)).toEqual(['retry:expired:1', 'work:rejected:1']);
    expect(short(dl[2]!)).toEqual(['work:rejected:2', 'retry:expired:1']);
    expect(short(dl[3]!)).toEqual(['retry:expired:2', 'work:rejected:2']);
    // The first exchange and routing keys of each entry are kept.
    const first = (dl[3]!.xDeath as XDeathField[]).find((x) => x.queue === 'work')!;
    expect(first).toMatchObject({ exchange: 'events', 'routing-keys': ['order.placed'] });
    expect(first.time).toBe(dl[0]!.t);
    // The copy routed through the dead-letter exchange arrives carrying that same list.
    const into = of(events, 'message.route').filter((e) => e.queue === 'retry');
    expect(into[0]!.xDeath).toEqual(dl[0]!.xDeath);
    expect(of(events, 'message.route').find((e) => e.queue === 'work')!.xDeath).toBeUndefined();
  });
});
