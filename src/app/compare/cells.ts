/**
 * A sweep's heatmap cells: each combination of the params, with its metric over the seeds (mean,
 * spread) and the runs that did not finish normally. Pure.
 */

/** One run's result as the app's sweep keeps it (run/sweepJob.ts's SweepResult, for one metric). */
export interface RunResult {
  index: number;
  value: number | null;
  /** Set when a guardrail stopped the run, the combination was invalid, or an invariant broke. */
  stoppedBy: string | null;
}

export interface Cell {
  /** Index of the first param's value (column) and of the second's (row; 0 with one param). */
  x: number;
  y: number;
  /** Runs of this cell that came back, of `seeds`. */
  done: number;
  /** Over the runs that finished normally with a value. */
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Sample standard deviation (null under two values). */
  sd: number | null;
  /** Why runs of this cell are marked (one entry per marked run). */
  marked: string[];
}

/**
 * The cells of a sweep from the results so far. Rows run in sweep order (the first param varies
 * slowest, then the second, then the seed), so row `index` is combination ⌊index / seeds⌋.
 */
export function sweepCells(results: readonly RunResult[], sizes: readonly number[], seeds: number): Cell[] {
  const nx = sizes[0] ?? 1;
  const ny = sizes[1] ?? 1;
  const buckets: RunResult[][] = Array.from({ length: nx * ny }, () => []);
  for (const r of results) {
    const combo = Math.floor(r.index / seeds);
    if (combo >= 0 && combo < buckets.length) buckets[combo]!.push(r);
  }
  return buckets.map((runs, combo) => {
    const x = sizes.length > 1 ? Math.floor(combo / ny) : combo;
    const y = sizes.length > 1 ? combo % ny : 0;
    const marked = runs.filter((r) => r.stoppedBy !== null).map((r) => r.stoppedBy!);
    const values = runs.filter((r) => r.stoppedBy === null && r.value !== null && Number.isFinite(r.value)).map((r) => r.value!);
    const n = values.length;
    const mean = n > 0 ? values.reduce((s, v) => s + v, 0) / n : null;
    const sd = n > 1 && mean !== null ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
    return { x, y, done: runs.length, n, mean, min: n > 0 ? Math.min(...values) : null, max: n > 0 ? Math.max(...values) : null, sd, marked };
  });
}

/** The extent of the cells' means (for the colour scale), or null when none has a value. */
export function meanExtent(cells: readonly Cell[]): [number, number] | null {
  const means = cells.map((c) => c.mean).filter((m): m is number => m !== null);
  if (means.length === 0) return null;
  return [Math.min(...means), Math.max(...means)];
}

/** Time left, from the runs done so far and the wall time they took (null before the first). */
export function timeLeftMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0) return null;
  return Math.max(0, (elapsedMs / done) * (total - done));
}

/** A duration as a person reads an estimate: "45 s", "3 min", "1 h 20 min". */
export function formatEstimate(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/**
 * What a click on a cell opens, said where the click is. Compare view runs one run of each side
 * on the document's own seed: with one seed per cell that is the cell's run (the same trace hash
 * as its CSV row); with more, B is none of the cell's runs (those are on `<seed>/1` … `<seed>/K`),
 * so its figures need not equal the cell's mean.
 */
export function cellClickNote(seeds: number, seed: string | number): string {
  if (seeds <= 1) return `Click: open this variant in compare view (the same run, on the seed ${String(seed)})`;
  return `Click: open this variant in compare view — one run on the document's own seed ${String(seed)}, not the mean of the ${seeds} runs here (seeds ${String(seed)}/1 … ${String(seed)}/${seeds})`;
}
