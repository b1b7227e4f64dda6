/**
 * The preset library: every preset is a valid document with a short share link, and every one of
 * them shows, in the numbers of its own run, what its story claims. Where a preset's "tryThis"
 * flips a setting, the test runs the flipped copy too, so both sides of the lesson are proven.
 * The golden test at the end pins a few headline numbers, so a change in behaviour shows in review.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetBySlug } from '../../src/scenario/presets';
import type { Preset } from '../../src/scenario/presets';
import { PRESETS as REEXPORTED } from '../../src/scenario';
import { shareUrl } from '../../src/scenario/codec';
import { parseScenario, validateScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';

const BASE = 'https://faultline.example/';

function preset(slug: string): Preset {
  const p = presetBySlug(slug);
  if (!p) throw new Error(`no preset "${slug}"`);
  return p;
}

/**
 * A "tryThis" edit works on the document as plain JSON, the way a person edits it in the app;
 * parseScenario validates the result before it runs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A deep copy of a preset's document, changed by `edit` (the "tryThis" side of a comparison). */
function variant(slug: string, edit: (doc: Json) => void): ScenarioInput {
  const doc = structuredClone(preset(slug).document) as Json;
  edit(doc);
  return doc as ScenarioInput;
}

const node = (doc: Json, id: string): Json => {
  const n = (doc.nodes as Json[]).find((x) => x.id === id);
  if (!n) throw new Error(`no node "${id}"`);
  return n;
};

interface Result {
  summary: RunSummary;
  events: LoggedEvent[];
}

const cache = new Map<string, Result>();

/** Run a document to its end; a preset's own document is run once and shared between tests. */
function run(doc: ScenarioInput, events = false): Result {
  const r = createRun(parseScenario(doc), { keepAllEvents: events });
  r.runToEnd();
  return { summary: r.summary(), events: events ? r.eventLog() : [] };
}

function runPreset(slug: string): Result {
  let r = cache.get(slug);
  if (!r) {
    r = run(preset(slug).document, true);
    cache.set(slug, r);
  }
  return r;
}

const num = (s: RunSummary, id: string, key: string): number => {
  const v = s.nodes[id]?.[key];
  if (typeof v !== 'number') throw new Error(`nodes.${id}.${key} is ${String(v)}`);
  return v;
};

const of = (events: LoggedEvent[], kind: string, where: (e: LoggedEvent) => boolean = () => true) =>
  events.filter((e) => e.kind === kind && where(e));

describe('the preset library', () => {
  it('has at least twelve presets with unique slugs, found by presetBySlug and re-exported from src/scenario', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(PRESETS.map((p) => p.slug)).size).toBe(PRESETS.length);
    for (const p of PRESETS) expect(presetBySlug(p.slug)).toBe(p);
    expect(presetBySlug('no-such-preset')).toBeUndefined();
    expect(REEXPORTED).toBe(PRESETS);
    expect(PRESETS[0]!.slug).toBe('hello-faultline');
  });

  it.each(PRESETS.map((p) => [p.slug, p] as const))('%s is a valid document that says what to watch and try', (_slug, p) => {
    const result = validateScenario(p.document);
    if (!result.ok) throw new Error(result.problems.map((x) => `${x.path}: ${x.message}`).join('\n'));
    expect(p.slug).toMatch(/^[a-z0-9-]+$/);
    expect(p.document.name).toBe(p.title);
    expect(p.summary).not.toContain('\n');
    expect(p.document.description!.length).toBeGreaterThan(100);
    expect(p.watch.length).toBeGreaterThanOrEqual(2);
    expect(p.tryThis.length).toBeGreaterThanOrEqual(2);
    expect(p.document.faults?.length ?? 0).toBeLessThanOrEqual(3);
    // Laid out left to right: every node placed, clients in the first column.
    const layout = result.scenario.layout ?? {};
    const nodes = result.scenario.nodes;
    expect(Object.keys(layout).sort()).toEqual(nodes.map((n) => n.id).sort());
    const minX = Math.min(...Object.values(layout).map((xy) => xy.x));
    for (const n of nodes) if (n.kind === 'client') expect(layout[n.id]!.x).toBe(minX);
    for (const n of nodes) if (n.kind !== 'client') expect(layout[n.id]!.x).toBeGreaterThan(minX);
  });

  it('every share URL is under 2,000 characters', () => {
    const rows = PRESETS.map((p) => ({ slug: p.slug, chars: shareUrl(BASE, p.document).length }));
    console.log(['share URL lengths (base https://faultline.example/):', ...rows.map((r) => `  ${r.slug.padEnd(28)} ${r.chars}`)].join('\n'));
    for (const r of rows) expect(r.chars, r.slug).toBeLessThan(2000);
  });

  it.each(PRESETS.map((p) => [p.slug] as const))('%s runs to its end with the accounting balanced', (slug) => {
    const { summary } = runPreset(slug);
    expect(summary.stoppedBy).toBeNull();
    expect(summary.invariants).toEqual({ ok: true, violations: [] });
    expect(summary.requests.sent).toBeGreaterThan(0);
  });
});

describe('hello-faultline', () => {
  it('every request ends 200, and api utilization is the arrival rate × worker time ÷ workers', () => {
    const { summary: s } = runPreset('hello-faultline');
    expect(s.requests.failed).toBe(0);
    expect(s.requests.byStatus).toEqual({ '200': s.requests.sent });
    // A worker of api is held for its own work (mean 20 ms), the hop to db and back (1 ms each)
    // and db's work (mean 10 ms): about 32 ms. Utilization law: U = λ·S / c.
    const lambda = s.requests.sent / 60;
    expect(num(s, 'api', 'utilization')).toBeCloseTo((lambda * 0.032) / 4, 2);
    // The tail is the exponential work itself: p99 several times the median, with nothing broken.
    expect(s.latencyMs.p99).toBeGreaterThan(2.5 * s.latencyMs.p50);
    expect(num(s, 'api', 'queueMax')).toBeLessThanOrEqual(3);
  });
});

describe('cascade-no-timeouts', () => {
  it('a slow inventory makes healthy orders refuse users with 503, and only while the slowdown lasts', () => {
    const { summary: s, events } = runPreset('cascade-no-timeouts');
    const ends = of(events, 'request.end');
    const failed = ends.filter((e) => e.status !== 200);
    // Before the fault: nothing fails.
    expect(failed.filter((e) => e.t < 20000)).toEqual([]);
    // During it: orders' pool is held by inventory, and most users are refused with 503.
    const during = ends.filter((e) => e.t >= 21000 && e.t < 40000);
    const refused = during.filter((e) => e.status === 503).length;
    expect(refused / during.length).toBeGreaterThan(0.9);
    expect(s.requests.byStatus['503']).toBeGreaterThan(700);
    // Every failure is orders' waiting line being full; orders never failed on its own, and
    // inventory never returned an error: it was slow, not broken.
    expect(s.requests.byReason).toEqual({ 'queue-full': s.requests.failed });
    expect(num(s, 'orders', 'rejected')).toBe(s.requests.failed);
    expect(num(s, 'inventory', 'failed')).toBe(0);
    expect(num(s, 'orders', 'queueMax')).toBe(20);
    // After: the workers come back once the held calls finish (8 s after the fault ends).
    expect(failed.filter((e) => e.t > 49000)).toEqual([]);
  });
});

describe('timeout-breaker-fallback', () => {
  it('against the same slowdown, 503s fall by 85% and p99 by more than half; the breaker opens and later closes', () => {
    const cascade = runPreset('cascade-no-timeouts').summary;
    const { summary: s, events } = runPreset('timeout-breaker-fallback');
    expect(s.requests.sent).toBe(cascade.requests.sent);
    expect(s.requests.byStatus['503'] ?? 0).toBeLessThan(0.15 * cascade.requests.byStatus['503']!);
    expect(s.latencyMs.p99).toBeLessThan(cascade.latencyMs.p99 / 2);
    expect(num(s, 'orders', 'breakerOpens')).toBeGreaterThanOrEqual(1);
    expect(num(s, 'orders', 'shortCircuited')).toBeGreaterThan(1000);
    expect(num(s, 'orders', 'fallbacks')).toBeGreaterThan(1000);
    expect(num(s, 'orders', 'utilization')).toBeLessThan(num(cascade, 'orders', 'utilization') / 2);
    // The only 503s are in the first seconds, before 5 timeouts trip the breaker.
    const late503 = of(events, 'request.end', (e) => e.status === 503 && e.t > 24000);
    expect(late503).toEqual([]);
    // A half-open trial during the slowdown re-opens it; one after it closes it.
    expect(of(events, 'breaker.open').length).toBe(num(s, 'orders', 'breakerOpens'));
    expect(of(events, 'breaker.close', (e) => e.t > 40000).length).toBe(1);
  });

  it('without the breaker, the timeout alone does not save the pool at this rate', () => {
    const s = run(variant('timeout-breaker-fallback', (d) => (node(d, 'orders').calls[0].breaker = null))).summary;
    expect(s.requests.byStatus['503']).toBeGreaterThan(500);
  });
});

describe('flapping-breaker', () => {
  it('a threshold of 1 opens dozens of times and short-circuits far more calls than fail', () => {
    const { summary: s, events } = runPreset('flapping-breaker');
    const opens = num(s, 'shop', 'breakerOpens');
    expect(opens).toBeGreaterThanOrEqual(25);
    const halfOpens = of(events, 'breaker.halfOpen');
    const closes = of(events, 'breaker.close');
    // Every opening is followed, 1 s later, by a half-open trial; most trials succeed and close it.
    expect(halfOpens.length).toBeGreaterThanOrEqual(opens - 1);
    expect(closes.length).toBeGreaterThan(halfOpens.length / 2);
    // The dependency fails about 1 call in 5; the breaker throws away many more than that.
    expect(num(s, 'shop', 'shortCircuited')).toBeGreaterThan(10 * num(s, 'recs', 'failed'));
    expect(s.requests.failed).toBe(0);
  });

  it('with the usual threshold of 5 and a 15 s reset it stays (almost) closed', () => {
    const calm = run(
      variant('flapping-breaker', (d) => {
        const b = node(d, 'shop').calls[0].breaker;
        b.failureThreshold = 5;
        b.resetTimeoutMs = 15000;
      }),
    ).summary;
    const flapping = runPreset('flapping-breaker').summary;
    expect(num(calm, 'shop', 'breakerOpens')).toBeLessThanOrEqual(2);
    expect(num(calm, 'shop', 'shortCircuited')).toBeLessThan(num(flapping, 'shop', 'shortCircuited') / 5);
  });
});

describe('opossum-vs-resilience4j', () => {
  it('opossum defaults open within 10 s of the outage; resilience4j defaults never open and every call waits out its timeout', () => {
    const { summary: s, events } = runPreset('opossum-vs-resilience4j');
    const opens = of(events, 'breaker.open');
    expect(opens.map((e) => e.node)).toEqual(['billing-node']);
    expect(opens[0]!.t).toBeGreaterThan(20000);
    expect(opens[0]!.t).toBeLessThan(30000);
    expect(num(s, 'billing-node', 'shortCircuited')).toBeGreaterThanOrEqual(20);
    expect(num(s, 'billing-jvm', 'breakerOpens')).toBe(0);
    expect(num(s, 'billing-jvm', 'shortCircuited')).toBe(0);
    // Fewer than 100 calls in the whole run: resilience4j's minimumNumberOfCalls is never reached.
    expect(num(s, 'billing-jvm', 'attempts')).toBeLessThan(100);
    expect(num(s, 'billing-jvm', 'timeouts')).toBeGreaterThanOrEqual(30);
    expect(num(s, 'billing-jvm', 'timeouts')).toBeGreaterThan(5 * num(s, 'billing-node', 'timeouts'));
    // opossum half-opens after its 30 s reset; the ledger is back by then and the trial closes it.
    expect(of(events, 'breaker.close', (e) => e.node === 'billing-node').length).toBe(1);
  });

  it('resilience4j with minimumNumberOfCalls 5 and a window of 10 opens too', () => {
    const doc = variant('opossum-vs-resilience4j', (d) => {
      Object.assign(node(d, 'billing-jvm').calls[0].breaker, { minimumNumberOfCalls: 5, slidingWindowSize: 10 });
    });
    const s = run(doc).summary;
    expect(num(s, 'billing-jvm', 'breakerOpens')).toBeGreaterThanOrEqual(1);
    expect(num(s, 'billing-jvm', 'timeouts')).toBeLessThan(15);
  });
});

describe('retry-storm', () => {
  const amplification = (s: RunSummary) => num(s, 'db', 'received') / s.requests.sent;

  it('without jitter or budget, db receives more than 5 calls per user request (9 during the outage)', () => {
    const { summary: s, events } = runPreset('retry-storm');
    expect(amplification(s)).toBeGreaterThan(5);
    // During the outage alone: 3 client attempts × 3 api attempts.
    const duringSent = of(events, 'request.start', (e) => e.t >= 10000 && e.t < 48000).length;
    const duringDb = of(events, 'attempt.start', (e) => e.target === 'db' && e.t >= 10000 && e.t < 48000).length;
    expect(duringDb / duringSent).toBeGreaterThan(8.5);
    expect(num(s, 'users', 'retries')).toBeGreaterThan(0);
    expect(num(s, 'api', 'retries')).toBeGreaterThan(num(s, 'users', 'retries'));
  });

  it('with full jitter and a retry budget at both layers it stays under 1.3', () => {
    const retry = { maxAttempts: 3, baseDelayMs: 100, multiplier: 2, jitter: 'full', budget: { maxTokens: 10, tokenRatio: 0.1 } };
    const doc = variant('retry-storm', (d) => {
      node(d, 'users').retry = retry;
      node(d, 'api').calls[0].retry = retry;
    });
    const s = run(doc).summary;
    const storm = runPreset('retry-storm').summary;
    expect(s.requests.sent).toBe(storm.requests.sent);
    expect(amplification(s)).toBeLessThan(1.3);
  });
});

describe('thundering-herd', () => {
  /** The most attempts arriving at api in any 100 ms after it restarts (at 20 s). */
  const peak = (events: LoggedEvent[]) => {
    const buckets = new Map<number, number>();
    for (const e of of(events, 'attempt.start', (x) => x.target === 'api' && x.t >= 20000)) {
      const b = Math.floor(e.t / 100);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    return Math.max(...buckets.values());
  };

  it('without jitter the devices return in lockstep waves, and most give up', () => {
    const { summary: s, events } = runPreset('thundering-herd');
    expect(peak(events)).toBeGreaterThanOrEqual(250);
    // The two waves after the restart: all 300 at 27 s, the refused rest at 43 s.
    const wave = (t: number) => of(events, 'attempt.start', (e) => e.node === 'devices' && Math.abs(e.t - t) < 50).length;
    expect(wave(27000)).toBe(300);
    expect(wave(43000)).toBeGreaterThan(200);
    expect(num(s, 'devices', 'failed')).toBeGreaterThan(150);
    expect(num(s, 'api', 'queueMax')).toBe(40);
  });

  it('with full jitter the same retries spread out, and no device fails once api is back', () => {
    const { summary: s, events } = run(
      variant('thundering-herd', (d) => (node(d, 'devices').retry.jitter = 'full')),
      true,
    );
    const herd = runPreset('thundering-herd');
    expect(peak(events)).toBeLessThan(peak(herd.events) / 5);
    // Some devices draw short waits and spend their 6 attempts while api is still down; after
    // the restart, none fails.
    const devices = new Set(of(events, 'request.start', (e) => e.node === 'devices').map((e) => e.requestId));
    const failedAfter = of(events, 'request.end', (e) => devices.has(e.requestId) && e.status !== 200 && e.t >= 20000);
    expect(failedAfter).toEqual([]);
    expect(num(s, 'devices', 'failed')).toBeLessThan(num(herd.summary, 'devices', 'failed') / 5);
    expect(num(s, 'devices', 'ok')).toBeGreaterThan(2.5 * num(herd.summary, 'devices', 'ok'));
  });
});

describe('bulkhead', () => {
  it('with a bulkhead of 4 every page renders and pricing is called for every request', () => {
    const { summary: s } = runPreset('bulkhead');
    expect(s.requests.failed).toBe(0);
    expect(num(s, 'pricing', 'received')).toBe(s.requests.sent);
    expect(num(s, 'page', 'bulkheadRejected')).toBeGreaterThan(500);
    expect(num(s, 'page', 'fallbacks')).toBe(num(s, 'page', 'bulkheadRejected'));
  });

  it('without it, the slow dependency takes every worker: users get 503 and pricing stops being called', () => {
    const without = run(variant('bulkhead', (d) => (node(d, 'page').calls[1].bulkhead = null))).summary;
    const withIt = runPreset('bulkhead').summary;
    expect(without.requests.sent).toBe(withIt.requests.sent);
    expect(without.requests.byStatus['503']).toBeGreaterThan(500);
    expect(num(without, 'pricing', 'received')).toBeLessThan(0.75 * num(withIt, 'pricing', 'received'));
    expect(num(without, 'page', 'queueMax')).toBe(20);
  });
});

describe('rate-limit-per-client', () => {
  it('the scraper gets 429s and exactly 100 requests per window through; the partner none', () => {
    const { summary: s } = runPreset('rate-limit-per-client');
    expect(num(s, 'partner', 'failed')).toBe(0);
    expect(num(s, 'scraper', 'ok')).toBe(200);
    expect(s.requests.byStatus['429']).toBe(num(s, 'scraper', 'failed'));
    expect(num(s, 'edge', 'rateLimited')).toBe(s.requests.byStatus['429']);
    expect(num(s, 'catalog', 'received')).toBe(num(s, 'partner', 'ok') + 200);
  });

  it('keyed globally, the scraper spends the shared budget and the partner is refused too', () => {
    const s = run(variant('rate-limit-per-client', (d) => (node(d, 'edge').rateLimit.per = 'global'))).summary;
    expect(num(s, 'partner', 'failed')).toBeGreaterThan(num(s, 'partner', 'sent') / 2);
    expect(num(s, 'partner', 'ok') + num(s, 'scraper', 'ok')).toBe(200);
  });
});

describe('user-id-spoofing', () => {
  it('with auth required every forged X-User-Id is stripped, none passes, and the tokenless bot gets 401', () => {
    const { summary: s } = runPreset('user-id-spoofing');
    expect(num(s, 'edge', 'spoofAttempts')).toBe(num(s, 'mallory', 'sent'));
    expect(num(s, 'edge', 'spoofStripped')).toBe(num(s, 'edge', 'spoofAttempts'));
    expect(num(s, 'edge', 'spoofPassedThrough')).toBe(0);
    expect(s.requests.byStatus['401']).toBe(num(s, 'bot', 'sent'));
    expect(num(s, 'mallory', 'failed')).toBe(0);
  });

  it('without auth, every forged identity reaches the service', () => {
    const s = run(variant('user-id-spoofing', (d) => (node(d, 'edge').auth = { required: false }))).summary;
    expect(num(s, 'edge', 'spoofAttempts')).toBeGreaterThan(30);
    expect(num(s, 'edge', 'spoofPassedThrough')).toBe(num(s, 'edge', 'spoofAttempts'));
    expect(num(s, 'edge', 'spoofStripped')).toBe(0);
    expect(s.requests.byStatus['401'] ?? 0).toBe(0);
  });
});

describe('topic-vs-fanout', () => {
  const copies = (s: RunSummary) => Object.fromEntries(['email', 'shipping', 'analytics', 'refunds'].map((q) => [q, num(s, q, 'published')]));

  it('topic: email (order.*), shipping (order.placed) and analytics (#) get every order; refunds none', () => {
    const { summary: s } = runPreset('topic-vs-fanout');
    const n = num(s, 'events', 'received');
    expect(n).toBeGreaterThan(250);
    expect(copies(s)).toEqual({ email: n, shipping: n, analytics: n, refunds: 0 });
    expect(num(s, 'events', 'unroutable')).toBe(0);
  });

  it('fanout: every bound queue gets a copy, refunds included', () => {
    const s = run(variant('topic-vs-fanout', (d) => (node(d, 'events').type = 'fanout'))).summary;
    const n = num(s, 'events', 'received');
    expect(copies(s)).toEqual({ email: n, shipping: n, analytics: n, refunds: n });
  });
});

describe('slow-consumer-prefetch', () => {
  /** The most messages of `queue` delivered and not yet acked or nacked, at any moment. */
  const unackedMax = (events: LoggedEvent[], queue: string) => {
    let open = 0;
    let max = 0;
    for (const e of events) {
      if (e.node !== queue) continue;
      if (e.kind === 'message.deliver') max = Math.max(max, ++open);
      else if (e.kind === 'message.ack' || e.kind === 'message.nack') open--;
    }
    return max;
  };

  it('the queue grows all run while the consumer never holds more than its prefetch of 10', () => {
    const { summary: s, events } = runPreset('slow-consumer-prefetch');
    expect(num(s, 'shipping', 'depthEnd')).toBeGreaterThan(200);
    expect(num(s, 'shipping', 'depthMax')).toBeGreaterThanOrEqual(num(s, 'shipping', 'depthEnd'));
    expect(unackedMax(events, 'shipping')).toBe(10);
    expect(num(s, 'shipping', 'unackedEnd')).toBe(10);
    // The publishing side does not feel it.
    expect(s.requests.failed).toBe(0);
  });

  it('with two consumers the queue stays near empty', () => {
    const s = run(variant('slow-consumer-prefetch', (d) => (node(d, 'warehouse').consumes[0].consumers = 2))).summary;
    expect(num(s, 'shipping', 'depthMax')).toBeLessThan(30);
    expect(num(s, 'shipping', 'depthEnd')).toBeLessThan(10);
  });
});

describe('poison-message-dlq', () => {
  it('every rejected message is dead-lettered with reason rejected and waits in the DLQ', () => {
    const { summary: s, events } = runPreset('poison-message-dlq');
    const dead = num(s, 'invoices', 'deadLettered');
    expect(dead).toBeGreaterThan(10);
    expect(num(s, 'invoices-dlq', 'published')).toBe(dead);
    expect(num(s, 'invoices-dlq', 'depthEnd')).toBe(dead);
    const deadEvents = of(events, 'message.deadLetter', (e) => e.node === 'invoices');
    expect(deadEvents.length).toBe(dead);
    expect(new Set(deadEvents.map((e) => e.reason))).toEqual(new Set(['rejected']));
    // Each one was republished through the dead-letter exchange into the DLQ.
    expect(of(events, 'message.route', (e) => e.node === 'dlx' && e.queue === 'invoices-dlq').length).toBe(dead);
    // The main queue keeps flowing: nothing requeued, nothing lost, nothing waiting at the end.
    expect(num(s, 'invoices', 'redelivered')).toBe(0);
    expect(num(s, 'invoices', 'acked') + dead + num(s, 'invoices', 'unackedEnd') + num(s, 'invoices', 'depthEnd')).toBe(
      num(s, 'invoices', 'published'),
    );
    expect(num(s, 'invoices', 'depthEnd')).toBe(0);
  });

  it('a consumer that fails every message, requeueing, with a delivery limit of 3: 4 deliveries each, then the DLQ (delivery_limit)', () => {
    const doc = variant('poison-message-dlq', (d) => {
      Object.assign(node(d, 'invoicing').consumes[0], { errorRate: 1, onError: 'requeue' });
      Object.assign(node(d, 'invoices'), { queueType: 'quorum', deliveryLimit: 3 });
      d.durationMs = 20000;
    });
    const { summary: s, events } = run(doc, true);
    const dead = of(events, 'message.deadLetter', (e) => e.node === 'invoices');
    expect(dead.length).toBeGreaterThan(100);
    expect(new Set(dead.map((e) => e.reason))).toEqual(new Set(['delivery_limit']));
    const deliveries = new Map<unknown, number>();
    for (const e of of(events, 'message.deliver', (x) => x.node === 'invoices')) deliveries.set(e.messageId, (deliveries.get(e.messageId) ?? 0) + 1);
    for (const e of dead) expect(deliveries.get(e.messageId)).toBe(4);
    expect(num(s, 'invoices', 'acked')).toBe(0);
    expect(num(s, 'invoices-dlq', 'depthEnd')).toBe(dead.length);
  });
});

describe('duplicate-delivery', () => {
  it('both consumers get the resent events; only the non-idempotent one applies them twice', () => {
    const { summary: s, events } = runPreset('duplicate-delivery');
    const resends = num(s, 'checkout', 'publishResends');
    expect(resends).toBeGreaterThan(20);
    expect(of(events, 'message.publish', (e) => e.resend === true).length).toBe(resends);
    for (const q of ['payments-q', 'loyalty-q']) expect(num(s, q, 'duplicatesDelivered')).toBe(resends);
    expect(num(s, 'payments-q', 'duplicatesSkipped')).toBe(resends);
    expect(num(s, 'payments-q', 'duplicatesProcessed')).toBe(0);
    expect(num(s, 'loyalty-q', 'duplicatesProcessed')).toBe(resends);
    expect(num(s, 'loyalty-q', 'duplicatesSkipped')).toBe(0);
  });

  it('a duplicate fault on loyalty\'s queue makes duplicates without any resend', () => {
    const doc = variant('duplicate-delivery', (d) => {
      node(d, 'checkout').publishes[0].resendOnLostConfirm = 0;
      d.faults = [{ atMs: 10000, untilMs: 20000, target: 'loyalty-q', kind: 'duplicate', probability: 0.2 }];
    });
    const s = run(doc).summary;
    expect(num(s, 'checkout', 'publishResends')).toBe(0);
    expect(num(s, 'loyalty-q', 'duplicatesProcessed')).toBeGreaterThan(10);
    expect(num(s, 'payments-q', 'duplicatesDelivered')).toBe(0);
    expect(s.invariants.ok).toBe(true);
  });

  it('made idempotent, loyalty processes no duplicate', () => {
    const s = run(variant('duplicate-delivery', (d) => (node(d, 'loyalty').consumes[0].idempotent = true))).summary;
    expect(num(s, 'loyalty-q', 'duplicatesDelivered')).toBeGreaterThan(20);
    expect(num(s, 'loyalty-q', 'duplicatesProcessed')).toBe(0);
  });
});

describe('golden runs', () => {
  const GOLDEN = {
    'hello-faultline': { traceHash: '6b2f24f4b0dfc9fe', events: 7910, sent: 1130, ok: 1130 },
    'cascade-no-timeouts': { '503': 909, traceHash: 'b36ee575fb69fd6d', events: 12923, sent: 2361, ok: 1452 },
    'timeout-breaker-fallback': { traceHash: '60a39735ccc10c92', events: 12201, sent: 2361, ok: 2267, opens: 2, shortCircuited: 1328 },
    'flapping-breaker': { traceHash: 'fd2254e5738a66a5', events: 15245, sent: 2965, ok: 2965, opens: 36 },
    'retry-storm': { traceHash: 'c91e3dde4e64312a', events: 78834, sent: 3049, ok: 1108, dbReceived: 18899 },
    'thundering-herd': { traceHash: '85e2fe39a1a0d0a9', events: 9835, sent: 1467, ok: 1073, devicesFailed: 205 },
    'rate-limit-per-client': { '429': 1643, traceHash: '9c3abe513c6f984c', events: 7148, sent: 1960, ok: 317 },
    'poison-message-dlq': { traceHash: '1fb21e9d3f545498', events: 9817, sent: 1228, ok: 1227, dlq: 37 },
    'duplicate-delivery': { traceHash: '60e31eb7d3caf676', events: 13633, sent: 1187, ok: 1187, duplicates: 72 },
    'sync-vs-async': { traceHash: 'c50f5d88110ecfd1', events: 8779, sent: 1188, ok: 1006, syncFailed: 182, depthMax: 220 },
    'auto-ack-crash': { traceHash: 'bb007cde7ada7330', events: 22788, sent: 2394, ok: 2394, lost: 86 },
    'poison-quorum-vs-classic': { traceHash: '818efb4ac975123b', events: 27627, sent: 1196, ok: 1196, loops: 5581, dlq: 19 },
    'retry-ladder': { traceHash: 'b3391451e3a03af6', events: 11214, sent: 872, ok: 872, dlq: 5, work: 1153 },
    'crash-before-ack': { traceHash: 'acccb354f38c635e', events: 32516, sent: 2950, ok: 2949, duplicates: 9 },
    'lost-ack': { traceHash: 'a7c0310cb94a0392', events: 12132, sent: 1513, ok: 1513, acksLost: 12 },
    'dual-write-vs-outbox': { traceHash: '9cfe645afeaaaa4a', events: 14508, sent: 1825, ok: 1732, ghosts: 28, lost: 60 },
  };

  // Headline numbers pinned exactly: a change in the model's behaviour shows up here, in review.
  // Update on purpose (and say why in the commit) when a change is meant.
  it('pins the trace hash and headline counts of the presets', () => {
    const headline = (slug: string, keys: (s: RunSummary) => Record<string, number | string>) => {
      const s = runPreset(slug).summary;
      return { traceHash: s.traceHash, events: s.events, sent: s.requests.sent, ok: s.requests.ok, ...keys(s) };
    };
    const actual = {
      'hello-faultline': headline('hello-faultline', () => ({})),
      'cascade-no-timeouts': headline('cascade-no-timeouts', (s) => ({ '503': s.requests.byStatus['503']! })),
      'timeout-breaker-fallback': headline('timeout-breaker-fallback', (s) => ({ opens: num(s, 'orders', 'breakerOpens'), shortCircuited: num(s, 'orders', 'shortCircuited') })),
      'flapping-breaker': headline('flapping-breaker', (s) => ({ opens: num(s, 'shop', 'breakerOpens') })),
      'retry-storm': headline('retry-storm', (s) => ({ dbReceived: num(s, 'db', 'received') })),
      'thundering-herd': headline('thundering-herd', (s) => ({ devicesFailed: num(s, 'devices', 'failed') })),
      'rate-limit-per-client': headline('rate-limit-per-client', (s) => ({ '429': s.requests.byStatus['429']! })),
      'poison-message-dlq': headline('poison-message-dlq', (s) => ({ dlq: num(s, 'invoices-dlq', 'depthEnd') })),
      'duplicate-delivery': headline('duplicate-delivery', (s) => ({ duplicates: num(s, 'loyalty-q', 'duplicatesProcessed') })),
      'sync-vs-async': headline('sync-vs-async', (s) => ({ syncFailed: num(s, 'orders-sync', 'failed'), depthMax: num(s, 'notify-q', 'depthMax') })),
      'auto-ack-crash': headline('auto-ack-crash', (s) => ({ lost: num(s, 'emails', 'lost') })),
      'poison-quorum-vs-classic': headline('poison-quorum-vs-classic', (s) => ({ loops: num(s, 'audit-classic', 'redelivered'), dlq: num(s, 'audit-dlq', 'depthEnd') })),
      'retry-ladder': headline('retry-ladder', (s) => ({ dlq: num(s, 'payments-dlq', 'depthEnd'), work: s.messageWork!.started })),
      'crash-before-ack': headline('crash-before-ack', (s) => ({ duplicates: num(s, 'shipping-q', 'duplicatesProcessed') })),
      'lost-ack': headline('lost-ack', (s) => ({ acksLost: num(s, 'stock-q', 'acksLost') })),
      'dual-write-vs-outbox': headline('dual-write-vs-outbox', (s) => ({ ghosts: num(s, 'orders-first', 'ghostEvents'), lost: num(s, 'orders-dual', 'lostEvents') })),
    };
    expect(actual).toEqual(GOLDEN);
  });
});

