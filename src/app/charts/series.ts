/**
 * The time series on the main thread: frames carry only the samples the previous ones did not
 * (`from` says where they go), so this store grows by a few samples a second and starts over
 * when the run does. Charts, cards and sparklines read it.
 */
import { create } from 'zustand';
import type { Frame } from '../../run/protocol';
import type { MetricSample, SeriesTotals } from '../../run/types';

export interface SeriesState {
  samples: MetricSample[];
  intervalMs: number;
  totals: SeriesTotals | null;
}

export const useSeries = create<SeriesState>()(() => ({ samples: [], intervalMs: 1000, totals: null }));

/**
 * The series as the frames have brought it, published or not. Its samples array is the store's
 * until a frame adds to it; it is copied then, since a published array never changes.
 */
let taken: SeriesState = useSeries.getState();
let unpublished = false;

/**
 * Apply one frame's delta: samples from index `from` on replace whatever was there. With
 * `publish` false the store (and so every chart) is brought up to date later, by the next
 * `publishSeries` or publishing `applySeries`: frames come up to sixty times a second, and
 * redrawing every chart and sparkline that often costs the canvas its frame rate.
 */
export function applySeries(delta: NonNullable<Frame['series']>, publish = true): void {
  if (delta.samples.length > 0 || delta.from !== taken.samples.length || delta.intervalMs !== taken.intervalMs) {
    let samples: MetricSample[];
    if (delta.from === 0) samples = delta.samples.slice();
    else {
      samples = taken.samples === useSeries.getState().samples ? taken.samples.slice(0, delta.from) : taken.samples;
      samples.length = Math.min(samples.length, delta.from);
      for (const s of delta.samples) samples.push(s);
    }
    taken = { samples, intervalMs: delta.intervalMs, totals: delta.totals };
    unpublished = true;
  } else if (delta.totals && taken.totals && delta.totals.sent !== taken.totals.sent) {
    // Nothing new: keep the same array so charts do not redraw, but keep the totals fresh.
    taken = { ...taken, totals: delta.totals };
    unpublished = true;
  }
  if (publish) publishSeries();
}

/** Puts the series the frames brought into the store, if it changed since it was last published. */
export function publishSeries(): void {
  if (!unpublished) return;
  unpublished = false;
  useSeries.setState(taken);
}

/** Failure reasons grouped into the few bands a projector can tell apart. */
export const OUTCOMES = [
  { key: 'ok', label: 'ok', color: 'var(--ok)' },
  { key: 'fallback', label: 'fallback (ok, degraded)', color: 'var(--chart-fallback)' },
  { key: 'rejected', label: 'rejected fast (breaker, bulkhead, full, 429)', color: 'var(--chart-rejected)' },
  { key: 'timeout', label: 'timed out', color: 'var(--fate-timeout)' },
  { key: 'error', label: 'error status', color: 'var(--bad)' },
] as const;
export type OutcomeKey = (typeof OUTCOMES)[number]['key'];

const REJECTED = new Set(['short-circuited', 'bulkhead', 'queue-full', 'rate-limited', 'refused']);

/** A sample's ended requests by outcome band. */
export function outcomeCounts(s: MetricSample): Record<OutcomeKey, number> {
  const out: Record<OutcomeKey, number> = { ok: s.ok - s.fallback, fallback: s.fallback, rejected: 0, timeout: 0, error: 0 };
  for (const [reason, n] of Object.entries(s.failedBy)) {
    if (reason === 'timeout') out.timeout += n;
    else if (REJECTED.has(reason)) out.rejected += n;
    else out.error += n;
  }
  return out;
}

/** Seconds a sample covers (its counts ÷ this = per second). */
export function sampleSeconds(s: MetricSample): number {
  return Math.max(1e-9, (s.endMs - s.startMs) / 1000);
}
