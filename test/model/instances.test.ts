/**
 * Instances that come and go (src/model/instances.ts, balancer.ts, service.ts): per-instance
 * faults, readiness and liveness probes, the registry, callers' cached copies of it, Envoy's
 * outlier ejection, rolling restarts with and without graceful shutdown, and the three new
 * balancers. Each rule's source is named in its test.
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';
import { Balancer } from '../../src/model/balancer';
import { scenario } from '../helpers/scenarios';
import { validateScenario } from '../../src/scenario/validate';

interface Out {
  summary: RunSummary;
  events: LoggedEvent[];
}

function run(doc: Record<string, unknown>): Out {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants).toEqual({ ok: true, violations: [] });
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);
const byInstance = (s: RunSummary, id: string) => String(s.nodes[id]!.receivedByInstance).split('/').map(Number);

/** One client at a constant rate into `api` with three instances. */
function three(api: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seed: 'instances',
    durationMs: 30000,
    network: { latency: 0 },
    nodes: [
      { id: 'users', kind: 'client', target: 'api', arrival: { type: 'constant', ratePerSec: 100 }, timeoutMs: 2000 },
      { id: 'api', kind: 'service', instances: 3, concurrency: 50, serviceTime: 10, ...api },
    ],
    ...extra,
  };
}

describe('per-instance faults', () => {
  it('a latency fault with "instance": 1 delays only the requests round-robin sends to instance 1 (one in three)', () => {
    const { summary } = run(three({}, { faults: [{ atMs: 0, target: 'api', kind: 'latency', add: 500, instance: 1 }] }));
    const lat = summary.latencyMs;
    expect(lat.p50).toBeCloseTo(10, 1);
    expect(lat.max).toBeCloseTo(510, 1);
    // p90 is slow: a third of the requests waited 500 ms more.
    expect(lat.p90).toBeGreaterThan(500);
    // Sends at 0, 10, ... 30000 ms: 3001 requests, round-robin from instance 0.
    expect(byInstance(summary, 'api')).toEqual([1001, 1000, 1000]);
  });

  it('a crash with "instance": 1 refuses only that instance\'s share; the others answer', () => {
    const { summary, events } = run(three({}, { faults: [{ atMs: 10000, untilMs: 20000, target: 'api', kind: 'crash', instance: 1 }] }));
    expect(of(events, 'instance.crash').map((e) => e.instance)).toEqual([1]);
    // Round-robin keeps sending one request in three to the dead instance: 10 s × 100/s ÷ 3.
    expect(summary.requests.byStatus.refused).toBeGreaterThanOrEqual(333);
    expect(summary.requests.byStatus.refused).toBeLessThanOrEqual(334);
  });

  it('a slow fault on one instance stretches only its work', () => {
    const { summary } = run(three({}, { faults: [{ atMs: 0, target: 'api', kind: 'slow', factor: 20, instance: 2 }] }));
    expect(summary.latencyMs.p50).toBeCloseTo(10, 1);
    expect(summary.latencyMs.max).toBeCloseTo(200, 1);
  });

  it('validation: "instance" must name an existing instance of a service', () => {
    const bad = validateScenario({ format: 'faultline/1', name: 't', ...three({}, { faults: [{ atMs: 0, target: 'api', kind: 'slow', instance: 3 }] }) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems).toContainEqual({ path: 'faults[0].instance', message: '"api" has 3 instances (0 to 2) — got 3' });
    const onClient = validateScenario({ format: 'faultline/1', name: 't', ...three({}, { faults: [{ atMs: 0, target: 'users', kind: 'latency', add: 5, instance: 0 }] }) });
    expect(onClient.ok).toBe(false);
  });
});

describe('readiness probes and the registry', () => {
  // Kubernetes "Configure Liveness, Readiness and Startup Probes": after failureThreshold
  // consecutive failures the pod is marked not ready and removed from the Service's endpoints;
  // successThreshold consecutive successes mark it ready again. (Envoy's active health checks use
  // the names unhealthy_threshold and healthy_threshold for the same counts.)
  const hc = { intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 3, healthyThreshold: 2 };
  const crash = { faults: [{ atMs: 10000, untilMs: 20000, target: 'api', kind: 'crash', instance: 1 }] };

  it('three failed probes in a row take a crashed instance out; two passing ones after its restart put it back', () => {
    const { events } = run(three({ healthCheck: hc }, crash));
    // Probes at 10 s, 11 s and 12 s fail (the crash at 10 s comes first: faults are in force before anything else at that time).
    expect(of(events, 'instance.unready').map((e) => [e.t, e.instance, e.failures])).toEqual([[12000, 1, 3]]);
    expect(of(events, 'instance.ready').map((e) => [e.t, e.instance])).toEqual([[21000, 1]]);
  });

  it('round-robin stops sending to it once the registry drops it: refusals only until the third failed probe', () => {
    const { summary, events } = run(three({ healthCheck: hc }, crash));
    const refusedAt = events.filter((e) => e.kind === 'request.end' && e.reason === 'refused').map((e) => e.t);
    expect(refusedAt.length).toBeGreaterThan(0);
    expect(Math.max(...refusedAt)).toBeLessThanOrEqual(12000);
    expect(summary.nodes.api!.unready).toBe(1);
    // Without health checks the crashed instance stays listed and is refused for the whole crash.
    const blind = run(three({}, crash)).summary;
    expect(blind.requests.byStatus.refused).toBeGreaterThan(3 * summary.requests.byStatus.refused!);
  });

  it('a slow instance passes its probes: the registry keeps it (the probe asks the process, not its work)', () => {
    const { events } = run(three({ healthCheck: hc }, { faults: [{ atMs: 0, target: 'api', kind: 'slow', factor: 100, instance: 1 }] }));
    expect(of(events, 'instance.unready')).toEqual([]);
  });

  it('a hung instance fails its probes by timing out: removed after timeoutMs on the third', () => {
    const { events } = run(three({ healthCheck: hc }, { faults: [{ atMs: 5000, target: 'api', kind: 'hang', instance: 0 }] }));
    expect(of(events, 'instance.unready').map((e) => [e.t, e.instance])).toEqual([[7500, 0]]);
  });

  it('with no instance ready the request is refused at once (a Service without endpoints)', () => {
    const { summary } = run(three({ healthCheck: hc }, { faults: [{ atMs: 10000, target: 'api', kind: 'crash' }] }));
    expect(summary.nodes.api!.noInstance).toBeGreaterThan(1500);
  });
});

describe("callers' cached copies of the registry", () => {
  // The course notes on client-side discovery: "clients will still route to it until their cache
  // expires", and "if the client gets a connection refused, remove that instance from the local
  // cache immediately".
  const hc = { intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 1, healthyThreshold: 1 };
  const crash = { faults: [{ atMs: 10000, target: 'api', kind: 'crash', instance: 1 }] };

  it('a stale copy keeps sending to the dead instance until it expires, long after the registry dropped it', () => {
    const { summary, events } = run(three({ healthCheck: hc, discovery: { cacheTtlMs: 8000, evictOnRefused: false } }, crash));
    const removed = of(events, 'instance.unready')[0]!.t;
    expect(removed).toBe(10000);
    const refusedAt = events.filter((e) => e.kind === 'request.end' && e.reason === 'refused').map((e) => e.t);
    // The client fetched its copy at 0 and 8 s: it refreshes at its first call at or after 16 s.
    expect(Math.max(...refusedAt)).toBeGreaterThan(removed + 5000);
    expect(Math.max(...refusedAt)).toBeLessThan(16000);
    expect(summary.nodes.api!.staleRouted).toBe(summary.requests.byStatus.refused);
  });

  it('evicting on a refused connection stops it after one refusal', () => {
    const { summary, events } = run(three({ healthCheck: hc, discovery: { cacheTtlMs: 8000, evictOnRefused: true } }, crash));
    expect(summary.requests.byStatus.refused).toBe(1);
    expect(of(events, 'cache.evict').map((e) => [e.t, e.instance, e.caller])).toEqual([[10000, 1, 'users']]);
  });
});

describe('outlier detection (Envoy)', () => {
  // envoyproxy.io, architecture overview "Outlier detection" and the OutlierDetection proto:
  // consecutive_5xx (default 5); "If no hosts have been ejected, Envoy will eject the host
  // immediately. Otherwise ... the number of ejected hosts is below the allowed threshold
  // (max_ejection_percent)"; the ejection lasts base_ejection_time "multiplied by the number of
  // times the host has been ejected"; hosts return to service at the interval sweeps.
  const od = { consecutive5xx: 5, intervalMs: 10000, baseEjectionTimeMs: 30000, maxEjectionPercent: 10 };

  it('five 5xx in a row eject the instance; each ejection lasts longer; it returns at the first sweep after that', () => {
    const { events } = run({
      ...three({ outlierDetection: od }, { faults: [{ atMs: 0, target: 'api', kind: 'error', status: 503, instance: 1 }] }),
      durationMs: 200000,
      nodes: [
        { id: 'users', kind: 'client', target: 'api', arrival: { type: 'constant', ratePerSec: 10 } },
        { id: 'api', kind: 'service', instances: 3, serviceTime: 10, outlierDetection: od },
      ],
    });
    const ejected = of(events, 'instance.ejected').map((e) => [e.instance, e.ejectionMs, e.times]);
    expect(ejected.slice(0, 3)).toEqual([
      [1, 30000, 1],
      [1, 60000, 2],
      [1, 90000, 3],
    ]);
    const first = of(events, 'instance.ejected')[0]!.t;
    const back = of(events, 'instance.returned')[0]!.t;
    expect(back).toBe(Math.ceil((first + 30000) / 10000) * 10000);
  });

  it('max ejection percent: with 10% a second bad instance of three is not ejected; with 50% it is', () => {
    const faults = [
      { atMs: 0, target: 'api', kind: 'error', status: 500, instance: 0 },
      { atMs: 0, target: 'api', kind: 'error', status: 500, instance: 2 },
    ];
    const ten = run(three({ outlierDetection: od }, { faults }));
    expect(new Set(of(ten.events, 'instance.ejected').filter((e) => e.t < 30000).map((e) => e.instance)).size).toBe(1);
    const fifty = run(three({ outlierDetection: { ...od, maxEjectionPercent: 50 } }, { faults }));
    expect(new Set(of(fifty.events, 'instance.ejected').filter((e) => e.t < 30000).map((e) => e.instance))).toEqual(new Set([0, 2]));
  });

  it('a call that timed out counts as a 5xx of the instance that took it: a hung instance is ejected', () => {
    const { summary, events } = run(three({ outlierDetection: od }, { faults: [{ atMs: 0, target: 'api', kind: 'hang', instance: 1 }] }));
    const e = of(events, 'instance.ejected')[0]!;
    expect(e.instance).toBe(1);
    // The fifth request sent to instance 1 (at 40 ms + 4 × 30 ms) times out 2 s later.
    expect(e.t).toBe(130 + 2000);
    expect(summary.nodes.api!.ejections).toBeGreaterThanOrEqual(1);
  });

  it('a success resets the count: errors that never come five in a row never eject', () => {
    const { events } = run(three({ outlierDetection: od, errorRate: 0.3 }));
    // With 30% errors, five in a row on one instance happen; at 0 errors none do.
    const clean = run(three({ outlierDetection: od }));
    expect(of(clean.events, 'instance.ejected')).toEqual([]);
    expect(of(events, 'instance.ejected').length).toBeGreaterThan(0);
  });
});

describe('liveness probes', () => {
  // Kubernetes: after failureThreshold failed liveness probes the kubelet restarts the container.
  it('a hung instance is killed and restarted; the restart clears its hang', () => {
    const { summary, events } = run(
      three(
        { livenessProbe: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3, restartMs: 2000 } },
        { faults: [{ atMs: 5000, target: 'api', kind: 'hang', instance: 0 }] },
      ),
    );
    const killed = of(events, 'instance.killed');
    expect(killed.map((e) => [e.t, e.instance])).toEqual([[7500, 0]]);
    expect(killed[0]!.requestsLost).toBeGreaterThan(0);
    expect(of(events, 'instance.start').map((e) => [e.t, e.instance])).toEqual([[9500, 0]]);
    expect(summary.nodes.api!.livenessRestarts).toBe(1);
    // After the restart instance 0 answers again: the timeouts stop.
    const timeouts = events.filter((e) => e.kind === 'request.end' && e.reason === 'timeout').map((e) => e.t);
    expect(Math.max(...timeouts)).toBeLessThan(9500 + 2000);
  });
});

describe('rolling restart', () => {
  const hc = { intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 3, healthyThreshold: 1 };
  const doc = (graceful: boolean, drainMs = 0) =>
    three(
      { healthCheck: hc, discovery: { cacheTtlMs: 3000, evictOnRefused: false }, serviceTime: 200 },
      { faults: [{ atMs: 5000, target: 'api', kind: 'rolling-restart', restartMs: 2000, graceful, drainMs }] },
    );

  it('restarts the instances one at a time, each once the one before is ready again', () => {
    const { events } = run(doc(true, 4000));
    const stops = of(events, 'instance.deregister').map((e) => [e.t, e.instance]);
    const ready = of(events, 'instance.ready').map((e) => [e.t, e.instance]);
    expect(stops.map((s) => s[1])).toEqual([0, 1, 2]);
    expect(ready.map((r) => r[1])).toEqual([0, 1, 2]);
    for (let i = 1; i < 3; i++) expect(stops[i]![0]).toBe(ready[i - 1]![0]);
  });

  it('graceful (deregister, keep accepting past the callers\' cache, drain): nothing lost, nothing refused', () => {
    const { summary } = run(doc(true, 4000));
    expect(summary.nodes.api!.lostInShutdown).toBe(0);
    expect(summary.requests.byStatus.refused ?? 0).toBe(0);
    expect(summary.requests.failed).toBe(0);
  });

  it('killed at once: the work in hand is lost (its callers time out) and stale callers are refused', () => {
    const { summary } = run(doc(false));
    expect(summary.nodes.api!.lostInShutdown).toBeGreaterThan(0);
    expect(summary.requests.byStatus.refused).toBeGreaterThan(0);
    expect(summary.requests.byStatus.timeout).toBe(summary.nodes.api!.lostInShutdown);
  });
});

describe('balancers', () => {
  const inst = (index: number) => ({ index, up: true, busy: 0, queue: { size: 0 } });
  const req = { id: 1, client: 0, user: 0 };

  it('weighted-round-robin is nginx\'s smooth weighted round-robin: weights 5, 1, 1 give a a b a c a a', () => {
    // ngx_http_upstream_round_robin.c, ngx_http_upstream_get_peer: the example in its commit message.
    const b = new Balancer({ loadBalancer: 'weighted-round-robin', weights: [5, 1, 1], hashKey: 'user', ewmaAlpha: 0.3, instances: 3 }, () => 0);
    const all = [inst(0), inst(1), inst(2)];
    const seq = Array.from({ length: 14 }, () => 'abc'[b.pick(all, req).index]).join('');
    expect(seq).toBe('aabacaa' + 'aabacaa');
  });

  it('consistent-hash: a key keeps its instance; removing an instance moves only the keys it held', () => {
    const b = new Balancer({ loadBalancer: 'consistent-hash', weights: null, hashKey: 'user', ewmaAlpha: 0.3, instances: 4 }, () => 0);
    const all = [inst(0), inst(1), inst(2), inst(3)];
    const users = Array.from({ length: 400 }, (_, u) => ({ id: u + 1000, client: 0, user: u }));
    const before = users.map((u) => b.pick(all, u).index);
    expect(users.map((u) => b.pick(all, u).index)).toEqual(before);
    for (let i = 0; i < 4; i++) expect(before.filter((x) => x === i).length).toBeGreaterThan(50);
    const without2 = all.filter((x) => x.index !== 2);
    const after = users.map((u) => b.pick(without2, u).index);
    for (let k = 0; k < users.length; k++) if (before[k] !== 2) expect(after[k]).toBe(before[k]);
  });

  it('consistent-hash on users in a run: every user of a closed-loop client always lands on the same instance (sticky)', () => {
    const r = createRun(
      scenario({
        seed: 'sticky',
        durationMs: 20000,
        nodes: [
          { id: 'users', kind: 'client', target: 'api', arrival: { type: 'closed', users: 30, thinkTime: 100 } },
          { id: 'api', kind: 'service', instances: 3, loadBalancer: 'consistent-hash', serviceTime: 5 },
        ],
      }),
    );
    r.runToEnd();
    const s = r.summary();
    expect(s.invariants.ok).toBe(true);
    const counts = byInstance(s, 'api');
    expect(counts.reduce((a, b) => a + b, 0)).toBe(s.nodes.api!.received);
  });

  it('least-latency sends less to a slow instance than round-robin does', () => {
    const slow = { faults: [{ atMs: 0, target: 'api', kind: 'slow', factor: 10, instance: 0 }] };
    const rr = run(three({}, slow)).summary;
    const ll = run(three({ loadBalancer: 'least-latency' }, slow)).summary;
    expect(byInstance(rr, 'api')[0]).toBe(1001);
    expect(byInstance(ll, 'api')[0]).toBeLessThan(300);
    expect(ll.latencyMs.p99).toBeLessThan(rr.latencyMs.p99);
  });
});
