/**
 * Comparing runs: common random numbers between variants, a fork at a moment (the same before it,
 * different after), the summary's success rate and amplification, and expectations.
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { checkExpectations, metricValue } from '../../src/run/expect';
import type { LoggedEvent } from '../../src/run/types';
import { parseScenario } from '../../src/scenario/validate';
import { variantDocument, withSettings } from '../../src/scenario/variants';
import { validateScenario } from '../../src/scenario/validate';

const doc = {
  format: 'faultline/1',
  name: 'compare',
  seed: 'crn',
  durationMs: 5000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 100 } },
    {
      id: 'api',
      kind: 'service',
      concurrency: 50,
      serviceTime: 2,
      calls: [
        { target: 'db', timeoutMs: 100, retry: { maxAttempts: 3, baseDelayMs: 10, jitter: 'full' } },
        { target: 'cache' },
      ],
    },
    { id: 'db', kind: 'service', concurrency: 20, serviceTime: { dist: 'exponential', meanMs: 20 }, errorRate: 0.2 },
    { id: 'cache', kind: 'service', concurrency: 20, serviceTime: 1, errorRate: 0.3 },
  ],
  faults: [{ id: 'f1', atMs: 1000, untilMs: 4000, target: 'db', kind: 'error', probability: 0.5 }],
};

function events(input: unknown): { events: LoggedEvent[]; hash: string } {
  const run = createRun(parseScenario(input), { keepAllEvents: true });
  run.runToEnd();
  const s = run.summary();
  expect(s.invariants).toEqual({ ok: true, violations: [] });
  return { events: run.eventLog(), hash: s.traceHash };
}

describe('common random numbers', () => {
  it('a variant that changes only a downstream setting sends exactly the same requests at the same times', () => {
    const withVariants = { ...doc, variants: [{ name: 'slow db', set: { 'nodes[db].serviceTime': { dist: 'exponential', meanMs: 60 }, 'nodes[db].errorRate': 0.05 } }] };
    const b = variantDocument(withVariants, 'slow db');
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const runA = events(doc);
    const runB = events(b.document);
    const starts = (evs: LoggedEvent[]) => evs.filter((e) => e.kind === 'request.start').map((e) => [e.t, e.requestId]);
    expect(starts(runB.events)).toEqual(starts(runA.events));
    expect(starts(runA.events).length).toBeGreaterThan(400);
    // ... and the runs do differ: the setting, alone, made the difference.
    expect(runB.hash).not.toBe(runA.hash);
  });
});

describe('a fork at a moment (timed changes)', () => {
  const AT = 2000;
  const cases: [string, unknown][] = [
    ['nodes[db].errorRate', 0.6],
    ['nodes[db].errorStatus', 503],
    ['nodes[db].serviceTime', 50],
    ['nodes[api].calls[db].timeoutMs', 15],
    ['nodes[api].calls[db].retry.maxAttempts', 1],
    ['nodes[api].calls[db].retry.jitter', 'none'],
    ['nodes[api].calls[db].retry.baseDelayMs', 200],
    ['nodes[api].calls[db].retry.retryOn', [503]],
    ['nodes[api].calls[cache].optional', true],
    ['nodes[users].arrival.ratePerSec', 300],
    ['faults[f1].untilMs', 2500],
    ['faults[f1].untilMs', null],
    ['faults[f1].probability', 1],
    ['faults[f1].status', 503],
  ];
  const original = events(doc);

  for (const [path, value] of cases) {
    it(`${path} = ${JSON.stringify(value)} at ${AT} ms: the same events before, different ones after`, () => {
      const fork = events({ ...doc, changes: [{ atMs: AT, set: { [path]: value } }] });
      const before = (evs: LoggedEvent[]) => evs.filter((e) => e.t < AT);
      expect(before(fork.events)).toEqual(before(original.events));
      expect(before(fork.events).length).toBeGreaterThan(500);
      expect(fork.events.find((e) => e.kind === 'change.apply')).toEqual({ t: AT, kind: 'change.apply', node: expect.any(String), change: 0, setting: 0 });
      const after = (evs: LoggedEvent[]) => evs.filter((e) => e.t >= AT && e.kind !== 'change.apply');
      expect(after(fork.events)).not.toEqual(after(original.events));
      expect(fork.hash).not.toBe(original.hash);
    });
  }

  it('a change to the value a setting already has changes nothing but the change.apply event', () => {
    const fork = events({ ...doc, changes: [{ atMs: AT, set: { 'nodes[db].errorRate': 0.2, 'nodes[api].calls[db].timeoutMs': 100 } }] });
    expect(fork.events.filter((e) => e.kind !== 'change.apply')).toEqual(original.events);
    expect(fork.events.filter((e) => e.kind === 'change.apply').map((e) => e.setting)).toEqual([0, 1]);
  });

  it('a fork ends a fault at its new time, and logs it then', () => {
    const fork = events({ ...doc, changes: [{ atMs: AT, set: { 'faults[f1].untilMs': 2500 } }] });
    expect(fork.events.filter((e) => e.kind === 'fault.end').map((e) => e.t)).toEqual([2500]);
    expect(original.events.filter((e) => e.kind === 'fault.end').map((e) => e.t)).toEqual([4000]);
  });
});

describe('summary additions', () => {
  const run = createRun(parseScenario(doc), { metrics: true });
  run.runToEnd();
  const s = run.summary();

  it('requests.successRate is ok ÷ ended', () => {
    const r = s.requests;
    expect(r.successRate).toBeCloseTo(r.ok / (r.ok + r.failed), 6);
    expect(r.successRate).toBeGreaterThan(0);
    expect(r.successRate).toBeLessThan(1);
  });

  it('amplification is the worst attempts-into-a-target ÷ requests sent, as the time series count it', () => {
    expect(s.amplification).toBe(run.seriesTotals()!.amplification);
    const intoDb = s.nodes.api!.attempts as number; // api's attempts go to db and cache
    expect(s.amplification).toBeGreaterThan(1);
    expect(s.amplification).toBeLessThan(intoDb / s.requests.sent);
  });

  it('no expectations key without expect; a run with no ended request has a null success rate', () => {
    expect(s.expectations).toBeUndefined();
    const empty = createRun(parseScenario({ ...doc, durationMs: 1 }));
    empty.runToEnd();
    expect(empty.summary().requests.successRate).toBeNull();
  });
});

describe('expectations', () => {
  it('the summary reports each with its actual value and whether it held', () => {
    const r = withSettings(
      doc,
      { expect: [{ metric: 'requests.successRate', min: 0.1 }, { metric: 'latencyMs.p99', max: 1 }, { metric: 'requests.byStatus.418', max: 0 }, { metric: 'nodes.db.received', min: 10, max: 1e9 }] },
      validateScenario,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const run = createRun(r.scenario);
    run.runToEnd();
    const s = run.summary();
    expect(s.expectations).toEqual([
      { metric: 'requests.successRate', min: 0.1, max: null, actual: s.requests.successRate, ok: true },
      { metric: 'latencyMs.p99', min: null, max: 1, actual: s.latencyMs.p99, ok: false },
      { metric: 'requests.byStatus.418', min: null, max: 0, actual: 0, ok: true },
      { metric: 'nodes.db.received', min: 10, max: 1e9, actual: s.nodes.db!.received, ok: true },
    ]);
  });

  it('a metric that names nothing in the summary says which keys exist there', () => {
    const run = createRun(parseScenario(doc));
    run.runToEnd();
    const s = run.summary();
    const m = metricValue(s, 'nodes.db.recieved');
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.message).toMatch(/^nodes\.db\.recieved: names nothing — nodes\.db has no "recieved" \(there: .*received, ok, failed/);
    expect(metricValue(s, 'latencyMs')).toEqual({ ok: false, message: 'latencyMs: is an object, not a number — name a key inside it' });
    const [checked] = checkExpectations(s, [{ metric: 'nodes.db.recieved', min: 1 }]);
    expect(checked).toMatchObject({ ok: false, actual: null, error: expect.stringContaining('has no "recieved"') });
  });
});
