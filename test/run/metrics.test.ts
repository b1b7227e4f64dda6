import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { effectiveInterval } from '../../src/run/metrics';
import { parseScenario } from '../../src/scenario/validate';
import { presetBySlug } from '../../src/scenario/presets';
import type { Scenario } from '../../src/scenario/schema';
import { scenario } from '../helpers/scenarios';

function mixed(durationMs = 20_000): Scenario {
  return scenario({
    seed: 'metrics-1',
    durationMs,
    network: { latency: { dist: 'uniform', minMs: 0.5, maxMs: 1.5 } },
    nodes: [
      { id: 'web', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 150 }, timeoutMs: 200 },
      {
        id: 'api',
        kind: 'service',
        concurrency: 4,
        queueLimit: 20,
        serviceTime: { dist: 'exponential', meanMs: 4 },
        calls: [{ target: 'db', timeoutMs: 50, retry: { maxAttempts: 3, baseDelayMs: 5, jitter: 'full' }, breaker: { model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 2000 } }],
      },
      { id: 'db', kind: 'service', concurrency: 8, serviceTime: { dist: 'lognormal', medianMs: 5, p99Ms: 80 }, errorRate: 0.05, errorStatus: 503 },
    ],
    faults: [{ atMs: 6000, untilMs: 11000, target: 'db', kind: 'error', status: 503, probability: 0.9 }],
  });
}

function preset(slug: string): Scenario {
  return parseScenario(presetBySlug(slug)!.document);
}

/** The exact order statistic the histogram approximates: smallest v with at least p% of values <= v. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

describe('metrics over simulated time', () => {
  it('leaves the trace hash and the summary unchanged (sampling schedules and logs nothing)', () => {
    for (const s of [mixed(), preset('poison-message-dlq'), preset('timeout-breaker-fallback')]) {
      const plain = createRun(s);
      plain.runToEnd();
      const sampled = createRun(s, { metrics: { intervalMs: 700 } });
      // In uneven slices too, the way the app drives it.
      for (let t = 333; !sampled.finished; t += 333) sampled.advanceTo(t, 5_000);
      expect(sampled.summary()).toEqual(plain.summary());
      expect(sampled.samples().length).toBeGreaterThan(10);
    }
  });

  it('samples every interval, boundary to boundary, the last one cut at the run end', () => {
    const run = createRun(mixed(10_500), { metrics: true });
    run.runToEnd();
    const samples = run.samples();
    expect(run.metricsIntervalMs).toBe(1000);
    expect(samples).toHaveLength(11);
    samples.forEach((s, i) => {
      expect(s.startMs).toBe(i * 1000);
      expect(s.endMs).toBe(Math.min(10_500, (i + 1) * 1000));
    });
    expect(run.samples(9)).toEqual(samples.slice(9));
  });

  it('sums over the intervals equal the summary: requests sent, ok, failed, and failures by reason', () => {
    const run = createRun(mixed(), { metrics: { intervalMs: 500 } });
    run.runToEnd();
    const s = run.summary();
    const samples = run.samples();
    const sum = (f: (x: (typeof samples)[number]) => number) => samples.reduce((a, x) => a + f(x), 0);
    expect(sum((x) => x.sent)).toBe(s.requests.sent);
    expect(sum((x) => x.ok)).toBe(s.requests.ok);
    expect(sum((x) => x.failed)).toBe(s.requests.failed);
    expect(s.requests.failed).toBeGreaterThan(50);
    const byReason: Record<string, number> = {};
    for (const x of samples) for (const [k, n] of Object.entries(x.failedBy)) byReason[k] = (byReason[k] ?? 0) + n;
    const { fallback: _fallback, ...failedReasons } = s.requests.byReason;
    void _fallback;
    expect(byReason).toEqual(failedReasons);
    expect(run.seriesTotals()).toMatchObject({ sent: s.requests.sent, ok: s.requests.ok, failed: s.requests.failed });
    // Per node and per call site too.
    const nodes = s.nodes;
    expect(sum((x) => x.nodes.db!.received)).toBe(nodes.db!.received);
    expect(sum((x) => x.attemptsTo.db ?? 0)).toBe(nodes.api!.attempts);
    expect(sum((x) => x.retries)).toBe((nodes.api!.retries as number) + (nodes.web!.retries as number));
  });

  it('latency percentiles of each interval match an exact sort of the same requests (within the histogram’s 0.2%)', () => {
    const run = createRun(mixed(), { metrics: true });
    const byInterval: number[][] = [];
    run.onRequestEnd((_c, _s, _r, latencyMs) => {
      const i = Math.max(0, Math.ceil(run.nowMs / 1000) - 1);
      (byInterval[i] ??= []).push(latencyMs);
    });
    run.runToEnd();
    const samples = run.samples();
    let checked = 0;
    samples.forEach((s, i) => {
      const values = (byInterval[i] ?? []).sort((a, b) => a - b);
      expect(s.ok + s.failed).toBe(values.length);
      if (values.length === 0) return;
      for (const [p, got] of [[50, s.latency.p50], [90, s.latency.p90], [99, s.latency.p99], [100, s.latency.max]] as const) {
        const exact = exactPercentile(values, p);
        expect(Math.abs(got - exact)).toBeLessThanOrEqual(exact * 0.002 + 0.001);
      }
      checked++;
    });
    expect(checked).toBeGreaterThan(15);
  });

  it('error rate and breaker state follow the fault: the breaker opens during it and is closed at the end', () => {
    const run = createRun(mixed(), { metrics: true });
    run.runToEnd();
    const samples = run.samples();
    const before = samples.slice(1, 6);
    const during = samples.slice(7, 11);
    expect(Math.max(...before.map((s) => s.errorRate))).toBeLessThan(0.1);
    expect(Math.min(...during.map((s) => s.errorRate))).toBeGreaterThan(0.2);
    expect(during.some((s) => s.breakers['api->db'] === 'OPEN' || s.breakers['api->db'] === 'HALF_OPEN')).toBe(true);
    expect(samples.at(-1)!.breakers['api->db']).toBe('CLOSED');
    expect(samples.reduce((a, s) => a + (s.breakerOpens['api->db'] ?? 0), 0)).toBe(run.summary().nodes.api!.breakerOpens);
  });

  it('retry-storm: db sees about nine attempts per user request during the outage, one before it', () => {
    const run = createRun(preset('retry-storm'), { metrics: true });
    run.runToEnd();
    const samples = run.samples();
    const dbRatio = (s: (typeof samples)[number]) => (s.attemptsTo.db ?? 0) / s.sent;
    expect(dbRatio(samples[5]!)).toBeCloseTo(1, 1);
    const outage = samples.slice(20, 45).map(dbRatio);
    expect(outage.reduce((a, b) => a + b, 0) / outage.length).toBeGreaterThan(7);
    expect(run.seriesTotals()!.peakAmplification).toBeGreaterThan(8);
    expect(run.seriesTotals()!.peakAmplification).toBeLessThan(10.5);
    expect(run.seriesTotals()!.amplifiedTarget).toBe('db');
  });

  it('queues: depth and unacked at each boundary, dead-lettered per interval summing to the total', () => {
    const run = createRun(preset('poison-message-dlq'), { metrics: true });
    run.runToEnd();
    const s = run.summary();
    const queues = Object.entries(s.nodes).filter(([, n]) => n.kind === 'queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [id, n] of queues) {
      const samples = run.samples();
      expect(samples.reduce((a, x) => a + x.queues[id]!.deadLettered, 0)).toBe(n.deadLettered);
      expect(samples.at(-1)!.queues[id]!.depth).toBe(n.depthEnd);
      expect(Math.max(...samples.map((x) => x.queues[id]!.depth))).toBeLessThanOrEqual(n.depthMax as number);
    }
  });

  it('stays bounded: the interval grows so a run never has more than maxSamples samples', () => {
    expect(effectiveInterval(600_000)).toBe(1000);
    expect(effectiveInterval(3_600_000)).toBe(2000);
    expect(effectiveInterval(3_600_000, { intervalMs: 1000, maxSamples: 100 })).toBe(36_000);
    const run = createRun(mixed(), { metrics: { intervalMs: 10, maxSamples: 50 } });
    run.runToEnd();
    expect(run.samples().length).toBeLessThanOrEqual(50);
    expect(run.metricsIntervalMs).toBe(400);
  });

  it('is off by default', () => {
    const run = createRun(mixed(2000));
    run.runToEnd();
    expect(run.samples()).toEqual([]);
    expect(run.seriesTotals()).toBeNull();
    expect(run.metricsIntervalMs).toBe(0);
  });
});
