/**
 * Compare view's store: the comparison on screen (document A with its variants, which variant is
 * B, B's diff from A, the fork's moment) and run A's figures (summary, time series). Run B is the
 * canvas's run: its figures are the app store's and the charts' series.
 */
import { create } from 'zustand';
import type { Frame } from '../../run/protocol';
import type { MetricSample, RunSummary } from '../../run/types';
import type { SettingChange } from './diff';

export interface CompareState {
  /** Document A as shared: its `variants` hold B's settings. */
  base: unknown;
  /** The variant shown as B. */
  variant: string;
  /** B's settings by path, with A's value and B's. */
  diff: SettingChange[];
  /** When B is a fork (a timed change or a fault from a moment): that moment. */
  forkAtMs: number | null;
  a: { summary: RunSummary | null; simTimeMs: number; samples: MetricSample[]; intervalMs: number };
  /** Why run A stopped, if its worker failed. */
  failure: string | null;
}

export const EMPTY_A: CompareState['a'] = { summary: null, simTimeMs: 0, samples: [], intervalMs: 1000 };

export const useCompare = create<CompareState>()(() => ({ base: null, variant: '', diff: [], forkAtMs: null, a: EMPTY_A, failure: null }));

/** Merges a frame's series delta into run A's samples (as charts/series.ts does for the canvas's run). */
export function mergeSamples(samples: MetricSample[], delta: NonNullable<Frame['series']>): MetricSample[] {
  if (delta.samples.length === 0 && delta.from === samples.length) return samples;
  return delta.from === 0 ? delta.samples.slice() : samples.slice(0, delta.from).concat(delta.samples);
}
