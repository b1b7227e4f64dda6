/**
 * The presets of instances that come and go, and of sagas: each shows in its own run what its
 * story claims, and each "tryThis" that flips a setting is run too, so both sides of the lesson
 * are proven. (The library-wide checks — valid, short links, laid out, accounting balanced — are
 * in presets.test.ts, over every preset.) Golden numbers at the end.
 */
import { describe, expect, it } from 'vitest';
import { presetBySlug } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function doc(slug: string, edit: (d: Json) => void = () => {}): ScenarioInput {
  const p = presetBySlug(slug);
  if (!p) throw new Error(`no preset "${slug}"`);
  const d = structuredClone(p.document) as Json;
  edit(d);
  return d as ScenarioInput;
}

const node = (d: Json, id: string): Json => (d.nodes as Json[]).find((n) => n.id === id)!;

interface Result {
  summary: RunSummary;
  events: LoggedEvent[];
}

const cache = new Map<string, Result>();
function run(slug: string, edit?: (d: Json) => void): Result {
  const key = edit ? '' : slug;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const r = createRun(parseScenario(doc(slug, edit)), { keepAllEvents: true });
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
const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);
const failedAt = (events: LoggedEvent[], client: string) => events.filter((e) => e.kind === 'request.end' && e.node === client && e.reason !== 'ok').map((e) => e.t);

describe('stale-registry-cache', () => {
  it('the registry drops the crashed instance after two failed probes; checkout keeps sending to it until its copy expires', () => {
    const { summary, events } = run('stale-registry-cache');
    const dropped = of(events, 'instance.unready');
    expect(dropped.map((e) => [e.t, e.instance])).toEqual([[22000, 2]]);
    const failures = failedAt(events, 'users');
    // Failures go on well after the registry dropped it, and stop when the 30 s copy is fetched again.
    expect(failures.filter((t) => t > 26000).length).toBeGreaterThan(20);
    expect(Math.max(...failures)).toBeLessThan(31000);
    expect(Math.min(...failures)).toBeGreaterThanOrEqual(20000);
    expect(n(summary, 'payments', 'staleRouted')).toBeGreaterThan(50);
    // One call in three for about 10 s at 30 requests a second.
    expect(summary.requests.failed).toBeGreaterThan(80);
    expect(summary.requests.failed).toBeLessThan(130);
  });

  it('evicting on a refused connection: one failure, then the copy no longer lists it', () => {
    const { summary } = run('stale-registry-cache', (d) => (node(d, 'payments').discovery.evictOnRefused = true));
    expect(summary.requests.failed).toBe(1);
    expect(n(summary, 'payments', 'cacheEvictions')).toBe(1);
  });

  it('a 5 s cache shortens the stale window', () => {
    const { events } = run('stale-registry-cache', (d) => (node(d, 'payments').discovery.cacheTtlMs = 5000));
    // Fetched at about 0, 5, ... 25 s: the last stale call leaves just after 25 s.
    expect(Math.max(...failedAt(events, 'users'))).toBeLessThan(26000);
  });

  it('without health checks nothing notices the crash: the 502s go on to the end', () => {
    const { summary, events } = run('stale-registry-cache', (d) => (node(d, 'payments').healthCheck = null));
    expect(Math.max(...failedAt(events, 'users'))).toBeGreaterThan(59000);
    expect(summary.requests.failed).toBeGreaterThan(3 * run('stale-registry-cache').summary.requests.failed);
  });
});

describe('one-slow-instance', () => {
  it('the slow instance passes its health checks, and outlier detection ejects it: 30 s, then 60 s', () => {
    const { summary, events } = run('one-slow-instance');
    expect(of(events, 'instance.unready')).toEqual([]);
    const ejected = of(events, 'instance.ejected').map((e) => [e.instance, e.ejectionMs]);
    expect(ejected).toEqual([
      [1, 30000],
      [1, 60000],
    ]);
    expect(summary.requests.failed).toBeLessThanOrEqual(2);
    expect(summary.latencyMs.p99).toBeLessThan(200);
  });

  it('without outlier detection one call in three times out and is retried: p90 past a second, hundreds of 504s', () => {
    const { summary } = run('one-slow-instance', (d) => (node(d, 'search').outlierDetection = null));
    expect(summary.latencyMs.p90).toBeGreaterThan(1000);
    expect(summary.requests.byStatus['504']).toBeGreaterThan(200);
    expect(n(summary, 'api', 'timeouts')).toBeGreaterThan(1000);
  });

  it('a second slow instance: 10% ejects only one of them; 50% ejects both', () => {
    const second = (d: Json) => d.faults.push({ atMs: 10000, target: 'search', kind: 'latency', add: 5000, instance: 0 });
    const ten = run('one-slow-instance', second);
    const tenEjected = of(ten.events, 'instance.ejected').filter((e) => e.t < 40000);
    expect(tenEjected).toHaveLength(1);
    const fifty = run('one-slow-instance', (d) => {
      second(d);
      node(d, 'search').outlierDetection.maxEjectionPercent = 50;
    });
    expect(new Set(of(fifty.events, 'instance.ejected').filter((e) => e.t < 40000).map((e) => e.instance))).toEqual(new Set([0, 1]));
    expect(fifty.summary.requests.failed).toBeLessThan(ten.summary.requests.failed / 10);
  });
});

describe('rolling-deploy', () => {
  it('one instance at a time; killed at once, each loses its work and stale callers are refused', () => {
    const { summary, events } = run('rolling-deploy');
    expect(of(events, 'instance.stop').map((e) => e.instance)).toEqual([0, 1, 2, 3]);
    // The next goes down only when the one before is ready again.
    const ready = of(events, 'instance.ready').map((e) => e.t);
    const stops = of(events, 'instance.deregister').map((e) => e.t);
    for (let i = 1; i < 4; i++) expect(stops[i]).toBe(ready[i - 1]);
    expect(n(summary, 'orders', 'lostInShutdown')).toBeGreaterThan(0);
    expect(summary.requests.byStatus.timeout).toBe(n(summary, 'orders', 'lostInShutdown'));
    expect(summary.requests.byStatus['503']).toBeGreaterThan(50);
  });

  it('graceful, draining past the callers\' cache: nothing fails during the whole deploy', () => {
    const { summary } = run('rolling-deploy', (d) => Object.assign(d.faults[0], { graceful: true, drainMs: 10000 }));
    expect(summary.requests.failed).toBe(0);
    expect(n(summary, 'orders', 'lostInShutdown')).toBe(0);
  });

  it('graceful without a drain window: no work lost, but the stale copy is refused', () => {
    const { summary } = run('rolling-deploy', (d) => Object.assign(d.faults[0], { graceful: true, drainMs: 0 }));
    expect(n(summary, 'orders', 'lostInShutdown')).toBe(0);
    expect(summary.requests.byStatus.timeout ?? 0).toBe(0);
    expect(summary.requests.byStatus['503']).toBeGreaterThan(50);
  });

  it('healthyThreshold 1: the deploy finishes sooner', () => {
    const last = (r: Result) => of(r.events, 'instance.ready').at(-1)!.t;
    expect(last(run('rolling-deploy', (d) => (node(d, 'orders').healthCheck.healthyThreshold = 1)))).toBeLessThan(last(run('rolling-deploy')));
  });
});

describe('saga-compensation', () => {
  it('declined cards: each such saga releases the stock, then cancels the order — in reverse — and the caller hears 409', () => {
    const { summary, events } = run('saga-compensation');
    const g = summary.sagas!;
    expect(g.compensated).toBeGreaterThan(60);
    expect(g.stuck).toBe(0);
    expect(g.completed + g.compensated + g.stuck + g.running).toBe(g.started);
    expect(summary.requests.byStatus['409']).toBe(g.compensated);
    // Every compensated saga: step 3 failed, then undo 2, then undo 1.
    const bySaga = new Map<number, string[]>();
    for (const e of events) {
      if (!e.kind.startsWith('saga.') || typeof e.requestId !== 'number') continue;
      const list = bySaga.get(e.requestId) ?? [];
      if (e.kind === 'saga.stepEnd' && e.ok === false) list.push(`failed ${Number(e.step) + 1}`);
      if (e.kind === 'saga.compensate') list.push(`undo ${Number(e.step) + 1}`);
      if (e.kind === 'saga.compensated') list.push('compensated');
      bySaga.set(e.requestId, list);
    }
    const compensated = [...bySaga.values()].filter((l) => l.at(-1) === 'compensated');
    expect(compensated).toHaveLength(g.compensated);
    for (const l of compensated) expect(l).toEqual(['failed 3', 'undo 2', 'undo 1', 'compensated']);
    // Only during the declines.
    expect(Math.min(...of(events, 'saga.compensated').map((e) => e.t))).toBeGreaterThanOrEqual(20000);
  });

  it('a crash of the orchestrator: with the saga log the sagas resume; without it they are stuck', () => {
    const crash = (persist: boolean) => (d: Json) => {
      d.faults.push({ atMs: 30000, untilMs: 35000, target: 'checkout', kind: 'crash' });
      node(d, 'checkout').persistState = persist;
    };
    const kept = run('saga-compensation', crash(true)).summary;
    expect(n(kept, 'checkout', 'resumed')).toBeGreaterThan(5);
    expect(kept.sagas!.stuck).toBe(0);
    expect(kept.requests.byStatus.timeout).toBe(n(kept, 'checkout', 'lostInCrash'));
    const lost = run('saga-compensation', crash(false)).summary;
    expect(lost.sagas!.stuck).toBe(n(lost, 'checkout', 'lostInCrash'));
    expect(lost.sagas!.stuck).toBeGreaterThan(5);
  });

  it('without the compensation of "reserve stock" only the order is cancelled', () => {
    const base = run('saga-compensation').summary;
    const s = run('saga-compensation', (d) => (node(d, 'checkout').steps[1].compensation = null)).summary;
    expect(n(s, 'checkout', 'compensationsRun')).toBe(s.sagas!.compensated);
    expect(n(base, 'checkout', 'compensationsRun')).toBe(2 * base.sagas!.compensated);
  });

  it('every card declined: every saga from 20 s to 40 s is compensated', () => {
    const { summary, events } = run('saga-compensation', (d) => (d.faults[0].probability = 1));
    const completedInWindow = of(events, 'saga.completed').filter((e) => e.t > 22000 && e.t < 40000);
    expect(completedInWindow).toEqual([]);
    expect(summary.sagas!.compensated).toBeGreaterThan(350);
  });
});

describe('golden runs (instances and sagas)', () => {
  const GOLDEN = {
    'stale-registry-cache': { traceHash: '72d340c9574aab1a', events: 12555, failed: 104 },
    'one-slow-instance': { traceHash: '803ad96dce81b756', events: 25757, failed: 1 },
    'rolling-deploy': { traceHash: '851966993b9204fd', events: 13898, failed: 174 },
    'saga-compensation': { traceHash: '87e9bde790392939', events: 22021, failed: 102 },
  };
  it('pins the trace hash and headline counts', () => {
    const actual = Object.fromEntries(
      Object.keys(GOLDEN).map((slug) => {
        const s = run(slug).summary;
        return [slug, { traceHash: s.traceHash, events: s.events, failed: s.requests.failed }];
      }),
    );
    expect(actual).toEqual(GOLDEN);
  });
});
