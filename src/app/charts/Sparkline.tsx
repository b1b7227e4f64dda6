/**
 * A small line of the last samples of one number, for a canvas node or a card: drop it in with
 * `<NodeSparkline node="orders" metric="failed" />` (per-interval counts from the time series) or
 * `<Sparkline values={[…]} />`. Plain SVG, no axes; it draws nothing until there are two points.
 */
import './charts.css';
import { memo } from 'react';
import { useSeries } from './series';

export interface SparklineProps {
  values: readonly number[];
  width?: number;
  height?: number;
  /** A CSS colour; defaults to the accent. */
  color?: string;
  /** Accessible name, e.g. "orders requests per interval". */
  label?: string;
}

export const Sparkline = memo(function Sparkline({ values, width = 120, height = 28, color = 'var(--accent)', label }: SparklineProps) {
  if (values.length < 2) return <svg className="sparkline" width={width} height={height} aria-hidden={label ? undefined : true} aria-label={label} />;
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const sx = (i: number) => (i / (values.length - 1)) * (width - 2) + 1;
  const sy = (v: number) => height - 2 - (max > 0 ? (v / max) * (height - 4) : 0);
  let d = '';
  values.forEach((v, i) => (d += `${i === 0 ? 'M' : 'L'}${sx(i)},${sy(v)}`));
  return (
    <svg className="sparkline" width={width} height={height} role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true}>
      <path d={d} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" />
    </svg>
  );
});

export type NodeMetric = 'received' | 'ok' | 'failed';

const NONE: number[] = [];

/** The last `points` intervals of a node's received / ok / failed counts. */
export function NodeSparkline({ node, metric = 'received', points = 30, ...rest }: { node: string; metric?: NodeMetric; points?: number } & Omit<SparklineProps, 'values'>) {
  const samples = useSeries((s) => s.samples);
  const values = samples.length === 0 ? NONE : samples.slice(-points).map((s) => s.nodes[node]?.[metric] ?? 0);
  return <Sparkline values={values} {...rest} />;
}
