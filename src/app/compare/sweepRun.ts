/**
 * A sweep in the browser: its rows (scenario/variants.ts's sweepRows, as `npm run sweep` makes
 * them), each validated on this thread just before a worker takes it, run on a pool of Web
 * Workers (run/sweepWorker.ts), results by row, and the CSV export with the CLI's columns.
 */
import { create } from 'zustand';
import type { SweepJob, SweepResult } from '../../run/sweepJob';
import { csvField } from '../../run/export';
import { formatProblem, validateScenario } from '../../scenario/validate';
import { MAX_SWEEP_RUNS, sweepRowDocument, sweepRows, type SweepRow } from '../../scenario/variants';
import type { Problem } from '../../scenario/problem';
import { shortValue } from './diff';
import { WorkerPool, type PoolWorker } from './pool';

export interface SweepSpec {
  params: { path: string; values: unknown[] }[];
  seeds: number;
  metric: string;
}

/** Sweeps larger than this show their estimated time and ask before starting (as the CLI does). */
export const CONFIRM_ABOVE = 1000;

export interface SweepProgress {
  spec: SweepSpec | null;
  rows: SweepRow[];
  /** Results by row index (undefined: not back yet). */
  results: (SweepResult | undefined)[];
  done: number;
  startedAt: number;
  /** Wall time so far (or in all, once finished). */
  elapsedMs: number;
  workers: number;
  state: 'idle' | 'running' | 'done' | 'cancelled';
}

export const useSweep = create<SweepProgress>()(() => ({ spec: null, rows: [], results: [], done: 0, startedAt: 0, elapsedMs: 0, workers: 1, state: 'idle' }));

let pool: WorkerPool<SweepJob, SweepResult> | null = null;

function createSweepWorker(): PoolWorker<SweepJob, SweepResult> {
  return new Worker(new URL('../../run/sweepWorker.ts', import.meta.url), { type: 'module', name: 'faultline-sweep' });
}

/** A row that cannot run (an invalid combination): marked, as the CLI marks it. */
function invalid(row: SweepRow, message: string): SweepResult {
  return { index: row.index, traceHash: null, metrics: [null], stoppedBy: `invalid: ${message}`, broken: false };
}

/** The validated job of one row, or its marked result. */
export function prepareRow(doc: unknown, row: SweepRow, metric: string): { job: SweepJob } | { result: SweepResult } {
  const applied = sweepRowDocument(doc, row);
  if (!applied.ok) return { result: invalid(row, applied.problems.map(formatProblem).join('; ')) };
  const v = validateScenario(applied.document);
  if (!v.ok) return { result: invalid(row, v.problems.slice(0, 3).map(formatProblem).join('; ')) };
  return { job: { index: row.index, scenario: v.scenario, metrics: [metric] } };
}

const ORDINAL = ['first', 'second'];

/** The most cells a heatmap draws (100 × 100): one SVG element each. */
export const MAX_CELLS = 10_000;

/**
 * What is wrong with a sweep before anything runs, as `npm run sweep` checks it: the document
 * validated with the sweep as its `sweep` key, so every path, every value (set on the document
 * alone, and validated), the seeds, the metric and the number of runs (MAX_SWEEP_RUNS); and, the
 * app's own limit, a heatmap of at most MAX_CELLS cells. Each problem names the dialog's field ("first
 * setting, value 2 ("abc")") rather than the key it would have in a document. Empty: it can start.
 * A combination of two values each valid alone may still make an invalid document: that row is
 * marked when it comes up, as the CLI marks it.
 */
export function sweepProblems(doc: unknown, spec: SweepSpec): Problem[] {
  const cells = spec.params.reduce((n, p) => n * p.values.length, 1);
  if (cells > MAX_CELLS) {
    return [{ path: 'the sweep', message: `its heatmap would have ${cells.toLocaleString('en-US')} cells; at most ${MAX_CELLS.toLocaleString('en-US')} here (fewer values; npm run sweep takes up to ${MAX_SWEEP_RUNS.toLocaleString('en-US')} runs)` }];
  }
  const base = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {};
  const v = validateScenario({ ...base, sweep: { params: spec.params, seeds: spec.seeds, metrics: [spec.metric] } });
  if (v.ok) return [];
  return v.problems.map((p) => ({ ...p, path: sweepField(p.path, spec) }));
}

/** A problem's path in the document (`sweep.params[0].values[1]`) as the sweep dialog's field. */
function sweepField(path: string, spec: SweepSpec): string {
  const param = /^sweep\.params\[(\d+)\](?:\.(path|values)(?:\[(\d+)\])?)?/.exec(path);
  if (param) {
    const i = Number(param[1]);
    const setting = `${ORDINAL[i] ?? `setting ${i + 1}:`} setting`;
    if (param[2] === 'path') return setting;
    if (param[3] !== undefined) {
      const j = Number(param[3]);
      return `${setting}, value ${j + 1} (${shortValue(spec.params[i]?.values[j], 30)})`;
    }
    return `${setting} values`;
  }
  if (path === 'sweep') return 'the sweep';
  if (path.startsWith('sweep.seeds')) return 'seeds per cell';
  if (path.startsWith('sweep.metrics')) return 'metric';
  return path;
}

/** The rows a spec makes on a document's seed. */
export function rowsOf(spec: SweepSpec, seed: string | number): SweepRow[] {
  return sweepRows({ params: spec.params, seeds: spec.seeds }, seed);
}

/** Runs one row on a worker of its own and returns its wall time (the estimate of a large sweep). */
export async function timeOneRun(doc: unknown, row: SweepRow, metric: string): Promise<number> {
  const made = prepareRow(doc, row, metric);
  if ('result' in made) return 0;
  const one = new WorkerPool<SweepJob, SweepResult>(createSweepWorker, 1);
  const t0 = performance.now();
  await one.run({ count: 1, make: () => made, failed: (i) => invalid(row, `worker failed at ${i}`), onResult: () => {} });
  return performance.now() - t0;
}

/** Starts a sweep of `doc` on `workers` Web Workers; progress goes to useSweep. */
export async function startSweep(doc: unknown, seed: string | number, spec: SweepSpec, workers: number): Promise<void> {
  pool?.cancel();
  const rows = rowsOf(spec, seed);
  const startedAt = performance.now();
  useSweep.setState({ spec, rows, results: new Array<SweepResult | undefined>(rows.length), done: 0, startedAt, elapsedMs: 0, workers, state: 'running' });
  const mine = (pool = new WorkerPool<SweepJob, SweepResult>(createSweepWorker, workers));
  const results = new Array<SweepResult | undefined>(rows.length);
  let lastPaint = 0;
  const outcome = await mine.run({
    count: rows.length,
    make: (i) => prepareRow(doc, rows[i]!, spec.metric),
    failed: (i, message) => ({ index: i, traceHash: null, metrics: [null], stoppedBy: `crashed: ${message}`, broken: true }),
    onResult: (result, i, done) => {
      results[i] = result;
      const now = performance.now();
      // A few paints a second are enough for the heatmap and the progress bar.
      if (done === rows.length || now - lastPaint > 150) {
        lastPaint = now;
        useSweep.setState({ results: results.slice(), done, elapsedMs: now - startedAt });
      }
    },
  });
  if (pool === mine) pool = null;
  useSweep.setState({ results: results.slice(), done: results.filter(Boolean).length, elapsedMs: performance.now() - startedAt, state: outcome === 'done' ? 'done' : 'cancelled' });
}

export function cancelSweep(): void {
  pool?.cancel();
}

/** The sweep as CSV, with the CLI's columns: a column per param, seed, traceHash, the metric, stoppedBy. */
export function sweepCsv(spec: SweepSpec, rows: readonly SweepRow[], results: readonly (SweepResult | undefined)[]): string {
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'number' ? csvField(v) : csvField(typeof v === 'string' ? v : JSON.stringify(v)));
  const header = [...spec.params.map((p) => p.path), 'seed', 'traceHash', spec.metric, 'stoppedBy'].map((h) => csvField(h)).join(',');
  const lines = [header];
  for (const row of rows) {
    const r = results[row.index];
    if (!r) continue;
    lines.push([...spec.params.map((p) => cell(row.values[p.path])), cell(row.seed), cell(r.traceHash), cell(r.metrics[0]), cell(r.stoppedBy)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
