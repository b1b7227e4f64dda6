/**
 * The sweep dialog's check before anything runs: the same as `npm run sweep` makes (the document
 * validated with the sweep), each problem named by the dialog's field.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CELLS, sweepProblems, type SweepSpec } from '../../../src/app/compare/sweepRun';
import { plainOf } from '../../../src/app/compare/mode';
import { presetBySlug } from '../../../src/scenario/presets';

const storm = plainOf(presetBySlug('retry-storm')!.document);
const spec = (over: Partial<SweepSpec> = {}): SweepSpec => ({
  params: [
    { path: 'nodes[api].calls[db].retry.maxAttempts', values: [1, 2, 3] },
    { path: 'nodes[users].retry.jitter', values: ['none', 'full'] },
  ],
  seeds: 1,
  metric: 'amplification',
  ...over,
});

describe('sweepProblems', () => {
  it('a sweep every value of which the document can take has none', () => {
    expect(sweepProblems(storm, spec())).toEqual([]);
  });

  it('a value the setting cannot take is named by its setting and its place in the list, before anything runs', () => {
    const problems = sweepProblems(storm, spec({ params: [{ path: 'nodes[api].calls[db].retry.maxAttempts', values: [2, 'abc', 0] }] }));
    expect(problems.map((p) => p.path)).toEqual(['first setting, value 2 ("abc")', 'first setting, value 3 (0)']);
    expect(problems[0]!.message).toContain('got "abc"');
    expect(problems[1]!.message).toContain('got 0');
  });

  it('the second setting is named too, and a path that names nothing says what exists there', () => {
    const bad = spec({
      params: [
        { path: 'nodes[api].calls[db].retry.maxAttempts', values: [1] },
        { path: 'nodes[users].retry.jitter', values: ['none', 'fulll'] },
      ],
    });
    expect(sweepProblems(storm, bad)).toEqual([{ path: 'second setting, value 2 ("fulll")', message: expect.stringContaining('must be one of none, full, equal, decorrelated') }]);
    const unknown = sweepProblems(storm, spec({ params: [{ path: 'nodes[api].concurency', values: [1] }] }));
    expect(unknown).toEqual([{ path: 'first setting', message: expect.stringContaining('did you mean "concurrency"?') }]);
  });

  it('a sweep too large is refused before its rows are made: more runs than the CLI takes, or more cells than a heatmap draws', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    const runs = sweepProblems(storm, spec({ params: [{ path: 'nodes[api].concurrency', values: values(100) }, { path: 'nodes[db].concurrency', values: values(100) }], seeds: 10_000 }));
    expect(runs).toEqual([{ path: 'the sweep', message: expect.stringMatching(/^makes 100,000,000 runs \(100 values × 100 values × 10,000 seeds\); at most 1,000,000/) }]);
    const cells = sweepProblems(storm, spec({ params: [{ path: 'nodes[api].concurrency', values: values(1000) }, { path: 'nodes[db].concurrency', values: values(11) }] }));
    expect(cells).toEqual([{ path: 'the sweep', message: expect.stringContaining(`its heatmap would have 11,000 cells; at most ${MAX_CELLS.toLocaleString('en-US')} here`) }]);
  });

  it('a metric no summary has is named as the metric field', () => {
    expect(sweepProblems(storm, spec({ metric: 'requests.nope' }))).toEqual([{ path: 'metric', message: expect.stringContaining('names nothing') }]);
  });
});
