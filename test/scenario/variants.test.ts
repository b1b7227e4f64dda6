/**
 * Variants, sweeps, expectations and timed changes in the document: their rows and documents, and
 * the checks validation makes of them (a path that names nothing, a value that is not valid, a
 * change the model cannot make mid-run, a metric that names nothing).
 */
import { describe, expect, it } from 'vitest';
import { resolveChanges } from '../../src/scenario/changes';
import { parseScenario, validateScenario } from '../../src/scenario/validate';
import { MAX_SWEEP_RUNS, sweepRowDocument, sweepRows, sweepSize, variantDocument } from '../../src/scenario/variants';

const base = {
  format: 'faultline/1',
  name: 'variants',
  seed: 'v',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 } },
    { id: 'api', kind: 'service', calls: [{ target: 'db', timeoutMs: 100, retry: { maxAttempts: 3 } }, { target: 'cache' }] },
    { id: 'db', kind: 'service' },
    { id: 'cache', kind: 'service' },
  ],
  faults: [{ id: 'f1', atMs: 1000, untilMs: 5000, target: 'db', kind: 'error', probability: 0.5 }],
};

const problemsOf = (doc: unknown) => {
  const r = validateScenario(doc);
  return r.ok ? [] : r.problems;
};

describe('variants', () => {
  it('a variant is the document with its settings replaced, the same seed, no variants left', () => {
    const doc = { ...base, variants: [{ name: 'full jitter', set: { 'nodes[api].calls[db].retry.jitter': 'none', 'nodes[db].serviceTime': 20 } }] };
    expect(problemsOf(doc)).toEqual([]);
    const v = variantDocument(doc, 'full jitter');
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const s = parseScenario(v.document);
    expect(s.seed).toBe('v');
    expect(s.variants).toEqual([]);
    expect(s.nodes[1]!.kind === 'service' && s.nodes[1]!.calls[0]!.retry!.jitter).toBe('none');
    expect(s.nodes[2]!.kind === 'service' && s.nodes[2]!.serviceTime).toBe(20);
  });

  it('an unknown variant name lists the names there are', () => {
    const doc = { ...base, variants: [{ name: 'a', set: {} }, { name: 'with budget', set: {} }] };
    const v = variantDocument(doc, 'with budgets');
    expect(!v.ok && v.problems).toEqual([{ path: 'variants', message: 'no variant is named "with budgets" — did you mean "with budget"? (variants: "a", "with budget")' }]);
  });

  it('validation checks every variant: paths that name nothing, values that are not valid, names used twice', () => {
    const doc = {
      ...base,
      variants: [
        { name: 'a', set: { 'nodes[api].calls[dbb].timeoutMs': 50 } },
        { name: 'b', set: { 'nodes[api].calls[db].retry.jitter': 'fulll' } },
        { name: 'a', set: { sweep: null } },
      ],
    };
    expect(problemsOf(doc)).toEqual([
      { path: 'variants[0].set["nodes[api].calls[dbb].timeoutMs"]', message: 'names nothing: no element of nodes[api].calls has target "dbb" — did you mean "db"? (there: db, cache; or an index 0..1)' },
      { path: 'variants[1].set["nodes[api].calls[db].retry.jitter"]', message: 'must be one of none, full, equal, decorrelated — got "fulll"' },
      { path: 'variants[2].name', message: '"a" is already the name of variants[0]' },
      { path: 'variants[2].set["sweep"]', message: 'cannot set "sweep" here' },
    ]);
  });
});

describe('sweeps', () => {
  const sweep = { params: [{ path: 'nodes[api].calls[db].retry.maxAttempts', values: [1, 2, 3] }, { path: 'nodes[db].errorRate', values: [0, 0.5] }], seeds: 2 };

  it('every combination, the first param slowest, each with seeds <seed>/1 ... <seed>/K', () => {
    const rows = sweepRows(sweep, 'v');
    expect(rows).toHaveLength(12);
    expect(sweepSize(sweep)).toBe(12);
    expect(rows.slice(0, 4)).toEqual([
      { index: 0, values: { 'nodes[api].calls[db].retry.maxAttempts': 1, 'nodes[db].errorRate': 0 }, seed: 'v/1' },
      { index: 1, values: { 'nodes[api].calls[db].retry.maxAttempts': 1, 'nodes[db].errorRate': 0 }, seed: 'v/2' },
      { index: 2, values: { 'nodes[api].calls[db].retry.maxAttempts': 1, 'nodes[db].errorRate': 0.5 }, seed: 'v/1' },
      { index: 3, values: { 'nodes[api].calls[db].retry.maxAttempts': 1, 'nodes[db].errorRate': 0.5 }, seed: 'v/2' },
    ]);
    expect(rows.at(-1)!.values).toEqual({ 'nodes[api].calls[db].retry.maxAttempts': 3, 'nodes[db].errorRate': 0.5 });
  });

  it('a sweep of one seed runs on the document\'s own seed', () => {
    expect(sweepRows({ params: [{ path: 'seed', values: [1] }], seeds: 1 }, 42).map((r) => r.seed)).toEqual([42]);
  });

  it('a row\'s document has its params and its seed', () => {
    const row = sweepRows(sweep, 'v')[7]!;
    const d = sweepRowDocument({ ...base, sweep }, row);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const s = parseScenario(d.document);
    expect(s.seed).toBe('v/2');
    expect(s.sweep).toBeNull();
    expect(s.nodes[1]!.kind === 'service' && s.nodes[1]!.calls[0]!.retry!.maxAttempts).toBe(2);
    expect(s.nodes[2]!.kind === 'service' && s.nodes[2]!.errorRate).toBe(0.5);
  });

  it('validation checks the params\' paths and each value, and the metrics', () => {
    const doc = {
      ...base,
      sweep: {
        params: [
          { path: 'nodes[api].concurency', values: [1] },
          { path: 'nodes[db].errorRate', values: [0, 2] },
        ],
        metrics: ['latencyMs.maxx', 'nodes.dbb.received', 'requests.byStatus.503', 'amplification'],
      },
    };
    expect(problemsOf(doc)).toEqual([
      { path: 'sweep.params[0].path', message: expect.stringContaining('nodes[api] has no key "concurency" — did you mean "concurrency"?') },
      { path: 'sweep.params[1].values[1]', message: 'must be at most 1 — got 2' },
      { path: 'sweep.metrics[0]', message: 'names nothing: "maxx" — did you mean "max"? (known there: mean, p50, p90, p99, max)' },
      { path: 'sweep.metrics[1]', message: 'names nothing: "dbb" — did you mean "db"? (known there: users, api, db, cache)' },
    ]);
  });

  it('a sweep of more than a million runs is refused with its size, not made (ten billion rows would not fit in memory)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const sweep = (seeds: number) => ({ params: [{ path: 'nodes[api].concurrency', values }, { path: 'nodes[db].concurrency', values }], seeds });
    expect(sweepSize(sweep(10_000))).toBe(10_000_000_000);
    expect(problemsOf({ ...base, sweep: sweep(10_000) })).toEqual([
      { path: 'sweep', message: `makes 10,000,000,000 runs (1,000 values × 1,000 values × 10,000 seeds); at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}: sweep fewer values or seeds, or split it into several sweeps` },
    ]);
    expect(problemsOf({ ...base, sweep: sweep(2) })).toEqual([expect.objectContaining({ path: 'sweep', message: expect.stringMatching(/^makes 2,000,000 runs/) })]);
    expect(problemsOf({ ...base, sweep: sweep(1) })).toEqual([]);
  });
});

describe('expect', () => {
  it('needs a min or a max, min not above max, and a metric that names a place in the summary', () => {
    const doc = {
      ...base,
      expect: [{ metric: 'latencyMs.p99' }, { metric: 'requests.successRate', min: 0.9, max: 0.5 }, { metric: 'latency.p99', max: 1 }],
    };
    expect(problemsOf(doc)).toEqual([
      { path: 'expect[0].max', message: 'needs a min, a max or both' },
      { path: 'expect[1].max', message: 'must not be less than min' },
    ]);
    expect(problemsOf({ ...base, expect: [{ metric: 'latency.p99', max: 1 }] })).toEqual([
      { path: 'expect[0].metric', message: 'names nothing: "latency" — did you mean "latencyMs"? (known there: requests, latencyMs, nodes, amplification, simTimeMs, events)' },
    ]);
  });
});

describe('timed changes', () => {
  const withChanges = (changes: unknown[]) => ({ ...base, changes });

  it('the settings the model reads live are accepted and resolved to the model\'s places', () => {
    const doc = withChanges([
      { atMs: 2000, set: { 'nodes[db].errorRate': 0.3, 'nodes[db].serviceTime': { dist: 'exponential', meanMs: 30 } } },
      { atMs: 1500, set: { 'nodes[api].calls[db].timeoutMs': 40, 'nodes[api].calls[db].retry.maxAttempts': 1, 'nodes[users].arrival.ratePerSec': 80 } },
      { atMs: 3000, set: { 'faults[f1].untilMs': 8000, 'faults[f1].probability': 1, 'nodes[api].calls[cache].optional': true } },
    ]);
    expect(problemsOf(doc)).toEqual([]);
    const live = resolveChanges(parseScenario(doc));
    expect(live.map((c) => [c.atMs, c.setting])).toEqual([
      [1500, { target: 'policy', node: 1, site: 0, key: 'timeoutMs' }],
      [1500, { target: 'policy', node: 1, site: 0, key: 'retry.maxAttempts' }],
      [1500, { target: 'arrival', node: 0, key: 'ratePerSec' }],
      [2000, { target: 'service', node: 2, key: 'errorRate' }],
      [2000, { target: 'service', node: 2, key: 'serviceTime' }],
      [3000, { target: 'fault', fault: 0, key: 'untilMs' }],
      [3000, { target: 'fault', fault: 0, key: 'probability' }],
      [3000, { target: 'policy', node: 1, site: 1, key: 'optional' }],
    ]);
  });

  it('a setting the model reads only when it is built is refused with the reason, never applied from 0', () => {
    const at = (path: string, value: unknown, atMs = 2000) => problemsOf(withChanges([{ atMs, set: { [path]: value } }]));
    expect(at('nodes[db].concurrency', 2)).toEqual([
      {
        path: 'changes[0].set["nodes[db].concurrency"]',
        message:
          'nodes[2].concurrency is read only when the model is built, so changing it at a moment would really change it from the start: workers and waiting lines are set up per instance when the service starts (to take instances away mid-run, add a crash fault)',
      },
    ]);
    expect(at('nodes[api].calls[db].breaker', { model: 'consecutive' })[0]!.message).toContain('a breaker cannot change mid-run');
    expect(at('nodes[api].calls[cache].timeoutMs', 50)[0]!.message).toContain('only where a timeout exists from the start');
    expect(at('nodes[api].calls[cache].retry.maxAttempts', 3)[0]!.message).toContain('only where the call retries from the start');
    expect(at('nodes[api].calls[db].timeoutMs', null)[0]!.message).toContain('cannot be removed mid-run');
    expect(at('network.latency', 5)[0]!.message).toContain('add a latency fault from that moment instead');
    expect(at('durationMs', 5)[0]!.message).toContain('is fixed before a run starts');
    expect(at('faults[f1].untilMs', 9000, 6000)[0]!.message).toContain('this fault ended at 5000 ms');
    expect(at('faults[f1].untilMs', 1500, 2000)[0]!.message).toContain('must be later than the change\'s atMs');
  });

  it('a change\'s value is validated like any document, named by its path', () => {
    expect(problemsOf(withChanges([{ atMs: 2000, set: { 'nodes[db].errorRate': 3 } }]))).toEqual([
      { path: 'changes[0].set["nodes[db].errorRate"]', message: 'must be at most 1 — got 3' },
    ]);
    expect(problemsOf(withChanges([{ atMs: 2000, set: { 'nodes[dbb].errorRate': 0.1 } }]))[0]!.message).toContain('did you mean "db"?');
    expect(problemsOf(withChanges([{ atMs: 20_000, set: { 'nodes[db].errorRate': 0.1 } }]))).toEqual([
      { path: 'changes[0].atMs', message: 'must be earlier than durationMs (10000) — got 20000' },
    ]);
  });
});
