/**
 * The delta table of a comparison, and the before → after note of an Apply: the figures two run
 * summaries are compared on, each with the direction that counts as better. Pure.
 */
import type { RunSummary } from '../../run/types';

export type Better = 'higher' | 'lower';

export interface DeltaRow {
  key: string;
  label: string;
  a: number | null;
  b: number | null;
  /** Which way is better; the note says why where it is arguable. */
  better: Better;
  /** Which side is better (null: equal as the table shows them, or a side has no value). */
  winner: 'a' | 'b' | null;
  format: 'percent' | 'ms' | 'ratio' | 'count';
  note?: string;
}

/** A number the nodes of one kind report, added up over those nodes (null when none reports it). */
export function nodeTotal(summary: RunSummary, key: string, kinds?: readonly string[]): number | null {
  let total: number | null = null;
  for (const node of Object.values(summary.nodes)) {
    if (kinds && !kinds.includes(node.kind)) continue;
    const v = node[key];
    if (typeof v === 'number') total = (total ?? 0) + v;
  }
  return total;
}

interface Figure {
  key: string;
  label: string;
  better: Better;
  format: DeltaRow['format'];
  read: (s: RunSummary) => number | null;
  note?: string;
}

/** The figures a comparison shows, in order. */
export const FIGURES: readonly Figure[] = [
  { key: 'successRate', label: 'success rate', better: 'higher', format: 'percent', read: (s) => s.requests.successRate },
  { key: 'p50', label: 'latency p50', better: 'lower', format: 'ms', read: (s) => (s.requests.ok + s.requests.failed > 0 ? s.latencyMs.p50 : null) },
  { key: 'p99', label: 'latency p99', better: 'lower', format: 'ms', read: (s) => (s.requests.ok + s.requests.failed > 0 ? s.latencyMs.p99 : null) },
  { key: 'amplification', label: 'amplification', better: 'lower', format: 'ratio', read: (s) => s.amplification },
  {
    key: 'breakerOpens',
    label: 'breaker opens',
    better: 'lower',
    format: 'count',
    read: (s) => nodeTotal(s, 'breakerOpens'),
    note: 'fewer is marked better; an open breaker may be what protects a dependency',
  },
  {
    key: 'shortCircuited',
    label: 'short-circuited',
    better: 'lower',
    format: 'count',
    read: (s) => nodeTotal(s, 'shortCircuited'),
    note: 'fewer is marked better; read it with the success rate',
  },
  { key: 'wastedWorkMs', label: 'wasted work', better: 'lower', format: 'ms', read: (s) => nodeTotal(s, 'wastedWorkMs') },
  { key: 'deadLettered', label: 'dead-lettered', better: 'lower', format: 'count', read: (s) => nodeTotal(s, 'deadLettered', ['queue']) },
  { key: 'duplicatesProcessed', label: 'duplicates processed', better: 'lower', format: 'count', read: (s) => nodeTotal(s, 'duplicatesProcessed', ['queue']) },
];

function winnerOf(a: number | null, b: number | null, better: Better): 'a' | 'b' | null {
  if (a === null || b === null || a === b) return null;
  return (better === 'higher' ? b > a : b < a) ? 'b' : 'a';
}

/**
 * The rows of the delta table. Rows neither run has a value for are left out (a scenario without
 * a broker has no dead letters to compare). A figure the table shows the same on both sides
 * ("18 ms" and "18 ms", from 18.47 and 18.34) has no better side: a mark there would point at a
 * difference nobody can read (the exact values stay in `a` and `b`).
 */
export function deltaRows(a: RunSummary, b: RunSummary): DeltaRow[] {
  const rows: DeltaRow[] = [];
  for (const f of FIGURES) {
    const va = f.read(a);
    const vb = f.read(b);
    if (va === null && vb === null) continue;
    const winner = formatFigure(va, f.format) === formatFigure(vb, f.format) ? null : winnerOf(va, vb, f.better);
    rows.push({ key: f.key, label: f.label, a: va, b: vb, better: f.better, winner, format: f.format, ...(f.note ? { note: f.note } : {}) });
  }
  return rows;
}

/** A figure as text. */
export function formatFigure(v: number | null, format: DeltaRow['format']): string {
  if (v === null || !Number.isFinite(v)) return '–';
  switch (format) {
    case 'percent':
      return `${(v * 100).toFixed(v >= 0.9995 || v === 0 ? 0 : 1)}%`;
    case 'ms':
      return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
    case 'ratio':
      return `${v.toFixed(2)}×`;
    default:
      return Math.round(v).toLocaleString('en-US');
  }
}

/**
 * The before → after note of an Apply: the figures that changed (at most `max`), success rate and
 * p99 first, each as "label before → after".
 */
export function applyDeltas(before: RunSummary, after: RunSummary, max = 4): { label: string; before: string; after: string; winner: 'a' | 'b' | null }[] {
  const extra = [
    { key: 'failed', label: 'failed', better: 'lower' as Better, format: 'count' as const, read: (s: RunSummary) => s.requests.failed },
  ];
  const rows = deltaRows(before, after);
  const changed = [...rows, ...extra.map((f) => ({ ...f, a: f.read(before), b: f.read(after), winner: winnerOf(f.read(before), f.read(after), f.better) }))].filter(
    (r) => formatFigure(r.a, r.format) !== formatFigure(r.b, r.format),
  );
  return changed.slice(0, max).map((r) => ({ label: r.label, before: formatFigure(r.a, r.format), after: formatFigure(r.b, r.format), winner: r.winner }));
}
