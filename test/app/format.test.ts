import { describe, expect, it } from 'vitest';
import { formatCompact } from '../../src/app/format';
import { figureLabel, formatFigure } from '../../src/app/side/figures';

describe('compact numbers for node boxes', () => {
  it('exact below 10,000, then k, M and G with three significant digits', () => {
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(1259)).toBe('1,259');
    expect(formatCompact(9999)).toBe('9,999');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(123_456)).toBe('123k');
    expect(formatCompact(999_499)).toBe('999k');
    expect(formatCompact(999_600)).toBe('1.00M');
    expect(formatCompact(2_290_000)).toBe('2.29M');
    expect(formatCompact(45_600_000)).toBe('45.6M');
    expect(formatCompact(456_000_000)).toBe('456M');
    expect(formatCompact(1_230_000_000)).toBe('1.23G');
  });
  it('never longer than six characters up to a billion', () => {
    for (let n = 1; n < 1e9; n = Math.ceil(n * 1.37)) expect(formatCompact(n).length, String(n)).toBeLessThanOrEqual(6);
  });
});

describe('a figure a story names', () => {
  it('is called by its node and its words', () => {
    expect(figureLabel('nodes.payments-q.duplicatesSkipped')).toBe('payments-q · duplicates skipped');
    expect(figureLabel('requests.byStatus.429')).toBe('requests · status 429');
    expect(figureLabel('latencyMs.p99')).toBe('p99 latency');
    expect(figureLabel('requests.successRate')).toBe('success rate');
  });
  it('prints shares as percentages, times as times, counts compactly', () => {
    expect(formatFigure('nodes.api.utilization', 0.150789)).toBe('15.1%');
    expect(formatFigure('requests.successRate', 1)).toBe('100%');
    expect(formatFigure('latencyMs.p99', 2572)).toBe('2.57 s');
    expect(formatFigure('nodes.api.queueMax', 20)).toBe('20');
    expect(formatFigure('amplification', 6.198)).toBe('6.2×');
    expect(formatFigure('nodes.api.queueMax', null)).toBe('—');
  });
});
