/**
 * What a service's publishes carry and when they go out against its database write.
 *
 * Sources: the seeds' "PUBLISH ORDER: Save to DB first, THEN publish event" (publish → save
 * risks a ghost event; save → publish risks a lost event, mitigated by the outbox pattern);
 * RabbitMQ's headers exchange (`rabbit_exchange_type_headers`: x-match all/any, `x-` arguments
 * ignored unless all-with-x/any-with-x); the outbox pattern (a relay publishes rows written in the
 * same transaction, and marks them once confirmed: at-least-once, so a relay that dies between
 * publish and mark publishes again).
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../../src/run/types';
import { scenario } from '../../helpers/scenarios';

function run(doc: Record<string, unknown>): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);

function orders(service: Record<string, unknown>, rest: Record<string, unknown>[], faults: Record<string, unknown>[] = [], n = 40) {
  return {
    seed: 'publishing',
    durationMs: 10_000,
    network: { latency: 1 },
    nodes: [
      { id: 'shop', kind: 'client', target: 'orders', arrival: { type: 'script', atMs: Array.from({ length: n }, (_, i) => i * 100) } },
      { id: 'orders', kind: 'service', serviceTime: 2, ...service },
      ...rest,
    ],
    faults,
  };
}

const fanout = [
  { id: 'events', kind: 'exchange', type: 'fanout' },
  { id: 'q', kind: 'queue', bindings: [{ exchange: 'events' }] },
  { id: 'mailer', kind: 'service', consumes: [{ queue: 'q', serviceTime: 5 }] },
];

describe('headers on publishes and the headers exchange', () => {
  const nodes = (args: Record<string, unknown>) => [
    { id: 'hx', kind: 'exchange', type: 'headers' },
    { id: 'hq', kind: 'queue', bindings: [{ exchange: 'hx', arguments: args }] },
  ];
  const published = (headers: Record<string, unknown>, args: Record<string, unknown>) =>
    run(orders({ publishes: [{ exchange: 'hx', headers }] }, nodes(args), [], 5)).summary.nodes.hq!.published;

  it('x-match all: every argument must be present with an equal value', () => {
    expect(published({ region: 'eu', tier: 'gold' }, { 'x-match': 'all', region: 'eu', tier: 'gold' })).toBe(5);
    expect(published({ region: 'eu' }, { 'x-match': 'all', region: 'eu', tier: 'gold' })).toBe(0);
  });

  it('x-match any: one matching argument is enough', () => {
    expect(published({ region: 'us', tier: 'gold' }, { 'x-match': 'any', region: 'eu', tier: 'gold' })).toBe(5);
    expect(published({ region: 'us' }, { 'x-match': 'any', region: 'eu', tier: 'gold' })).toBe(0);
  });

  it('x- arguments are ignored by all and any, compared by all-with-x', () => {
    expect(published({ region: 'eu' }, { 'x-match': 'all', region: 'eu', 'x-tenant': 'a' })).toBe(5);
    expect(published({ region: 'eu' }, { 'x-match': 'all-with-x', region: 'eu', 'x-tenant': 'a' })).toBe(0);
    expect(published({ region: 'eu', 'x-tenant': 'a' }, { 'x-match': 'all-with-x', region: 'eu', 'x-tenant': 'a' })).toBe(5);
  });

  it('values compare by type as well: the number 1 is not the string "1"', () => {
    expect(published({ v: 1 }, { v: '1' })).toBe(0);
    expect(published({ v: true }, { v: true })).toBe(5);
  });
});

describe('poison messages', () => {
  it('a poison event fails at every delivery; a transient error (errorRate) is drawn per delivery and usually passes on redelivery', () => {
    const queue = { id: 'q', kind: 'queue', queueType: 'quorum', deliveryLimit: 3, bindings: [{ exchange: 'events' }], deadLetter: { exchange: 'dlx' } };
    const nodes = (consume: Record<string, unknown>) => [
      { id: 'events', kind: 'exchange', type: 'fanout' },
      { id: 'dlx', kind: 'exchange', type: 'fanout' },
      queue,
      { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
      { id: 'mailer', kind: 'service', consumes: [{ queue: 'q', serviceTime: 5, onError: 'requeue', ...consume }] },
    ];
    const poison = run(orders({ publishes: [{ exchange: 'events', poisonRate: 0.25 }] }, nodes({}))).summary;
    const dl = poison.nodes.dlq!.published as number;
    expect(dl).toBeGreaterThan(4);
    // Each poison event was delivered limit + 1 = 4 times, failing each time.
    expect(poison.nodes.q).toMatchObject({ deadLettered: dl, poisonFailures: 4 * dl, acked: 40 - dl });
    const transient = run(orders({ publishes: [{ exchange: 'events' }] }, nodes({ errorRate: 0.25 }))).summary;
    expect(transient.nodes.q!.redelivered as number).toBeGreaterThan(4);
    expect(transient.nodes.dlq!.published as number).toBeLessThan(dl);
  });
});

describe('publish modes', () => {
  // orders fails 30% of its requests after its own work (the database write).
  const failing = { errorRate: 0.3, publishes: [{ exchange: 'events' }] };

  it('after-commit: only successful requests publish; no ghosts', () => {
    const { summary } = run(orders({ ...failing, publishMode: 'after-commit' }, fanout));
    const s = summary.nodes.orders!;
    expect(s.published).toBe(s.ok);
    expect(s).toMatchObject({ ghostEvents: 0, lostEvents: 0 });
  });

  it('before-commit: every request publishes first, so each failed one leaves a ghost event', () => {
    const { summary, events } = run(orders({ ...failing, publishMode: 'before-commit' }, fanout));
    const s = summary.nodes.orders!;
    expect(s.published).toBe(40);
    expect(s.ghostEvents).toBe(s.failed);
    expect(s.failed as number).toBeGreaterThan(5);
    expect(of(events, 'event.ghost')).toHaveLength(s.failed as number);
    expect(summary.nodes.q!.published).toBe(40); // the consumers acted on them all
  });

  it('before-commit: a crash between the publish and the write makes ghosts too', () => {
    const slow = { serviceTime: 300, publishes: [{ exchange: 'events' }], publishMode: 'before-commit' };
    const { summary } = run(orders(slow, fanout, [{ atMs: 1050, untilMs: 1200, target: 'orders', kind: 'crash' }], 20));
    expect(summary.nodes.orders!.ghostEvents as number).toBeGreaterThanOrEqual(3);
  });

  it('dual-write: the write commits, then the publish fails on its link: a lost event', () => {
    const { summary } = run(orders({ publishes: [{ exchange: 'events' }], publishMode: 'dual-write' }, fanout, [{ atMs: 0, untilMs: 2000, target: 'orders->events', kind: 'drop', probability: 1 }]));
    expect(summary.nodes.orders).toMatchObject({ lostEvents: 20, ghostEvents: 0 });
    expect(summary.nodes.q!.published).toBe(20);
  });

  it('outbox: the same dropped link loses nothing — the relay publishes the rows again at its next poll', () => {
    const { summary } = run(
      orders({ publishes: [{ exchange: 'events' }], publishMode: 'outbox', outbox: { pollIntervalMs: 500 } }, fanout, [{ atMs: 0, untilMs: 2000, target: 'orders->events', kind: 'drop', probability: 1 }]),
    );
    expect(summary.nodes.orders).toMatchObject({ lostEvents: 0, ghostEvents: 0, outboxWritten: 40, outboxPending: 0 });
    expect(summary.nodes.q).toMatchObject({ published: 40, acked: 40 });
  });

  it('outbox: a relay that crashes between publish and mark publishes those rows again — duplicates, never losses', () => {
    // The relay polls every 500 ms; its publishes reach the broker 1 ms later and the confirm 1 ms after that.
    // A crash 1.5 ms after a poll catches rows published and not yet marked.
    const { summary } = run(
      orders(
        { publishes: [{ exchange: 'events' }], publishMode: 'outbox', outbox: { pollIntervalMs: 500 } },
        fanout,
        [1500, 2500, 3500].map((t) => ({ atMs: t + 1.5, untilMs: t + 100, target: 'orders', kind: 'crash' })),
      ),
    );
    const s = summary.nodes.orders!;
    expect(s.duplicateEvents as number).toBeGreaterThanOrEqual(3);
    expect(s).toMatchObject({ lostEvents: 0, outboxPending: 0 });
    expect(summary.nodes.q!.duplicatesProcessed).toBe(s.duplicateEvents);
  });
});
