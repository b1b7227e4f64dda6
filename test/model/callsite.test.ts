import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { LoggedEvent } from '../../src/run/types';
import { scenario } from '../helpers/scenarios';

function run(doc: Record<string, unknown>) {
  const r = createRun(scenario(doc), { keepAllEvents: true });
  r.runToEnd();
  return { summary: r.summary(), events: r.eventLog() };
}

const of = (events: LoggedEvent[], kind: string, node?: string) => events.filter((e) => e.kind === kind && (node === undefined || e.node === node));

describe('retry', () => {
  it('maxAttempts counts the first try; "none" waits exactly baseDelay × multiplier^(n-1)', () => {
    const { summary, events } = run({
      seed: 1,
      durationMs: 10_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'script', atMs: [0] }, retry: { maxAttempts: 4, baseDelayMs: 100, multiplier: 3, jitter: 'none' } },
        { id: 's', kind: 'service', serviceTime: 0, errorRate: 1, errorStatus: 503 },
      ],
    });
    expect(of(events, 'retry.scheduled').map((e) => e.delayMs)).toEqual([100, 300, 900]);
    expect(of(events, 'attempt.start').map((e) => e.t)).toEqual([0, 100, 400, 1300]);
    expect(summary.nodes.c).toMatchObject({ attempts: 4, retries: 3 });
    expect(summary.requests.byStatus).toEqual({ '503': 1 });
  });

  it('statuses outside retryOn are not retried', () => {
    const { summary } = run({
      seed: 2,
      durationMs: 1_000,
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'script', atMs: [0, 10] }, retry: { maxAttempts: 5, retryOn: [503] } },
        { id: 's', kind: 'service', serviceTime: 0, errorRate: 1, errorStatus: 500 },
      ],
    });
    expect(summary.nodes.c).toMatchObject({ attempts: 2, retries: 0 });
  });

  it('a retried timeout: each attempt has its own timeout (default order)', () => {
    const { summary, events } = run({
      seed: 3,
      durationMs: 5_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'script', atMs: [0] }, timeoutMs: 50, retry: { maxAttempts: 3, baseDelayMs: 10, jitter: 'none' } },
        { id: 's', kind: 'service', serviceTime: 80 },
      ],
    });
    // Attempts at 0, 60 (50 + 10), 130 (110 + 20); the last times out at 180.
    expect(of(events, 'attempt.start').map((e) => e.t)).toEqual([0, 60, 130]);
    expect(of(events, 'timeout')).toHaveLength(3);
    expect(summary.latencyMs.max).toBe(180);
    // Every answer came after its caller gave up: 3 × 80 ms of wasted work.
    expect(summary.nodes.s).toMatchObject({ wastedWorkMs: 240 });
  });

  it('timeout outside retry is a deadline over all attempts', () => {
    const { summary, events } = run({
      seed: 4,
      durationMs: 5_000,
      network: { latency: 0 },
      nodes: [
        {
          id: 'c',
          kind: 'client',
          target: 's',
          arrival: { type: 'script', atMs: [0] },
          timeoutMs: 100,
          retry: { maxAttempts: 10, baseDelayMs: 30, multiplier: 1, jitter: 'none' },
          policyOrder: ['fallback', 'timeout', 'retry', 'breaker', 'bulkhead'],
        },
        { id: 's', kind: 'service', serviceTime: 5, errorRate: 1, errorStatus: 503 },
      ],
    });
    // Attempts at 0, 35, 70; the deadline at 100 ends the wait during the third backoff.
    expect(of(events, 'attempt.start').map((e) => e.t)).toEqual([0, 35, 70]);
    expect(summary.requests.byStatus).toEqual({ timeout: 1 });
    expect(summary.latencyMs.max).toBe(100);
  });
});

describe('breaker', () => {
  it('consecutive: opens at the threshold, short-circuits, half-opens after resetTimeoutMs, a failed trial re-opens', () => {
    const { summary, events } = run({
      seed: 5,
      durationMs: 3_000,
      network: { latency: 0 },
      nodes: [
        {
          id: 'c',
          kind: 'client',
          target: 's',
          arrival: { type: 'constant', ratePerSec: 100 },
          breaker: { model: 'consecutive', failureThreshold: 3, resetTimeoutMs: 1000 },
        },
        { id: 's', kind: 'service', serviceTime: 1, errorRate: 1 },
      ],
    });
    const transitions = events.filter((e) => e.kind.startsWith('breaker.') && e.kind !== 'breaker.reject').map((e) => [e.kind, e.t]);
    // Failures answered at 1, 11, 21 ms: open at 21; half-open at 1021; the trial sent at 1030 fails at 1031.
    expect(transitions.slice(0, 4)).toEqual([
      ['breaker.open', 21],
      ['breaker.halfOpen', 1021],
      ['breaker.open', 1031],
      ['breaker.halfOpen', 2031],
    ]);
    expect(summary.nodes.s!.received).toBe(3 + 1 + 1);
    expect(summary.nodes.c).toMatchObject({ breakerOpens: 3, shortCircuited: 301 - 5 });
    expect(summary.requests.byStatus['short-circuited']).toBe(296);
  });

  it('timeouts and a breaker keep the caller pool from exhausting behind a stuck dependency', () => {
    const story = (policy: Record<string, unknown>) =>
      run({
        seed: 6,
        durationMs: 20_000,
        nodes: [
          { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 100 } },
          { id: 'api', kind: 'service', concurrency: 10, queueLimit: 20, serviceTime: 2, calls: [{ target: 'stuck', ...policy }] },
          { id: 'stuck', kind: 'service', concurrency: 1000, queueLimit: null, serviceTime: 30_000 },
        ],
      }).summary;
    const naked = story({});
    const guarded = story({ timeoutMs: 200, breaker: { model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 5000 }, fallback: { status: 200 } });
    // Without a timeout, api's 10 workers are held by the stuck dependency: everything else is 503.
    expect(naked.nodes.api!.utilization).toBeGreaterThan(0.99);
    expect(naked.requests.byStatus['503']).toBeGreaterThan(1900);
    expect(naked.requests.ok).toBe(0);
    // With a timeout and a breaker, api answers from its fallback and its pool stays mostly idle.
    expect(guarded.nodes.api!.utilization).toBeLessThan(0.05);
    expect(guarded.requests.failed).toBe(0);
    expect(guarded.nodes.api!.shortCircuited as number).toBeGreaterThan(1800);
    expect(guarded.invariants.ok).toBe(true);
  });
});

describe('retry storm (the seeds story)', () => {
  const outage = (retry: Record<string, unknown>) =>
    run({
      seed: 7,
      durationMs: 30_000,
      nodes: [
        { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 }, retry },
        { id: 'api', kind: 'service', concurrency: 50, queueLimit: null, serviceTime: 1, calls: [{ target: 'db', retry }] },
        { id: 'db', kind: 'service', concurrency: 50, queueLimit: null, serviceTime: 1, errorRate: 1, errorStatus: 503 },
      ],
    }).summary;

  it('no jitter, no budget: retries at two layers multiply the load on the failing dependency', () => {
    const s = outage({ maxAttempts: 3, baseDelayMs: 100, jitter: 'none' });
    const amplification = (s.nodes.db!.received as number) / s.requests.sent;
    expect(amplification).toBeGreaterThan(8.5);
  });

  it('full jitter and a retry budget keep it near 1', () => {
    const s = outage({ maxAttempts: 3, baseDelayMs: 100, jitter: 'full', budget: { maxTokens: 10, tokenRatio: 0.1 } });
    const amplification = (s.nodes.db!.received as number) / s.requests.sent;
    expect(amplification).toBeLessThan(1.05);
    expect(s.invariants.ok).toBe(true);
  });
});

describe('bulkhead and fallback', () => {
  it('a bulkhead admits maxConcurrent calls, queues maxQueue, rejects the rest at once', () => {
    const { summary, events } = run({
      seed: 8,
      durationMs: 1_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'script', atMs: [0, 0, 0, 0, 0] }, bulkhead: { maxConcurrent: 2, maxQueue: 1 } },
        { id: 's', kind: 'service', concurrency: 10, serviceTime: 100 },
      ],
    });
    expect(of(events, 'bulkhead.reject')).toHaveLength(2);
    expect(of(events, 'attempt.start').map((e) => e.t)).toEqual([0, 0, 100]);
    expect(summary.requests.byStatus).toEqual({ '200': 3, bulkhead: 2 });
  });

  it('a fallback answers for a failed call; the request counts as ok', () => {
    const { summary, events } = run({
      seed: 9,
      durationMs: 1_000,
      nodes: [
        { id: 'c', kind: 'client', target: 'api', arrival: { type: 'script', atMs: [0, 100] } },
        { id: 'api', kind: 'service', serviceTime: 1, calls: [{ target: 'recs', fallback: { status: 200, label: 'cached' } }] },
        { id: 'recs', kind: 'service', serviceTime: 1, errorRate: 1 },
      ],
    });
    expect(summary.requests).toMatchObject({ ok: 2, failed: 0 });
    expect(of(events, 'fallback')).toHaveLength(2);
    expect(summary.nodes.api).toMatchObject({ fallbacks: 2 });
  });

  it('an optional call that fails does not fail the request', () => {
    const { summary } = run({
      seed: 10,
      durationMs: 1_000,
      nodes: [
        { id: 'c', kind: 'client', target: 'api', arrival: { type: 'script', atMs: [0] } },
        { id: 'api', kind: 'service', serviceTime: 1, calls: [{ target: 'recs', optional: true }, { target: 'db' }] },
        { id: 'recs', kind: 'service', serviceTime: 1, errorRate: 1 },
        { id: 'db', kind: 'service', serviceTime: 1 },
      ],
    });
    expect(summary.requests).toMatchObject({ ok: 1, failed: 0 });
    expect(summary.nodes.db!.received).toBe(1);
  });
});
