/**
 * A sweep's heatmap (d3 scales, React SVG): a column per value of the first setting, a row per
 * value of the second; each cell's colour is its metric's mean over the seeds, its text the mean
 * and the spread (± the standard deviation, or min–max). A cell with a run a guardrail stopped is
 * hatched and says so. A click on a cell opens that variant in compare view against the base.
 */
import { scaleBand, scaleSequential, interpolateViridis } from 'd3';
import type { Cell } from './cells';
import { cellClickNote, meanExtent } from './cells';
import { shortValue } from './diff';

export interface HeatmapProps {
  cells: Cell[];
  xValues: unknown[];
  yValues: unknown[] | null;
  xLabel: string;
  yLabel: string | null;
  metric: string;
  seeds: number;
  /** The document's own seed: the one a click runs the cell on. */
  seed: string | number;
  /** Whether a higher value is better (the legend says which end is good). */
  higherIsBetter: boolean | null;
  onPick: (cell: Cell) => void;
}

export function formatMetric(v: number | null): string {
  if (v === null) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return `${Math.round(v).toLocaleString('en-US')}`;
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function Heatmap({ cells, xValues, yValues, xLabel, yLabel, metric, seeds, seed, higherIsBetter, onPick }: HeatmapProps) {
  const left = yValues ? 110 : 16;
  const cellW = Math.max(56, Math.min(110, Math.floor(620 / Math.max(1, xValues.length))));
  const cellH = yValues ? Math.max(34, Math.min(56, Math.floor(300 / Math.max(1, yValues.length)))) : 56;
  const width = left + cellW * xValues.length + 10;
  const rows = yValues?.length ?? 1;
  const height = 30 + cellH * rows + 6;
  const x = scaleBand<number>().domain(xValues.map((_, i) => i)).range([left, left + cellW * xValues.length]).paddingInner(0.06);
  const y = scaleBand<number>().domain(Array.from({ length: rows }, (_, i) => i)).range([30, 30 + cellH * rows]).paddingInner(0.08);
  const extent = meanExtent(cells);
  const colour = scaleSequential(interpolateViridis).domain(extent ? (extent[0] === extent[1] ? [extent[0] - 1, extent[1] + 1] : extent) : [0, 1]);
  return (
    <figure className="heatmap" data-testid="heatmap">
      <svg width={width} height={height} role="img" aria-label={`Heatmap of ${metric} over ${xLabel}${yLabel ? ` and ${yLabel}` : ''}`}>
        <defs>
          <pattern id="heatmap-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" stroke="var(--bad)" strokeWidth="2" />
          </pattern>
        </defs>
        {xValues.map((v, i) => (
          <text key={i} x={x(i)! + x.bandwidth() / 2} y={20} textAnchor="middle" className="heatmap-axis">
            {shortValue(v, 14)}
          </text>
        ))}
        {yValues?.map((v, j) => (
          <text key={j} x={left - 8} y={y(j)! + y.bandwidth() / 2 + 4} textAnchor="end" className="heatmap-axis">
            {shortValue(v, 14)}
          </text>
        ))}
        {cells.map((c) => {
          const fill = c.mean === null ? 'var(--panel-2)' : colour(c.mean);
          const dark = c.mean !== null && extent !== null && (c.mean - extent[0]) / Math.max(1e-12, extent[1] - extent[0]) < 0.55;
          const spread = c.sd !== null ? `±${formatMetric(c.sd)}` : c.n > 1 && c.min !== null ? `${formatMetric(c.min)}–${formatMetric(c.max)}` : '';
          const title = [
            `${xLabel} = ${shortValue(xValues[c.x])}${yValues && yLabel ? `, ${yLabel} = ${shortValue(yValues[c.y])}` : ''}`,
            `${metric}: ${c.mean === null ? 'no value' : `mean ${formatMetric(c.mean)}`}${c.n > 1 ? ` (min ${formatMetric(c.min)}, max ${formatMetric(c.max)}, sd ${formatMetric(c.sd)})` : ''}`,
            `${c.done} of ${seeds} run${seeds === 1 ? '' : 's'} back`,
            ...c.marked.map((m) => `marked: ${m}`),
            cellClickNote(seeds, seed),
          ].join('\n');
          return (
            <g
              key={`${c.x}-${c.y}`}
              className={`heatmap-cell${c.marked.length > 0 ? ' is-marked' : ''}`}
              role="button"
              tabIndex={0}
              aria-label={title.split('\n').slice(0, 2).join('; ')}
              onClick={() => onPick(c)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onPick(c);
                }
              }}
              data-testid={`heatmap-cell-${c.x}-${c.y}`}
              data-mean={c.mean ?? ''}
              data-done={c.done}
              data-marked={c.marked.length}
            >
              <title>{title}</title>
              <rect x={x(c.x)} y={y(c.y)} width={x.bandwidth()} height={y.bandwidth()} rx={4} style={{ fill }} />
              {c.marked.length > 0 ? <rect x={x(c.x)} y={y(c.y)} width={x.bandwidth()} height={y.bandwidth()} rx={4} fill="url(#heatmap-hatch)" opacity={0.55} /> : null}
              <text x={x(c.x)! + x.bandwidth() / 2} y={y(c.y)! + y.bandwidth() / 2 - (spread ? 3 : -4)} textAnchor="middle" className={`heatmap-value${dark ? ' on-dark' : ''}`}>
                {c.marked.length > 0 && c.n === 0 ? '⚠ stopped' : formatMetric(c.mean)}
              </text>
              {spread ? (
                <text x={x(c.x)! + x.bandwidth() / 2} y={y(c.y)! + y.bandwidth() / 2 + 11} textAnchor="middle" className={`heatmap-spread${dark ? ' on-dark' : ''}`}>
                  {spread}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="heatmap-caption">
        → {xLabel}
        {yLabel ? ` · ↓ ${yLabel}` : ''}
        {extent ? (
          <>
            <br />
            colour: {metric} from {formatMetric(extent[0])} (dark) to {formatMetric(extent[1])} (light)
            {higherIsBetter === null ? '' : higherIsBetter ? ' — higher is better' : ' — lower is better'}; ± the spread over the seeds; hatched: a run stopped
            {seeds > 1 ? (
              <>
                <br />A click opens the cell in compare view as one run on the document&apos;s own seed ({String(seed)}), not the mean over the {seeds} seeds shown here.
              </>
            ) : null}
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
