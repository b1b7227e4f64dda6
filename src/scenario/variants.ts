/**
 * Comparing runs (SCENARIO.md "Comparing runs"): documents with settings replaced (`--set`, a
 * variant, a sweep row), the rows of a sweep, and the checks of `variants`, `sweep`, `expect` and
 * `changes` against the document they belong to. Pure functions on JSON documents.
 */
import { formatPath, formatProblem, type Problem } from './problem';
import { resolvePath, resolveSetting, setSetting } from './paths';
import { classifyLiveSetting } from './changes';
import type { Scenario, Sweep } from './schema';
import { closest } from './suggest';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A validator of whole documents (validate.ts's validateScenario; passed in so the two files do not import each other). */
export type Validate = (doc: unknown) => { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** Settings in the order they are applied: `[path, value]`. */
export type Settings = Record<string, unknown> | readonly (readonly [string, unknown])[];

const entries = (set: Settings): (readonly [string, unknown])[] => (Array.isArray(set) ? [...set] : Object.entries(set as Record<string, unknown>));

export type ApplyResult = { ok: true; document: unknown; concrete: Map<string, string> } | { ok: false; problems: Problem[] };

/**
 * The document with each setting replaced, in order (the input is left as it was). A path that
 * names nothing is a problem at that path listing what exists there.
 */
export function applySettings(doc: unknown, set: Settings): ApplyResult {
  let out = doc;
  const concrete = new Map<string, string>();
  const problems: Problem[] = [];
  for (const [path, value] of entries(set)) {
    const r = setSetting(out, path, value);
    if (!r.ok) problems.push(r.problem);
    else {
      out = r.document;
      concrete.set(path, r.concrete);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document: out, concrete };
}

/**
 * A validation problem of a document made with settings, told by the setting that caused it:
 * `nodes[api].calls[db].retry.jitter: must be one of ...` rather than `nodes[1].calls[0]...`.
 */
function bySetting(p: Problem, concrete: Map<string, string>): Problem {
  for (const [path, c] of concrete) {
    if (p.path === c) return { path, message: p.message };
    if (c !== '' && p.path.startsWith(c) && (p.path[c.length] === '.' || p.path[c.length] === '[')) return { path: `${path}${p.path.slice(c.length)}`, message: p.message };
  }
  return p;
}

export type SettingsResult = { ok: true; document: unknown; scenario: Scenario } | { ok: false; problems: Problem[] };

/** Applies the settings and validates the result like any document; problems are named by setting path where one caused them. */
export function withSettings(doc: unknown, set: Settings, validate: Validate): SettingsResult {
  const applied = applySettings(doc, set);
  if (!applied.ok) return applied;
  const v = validate(applied.document);
  if (!v.ok) return { ok: false, problems: v.problems.map((p) => bySetting(p, applied.concrete)) };
  return { ok: true, document: applied.document, scenario: v.scenario };
}

/** The names of a document's variants (as written). */
export function variantNames(doc: unknown): string[] {
  const list = isObj(doc) && Array.isArray(doc.variants) ? doc.variants : [];
  return list.map((v) => (isObj(v) && typeof v.name === 'string' ? v.name : '')).filter((n) => n !== '');
}

/**
 * The document of one variant: its settings replaced, the same seed (so the same arrivals and
 * fault draws: common random numbers). The result is a plain document: no `variants`, no `sweep`.
 */
export function variantDocument(doc: unknown, name: string): { ok: true; document: unknown } | { ok: false; problems: Problem[] } {
  const names = variantNames(doc);
  const index = names.indexOf(name);
  if (index < 0) {
    const guess = closest(name, names);
    const message =
      names.length === 0
        ? 'the document has no variants'
        : `no variant is named "${name}"${guess ? ` — did you mean "${guess}"?` : ''} (variants: ${names.map((n) => `"${n}"`).join(', ')})`;
    return { ok: false, problems: [{ path: 'variants', message }] };
  }
  const variant = (doc as { variants: { set?: unknown }[] }).variants[index]!;
  const set = isObj(variant.set) ? variant.set : {};
  const applied = applySettings(stripComparisons(doc), set);
  if (!applied.ok) return { ok: false, problems: applied.problems.map((p) => ({ path: `variants[${index}].set[${JSON.stringify(p.path)}]`, message: p.message })) };
  return { ok: true, document: applied.document };
}

/** The document without its variants and sweep (what one run of it needs). */
export function stripComparisons(doc: unknown): unknown {
  if (!isObj(doc)) return doc;
  const { variants: _v, sweep: _s, ...rest } = doc;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Sweeps

/** One run of a sweep: its index, the values of its params (by path), and its seed. */
export interface SweepRow {
  index: number;
  values: Record<string, unknown>;
  seed: string | number;
}

/**
 * Every run of a sweep: each combination of the values (the first param varies slowest), each
 * with `seeds` seeds — `<seed>/1` ... `<seed>/K`, or the document's own seed when K is 1.
 */
export function sweepRows(sweep: Pick<Sweep, 'params' | 'seeds'>, seed: string | number): SweepRow[] {
  const [first, second] = sweep.params;
  const combos: Record<string, unknown>[] = [];
  for (const a of first!.values) {
    if (second) for (const b of second.values) combos.push({ [first!.path]: a, [second.path]: b });
    else combos.push({ [first!.path]: a });
  }
  const rows: SweepRow[] = [];
  for (const values of combos) {
    for (let k = 1; k <= sweep.seeds; k++) rows.push({ index: rows.length, values, seed: sweep.seeds === 1 ? seed : `${String(seed)}/${k}` });
  }
  return rows;
}

/** How many runs a sweep makes. */
export function sweepSize(sweep: Pick<Sweep, 'params' | 'seeds'>): number {
  return sweep.params.reduce((n, p) => n * p.values.length, 1) * sweep.seeds;
}

/** The document of one sweep row: its params set, its seed; no variants or sweep left in it. */
export function sweepRowDocument(doc: unknown, row: SweepRow): ApplyResult {
  return applySettings(stripComparisons(doc), [...Object.entries(row.values), ['seed', row.seed]]);
}

// ---------------------------------------------------------------------------------------------
// Metrics: dotted paths into the run summary

/** The summary's numeric places a metric may start with. */
const REQUEST_METRICS = ['sent', 'ok', 'failed', 'inFlight', 'successRate'];
const LATENCY_METRICS = ['mean', 'p50', 'p90', 'p99', 'max'];
const ROOTS = ['requests', 'latencyMs', 'nodes', 'amplification', 'simTimeMs', 'events'];

/**
 * Whether a metric can name a number in this document's summary: the part known before a run
 * (roots, request and latency keys, node ids). A node's own keys are checked against the summary.
 */
export function checkMetricPath(metric: string, nodeIds: readonly string[]): string | null {
  const parts = metric.split('.');
  const [root, a, b, c] = parts;
  const unknown = (what: string, known: readonly string[]) => {
    const guess = closest(what, known);
    return `names nothing: "${what}"${guess ? ` — did you mean "${guess}"?` : ''} (known there: ${known.join(', ')})`;
  };
  if (!ROOTS.includes(root!)) return unknown(root!, ROOTS);
  switch (root) {
    case 'amplification':
    case 'simTimeMs':
    case 'events':
      return a === undefined ? null : `"${root}" is a number: nothing is inside it`;
    case 'latencyMs':
      if (a === undefined || b !== undefined) return `must be latencyMs.<${LATENCY_METRICS.join('|')}>`;
      return LATENCY_METRICS.includes(a) ? null : unknown(a, LATENCY_METRICS);
    case 'requests':
      if (a === 'byStatus' || a === 'byReason') return b !== undefined && c === undefined ? null : `must be requests.${a}.<key>`;
      if (a === undefined || b !== undefined) return `must be requests.<${REQUEST_METRICS.join('|')}> or requests.byStatus.<status>`;
      return REQUEST_METRICS.includes(a) ? null : unknown(a, [...REQUEST_METRICS, 'byStatus', 'byReason']);
    default:
      if (a === undefined || b === undefined || c !== undefined) return 'must be nodes.<node id>.<metric>, e.g. nodes.db.received';
      return nodeIds.includes(a) ? null : unknown(a, nodeIds);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks of variants, sweep, expect and changes against their document (from validate.ts)

const RESERVED_ROOTS = new Set(['variants', 'sweep', 'format']);

/**
 * The most settings the variants and timed changes of one document may set in all. Each is
 * resolved against the schema and each variant or change validates the whole document again, so
 * this bounds the work (a hundred variants of ten settings each is a thousand).
 */
export const MAX_SETTINGS = 1_000;

/**
 * The most runs one sweep may make (combinations × seeds). Its rows are made before it starts
 * (row order, shards, progress), so a sweep the schema's limits allow — 1,000 × 1,000 values ×
 * 10,000 seeds is ten billion runs — would run out of memory before its first run.
 */
export const MAX_SWEEP_RUNS = 1_000_000;

/**
 * Problems of the comparison keys of a document that is otherwise valid: every setting path
 * names something, every value makes a valid document, every change can happen mid-run, every
 * metric names a place in the summary.
 */
export function checkComparisons(doc: unknown, scenario: Scenario, validate: Validate): Problem[] {
  const problems: Problem[] = [];
  const settingCount = [...scenario.variants, ...scenario.changes].reduce((n, v) => n + Object.keys(v.set).length, 0);
  if (settingCount > MAX_SETTINGS) {
    return [{ path: scenario.variants.length > 0 ? 'variants' : 'changes', message: `variants and changes set ${settingCount.toLocaleString('en-US')} settings in all; at most ${MAX_SETTINGS.toLocaleString('en-US')}` }];
  }
  const base = stripComparisons(doc);
  const nodeIds = scenario.nodes.map((n) => n.id);
  const at = (prefix: string, path: string) => `${prefix}.set[${JSON.stringify(path)}]`;

  /** Set on `onto`, validate, and report problems at `where(path)`. */
  const check = (onto: unknown, set: Settings, where: (path: string) => string) => {
    for (const [path] of entries(set)) {
      const root = path.split(/[.[]/)[0]!;
      if (RESERVED_ROOTS.has(root)) problems.push({ path: where(path), message: `cannot set "${root}" here` });
    }
    if (entries(set).some(([path]) => RESERVED_ROOTS.has(path.split(/[.[]/)[0]!))) return;
    const r = withSettings(onto, set, validate);
    if (r.ok) return;
    for (const p of r.problems) {
      const own = entries(set).find(([path]) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
      if (own) problems.push({ path: where(own[0]), message: p.path === own[0] ? p.message : `${formatProblem(p)}` });
      else problems.push({ path: where(entries(set)[0]![0]), message: `makes the document invalid: ${formatProblem(p)}` });
    }
  };

  const seen = new Map<string, number>();
  scenario.variants.forEach((v, i) => {
    const first = seen.get(v.name);
    if (first !== undefined) problems.push({ path: `variants[${i}].name`, message: `"${v.name}" is already the name of variants[${first}]` });
    else seen.set(v.name, i);
    check(base, v.set, (path) => at(`variants[${i}]`, path));
  });

  const sweep = scenario.sweep;
  const runs = sweep ? sweepSize(sweep) : 0;
  if (sweep && runs > MAX_SWEEP_RUNS) {
    // Its rows are never made (a billion of them would not fit in memory), nor its values checked.
    const factors = [...sweep.params.map((p) => `${p.values.length.toLocaleString('en-US')} values`), `${sweep.seeds.toLocaleString('en-US')} seed${sweep.seeds === 1 ? '' : 's'}`];
    problems.push({ path: 'sweep', message: `makes ${runs.toLocaleString('en-US')} runs (${factors.join(' × ')}); at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}: sweep fewer values or seeds, or split it into several sweeps` });
  } else if (sweep) {
    const paths = new Set<string>();
    sweep.params.forEach((param, i) => {
      const where = `sweep.params[${i}].path`;
      const r = resolveSetting(base, param.path);
      if (!r.ok) {
        problems.push({ path: where, message: `${r.problem.message}` });
        return;
      }
      if (paths.has(r.concrete)) problems.push({ path: where, message: `names the same setting as another param (${r.concrete})` });
      paths.add(r.concrete);
      param.values.forEach((value, j) => {
        const before = problems.length;
        check(base, [[param.path, value]], () => formatPath(['sweep', 'params', i, 'values', j]));
        if (problems.length > before + 3) problems.length = before + 3; // a few per value are enough
      });
    });
    sweep.metrics.forEach((m, i) => {
      const why = checkMetricPath(m, nodeIds);
      if (why) problems.push({ path: `sweep.metrics[${i}]`, message: why });
    });
  }

  scenario.expect.forEach((e, i) => {
    const why = checkMetricPath(e.metric, nodeIds);
    if (why) problems.push({ path: `expect[${i}].metric`, message: why });
  });

  if (scenario.changes.length > 0) {
    // Values first (a change's value must make a valid document), then whether it can change live.
    const noChanges = isObj(base) ? { ...base, changes: [] } : base;
    scenario.changes.forEach((ch, i) => check(noChanges, ch.set, (path) => at(`changes[${i}]`, path)));
    if (problems.length === 0) problems.push(...liveProblems(scenario, (i, path) => at(`changes[${i}]`, path)));
  }
  return problems;
}

/** Problems of the document's changes that are about timing and liveness (values are checked in variants.ts). */
function liveProblems(scenario: Scenario, at: (i: number, path: string) => string): Problem[] {
  const problems: Problem[] = [];
  scenario.changes.forEach((ch, i) => {
    if (ch.atMs >= scenario.durationMs) problems.push({ path: `changes[${i}].atMs`, message: `must be earlier than durationMs (${scenario.durationMs}) — got ${ch.atMs}` });
    for (const [path, value] of Object.entries(ch.set)) {
      const r = resolveSetting(scenario, path);
      if (!r.ok) continue; // reported with the value check
      const setting = classifyLiveSetting(scenario, r.segments, value, ch.atMs);
      if (typeof setting === 'string') problems.push({ path: at(i, path), message: `${r.concrete} ${setting}` });
      // The model resolves changes on the scenario's data: what is not there cannot change.
      else if (!resolvePath(scenario, path, null).ok) problems.push({ path: at(i, path), message: `${r.concrete} is read only when the model is built, so it cannot change mid-run` });
    }
  });
  return problems;
}
