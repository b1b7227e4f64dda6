/**
 * Metrics and expectations (SCENARIO.md "Comparing runs"). A metric is a dotted path into the run
 * summary (`latencyMs.p99`, `requests.successRate`, `nodes.db.received`, `amplification`); an
 * expectation bounds one metric with `min` and/or `max` and is checked after the run.
 */
import type { Expectation } from '../scenario/schema';
import type { RunSummary } from './types';

export type MetricResult = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * The number a metric names in a summary. `requests.byStatus.<s>` and `requests.byReason.<r>`
 * count 0 when no request ended that way; `requests.successRate` is null when none ended. A path
 * that names nothing is an error listing the keys that exist there.
 */
export function metricValue(summary: RunSummary, metric: string): MetricResult {
  const parts = metric.split('.');
  let here: unknown = summary;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i]!;
    if (typeof here !== 'object' || here === null || Array.isArray(here)) {
      return { ok: false, message: `${metric}: names nothing — ${parts.slice(0, i).join('.')} is a ${typeof here}, not an object` };
    }
    const obj = here as Record<string, unknown>;
    if (!Object.hasOwn(obj, key)) {
      const inCounts = i === 2 && parts[0] === 'requests' && (parts[1] === 'byStatus' || parts[1] === 'byReason');
      if (inCounts && parts.length === 3) return { ok: true, value: 0 };
      const where = i === 0 ? 'the summary' : parts.slice(0, i).join('.');
      const keys = Object.keys(obj).filter((k) => isNumberish(obj[k]));
      return { ok: false, message: `${metric}: names nothing — ${where} has no "${key}" (there: ${keys.join(', ')})` };
    }
    here = obj[key];
  }
  if (here === null) return { ok: true, value: null };
  if (typeof here !== 'number') {
    return { ok: false, message: `${metric}: is ${typeof here === 'object' ? 'an object' : `a ${typeof here}`}, not a number — name a key inside it` };
  }
  return { ok: true, value: here };
}

/** A number, or an object that holds some (a place a metric may pass through). */
function isNumberish(v: unknown): boolean {
  return typeof v === 'number' || v === null || (typeof v === 'object' && !Array.isArray(v));
}

/** One checked expectation, as the summary reports it. */
export interface ExpectationResult {
  metric: string;
  min: number | null;
  max: number | null;
  /** The metric's value (null when the run has none, e.g. a success rate with no request ended). */
  actual: number | null;
  ok: boolean;
  /** Why the metric could not be read (a path that names nothing in this summary). */
  error?: string;
}

/** Checks each expectation against a summary. */
export function checkExpectations(summary: RunSummary, expect: readonly Expectation[]): ExpectationResult[] {
  return expect.map((e) => {
    const min = e.min ?? null;
    const max = e.max ?? null;
    const m = metricValue(summary, e.metric);
    if (!m.ok) return { metric: e.metric, min, max, actual: null, ok: false, error: m.message };
    const v = m.value;
    const ok = v !== null && (min === null || v >= min) && (max === null || v <= max);
    return { metric: e.metric, min, max, actual: v, ok };
  });
}

/** A failed expectation in a sentence: `latencyMs.p99 = 412.3, above the max 300`. */
export function describeFailure(r: ExpectationResult): string {
  if (r.error) return r.error;
  if (r.actual === null) return `${r.metric} has no value in this run (nothing to measure)`;
  if (r.min !== null && r.actual < r.min) return `${r.metric} = ${r.actual}, below the min ${r.min}`;
  return `${r.metric} = ${r.actual}, above the max ${r.max}`;
}
