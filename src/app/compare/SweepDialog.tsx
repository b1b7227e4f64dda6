/**
 * The sweep dialog: one or two settings (setting paths, picked from the document or typed) and
 * their values, seeds per cell, a metric and the number of workers; a progress bar with the time
 * left and cancel; the heatmap; CSV export. A sweep of more than 1,000 runs times one run first
 * and asks before starting.
 */
import { useMemo, useState } from 'react';
import { parseValueList } from '../../scenario/paths';
import { checkMetricPath } from '../../scenario/variants';
import type { Problem } from '../../scenario/validate';
import { exportFileName } from '../../run/export';
import { useController } from '../context';
import { useApp } from '../store';
import { download } from '../panels/download';
import { Dialog } from './CompareMode';
import { ProblemList } from './ProblemList';
import { settingPaths, shortValue } from './diff';
import { canvasDocument, plainOf, settingsName, startCompare, withVariant } from './mode';
import { SUPERSEDED } from '../simulation';
import { formatEstimate, sweepCells, timeLeftMs, type Cell } from './cells';
import { poolSize } from './pool';
import { Heatmap } from './Heatmap';
import { CONFIRM_ABOVE, cancelSweep, rowsOf, startSweep, sweepCsv, sweepProblems, timeOneRun, useSweep, type SweepSpec } from './sweepRun';

const METRICS: { metric: string; label: string; higherIsBetter: boolean }[] = [
  { metric: 'requests.successRate', label: 'success rate', higherIsBetter: true },
  { metric: 'latencyMs.p99', label: 'latency p99', higherIsBetter: false },
  { metric: 'latencyMs.p50', label: 'latency p50', higherIsBetter: false },
  { metric: 'amplification', label: 'amplification', higherIsBetter: false },
  { metric: 'requests.failed', label: 'failed requests', higherIsBetter: false },
  { metric: 'requests.ok', label: 'ok requests', higherIsBetter: true },
];

type Obj = Record<string, unknown>;

/** The sweep the document carries, as the form's starting point. */
function initialForm(doc: unknown): { p1: string; v1: string; p2: string; v2: string; seeds: string; metric: string } {
  const sweep = (doc as Obj | null)?.sweep as { params?: { path: string; values: unknown[] }[]; seeds?: number; metrics?: string[] } | null | undefined;
  const text = (values: unknown[] | undefined) => (values ?? []).map((v) => (typeof v === 'string' && !/[,[\]{}"]/.test(v) ? v : JSON.stringify(v))).join(', ');
  return {
    p1: sweep?.params?.[0]?.path ?? '',
    v1: text(sweep?.params?.[0]?.values),
    p2: sweep?.params?.[1]?.path ?? '',
    v2: text(sweep?.params?.[1]?.values),
    seeds: String(sweep?.seeds ?? 1),
    metric: sweep?.metrics?.[0] ?? 'requests.successRate',
  };
}

export default function SweepDialog({ onClose }: { onClose: () => void }) {
  const controller = useController();
  const document = useApp((s) => s.document);
  const scenario = useApp((s) => s.scenario);
  // In compare view the run on screen is B: the sweep is of B's document, and a cell compares with it.
  const base = canvasDocument(document);
  const [form, setForm] = useState(() => initialForm(document));
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  const [workers, setWorkers] = useState(() => poolSize(cores, Number.MAX_SAFE_INTEGER));
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [confirm, setConfirm] = useState<{ spec: SweepSpec; runs: number; estimateMs: number } | null>(null);
  const [timing, setTiming] = useState(false);
  const sweep = useSweep();
  const paths = useMemo(() => settingPaths(plainOf(document)), [document]);
  const maxWorkers = Math.max(1, Math.min(16, cores ?? 2));
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  /** The form as a sweep, or the problems with it (each naming its field). */
  const specOf = (): SweepSpec | Problem[] => {
    const out: Problem[] = [];
    const params: SweepSpec['params'] = [];
    const param = (pathText: string, valuesText: string, field: string) => {
      const path = pathText.trim();
      if (path === '') return;
      let values: unknown[] = [];
      try {
        values = parseValueList(valuesText);
      } catch (e) {
        out.push({ path: `${field} values`, message: e instanceof Error ? e.message : String(e) });
        return;
      }
      if (values.length > 1000) out.push({ path: `${field} values`, message: `at most 1,000 values (got ${values.length})` });
      else params.push({ path, values });
    };
    param(form.p1, form.v1, 'first setting');
    param(form.p2, form.v2, 'second setting');
    if (form.p1.trim() === '') out.push({ path: 'first setting', message: 'name a setting to sweep, e.g. nodes[api].calls[db].retry.maxAttempts' });
    if (params.length === 2 && params[0]!.path === params[1]!.path) out.push({ path: 'second setting', message: 'is the same setting as the first' });
    const seeds = Number(form.seeds);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 10_000) out.push({ path: 'seeds per cell', message: 'must be a whole number from 1 to 10,000' });
    const metric = form.metric.trim();
    const why = checkMetricPath(metric, scenario?.nodes.map((n) => n.id) ?? []);
    if (why) out.push({ path: 'metric', message: why });
    return out.length > 0 ? out : { params, seeds, metric };
  };

  const run = async (spec: SweepSpec) => {
    setConfirm(null);
    await startSweep(plainOf(base), scenario?.seed ?? 1, spec, workers);
  };

  const start = async () => {
    setProblems(null);
    const spec = specOf();
    if (Array.isArray(spec)) return setProblems(spec);
    const seed = scenario?.seed ?? 1;
    // A path that names nothing (with what exists there), a value the setting cannot take or a
    // sweep too large to hold is reported before anything runs (or its rows are made), as
    // `npm run sweep` reports it.
    const wrong = sweepProblems(plainOf(base), spec);
    if (wrong.length > 0) return setProblems(wrong);
    const rows = rowsOf(spec, seed);
    const first = rows[0]!;
    if (rows.length > CONFIRM_ABOVE) {
      setTiming(true);
      const oneMs = await timeOneRun(plainOf(base), first, spec.metric);
      setTiming(false);
      setConfirm({ spec, runs: rows.length, estimateMs: (oneMs * rows.length) / workers });
      return;
    }
    await run(spec);
  };

  const pick = async (cell: Cell) => {
    const spec = sweep.spec;
    if (!spec) return;
    const values: Record<string, unknown> = {};
    const [p1, p2] = spec.params;
    values[p1!.path] = p1!.values[cell.x];
    if (p2) values[p2.path] = p2.values[cell.y];
    const name = settingsName(
      'sweep: ',
      Object.entries(values).map(([k, v]) => [k, shortValue(v, 24)] as const),
    );
    const result = await startCompare(controller, withVariant(base, name, values, 'A cell of a sweep, on the document\'s own seed.'), name);
    if (result === true) onClose();
    else if (result !== SUPERSEDED) setProblems(Array.isArray(result) ? result : [{ path: '', message: result }]);
  };

  const exportCsv = () => {
    if (!sweep.spec) return;
    download(exportFileName(scenario?.name ?? 'sweep', scenario?.seed ?? '', 'sweep', 'csv'), sweepCsv(sweep.spec, sweep.rows, sweep.results), 'text/csv');
  };

  const spec = sweep.spec;
  const cells = spec
    ? sweepCells(
        sweep.results.flatMap((r) => (r ? [{ index: r.index, value: r.metrics[0] ?? null, stoppedBy: r.stoppedBy }] : [])),
        spec.params.map((p) => p.values.length),
        spec.seeds,
      )
    : [];
  const total = sweep.rows.length;
  const left = sweep.state === 'running' ? timeLeftMs(sweep.done, total, sweep.elapsedMs) : null;
  const marked = cells.filter((c) => c.marked.length > 0).length;
  const better = METRICS.find((m) => m.metric === spec?.metric)?.higherIsBetter ?? null;

  return (
    <Dialog title="Sweep settings" onClose={onClose} wide>
      <div className="sweep-form">
        <label>
          First setting
          <input type="text" list="sweep-paths" value={form.p1} onChange={set('p1')} placeholder="nodes[api].calls[db].retry.maxAttempts" spellCheck={false} data-testid="sweep-p1" />
        </label>
        <label>
          its values
          <input type="text" value={form.v1} onChange={set('v1')} placeholder="1, 2, 3" spellCheck={false} data-testid="sweep-v1" />
        </label>
        <label>
          Second setting (optional)
          <input type="text" list="sweep-paths" value={form.p2} onChange={set('p2')} placeholder="nodes[api].calls[db].retry.baseDelayMs" spellCheck={false} data-testid="sweep-p2" />
        </label>
        <label>
          its values
          <input type="text" value={form.v2} onChange={set('v2')} placeholder="10, 100, 1000" spellCheck={false} data-testid="sweep-v2" />
        </label>
        <datalist id="sweep-paths">
          {paths.map((p) => (
            <option key={p.path} value={p.path}>
              {shortValue(p.value, 30)}
            </option>
          ))}
        </datalist>
        <label>
          Seeds per cell
          <input type="number" min={1} max={10000} value={form.seeds} onChange={set('seeds')} data-testid="sweep-seeds" />
        </label>
        <label>
          Metric
          <input type="text" list="sweep-metrics" value={form.metric} onChange={set('metric')} spellCheck={false} data-testid="sweep-metric" />
          <datalist id="sweep-metrics">
            {METRICS.map((m) => (
              <option key={m.metric} value={m.metric}>
                {m.label}
              </option>
            ))}
          </datalist>
        </label>
        <label>
          Workers
          <select value={workers} onChange={(e) => setWorkers(Number(e.target.value))} aria-label="Workers (Web Workers running the sweep)" data-testid="sweep-workers">
            {Array.from({ length: maxWorkers }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">
        Each combination runs with every seed (<code>{String(scenario?.seed ?? '')}/1</code> … ; one seed: the document&apos;s own), as <code>npm run sweep</code> does: the same rows, the same
        trace hashes.
      </p>
      {problems ? <ProblemList title="The sweep cannot start:" problems={problems} onClose={() => setProblems(null)} /> : null}
      {confirm ? (
        <div className="sweep-confirm" role="alertdialog" aria-label="Start a large sweep?" data-testid="sweep-confirm">
          <p>
            <strong>{confirm.runs.toLocaleString('en-US')} runs</strong>: about <strong>{formatEstimate(confirm.estimateMs)}</strong> on {workers} worker{workers === 1 ? '' : 's'} (one run
            took {formatEstimate(confirm.estimateMs / (confirm.runs / workers))}). Start?
          </p>
          <button type="button" className="btn" onClick={() => setConfirm(null)} data-testid="sweep-confirm-no">
            Don&apos;t start
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void run(confirm.spec)} data-testid="sweep-confirm-yes">
            Start {confirm.runs.toLocaleString('en-US')} runs
          </button>
        </div>
      ) : null}
      <div className="dialog-actions">
        {sweep.state === 'running' ? (
          <button type="button" className="btn btn-danger" onClick={() => cancelSweep()} data-testid="sweep-cancel">
            Cancel the sweep
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={timing} data-testid="sweep-start">
            {timing ? 'Timing one run…' : 'Run the sweep'}
          </button>
        )}
        <button type="button" className="btn" onClick={exportCsv} disabled={!spec || sweep.done === 0} data-testid="sweep-csv">
          Export CSV
        </button>
      </div>
      {spec ? (
        <div className="sweep-progress" data-testid="sweep-progress" data-state={sweep.state} data-done={sweep.done} data-total={total}>
          <progress max={total} value={sweep.done} aria-label="Sweep progress" />
          <span>
            {sweep.done} of {total} runs
            {sweep.state === 'running' ? (left === null ? ' · estimating…' : ` · about ${formatEstimate(left)} left`) : ''}
            {sweep.state === 'done' ? ` in ${formatEstimate(sweep.elapsedMs)} on ${sweep.workers} worker${sweep.workers === 1 ? '' : 's'} (${((sweep.done * 1000) / Math.max(1, sweep.elapsedMs)).toFixed(2)} runs/s)` : ''}
            {sweep.state === 'cancelled' ? ' · cancelled' : ''}
            {marked > 0 ? ` · ${marked} cell${marked === 1 ? '' : 's'} marked (a run stopped by a guardrail or invalid)` : ''}
          </span>
        </div>
      ) : null}
      {spec ? (
        <Heatmap
          cells={cells}
          xValues={spec.params[0]!.values}
          yValues={spec.params[1]?.values ?? null}
          xLabel={spec.params[0]!.path}
          yLabel={spec.params[1]?.path ?? null}
          metric={spec.metric}
          seeds={spec.seeds}
          seed={scenario?.seed ?? ''}
          higherIsBetter={better}
          onPick={(c) => void pick(c)}
        />
      ) : null}
    </Dialog>
  );
}
