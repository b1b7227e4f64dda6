/**
 * The charts of the bottom panel, one question each, on a shared time axis:
 * throughput by outcome, latency percentiles, error rate, load amplification, breaker states,
 * queue depth. Few colours, thick lines, large labels: they are read from the back of a room.
 */
import './charts.css';
import { memo, useMemo } from 'react';
import { useApp } from '../store';
import { area, curveStepAfter, line, stack } from 'd3';
import type { MetricSample } from '../../run/types';
import { ChartFrame } from './ChartFrame';
import type { LegendItem, Plot } from './ChartFrame';
import { OUTCOMES, outcomeCounts, sampleSeconds, useSeries } from './series';
import type { OutcomeKey } from './series';

/** Up to four series get their own colour; the rest are left out (and the legend says so). */
const PALETTE = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)'];

/** Points for a step line: each sample's value held over its interval (start to end). */
function steps(samples: readonly MetricSample[], value: (s: MetricSample) => number): [number, number][] {
  const pts: [number, number][] = [];
  for (const s of samples) pts.push([s.startMs, value(s)]);
  const last = samples[samples.length - 1];
  if (last) pts.push([last.endMs, value(last)]);
  return pts;
}

function StepLine({ plot, points, color, width = 3, dash }: { plot: Plot; points: [number, number][]; color: string; width?: number; dash?: string }) {
  const d = line<[number, number]>()
    .x((p) => plot.x(p[0]))
    .y((p) => plot.y(p[1]))
    .curve(curveStepAfter)(points);
  return <path d={d ?? ''} fill="none" style={{ stroke: color }} strokeWidth={width} strokeDasharray={dash} strokeLinejoin="round" className="chart-line" />;
}

const perSecond = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : `${Math.round(v * 10) / 10}`);
const msFormat = (v: number) => (v >= 1000 ? `${v / 1000}s` : `${v}`);

export const ThroughputChart = memo(function ThroughputChart({ samples }: { samples: MetricSample[] }) {
  const keys = OUTCOMES.map((o) => o.key);
  const rows = samples.map((s) => {
    const c = outcomeCounts(s);
    const sec = sampleSeconds(s);
    const r: Record<OutcomeKey, number> & { s: MetricSample } = { s, ok: c.ok / sec, fallback: c.fallback / sec, rejected: c.rejected / sec, timeout: c.timeout / sec, error: c.error / sec };
    return r;
  });
  // Repeat the last row at its end so the last step has width.
  const padded = rows.length > 0 ? [...rows, rows[rows.length - 1]!] : rows;
  const xs = padded.map((r, i) => (i < rows.length ? r.s.startMs : r.s.endMs));
  const series = stack<(typeof padded)[number], OutcomeKey>().keys(keys)(padded);
  let max = 0;
  for (const r of rows) max = Math.max(max, keys.reduce((a, k) => a + r[k], 0));
  const present = OUTCOMES.filter((o) => rows.some((r) => r[o.key] > 0));
  const legend: LegendItem[] = (present.length > 0 ? present : OUTCOMES.slice(0, 1)).map((o) => ({ label: o.label, color: o.color, fill: true }));
  return (
    <ChartFrame id="throughput" title="Throughput by outcome" question="How many requests finish each second, and how do they end?" yLabel="requests / s" yDomain={[0, max]} yFormat={perSecond} legend={legend} empty={samples.length === 0 ? 'press Play' : null}>
      {(plot) =>
        series.map((layer, li) => {
          const o = OUTCOMES[li]!;
          if (!present.includes(o)) return null;
          const d = area<[number, number]>()
            .x((_, i) => plot.x(xs[i]!))
            .y0((p) => plot.y(p[0]))
            .y1((p) => plot.y(p[1]))
            .curve(curveStepAfter)(layer as unknown as [number, number][]);
          return <path key={o.key} d={d ?? ''} style={{ fill: o.color }} className="chart-area" />;
        })
      }
    </ChartFrame>
  );
});

const LAT = [
  { key: 'p50', label: 'p50 (median)', color: 'var(--chart-1)', width: 2.5, dash: undefined },
  { key: 'p90', label: 'p90', color: 'var(--chart-2)', width: 2.5, dash: '7 4' },
  { key: 'p99', label: 'p99 (1 in 100 slower)', color: 'var(--bad)', width: 4, dash: undefined },
] as const;

export const LatencyChart = memo(function LatencyChart({ samples }: { samples: MetricSample[] }) {
  const withData = samples.filter((s) => s.ok + s.failed > 0);
  let max = 1;
  let min = Infinity;
  for (const s of withData) {
    max = Math.max(max, s.latency.p99);
    min = Math.min(min, s.latency.p50);
  }
  const log = withData.length > 0 && max / Math.max(min, 0.1) > 30;
  const legend = LAT.map((l) => ({ label: l.label, color: l.color, dash: l.dash }));
  // A sample where nothing ended has no latency: the line breaks there (no fake zeros).
  return (
    <ChartFrame
      id="latency"
      title="Latency percentiles"
      question="How long do users wait? p99 is what the unluckiest 1% see."
      yLabel={log ? 'ms (log scale)' : 'ms'}
      yDomain={[log ? Math.max(0.1, min / 1.5) : 0, max * 1.1]}
      yLog={log}
      yFormat={msFormat}
      legend={legend}
      empty={withData.length === 0 ? 'no request has ended yet' : null}
    >
      {(plot) =>
        LAT.map((l) => {
          const d = line<MetricSample>()
            .defined((s) => s.ok + s.failed > 0)
            .x((s) => plot.x((s.startMs + s.endMs) / 2))
            .y((s) => plot.y(Math.max(s.latency[l.key], 0.1)))(samples);
          return <path key={l.key} d={d ?? ''} fill="none" style={{ stroke: l.color }} strokeWidth={l.width} strokeDasharray={l.dash} strokeLinejoin="round" className="chart-line" data-series={l.key} />;
        })
      }
    </ChartFrame>
  );
});

export const ErrorRateChart = memo(function ErrorRateChart({ samples }: { samples: MetricSample[] }) {
  const pts = steps(samples, (s) => s.errorRate * 100);
  return (
    <ChartFrame id="errors" title="Error rate" question="What share of the requests that ended failed?" yLabel="% failed" yDomain={[0, 100]} yFormat={(v) => `${v}%`} legend={[{ label: 'failed ÷ ended', color: 'var(--bad)', fill: true }]} empty={samples.length === 0 ? 'press Play' : null}>
      {(plot) => {
        const d = area<[number, number]>()
          .x((p) => plot.x(p[0]))
          .y0(plot.height)
          .y1((p) => plot.y(p[1]))
          .curve(curveStepAfter)(pts);
        return (
          <>
            <path d={d ?? ''} style={{ fill: 'var(--bad)' }} className="chart-area chart-area-soft" />
            <StepLine plot={plot} points={pts} color="var(--bad)" />
          </>
        );
      }}
    </ChartFrame>
  );
});

export const AmplificationChart = memo(function AmplificationChart({ samples }: { samples: MetricSample[] }) {
  // The targets that ever received the most per user request.
  const peak = new Map<string, number>();
  for (const s of samples) if (s.sent > 0) for (const [t, n] of Object.entries(s.attemptsTo)) peak.set(t, Math.max(peak.get(t) ?? 0, n / s.sent));
  const targets = [...peak.entries()].sort((a, b) => b[1] - a[1]).slice(0, PALETTE.length).map(([t]) => t);
  const max = Math.max(2, ...peak.values());
  const legend: LegendItem[] = targets.map((t, i) => ({ label: `calls into ${t}`, color: PALETTE[i]! }));
  legend.push({ label: '1× (no amplification)', color: 'var(--muted)', dash: '4 4' });
  return (
    <ChartFrame
      id="amplification"
      title="Load amplification"
      question="How many calls does each user request cost a service? Retries multiply it."
      yLabel="calls per user request"
      yDomain={[0, max * 1.1]}
      yFormat={(v) => `${v}×`}
      legend={legend}
      empty={samples.length === 0 ? 'press Play' : targets.length === 0 ? 'no calls yet' : null}
    >
      {(plot) => (
        <>
          <line x1={0} x2={plot.width} y1={plot.y(1)} y2={plot.y(1)} style={{ stroke: 'var(--muted)' }} strokeWidth={1.5} strokeDasharray="4 4" />
          {targets.map((t, i) => (
            <StepLine key={t} plot={plot} points={steps(samples, (s) => (s.sent > 0 ? (s.attemptsTo[t] ?? 0) / s.sent : 0))} color={PALETTE[i]!} />
          ))}
        </>
      )}
    </ChartFrame>
  );
});

const BREAKER_COLOR = { CLOSED: 'var(--chart-closed)', HALF_OPEN: 'var(--warn)', OPEN: 'var(--bad)' } as const;

export const BreakerChart = memo(function BreakerChart({ samples }: { samples: MetricSample[] }) {
  const sites: string[] = [];
  for (const s of samples) for (const k of Object.keys(s.breakers)) if (!sites.includes(k)) sites.push(k);
  const rows = sites.slice(0, 6);
  const height = Math.max(150, 64 + rows.length * 34);
  return (
    <ChartFrame
      id="breakers"
      title="Circuit breakers"
      question="When does each breaker stop calls (open) and let a trial through (half-open)?"
      yLabel=""
      yDomain={[0, Math.max(1, rows.length)]}
      yFormat={() => ''}
      yCategories={rows.map((r, i) => ({ value: rows.length - i - 0.5, label: r.replace('->', '→') }))}
      marginLeft={Math.max(64, 16 + 8.5 * Math.max(0, ...rows.map((r) => r.length)))}
      height={height}
      legend={[
        { label: 'closed', color: BREAKER_COLOR.CLOSED, fill: true },
        { label: 'half-open', color: BREAKER_COLOR.HALF_OPEN, fill: true },
        { label: 'open', color: BREAKER_COLOR.OPEN, fill: true },
        { label: '▲ opened in the interval', color: 'var(--text)' },
      ]}
      empty={samples.length === 0 ? 'press Play' : rows.length === 0 ? 'no breaker in this scenario' : null}
    >
      {(plot) =>
        rows.map((site, i) => {
          const y0 = plot.y(rows.length - i);
          const y1 = plot.y(rows.length - i - 1);
          const band = Math.max(4, (y1 - y0) * 0.7);
          const top = y0 + (y1 - y0 - band) / 2;
          // Runs of one state become one rectangle (no seams between intervals).
          const runs: { state: keyof typeof BREAKER_COLOR; from: number; to: number }[] = [];
          for (const s of samples) {
            const state = s.breakers[site];
            if (!state) continue;
            const last = runs[runs.length - 1];
            if (last && last.state === state && last.to === s.startMs) last.to = s.endMs;
            else runs.push({ state, from: s.startMs, to: s.endMs });
          }
          return (
            <g key={site} data-site={site}>
              {runs.map((r) => (
                <rect key={r.from} x={plot.x(r.from)} y={top} width={Math.max(1, plot.x(r.to) - plot.x(r.from))} height={band} style={{ fill: BREAKER_COLOR[r.state] }} className={`breaker-${r.state}`} shapeRendering="crispEdges" />
              ))}
              {samples.map((s) =>
                (s.breakerOpens[site] ?? 0) > 0 ? (
                  <text key={`o${s.startMs}`} x={plot.x((s.startMs + s.endMs) / 2)} y={top - 3} textAnchor="middle" className="chart-mark">
                    ▲
                  </text>
                ) : null,
              )}
            </g>
          );
        })
      }
    </ChartFrame>
  );
});

export const QueueChart = memo(function QueueChart({ samples }: { samples: MetricSample[] }) {
  const peak = new Map<string, number>();
  for (const s of samples) for (const [q, v] of Object.entries(s.queues)) peak.set(q, Math.max(peak.get(q) ?? 0, v.depth + v.unacked));
  const queues = [...(samples[samples.length - 1] ? Object.keys(samples[samples.length - 1]!.queues) : [])].sort((a, b) => (peak.get(b) ?? 0) - (peak.get(a) ?? 0)).slice(0, PALETTE.length);
  const max = Math.max(5, ...queues.map((q) => peak.get(q) ?? 0));
  const legend: LegendItem[] = queues.map((q, i) => ({ label: `${q} ready`, color: PALETTE[i]! }));
  if (queues.length > 0) legend.push({ label: 'dotted: unacked', color: 'var(--muted)', dash: '2 4' });
  return (
    <ChartFrame
      id="queues"
      title="Queue depth"
      question="Are consumers keeping up? A rising line is a backlog."
      yLabel="messages"
      yDomain={[0, max * 1.1]}
      yFormat={(v) => `${v}`}
      legend={legend}
      empty={samples.length === 0 ? 'press Play' : queues.length === 0 ? 'no queue in this scenario' : null}
    >
      {(plot) =>
        queues.map((q, i) => {
          const at = (s: MetricSample) => s.queues[q];
          const depth = line<MetricSample>()
            .defined((s) => at(s) !== undefined)
            .x((s) => plot.x(s.endMs))
            .y((s) => plot.y(at(s)!.depth))(samples);
          const unacked = line<MetricSample>()
            .defined((s) => at(s) !== undefined)
            .x((s) => plot.x(s.endMs))
            .y((s) => plot.y(at(s)!.unacked))(samples);
          return (
            <g key={q}>
              <path d={depth ?? ''} fill="none" style={{ stroke: PALETTE[i]! }} strokeWidth={3} className="chart-line" />
              <path d={unacked ?? ''} fill="none" style={{ stroke: PALETTE[i]! }} strokeWidth={2} strokeDasharray="2 4" className="chart-line" />
            </g>
          );
        })
      }
    </ChartFrame>
  );
});

/** True when some call, route or client of the scenario has a breaker (its chart has something to show). */
function hasBreaker(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasBreaker);
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'breaker' && v !== null && typeof v === 'object') return true;
    if (hasBreaker(v)) return true;
  }
  return false;
}

/** The charts grid: every chart over the same samples and time axis; breakers and queues only when the scenario has them. */
export function ChartsGrid() {
  const samples = useSeries((s) => s.samples);
  const nodes = useApp((s) => s.scenario?.nodes);
  const breakers = useMemo(() => hasBreaker(nodes ?? []), [nodes]);
  const queues = useMemo(() => (nodes ?? []).some((n) => n.kind === 'queue'), [nodes]);
  return (
    <div className="charts-grid" data-testid="charts">
      <ThroughputChart samples={samples} />
      <LatencyChart samples={samples} />
      <ErrorRateChart samples={samples} />
      <AmplificationChart samples={samples} />
      {breakers ? <BreakerChart samples={samples} /> : null}
      {queues ? <QueueChart samples={samples} /> : null}
    </div>
  );
}
