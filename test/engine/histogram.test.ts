import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/engine/histogram';

/** The exact order statistic: the smallest v with at least p% of values <= v. */
function exact(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

describe('Histogram', () => {
  it('percentiles are within 0.2% of the exact sort of the same samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 1, 50, 90, 99, 99.9, 100),
        (xs, p) => {
          const h = new Histogram();
          xs.forEach((x) => h.record(x));
          const want = exact([...xs].sort((a, b) => a - b), p);
          expect(Math.abs(h.percentile(p) - want)).toBeLessThanOrEqual(want * 0.002 + 1e-12);
        },
      ),
    );
  });

  it('keeps an exact count, mean, min and max', () => {
    const h = new Histogram();
    [3, 1, 4, 1, 5, 9, 2, 6].forEach((x) => h.record(x));
    expect(h.count).toBe(8);
    expect(h.mean).toBe(31 / 8);
    expect(h.min).toBe(1);
    expect(h.max).toBe(9);
    expect(h.percentile(100)).toBe(9);
    expect(h.percentile(0)).toBe(1);
  });

  it('zero and tiny values are recorded, negatives as zero', () => {
    const h = new Histogram();
    h.record(0);
    h.record(-5);
    h.record(1e-9);
    expect(h.count).toBe(3);
    expect(h.percentile(50)).toBeLessThan(1e-6);
    expect(h.percentile(0)).toBe(0);
    expect(h.max).toBe(1e-9);
  });

  it('merging two histograms equals recording everything in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i < 500; i++) {
      (i % 2 ? a : b).record(i * 1.7);
      all.record(i * 1.7);
    }
    a.add(b);
    for (const p of [10, 50, 90, 99]) expect(a.percentile(p)).toBe(all.percentile(p));
    expect(a.count).toBe(all.count);
  });

  it('an empty histogram reports zeros', () => {
    const h = new Histogram();
    expect([h.count, h.mean, h.max, h.percentile(99)]).toEqual([0, 0, 0, 0]);
  });
});
