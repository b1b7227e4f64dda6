/**
 * One run of a sweep, the same in a worker thread, a Web Worker (sweepWorker.ts) and on the main thread. The main thread makes
 * and validates each row's document (`prepareRow` in sweep.ts); a worker only runs the validated
 * scenario, so it never loads the schema library (most of a worker's start-up time otherwise).
 */
import { createRun } from './run';
import { metricValue } from './expect';
import type { Scenario } from '../scenario/schema';

/** What a run gives back: its trace hash and metrics, and why it is marked, if it is. */
export interface SweepResult {
  index: number;
  traceHash: string | null;
  metrics: (number | null)[];
  /** Set when the run did not finish normally: a guardrail, an invalid combination, a broken invariant. */
  stoppedBy: string | null;
  /** The run broke an accounting invariant (a bug: the sweep exits with status 1). */
  broken: boolean;
}

/** A row to run: its index, its validated scenario, the metrics to read. */
export interface SweepJob {
  index: number;
  scenario: Scenario;
  metrics: string[];
  maxEvents?: number;
}

export function runSweepJob(job: SweepJob): SweepResult {
  const run = createRun(job.scenario, { logCapacity: 16, ...(job.maxEvents !== undefined ? { maxEvents: job.maxEvents } : {}) });
  run.runToEnd();
  const summary = run.summary();
  const values = job.metrics.map((m) => {
    const v = metricValue(summary, m);
    return v.ok ? v.value : null;
  });
  const broken = !summary.invariants.ok;
  const stoppedBy = broken ? `invariants broke: ${summary.invariants.violations.join('; ')}` : summary.stoppedBy;
  return { index: job.index, traceHash: summary.traceHash, metrics: values, stoppedBy, broken };
}
