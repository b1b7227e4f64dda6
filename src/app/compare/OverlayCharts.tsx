/**
 * Run A and run B on one time axis: A dashed, B solid, in the frame every chart shares (fault
 * windows, the clock's cursor, click to seek). When B is a fork, a line marks its moment: the two
 * lines lie on each other before it.
 */
import { memo } from 'react';
import { curveStepAfter, line } from 'd3';
import type { MetricSample } from '../../run/types';
import { ChartFrame } from '../charts/ChartFrame';
import type { Plot } from '../charts/ChartFrame';
import { sampleSeconds, useSeries } from '../charts/series';
import { useCompare } from './state';

/** What a chart reads from a sample (null: nothing to draw there, e.g. no request ended). */
export interface OverlayMetric {
  id: string;
  title: string;
  question: string;
  yLabel: string;
  value: (s: MetricSample) => number | null;
  format: (v: number) => string;
}

const ended = (s: MetricSample) => s.ok + s.failed;

export const OVERLAY_METRICS: readonly OverlayMetric[] = [
  { id: 'ok', title: 'Succeeded per second', question: 'How many requests end ok each second, in A and in B?', yLabel: 'ok / s', value: (s) => s.ok / sampleSeconds(s), format: (v) => `${Math.round(v * 10) / 10}` },
  { id: 'p99', title: 'Latency p99', question: 'How long do the unluckiest 1 in 100 wait?', yLabel: 'ms', value: (s) => (ended(s) > 0 ? s.latency.p99 : null), format: (v) => (v >= 1000 ? `${v / 1000}s` : `${v}`) },
  { id: 'amp', title: 'Load amplification', question: 'Attempts into the busiest target per request sent', yLabel: '×', value: (s) => (s.sent > 0 ? s.amplification : null), format: (v) => `${Math.round(v * 10) / 10}` },
];

/** Points of a step line; a sample without a value breaks the line. */
export function stepPoints(samples: readonly MetricSample[], value: (s: MetricSample) => number | null): ([number, number] | null)[] {
  const pts: ([number, number] | null)[] = [];
  for (const s of samples) {
    const v = value(s);
    pts.push(v === null ? null : [s.startMs, v]);
  }
  const last = samples[samples.length - 1];
  const v = last ? value(last) : null;
  if (last && v !== null) pts.push([last.endMs, v]);
  return pts;
}

function Line({ plot, points, color, dash, testId }: { plot: Plot; points: ([number, number] | null)[]; color: string; dash?: string; testId: string }) {
  const d = line<[number, number] | null>()
    .defined((p) => p !== null)
    .x((p) => plot.x(p![0]))
    .y((p) => plot.y(p![1]))
    .curve(curveStepAfter)(points);
  return <path d={d ?? ''} fill="none" style={{ stroke: color }} strokeWidth={dash ? 2.5 : 3} strokeDasharray={dash} className="chart-line" data-testid={testId} />;
}

export const OverlayChart = memo(function OverlayChart({ metric, a, b, forkAtMs }: { metric: OverlayMetric; a: MetricSample[]; b: MetricSample[]; forkAtMs: number | null }) {
  const pa = stepPoints(a, metric.value);
  const pb = stepPoints(b, metric.value);
  let max = 0;
  for (const p of [...pa, ...pb]) if (p) max = Math.max(max, p[1]);
  return (
    <ChartFrame
      id={`compare-${metric.id}`}
      title={metric.title}
      question={metric.question}
      yLabel={metric.yLabel}
      yDomain={[0, max > 0 ? max * 1.08 : 1]}
      yFormat={metric.format}
      yTicks={4}
      height={170}
      legend={[
        { label: 'A', color: 'var(--compare-a)', dash: '6 4' },
        { label: 'B', color: 'var(--compare-b)' },
      ]}
      empty={a.length === 0 && b.length === 0 ? 'press Play' : null}
    >
      {(plot) => (
        <g>
          {forkAtMs !== null ? (
            <g className="compare-fork-mark">
              <line x1={plot.x(forkAtMs)} x2={plot.x(forkAtMs)} y1={0} y2={plot.height} />
              <text x={plot.x(forkAtMs) + 4} y={plot.height - 6}>
                fork
              </text>
            </g>
          ) : null}
          <Line plot={plot} points={pa} color="var(--compare-a)" dash="6 4" testId={`compare-line-a-${metric.id}`} />
          <Line plot={plot} points={pb} color="var(--compare-b)" testId={`compare-line-b-${metric.id}`} />
        </g>
      )}
    </ChartFrame>
  );
});

export function OverlayCharts() {
  const b = useSeries((s) => s.samples);
  const a = useCompare((s) => s.a.samples);
  const forkAtMs = useCompare((s) => s.forkAtMs);
  return (
    <div className="compare-charts">
      {OVERLAY_METRICS.map((m) => (
        <OverlayChart key={m.id} metric={m} a={a} b={b} forkAtMs={forkAtMs} />
      ))}
    </div>
  );
}
