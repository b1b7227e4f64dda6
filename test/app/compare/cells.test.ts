import { describe, expect, it } from 'vitest';
import { cellClickNote, formatEstimate, meanExtent, sweepCells, timeLeftMs } from '../../../src/app/compare/cells';

describe('sweepCells', () => {
  it('groups rows by combination (first param slowest) with mean and spread over the seeds', () => {
    // 2 × 3 combinations, 2 seeds: 12 rows.
    const results = Array.from({ length: 12 }, (_, index) => ({ index, value: index, stoppedBy: null }));
    const cells = sweepCells(results, [2, 3], 2);
    expect(cells).toHaveLength(6);
    expect(cells[0]).toMatchObject({ x: 0, y: 0, done: 2, n: 2, mean: 0.5, min: 0, max: 1 });
    expect(cells[0]!.sd).toBeCloseTo(Math.SQRT1_2, 10);
    expect(cells[4]).toMatchObject({ x: 1, y: 1, mean: 8.5 });
    expect(cells[5]).toMatchObject({ x: 1, y: 2, mean: 10.5 });
  });

  it('marks a cell whose run hit a guardrail, and keeps the others whole', () => {
    const results = [
      { index: 0, value: 5, stoppedBy: null },
      { index: 1, value: 999, stoppedBy: 'events: 200000000 events' },
      { index: 2, value: 7, stoppedBy: null },
      { index: 3, value: 9, stoppedBy: null },
    ];
    const cells = sweepCells(results, [2], 2);
    expect(cells[0]).toMatchObject({ done: 2, n: 1, mean: 5, sd: null, marked: ['events: 200000000 events'] });
    expect(cells[1]).toMatchObject({ done: 2, n: 2, mean: 8, marked: [] });
  });

  it('leaves cells without results empty while the sweep runs', () => {
    const cells = sweepCells([{ index: 0, value: 1, stoppedBy: null }], [3], 1);
    expect(cells.map((c) => c.mean)).toEqual([1, null, null]);
    expect(cells.map((c) => c.done)).toEqual([1, 0, 0]);
  });

  it('a null metric (no request ended) is not a value', () => {
    const cells = sweepCells([{ index: 0, value: null, stoppedBy: null }], [1], 1);
    expect(cells[0]).toMatchObject({ done: 1, n: 0, mean: null });
  });
});

describe('estimates', () => {
  it('extent of the means', () => {
    expect(meanExtent(sweepCells([{ index: 0, value: 2, stoppedBy: null }, { index: 1, value: 6, stoppedBy: null }], [3], 1))).toEqual([2, 6]);
    expect(meanExtent([])).toBeNull();
  });
  it('time left from the pace so far', () => {
    expect(timeLeftMs(0, 10, 500)).toBeNull();
    expect(timeLeftMs(4, 10, 2000)).toBe(3000);
    expect(formatEstimate(3000)).toBe('3 s');
    expect(formatEstimate(185_000)).toBe('3 min');
    expect(formatEstimate(4_800_000)).toBe('1 h 20 min');
  });
});

describe('sweepCsv', () => {
  it('writes the CLI\'s columns and escapes cells a spreadsheet would read as formulas', async () => {
    const { sweepCsv, rowsOf } = await import('../../../src/app/compare/sweepRun');
    const spec = { params: [{ path: 'nodes[api].errorStatus', values: [500, '=1+1'] }], seeds: 1, metric: 'requests.successRate' };
    const rows = rowsOf(spec, 's');
    const csv = sweepCsv(spec, rows, [
      { index: 0, traceHash: 'ab', metrics: [0.5], stoppedBy: null, broken: false },
      { index: 1, traceHash: null, metrics: [null], stoppedBy: 'invalid: -bad', broken: false },
    ]);
    expect(csv).toBe('nodes[api].errorStatus,seed,traceHash,requests.successRate,stoppedBy\r\n500,s,ab,0.5,\r\n"\'=1+1",s,,,invalid: -bad\r\n');
  });
});

describe('cellClickNote', () => {
  it('one seed per cell: the click opens the cell\'s own run', () => {
    expect(cellClickNote(1, 'storm-1')).toBe('Click: open this variant in compare view (the same run, on the seed storm-1)');
  });

  it('more seeds: says the click is one run on the document\'s seed, not the mean shown', () => {
    const note = cellClickNote(5, 'storm-1');
    expect(note).toContain("one run on the document's own seed storm-1");
    expect(note).toContain('not the mean of the 5 runs here (seeds storm-1/1 … storm-1/5)');
  });
});
