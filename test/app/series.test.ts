import { beforeEach, describe, expect, it } from 'vitest';
import { applySeries, publishSeries, useSeries } from '../../src/app/charts/series';
import type { MetricSample } from '../../src/run/types';

const sample = (i: number): MetricSample => ({ startMs: i * 100, endMs: (i + 1) * 100 }) as unknown as MetricSample;
const totals = (sent: number) => ({ sent }) as never;

describe('the series store', () => {
  beforeEach(() => applySeries({ from: 0, samples: [], intervalMs: 100, totals: null }));

  it('publishes at once by default', () => {
    applySeries({ from: 0, samples: [sample(0), sample(1)], intervalMs: 100, totals: totals(2) });
    expect(useSeries.getState().samples.map((s) => s.startMs)).toEqual([0, 100]);
  });

  it('holds deltas back until asked to publish, then shows them all', () => {
    applySeries({ from: 0, samples: [sample(0)], intervalMs: 100, totals: totals(1) });
    const shown = useSeries.getState().samples;
    applySeries({ from: 1, samples: [sample(1)], intervalMs: 100, totals: totals(2) }, false);
    applySeries({ from: 2, samples: [sample(2), sample(3)], intervalMs: 100, totals: totals(4) }, false);
    expect(useSeries.getState().samples).toBe(shown);
    expect(shown.map((s) => s.startMs)).toEqual([0]);
    publishSeries();
    expect(useSeries.getState().samples.map((s) => s.startMs)).toEqual([0, 100, 200, 300]);
    expect(useSeries.getState().totals).toEqual(totals(4));
    // What was published before never changes under a chart holding it.
    expect(shown.map((s) => s.startMs)).toEqual([0]);
  });

  it('lets a later delta replace samples from its index on, and a run starting over replace them all', () => {
    applySeries({ from: 0, samples: [sample(0), sample(1), sample(2)], intervalMs: 100, totals: null });
    const published = useSeries.getState().samples;
    applySeries({ from: 2, samples: [sample(7)], intervalMs: 100, totals: null }, false);
    publishSeries();
    expect(useSeries.getState().samples.map((s) => s.startMs)).toEqual([0, 100, 700]);
    expect(published.map((s) => s.startMs)).toEqual([0, 100, 200]);
    applySeries({ from: 0, samples: [sample(5)], intervalMs: 200, totals: null });
    expect(useSeries.getState().samples.map((s) => s.startMs)).toEqual([500]);
    expect(useSeries.getState().intervalMs).toBe(200);
  });

  it('keeps the same samples array when a frame brings only fresh totals, so charts do not redraw', () => {
    applySeries({ from: 0, samples: [sample(0)], intervalMs: 100, totals: totals(1) });
    const shown = useSeries.getState().samples;
    applySeries({ from: 1, samples: [], intervalMs: 100, totals: totals(3) });
    expect(useSeries.getState().samples).toBe(shown);
    expect(useSeries.getState().totals).toEqual(totals(3));
  });

  it('publishes nothing when nothing changed', () => {
    applySeries({ from: 0, samples: [sample(0)], intervalMs: 100, totals: totals(1) });
    const state = useSeries.getState();
    applySeries({ from: 1, samples: [], intervalMs: 100, totals: totals(1) });
    publishSeries();
    expect(useSeries.getState()).toBe(state);
  });
});
