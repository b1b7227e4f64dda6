/**
 * Sweeps: `npm run -s sweep -- doc.json [--param PATH=v1,v2,...]... [--seeds K] [--metric M]...
 * [--jobs N] [--shard I/N] [--csv | --json] [--yes] [--max-events N]`.
 *
 * Runs the document's `sweep` (or the one the --param flags give) on N worker threads and prints
 * one row per run, in row order: a column per param named by its path, then `seed`, `traceHash`, a
 * column per metric, and `stoppedBy` (empty unless the run was stopped by a guardrail, the
 * combination was invalid, or an invariant broke: that row is marked, the sweep goes on). A row's
 * seed given to `sim --seed`, with its params as `--set`, reproduces its trace hash.
 *
 * `--shard I/N` runs only the rows whose index ≡ I (mod N), I from 0; only shard 0 prints the CSV
 * header, so the shards' outputs, concatenated, are the whole sweep's rows.
 *
 * A sweep of more than 1,000 runs first times one run and prints its estimated time; it then asks
 * on a terminal, and needs --yes when stdin is not one (CI, a batch job).
 *
 * Exit status: 0 the sweep ran (marked rows included); 1 a run broke an accounting invariant;
 * 2 bad input, or a large sweep not confirmed.
 */
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { parseValueList, splitAssignment, ValueListError } from '../scenario/paths';
import type { Problem } from '../scenario/problem';
import type { Scenario } from '../scenario/schema';
import { stripComparisons, sweepRowDocument, sweepRows, type SweepRow } from '../scenario/variants';
import { formatProblem, validateScenario } from '../scenario/validate';
import { InputError, readDocument } from './document';
import { runSweepJob, type SweepJob, type SweepResult } from '../run/sweepJob';

const USAGE = `usage: npm run -s sweep -- <scenario.json | share URL> [--param PATH=v1,v2,...]... [--seeds K]
         [--metric M]... [--jobs N] [--shard I/N] [--csv | --json] [--yes] [--max-events N]

  --param PATH=v1,v2,...  a setting and its values (one or two params; replaces the document's sweep)
  --seeds K      runs per combination, seeds <seed>/1 ... <seed>/K (1: the document's own seed)
  --metric M     a summary path per column (repeat); default: the sweep's metrics, else
                 requests.successRate, latencyMs.p99 and amplification
  --jobs N       worker threads (default: the machine's cores, ${availableParallelism()} here)
  --shard I/N    run only the rows whose index ≡ I (mod N), I from 0
  --csv          comma-separated values with a header row (the default)
  --json         JSON lines with the same keys
  --yes          start a sweep of more than ${(1000).toLocaleString('en-US')} runs without asking
  --max-events N the per-run event guardrail (a run that reaches it is marked in stoppedBy)`;

export const DEFAULT_METRICS = ['requests.successRate', 'latencyMs.p99', 'amplification'];
/** Sweeps larger than this print their estimated time and ask before starting. */
export const CONFIRM_ABOVE = 1000;

export interface SweepOptions {
  /** The worker script (default: sweepWorker beside this module, with this module's extension). */
  workerUrl?: URL;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Whether stdin is a terminal a person can answer on (default: process.stdin.isTTY). */
  interactive?: boolean;
}

function defaultWorkerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  return new URL(`./sweepWorker${extname(here)}`, import.meta.url);
}

export async function main(argv: string[], options: SweepOptions = {}): Promise<number> {
  const out = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => void process.stderr.write(t));
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true, default: [] },
        seeds: { type: 'string' },
        metric: { type: 'string', multiple: true, default: [] },
        jobs: { type: 'string' },
        shard: { type: 'string' },
        csv: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        'max-events': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  const usage = (message: string): number => {
    err(`error: ${message}\n${USAGE}\n`);
    return 2;
  };
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'a scenario file or share URL is required' : 'only one scenario at a time');
  if (values.csv && values.json) return usage('--csv and --json: choose one');

  const int = (flag: string, text: string | undefined, min: number): number | undefined | Error => {
    if (text === undefined) return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n >= min ? n : new Error(`${flag} must be a whole number of at least ${min}, got "${text}"`);
  };
  const seeds = int('--seeds', values.seeds, 1);
  const jobs = int('--jobs', values.jobs, 1);
  const maxEvents = int('--max-events', values['max-events'], 1);
  for (const v of [seeds, jobs, maxEvents]) if (v instanceof Error) return usage(v.message);

  let shard: { i: number; n: number } | null = null;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) return usage(`--shard must be I/N with 0 <= I < N, got "${values.shard}"`);
    shard = { i: Number(m[1]), n: Number(m[2]) };
  }

  let doc: unknown;
  try {
    doc = readDocument(positionals[0]!);
  } catch (e) {
    if (e instanceof InputError) {
      err(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    const v = validateScenario(doc);
    return invalid(err, positionals[0]!, v.ok ? [] : v.problems);
  }

  // The sweep: the --param flags, else the document's own; --seeds and --metric override its keys.
  const own = (doc as { sweep?: { params?: unknown; seeds?: unknown; metrics?: unknown } | null }).sweep ?? null;
  let params: unknown = own?.params;
  if (values.param.length > 0) {
    const list: { path: string; values: unknown[] }[] = [];
    for (const text of values.param) {
      const a = splitAssignment(text);
      if (!a.ok) return usage(`--param ${a.message}`);
      try {
        list.push({ path: a.path, values: parseValueList(a.valueText) });
      } catch (e) {
        if (e instanceof ValueListError) return usage(`--param ${a.path}: ${e.message}`);
        throw e;
      }
    }
    params = list;
  }
  if (params === undefined) return usage('the document has no sweep: give one or two --param PATH=v1,v2,...');
  const sweep = {
    params,
    seeds: (seeds as number | undefined) ?? own?.seeds ?? 1,
    metrics: values.metric.length > 0 ? values.metric : Array.isArray(own?.metrics) && own.metrics.length > 0 ? own.metrics : DEFAULT_METRICS,
  };
  // Validating the document with this sweep checks every path, every value and every metric.
  const checked = validateScenario({ ...(doc as Record<string, unknown>), sweep });
  if (!checked.ok) return invalid(err, positionals[0]!, checked.problems);
  const plan = checked.scenario.sweep!;
  const base = stripComparisons(doc);

  const all = sweepRows(plan, checked.scenario.seed);
  const rows = shard ? all.filter((r) => r.index % shard!.n === shard!.i) : all;
  const workers = Math.max(1, Math.min((jobs as number | undefined) ?? availableParallelism(), rows.length));
  const job = (row: SweepRow): SweepJob | SweepResult => {
    const prepared = prepareRow(base, row);
    if (!prepared.ok) return { index: row.index, traceHash: null, metrics: plan.metrics.map(() => null), stoppedBy: prepared.stoppedBy, broken: false };
    return { index: row.index, scenario: prepared.scenario, metrics: plan.metrics, ...(maxEvents !== undefined ? { maxEvents: maxEvents as number } : {}) };
  };

  if (rows.length > CONFIRM_ABOVE) {
    const t0 = performance.now();
    const first = job(rows[0]!);
    if ('scenario' in first) runSweepJob(first);
    const perRun = (performance.now() - t0) / 1000;
    const total = (perRun * rows.length) / workers;
    err(`this sweep makes ${rows.length.toLocaleString('en-US')} runs: about ${formatSeconds(total)} on ${workers} worker${workers === 1 ? '' : 's'} (one run took ${perRun.toFixed(2)} s)\n`);
    if (!values.yes) {
      const interactive = options.interactive ?? process.stdin.isTTY === true;
      if (!interactive) {
        err('error: a sweep of more than 1,000 runs needs --yes when stdin is not a terminal\n');
        return 2;
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question('start it? [y/N] ');
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        err('not started\n');
        return 2;
      }
    }
  }

  const columns = [...plan.params.map((p) => p.path), 'seed', 'traceHash', ...plan.metrics, 'stoppedBy'];
  const format = (row: SweepRow, r: SweepResult): string => {
    const cells: unknown[] = [...plan.params.map((p) => row.values[p.path]), row.seed, r.traceHash, ...r.metrics, r.stoppedBy];
    if (values.json) return `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? null])))}\n`;
    return `${cells.map(csvCell).join(',')}\n`;
  };
  if (!values.json && (!shard || shard.i === 0)) out(`${columns.map(csvCell).join(',')}\n`);

  let marked = 0;
  let broken = 0;
  await runPool(rows, job, workers, options.workerUrl ?? defaultWorkerUrl(), (row, r) => {
    if (r.stoppedBy !== null) marked++;
    if (r.broken) broken++;
    out(format(row, r));
  });
  if (marked > 0) err(`${marked} of ${rows.length} runs did not finish normally (see stoppedBy)\n`);
  return broken > 0 ? 1 : 0;
}

function invalid(err: (t: string) => void, source: string, problems: Problem[]): number {
  err(`error: ${source} is not a valid scenario or sweep (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
  for (const p of problems) err(`  ${formatProblem(p)}\n`);
  return 2;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.ceil(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A CSV cell (RFC 4180): strings and numbers as they are, other values as JSON; quoted when needed. */
function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A row's document (its params, its seed), validated on the main thread; or why it cannot run. */
function prepareRow(doc: unknown, row: SweepRow): { ok: true; scenario: Scenario } | { ok: false; stoppedBy: string } {
  const applied = sweepRowDocument(doc, row);
  if (!applied.ok) return { ok: false, stoppedBy: `invalid: ${applied.problems.map(formatProblem).join('; ')}` };
  const valid = validateScenario(applied.document);
  if (!valid.ok) return { ok: false, stoppedBy: `invalid: ${valid.problems.map(formatProblem).join('; ')}` };
  return { ok: true, scenario: valid.scenario };
}

/**
 * Jobs handed to a worker ahead of its answers: with two, a worker that finishes a run starts the
 * next at once instead of waiting for the main thread (which, on a machine with as many workers
 * as cores, waits for a core of its own to make the next row).
 */
const IN_FLIGHT = 2;

/**
 * Runs the rows on `size` worker threads, up to IN_FLIGHT jobs per worker at a time (each row's
 * document is made just before it is handed out), and hands the results over in row order: a
 * result that arrives early waits for the ones before it.
 */
async function runPool(
  rows: SweepRow[],
  job: (row: SweepRow) => SweepJob | SweepResult,
  size: number,
  workerUrl: URL,
  emit: (row: SweepRow, r: SweepResult) => void,
): Promise<void> {
  if (rows.length === 0) return;
  const done = new Map<number, SweepResult>();
  const position = new Map(rows.map((r, i) => [r.index, i]));
  let next = 0;
  let emitted = 0;
  const flush = () => {
    while (emitted < rows.length && done.has(emitted)) {
      const r = done.get(emitted)!;
      done.delete(emitted);
      emit(rows[emitted]!, r);
      emitted++;
    }
  };
  await new Promise<void>((resolve, reject) => {
    const pool: Worker[] = [];
    let failed = false;
    const finished = () => {
      if (emitted < rows.length) return false;
      for (const x of pool) void x.terminate();
      resolve();
      return true;
    };
    const busy = new Map<Worker, number>();
    const give = (w: Worker) => {
      // Rows that cannot run (an invalid combination) are answered here, without a worker.
      while (next < rows.length && busy.get(w)! < IN_FLIGHT) {
        const j = job(rows[next++]!);
        if ('scenario' in j) {
          w.postMessage(j);
          busy.set(w, busy.get(w)! + 1);
          continue;
        }
        done.set(position.get(j.index)!, j);
        flush();
      }
      finished();
    };
    for (let i = 0; i < size; i++) {
      const w = startWorker(workerUrl);
      pool.push(w);
      busy.set(w, 0);
      w.on('message', (r: SweepResult) => {
        busy.set(w, busy.get(w)! - 1);
        done.set(position.get(r.index)!, r);
        flush();
        if (!finished()) give(w);
      });
      w.on('error', (e) => {
        if (failed) return;
        failed = true;
        for (const x of pool) void x.terminate();
        reject(e);
      });
      give(w);
    }
  });
}

/**
 * A worker on `url`. Run from TypeScript sources (npm run sweep), the worker registers tsx's
 * loader first: a worker thread does not inherit the loader hooks its parent registered.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true });
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
