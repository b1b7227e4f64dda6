import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { LoggedEvent, RunSummary } from '../../src/run/types';
import { scenario } from '../helpers/scenarios';

function run(doc: Record<string, unknown>): { summary: RunSummary; events: LoggedEvent[] } {
  const r = createRun(scenario({ network: { latency: 0 }, ...doc }), { keepAllEvents: true });
  r.runToEnd();
  const summary = r.summary();
  expect(summary.invariants.violations).toEqual([]);
  return { summary, events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string) => events.filter((e) => e.kind === kind);
/** Latency of each request, by its start time. */
function latencies(events: LoggedEvent[]): Map<number, number> {
  const start = new Map<number, number>();
  const out = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'request.start') start.set(e.requestId as number, e.t);
    if (e.kind === 'request.end') out.set(start.get(e.requestId as number)!, e.t - start.get(e.requestId as number)!);
  }
  return out;
}

const steady = (extra: Record<string, unknown> = {}) => ({
  seed: 'faults',
  durationMs: 3_000,
  nodes: [
    { id: 'c', kind: 'client', target: 's', arrival: { type: 'constant', ratePerSec: 100 }, timeoutMs: 500, ...extra },
    { id: 's', kind: 'service', instances: 2, concurrency: 4, queueLimit: 10, serviceTime: 10 },
  ],
});

describe('faults on the timeline', () => {
  it('fault.start and fault.end are logged at atMs and untilMs', () => {
    const { events } = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 's', kind: 'slow', factor: 2 }] });
    expect(of(events, 'fault.start').map((e) => [e.t, e.node, e.fault])).toEqual([[1000, 's', 0]]);
    expect(of(events, 'fault.end').map((e) => e.t)).toEqual([2000]);
  });

  it('latency on a node adds exactly `add` (± jitter) while it lasts', () => {
    const { events } = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 's', kind: 'latency', add: 40 }] });
    const l = latencies(events);
    expect(l.get(500)).toBe(10);
    expect(l.get(1500)).toBe(50);
    expect(l.get(2500)).toBe(10);
    const jittered = latencies(run({ ...steady(), faults: [{ atMs: 0, target: 's', kind: 'latency', add: 40, jitterMs: 15 }] }).events);
    const values = [...jittered.values()];
    expect(Math.min(...values)).toBeGreaterThanOrEqual(35);
    expect(Math.max(...values)).toBeLessThanOrEqual(65);
    expect(new Set(values.map(Math.round)).size).toBeGreaterThan(20);
  });

  it('error on a node answers with its status at once, with its probability, using no worker', () => {
    const all = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 's', kind: 'error', status: 503 }] }).summary;
    expect(all.requests.byStatus['503']).toBe(100);
    expect(all.nodes.s).toMatchObject({ faultAborted: 100 });
    const half = run({ ...steady(), faults: [{ atMs: 0, target: 's', kind: 'error', status: 500, probability: 0.5 }] }).summary;
    expect(half.requests.byStatus['500']!).toBeGreaterThan(120);
    expect(half.requests.byStatus['500']!).toBeLessThan(180);
  });

  it('crash: connections refused at once, work in progress lost, recovery at untilMs', () => {
    const { summary, events } = run({ ...steady(), faults: [{ atMs: 1005, untilMs: 2000, target: 's', kind: 'crash' }] });
    // The request sent at 1000 is in service on the crashing instance: lost, its client times out.
    expect(of(events, 'instance.crash').map((e) => e.requestsLost)).toEqual([1, 0]);
    expect(summary.requests.byStatus.timeout).toBe(1);
    // Requests from 1010 to 1990 are refused.
    expect(summary.requests.byStatus.refused).toBe(99);
    expect(of(events, 'instance.restart').map((e) => e.t)).toEqual([2000, 2000]);
    expect(latencies(events).get(2000)).toBe(10);
  });

  it('crash of one instance of two: round-robin keeps sending to it, half are refused', () => {
    const { summary } = run({ ...steady(), faults: [{ atMs: 0, target: 's', kind: 'crash', instances: 1 }] });
    expect(summary.requests.byStatus.refused).toBe(151);
    expect(summary.requests.byStatus['200']).toBe(150);
  });

  it('hang: accepted and never answered while it lasts; only the timeout saves the caller; the pool fills', () => {
    const { summary, events } = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 's', kind: 'hang' }] });
    // 8 workers hang (sent 1000..1070), 20 wait in line (1080..1270), the rest get 503 — until
    // 2000 included: when the hang clears at 2000 the line is still full for that instant.
    expect(summary.requests.byStatus.timeout).toBe(28);
    expect(summary.requests.byStatus['503']).toBe(73);
    expect(summary.nodes.s!.queueMax).toBe(10);
    // After the hang, the parked requests finish (wasted: their callers are gone) and service is normal.
    expect(latencies(events).get(2500)).toBe(10);
    expect(summary.nodes.s!.wastedWorkMs).toBeGreaterThan(0);
  });

  it('slow multiplies service time', () => {
    const { events } = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 's', kind: 'slow', factor: 3 }] });
    expect(latencies(events).get(1500)).toBe(30);
    expect(latencies(events).get(500)).toBe(10);
  });

  it('partition: nothing crosses the link, either way; callers time out', () => {
    const { summary, events } = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 'c->s', kind: 'partition' }] });
    // The 100 requests sent from 1000 to 1990 are lost on the way; so is the answer to the one
    // sent at 990, which leaves the service at 1000. All 101 callers time out.
    expect(summary.requests.byStatus.timeout).toBe(101);
    // Arrivals: 0..990 and 2000..3000.
    expect(summary.nodes.s!.received).toBe(100 + 101);
    const drops = of(events, 'network.drop');
    expect(drops.filter((e) => e.to === 's')).toHaveLength(100);
    expect(drops.filter((e) => e.to === 'c').map((e) => [e.t, e.requestId])).toEqual([[1000, 100]]);
  });

  it('drop loses each hop with its probability', () => {
    const { summary } = run({ ...steady(), faults: [{ atMs: 0, target: 'c->s', kind: 'drop', probability: 0.3 }] });
    // A request is lost when its request or its answer is: 1 - 0.7² = 0.51.
    const lost = summary.requests.byStatus.timeout! / summary.requests.sent;
    expect(lost).toBeGreaterThan(0.43);
    expect(lost).toBeLessThan(0.59);
  });

  it('duplicate: the callee works twice, the caller hears one answer', () => {
    const { summary } = run({ ...steady(), faults: [{ atMs: 0, untilMs: 1000, target: 's', kind: 'duplicate' }] });
    // 301 requests (the one sent at 3000 still in flight); the 100 sent before 1000 arrive twice.
    expect(summary.nodes.s).toMatchObject({ received: 301 + 100, duplicatesReceived: 100 });
    expect(summary.requests.ok).toBe(300);
    expect(summary.nodes.c).toMatchObject({ attempts: 301 });
  });

  it('reorder: held-back hops are overtaken by later ones', () => {
    const { events } = run({
      seed: 'reorder',
      durationMs: 1_000,
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'constant', ratePerSec: 200 } },
        { id: 's', kind: 'service', concurrency: 100, serviceTime: 1 },
      ],
      faults: [{ atMs: 0, target: 'c->s', kind: 'reorder', probability: 0.3, delayMs: 20 }],
    });
    const ends = of(events, 'request.end').map((e) => e.requestId as number);
    let inversions = 0;
    for (let i = 1; i < ends.length; i++) if (ends[i]! < ends[i - 1]!) inversions++;
    expect(inversions).toBeGreaterThan(20);
  });

  it('latency on a link adds to both directions; an error on a link answers for the service', () => {
    const slow = run({ ...steady(), faults: [{ atMs: 0, target: 'c->s', kind: 'latency', add: 7 }] });
    expect(latencies(slow.events).get(1000)).toBe(24);
    const abort = run({ ...steady(), faults: [{ atMs: 1000, untilMs: 2000, target: 'c->s', kind: 'error', status: 503 }] });
    expect(abort.summary.requests.byStatus['503']).toBe(100);
    expect(abort.summary.nodes.s!.received).toBe(201);
    expect(of(abort.events, 'network.abort')).toHaveLength(100);
  });

  it('after the faults end, the system recovers: no errors in the last phase', () => {
    const { events } = run({
      ...steady({ retry: { maxAttempts: 3, baseDelayMs: 50 } }),
      durationMs: 6_000,
      faults: [
        { atMs: 500, untilMs: 2000, target: 's', kind: 'crash', instances: 1 },
        { atMs: 1000, untilMs: 2500, target: 'c->s', kind: 'drop', probability: 0.2 },
        { atMs: 1500, untilMs: 3000, target: 's', kind: 'hang', probability: 0.1 },
      ],
    });
    const lastPhase = of(events, 'request.end').filter((e) => e.t > 4000);
    expect(lastPhase.length).toBeGreaterThan(190);
    expect(lastPhase.every((e) => e.status === 200)).toBe(true);
  });

  it('a fault aimed at something that cannot fail that way is refused with a clear message', () => {
    expect(() => createRun(scenario({ ...steady(), faults: [{ atMs: 0, target: 'c->s', kind: 'crash' }] }))).toThrow(/needs a node target/);
  });
});

describe('faults on a gateway', () => {
  const edge = (faults: unknown[]) =>
    run({
      seed: 'gw-faults',
      durationMs: 3_000,
      nodes: [
        { id: 'c', kind: 'client', target: 'gw', arrival: { type: 'constant', ratePerSec: 100 }, timeoutMs: 500 },
        { id: 'gw', kind: 'gateway', routes: [{ prefix: '/', target: 's' }] },
        { id: 's', kind: 'service', concurrency: 10, serviceTime: 10 },
      ],
      faults,
    });

  it('crash: the gateway refuses every connection while it is down', () => {
    const { summary } = edge([{ atMs: 1000, untilMs: 2000, target: 'gw', kind: 'crash' }]);
    expect(summary.requests.byStatus.refused).toBe(100);
    expect(summary.nodes.gw).toMatchObject({ refused: 100 });
    expect(summary.nodes.s!.received).toBe(201);
  });

  it('latency delays the request at the gateway; error answers for it', () => {
    const slow = edge([{ atMs: 0, target: 'gw', kind: 'latency', add: 25 }]);
    expect(latencies(slow.events).get(1000)).toBe(35);
    const abort = edge([{ atMs: 0, untilMs: 1000, target: 'gw', kind: 'error', status: 502 }]);
    expect(abort.summary.requests.byStatus['502']).toBe(100);
    expect(abort.summary.nodes.gw).toMatchObject({ faultAborted: 100 });
  });
});
