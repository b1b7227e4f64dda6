/**
 * The presets of event ordering and choreography: each shows in its own run what its story
 * claims, and its variants and "tryThis" settings are run too. Golden numbers at the end.
 */
import { describe, expect, it } from 'vitest';
import { presetBySlug } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';
import { variantDocument } from '../../src/scenario/variants';
import type { ScenarioInput } from '../../src/scenario/schema';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function doc(slug: string, variant: string | null, edit: (d: Json) => void = () => {}): ScenarioInput {
  const p = presetBySlug(slug);
  if (!p) throw new Error(`no preset "${slug}"`);
  let d = structuredClone(p.document) as Json;
  if (variant !== null) {
    const v = variantDocument(d as ScenarioInput, variant);
    if (!v.ok) throw new Error(JSON.stringify(v.problems));
    d = structuredClone(v.document) as Json;
  }
  edit(d);
  return d as ScenarioInput;
}

const node = (d: Json, id: string): Json => (d.nodes as Json[]).find((n) => n.id === id)!;

interface Result {
  summary: RunSummary;
  events: LoggedEvent[];
}

const cache = new Map<string, Result>();
function run(slug: string, variant: string | null = null, edit?: (d: Json) => void): Result {
  const key = edit ? '' : `${slug}/${variant ?? ''}`;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const r = createRun(parseScenario(doc(slug, variant, edit)), { keepAllEvents: true });
  r.runToEnd();
  const out = { summary: r.summary(), events: r.eventLog() };
  expect(out.summary.invariants).toEqual({ ok: true, violations: [] });
  if (key) cache.set(key, out);
  return out;
}

const n = (s: RunSummary, id: string, key: string): number => {
  const v = s.nodes[id]?.[key];
  if (typeof v !== 'number') throw new Error(`nodes.${id}.${key} is ${String(v)}`);
  return v;
};

describe('out-of-order-events', () => {
  it('competing consumers with prefetch work some events before their predecessor; the state machine rejects them to the DLQ', () => {
    const { summary, events } = run('out-of-order-events');
    const p = (k: string) => n(summary, 'projection', k);
    expect(p('outOfOrder')).toBeGreaterThan(200);
    expect(p('outOfOrderRejected')).toBe(p('outOfOrder'));
    expect(n(summary, 'order-dlq', 'depthEnd')).toBe(p('outOfOrderRejected'));
    expect(p('entitiesIncomplete')).toBeGreaterThan(100);
    expect(p('entitiesInconsistent')).toBe(0);
    expect(p('parked') + p('staleIgnored')).toBe(0);
    // Every event published carries its entity, version and name; each entity's versions go out in order.
    const route = events.filter((e) => e.kind === 'message.route' && e.node === 'order-x');
    expect(route.length).toBe(n(summary, 'orders', 'published'));
  });

  it('per-key queues (consistent hash on the entity): no event out of order, each order on one queue', () => {
    const { summary } = run('out-of-order-events', 'per-key queues');
    const p = (k: string) => n(summary, 'projection', k);
    expect(p('outOfOrder')).toBe(0);
    expect(p('outOfOrderRejected')).toBe(0);
    expect(n(summary, 'order-events', 'published')).toBe(0);
    const shares = [1, 2, 3, 4].map((i) => n(summary, `by-key-${i}`, 'published'));
    for (const s of shares) expect(s).toBeGreaterThan(100);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(n(summary, 'orders', 'published'));
    // Only the events still in flight at the end leave an order incomplete.
    expect(p('entitiesIncomplete')).toBeLessThan(30);
  });

  it('ignore stale: nothing rejected, but orders whose state jumped over an event are inconsistent', () => {
    const { summary } = run('out-of-order-events', 'ignore stale');
    const p = (k: string) => n(summary, 'projection', k);
    expect(p('outOfOrderRejected')).toBe(0);
    expect(p('staleIgnored')).toBeGreaterThan(100);
    expect(p('entitiesInconsistent')).toBeGreaterThan(100);
    expect(p('entitiesIncomplete')).toBeLessThan(30);
    expect(n(summary, 'order-dlq', 'depthEnd')).toBe(0);
  });

  it('park: early events come back until their predecessor is applied; none rejected, none inconsistent', () => {
    const { summary } = run('out-of-order-events', 'park');
    const p = (k: string) => n(summary, 'projection', k);
    expect(p('parked')).toBeGreaterThan(100);
    expect(p('parkRetries')).toBeGreaterThan(0);
    expect(p('parkRetries')).toBeLessThanOrEqual(p('parked'));
    expect(p('outOfOrderRejected')).toBe(0);
    expect(p('entitiesInconsistent')).toBe(0);
    expect(p('entitiesIncomplete')).toBeLessThan(30);
  });

  it('one consumer on the shared queue works it in order', () => {
    const { summary } = run('out-of-order-events', null, (d) => (node(d, 'projection').consumes[0].consumers = 1));
    expect(n(summary, 'projection', 'outOfOrder')).toBe(0);
  });

  it('prefetch 1 on the shared queue: fewer out of order, but not none', () => {
    const base = run('out-of-order-events').summary;
    const { summary } = run('out-of-order-events', null, (d) => (node(d, 'projection').consumes[0].prefetch = 1));
    expect(n(summary, 'projection', 'outOfOrder')).toBeGreaterThan(0);
    expect(n(summary, 'projection', 'outOfOrder')).toBeLessThan(n(base, 'projection', 'outOfOrder'));
  });
});

describe('choreography-compensation', () => {
  it('a declined payment publishes payment.failed; inventory releases the reservation and the saga ends compensated', () => {
    const { summary, events } = run('choreography-compensation');
    const g = summary.sagas!;
    const c = g.choreographed!;
    expect(c).toEqual({ started: g.started, completed: g.completed, compensated: g.compensated, stuck: g.stuck, running: g.running });
    expect(c.started).toBe(n(summary, 'orders', 'published'));
    expect(c.compensated).toBeGreaterThan(50);
    expect(c.stuck).toBe(0);
    expect(c.completed + c.compensated + c.stuck + c.running).toBe(c.started);
    expect(n(summary, 'payment', 'compensationEvents')).toBe(c.compensated);
    expect(n(summary, 'inventory', 'compensationsRun')).toBe(c.compensated);
    expect(n(summary, 'payment-q', 'deadLettered')).toBe(c.compensated);
    expect(n(summary, 'payment', 'messageWorkFailed')).toBe(c.compensated);
    // Only while the gateway declines cards: payment publishes nothing but payment.failed, each routed to release-q between 20 s and 40 s (and a call's length).
    const failed = events.filter((e) => e.kind === 'message.publish' && e.node === 'payment' && e.exchange === 'events');
    const routedFailed = events.filter((e) => e.kind === 'message.route' && e.node === 'events' && e.queue === 'release-q');
    expect(routedFailed).toHaveLength(c.compensated);
    for (const e of routedFailed) {
      expect(e.t).toBeGreaterThanOrEqual(20000);
      expect(e.t).toBeLessThan(45000);
    }
    expect(failed).toHaveLength(c.compensated);
  });

  it('without onFailurePublish nothing undoes the reservation: those sagas are stuck', () => {
    const base = run('choreography-compensation').summary.sagas!;
    const s = run('choreography-compensation', null, (d) => (node(d, 'payment').consumes[0].onFailurePublish = [])).summary;
    expect(s.sagas!.compensated).toBe(0);
    expect(s.sagas!.stuck).toBe(base.compensated);
    expect(n(s, 'inventory', 'compensationsRun')).toBe(0);
  });

  it('compensating events lost on their way: those sagas stay running', () => {
    const base = run('choreography-compensation').summary.sagas!;
    const s = run('choreography-compensation', null, (d) => d.faults.push({ atMs: 25000, untilMs: 30000, target: 'payment->events', kind: 'drop', probability: 1 })).summary;
    expect(n(s, 'payment', 'lostEvents')).toBeGreaterThan(5);
    expect(s.sagas!.running).toBeGreaterThan(base.running + 5);
    expect(s.sagas!.compensated).toBeLessThan(base.compensated);
  });

  it('every card declined from 20 s to 40 s: every payment then is compensated', () => {
    const s = run('choreography-compensation', null, (d) => (d.faults[0].probability = 1)).summary;
    expect(s.sagas!.compensated).toBeGreaterThan(350);
    expect(s.sagas!.stuck).toBe(0);
  });
});

describe('golden runs (ordering and choreography)', () => {
  const GOLDEN: Record<string, { traceHash: string; events: number }> = {
    'out-of-order-events': { traceHash: '54c8c64662b19b59', events: 23984 },
    'choreography-compensation': { traceHash: '1953b82d1eb935e4', events: 18257 },
  };
  it('pins the trace hash and the event count', () => {
    const actual = Object.fromEntries(
      Object.keys(GOLDEN).map((slug) => {
        const s = run(slug).summary;
        return [slug, { traceHash: s.traceHash, events: s.events }];
      }),
    );
    expect(actual).toEqual(GOLDEN);
  });
});
