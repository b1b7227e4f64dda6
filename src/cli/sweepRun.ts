/**
 * One run of a sweep, the same in a worker thread and on the main thread: the row's document
 * (params set, its seed), validated, run to the end, and the row SCENARIO.md prints for it.
 */
import { createRun } from '../run';
import { metricValue } from '../run/expect';
import type { SweepRow } from '../scenario/variants';
import { sweepRowDocument } from '../scenario/variants';
import { formatProblem, validateScenario } from '../scenario/validate';

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

export interface SweepJob {
  row: SweepRow;
  metrics: string[];
  maxEvents?: number;
}

export function runSweepRow(doc: unknown, job: SweepJob): SweepResult {
  const { row, metrics } = job;
  const blank = { index: row.index, traceHash: null, metrics: metrics.map(() => null), broken: false };
  const applied = sweepRowDocument(doc, row);
  if (!applied.ok) return { ...blank, stoppedBy: `invalid: ${applied.problems.map(formatProblem).join('; ')}` };
  const valid = validateScenario(applied.document);
  if (!valid.ok) return { ...blank, stoppedBy: `invalid: ${valid.problems.map(formatProblem).join('; ')}` };
  const run = createRun(valid.scenario, { logCapacity: 16, ...(job.maxEvents !== undefined ? { maxEvents: job.maxEvents } : {}) });
  run.runToEnd();
  const summary = run.summary();
  const values = metrics.map((m) => {
    const v = metricValue(summary, m);
    return v.ok ? v.value : null;
  });
  const broken = !summary.invariants.ok;
  const stoppedBy = broken ? `invariants broke: ${summary.invariants.violations.join('; ')}` : summary.stoppedBy;
  return { index: row.index, traceHash: summary.traceHash, metrics: values, stoppedBy, broken };
}
