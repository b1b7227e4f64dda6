/**
 * The RabbitMQ fixtures (written from RabbitMQ's documentation) imported, validated and run:
 * each test adds a client, a service that publishes, and where needed one that consumes, then
 * checks what RabbitMQ's documentation says happens to the messages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../src/run';
import { importRabbitDefinitions } from '../../../src/scenario/convert';
import { validateScenario } from '../../../src/scenario/validate';

type QueueStats = { published: number; delivered: number; acked: number; deadLettered: number; refused: number; depthEnd: number; dropped: number };

function runFixture(name: string, extra: { nodes: Record<string, unknown>[]; durationMs: number }) {
  const text = readFileSync(new URL(`../../fixtures/rabbitmq/${name}.json`, import.meta.url), 'utf8');
  const imported = importRabbitDefinitions(text);
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  const doc = imported.value.document as { nodes: unknown[] };
  const v = validateScenario({ ...doc, seed: name, durationMs: extra.durationMs, nodes: [...doc.nodes, ...extra.nodes] });
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const run = createRun(v.scenario);
  run.runToEnd();
  const summary = run.summary();
  expect(summary.invariants).toEqual({ ok: true, violations: [] });
  const q = (id: string) => summary.nodes[id] as unknown as QueueStats;
  return { summary, q };
}

/** A client sending `n` requests to `pub`, 100 ms apart, and `pub` publishing after each. */
const publisher = (n: number, publishes: Record<string, unknown>[], id = 'pub') => [
  { id: `${id}-load`, kind: 'client', target: id, arrival: { type: 'script', atMs: Array.from({ length: n }, (_, i) => i * 100) } },
  { id, kind: 'service', publishes },
];

describe('RabbitMQ fixtures import and run', () => {
  it('DLX: a consumer that rejects without requeue sends every message to the dead-letter queue with the dead-letter key', () => {
    const { q } = runFixture('dlx', {
      durationMs: 5000,
      nodes: [...publisher(10, [{ exchange: 'orders', routingKey: 'order.placed' }]), { id: 'worker', kind: 'service', consumes: [{ queue: 'myqueue', errorRate: 1, onError: 'dead-letter' }] }],
    });
    expect(q('myqueue')).toMatchObject({ published: 10, delivered: 10, deadLettered: 10, depthEnd: 0 });
    expect(q('myqueue-dead')).toMatchObject({ published: 10, depthEnd: 10 });
  });

  it('TTL: unconsumed messages expire after x-message-ttl and go through the default exchange to the queue named by the key', () => {
    const { summary, q } = runFixture('ttl', { durationMs: 61_000, nodes: publisher(10, [{ exchange: 'amq-direct', routingKey: 'myqueue' }]) });
    expect(q('myqueue')).toMatchObject({ published: 10, deadLettered: 10, depthEnd: 0 });
    expect(q('myqueue-expired')).toMatchObject({ published: 10, depthEnd: 10 });
    expect(summary.nodes['amq-default']).toMatchObject({ received: 10, routed: 10 });
  });

  it('max length: reject-publish refuses the newest, drop-head dead-letters the oldest', () => {
    const { q } = runFixture('max-length', { durationMs: 5000, nodes: publisher(15, [{ exchange: 'events' }]) });
    expect(q('bounded-reject')).toMatchObject({ depthEnd: 10, refused: 5 });
    expect(q('bounded-drop')).toMatchObject({ depthEnd: 10, deadLettered: 5 });
    expect(q('bounded-drop-dlq')).toMatchObject({ depthEnd: 5 });
  });

  it('quorum queue with x-delivery-limit 5: a message always requeued is delivered 6 times, then dead-lettered', () => {
    const { q } = runFixture('quorum-delivery-limit', {
      durationMs: 10_000,
      nodes: [...publisher(2, [{ exchange: 'orders', routingKey: 'order.placed' }]), { id: 'worker', kind: 'service', consumes: [{ queue: 'qq-orders', errorRate: 1, onError: 'requeue' }] }],
    });
    expect(q('qq-orders')).toMatchObject({ published: 2, delivered: 12, deadLettered: 2, depthEnd: 0 });
    expect(q('qq-orders-poison')).toMatchObject({ published: 2, depthEnd: 2 });
  });

  it('headers: x-match all with no header arguments matches every message; x-match any on absent headers matches none', () => {
    const { q } = runFixture('headers', { durationMs: 5000, nodes: publisher(4, [{ exchange: 'reports' }]) });
    expect(q('every-report')).toMatchObject({ published: 4, depthEnd: 4 });
    expect(q('pdf-reports')).toMatchObject({ published: 0, depthEnd: 0 });
  });

  it('alternate exchange: what my-direct cannot route goes to my-ae and on to "unrouted"', () => {
    const { summary, q } = runFixture('alternate-exchange', {
      durationMs: 5000,
      nodes: [...publisher(3, [{ exchange: 'my-direct', routingKey: 'key1' }], 'pub-a'), ...publisher(5, [{ exchange: 'my-direct', routingKey: 'key2' }], 'pub-b')],
    });
    expect(q('routed')).toMatchObject({ published: 3, depthEnd: 3 });
    expect(q('unrouted')).toMatchObject({ published: 5, depthEnd: 5 });
    expect(summary.nodes['my-direct']).toMatchObject({ received: 8, unroutable: 0 });
  });
});
