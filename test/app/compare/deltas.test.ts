import { describe, expect, it } from 'vitest';
import { applyDeltas, deltaRows, formatFigure, nodeTotal } from '../../../src/app/compare/deltas';
import type { RunSummary } from '../../../src/run/types';

function summary(over: Partial<RunSummary> & { nodes?: RunSummary['nodes'] }): RunSummary {
  return {
    format: 'faultline/1',
    name: 't',
    seed: 1,
    simTimeMs: 1000,
    events: 10,
    traceHash: 'x',
    stoppedBy: null,
    requests: { sent: 100, ok: 90, failed: 10, inFlight: 0, byStatus: {}, byReason: {}, successRate: 0.9 },
    latencyMs: { mean: 10, p50: 8, p90: 20, p99: 50, max: 80 },
    amplification: 3,
    nodes: {},
    invariants: { ok: true, violations: [] },
    ...over,
  };
}

describe('deltaRows', () => {
  const a = summary({
    nodes: {
      api: { kind: 'service', breakerOpens: 2, shortCircuited: 40, wastedWorkMs: 1200 },
      db: { kind: 'service', breakerOpens: 1, shortCircuited: 0, wastedWorkMs: 0 },
    },
  });
  const b = summary({
    requests: { sent: 100, ok: 95, failed: 5, inFlight: 0, byStatus: {}, byReason: {}, successRate: 0.95 },
    latencyMs: { mean: 10, p50: 9, p90: 20, p99: 40, max: 80 },
    amplification: 1.2,
    nodes: { api: { kind: 'service', breakerOpens: 0, shortCircuited: 40, wastedWorkMs: 300 }, db: { kind: 'service', breakerOpens: 0, shortCircuited: 0, wastedWorkMs: 0 } },
  });
  const rows = Object.fromEntries(deltaRows(a, b).map((r) => [r.key, r]));

  it('marks the better side by each figure\'s direction', () => {
    expect(rows.successRate!.winner).toBe('b'); // higher is better
    expect(rows.p50!.winner).toBe('a'); // lower is better
    expect(rows.p99!.winner).toBe('b');
    expect(rows.amplification!.winner).toBe('b');
    expect(rows.shortCircuited!.winner).toBeNull(); // equal: neither
  });

  it('marks no side when the table shows both the same (18 ms and 18 ms), and keeps the exact values', () => {
    const close = deltaRows(summary({ latencyMs: { mean: 10, p50: 18.469, p90: 20, p99: 31072, max: 80 }, amplification: 1.004 }), summary({ latencyMs: { mean: 10, p50: 18.344, p90: 20, p99: 19808, max: 80 }, amplification: 1.003 }));
    const by = Object.fromEntries(close.map((r) => [r.key, r]));
    expect(formatFigure(by.p50!.a, 'ms')).toBe(formatFigure(by.p50!.b, 'ms'));
    expect(by.p50).toMatchObject({ a: 18.469, b: 18.344, winner: null });
    expect(by.amplification).toMatchObject({ a: 1.004, b: 1.003, winner: null }); // both 1.00×
    expect(by.p99!.winner).toBe('b'); // 31.1 s against 19.8 s
  });

  it('adds node figures up over the nodes', () => {
    expect(rows.breakerOpens!.a).toBe(3);
    expect(rows.wastedWorkMs!.a).toBe(1200);
    expect(rows.wastedWorkMs!.b).toBe(300);
  });

  it('leaves out figures neither run has (no broker: no dead letters)', () => {
    expect(rows.deadLettered).toBeUndefined();
    expect(rows.duplicatesProcessed).toBeUndefined();
  });

  it('counts queue figures over queues only', () => {
    const q = summary({ nodes: { q: { kind: 'queue', deadLettered: 4, duplicatesProcessed: 2 }, s: { kind: 'service', deadLettered: 99 } } });
    expect(nodeTotal(q, 'deadLettered', ['queue'])).toBe(4);
    expect(deltaRows(q, q).find((r) => r.key === 'duplicatesProcessed')!.a).toBe(2);
  });

  it('has no latency to compare when no request ended', () => {
    const none = summary({ requests: { sent: 0, ok: 0, failed: 0, inFlight: 0, byStatus: {}, byReason: {}, successRate: null } });
    expect(deltaRows(none, none).map((r) => r.key)).not.toContain('p99');
  });
});

describe('formatFigure', () => {
  it('writes each kind of figure', () => {
    expect(formatFigure(0.9512, 'percent')).toBe('95.1%');
    expect(formatFigure(1, 'percent')).toBe('100%');
    expect(formatFigure(2730, 'ms')).toBe('2.73 s');
    expect(formatFigure(45.4, 'ms')).toBe('45 ms');
    expect(formatFigure(8.8, 'ratio')).toBe('8.80×');
    expect(formatFigure(12345, 'count')).toBe('12,345');
    expect(formatFigure(null, 'count')).toBe('–');
  });
});

describe('applyDeltas', () => {
  it('lists what changed, success rate and p99 first, with the better side', () => {
    const before = summary({ requests: { sent: 100, ok: 6, failed: 94, inFlight: 0, byStatus: {}, byReason: {}, successRate: 0.06 }, latencyMs: { mean: 1, p50: 1, p90: 1, p99: 3000, max: 1 } });
    const after = summary({ requests: { sent: 100, ok: 5, failed: 95, inFlight: 0, byStatus: {}, byReason: {}, successRate: 0.05 }, latencyMs: { mean: 1, p50: 1, p90: 1, p99: 2730, max: 1 } });
    const note = applyDeltas(before, after);
    expect(note[0]).toEqual({ label: 'success rate', before: '6.0%', after: '5.0%', winner: 'a' });
    expect(note[1]).toEqual({ label: 'latency p99', before: '3.00 s', after: '2.73 s', winner: 'b' });
    expect(note.find((n) => n.label === 'failed')).toEqual({ label: 'failed', before: '94', after: '95', winner: 'a' });
  });

  it('is empty when nothing changed', () => {
    expect(applyDeltas(summary({}), summary({}))).toEqual([]);
  });
});
