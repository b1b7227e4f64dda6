/**
 * The frame every chart shares: a title that says what it answers, labelled axes (simulated
 * seconds across, the chart's unit up), the scenario's fault windows as shaded bands, and a
 * cursor at the simulated clock. A click on the plot seeks there. Drawn as one SVG (d3 scales and
 * shapes, React elements), so it exports as SVG or PNG as it is on screen.
 */
import { memo, useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3';
import type { ScaleContinuousNumeric } from 'd3';
import type { Scenario } from '../../scenario/schema';
import { useApp } from '../store';
import { useController } from '../context';
import { downloadChart } from './exportImage';
import { placeFaultLabels } from './faultLabels';

/** One row of fault labels, in px (12 px type). */
const LABEL_ROW_PX = 14;

export const MARGIN = { top: 10, right: 16, bottom: 40, left: 64 };

export type YScale = ScaleContinuousNumeric<number, number>;

export interface Plot {
  x: ScaleContinuousNumeric<number, number>;
  y: YScale;
  width: number;
  height: number;
}

export interface LegendItem {
  label: string;
  color: string;
  dash?: string;
  /** Drawn as a filled square (areas, bands) rather than a line. */
  fill?: boolean;
}

export interface ChartFrameProps {
  id: string;
  title: string;
  /** The question the chart answers, one line under the title. */
  question: string;
  yLabel: string;
  yDomain: [number, number];
  yLog?: boolean;
  yFormat: (v: number) => string;
  yTicks?: number;
  legend: LegendItem[];
  /** Shown over the plot when there is nothing to draw yet. */
  empty?: string | null;
  height?: number;
  /** Custom y-axis: labels at given values (breaker rows). */
  yCategories?: { value: number; label: string }[];
  /** Room for the y labels (default MARGIN.left). */
  marginLeft?: number;
  children: (plot: Plot) => ReactNode;
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((prev) => (Math.abs(prev - w) >= 1 ? w : prev));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

const NO_FAULTS: Scenario['faults'] = [];

export function ChartFrame(props: ChartFrameProps) {
  const { id, title, question, legend } = props;
  const [ref, width] = useWidth();
  const svgRef = useRef<SVGSVGElement | null>(null);
  const height = props.height ?? 210;
  const durationMs = useApp((s) => s.durationMs);
  const scenarioName = useApp((s) => s.scenario?.name ?? 'run');
  const seed = useApp((s) => s.scenario?.seed ?? '');
  const save = useCallback(
    (format: 'svg' | 'png') => {
      if (svgRef.current) void downloadChart(svgRef.current, { title, question, scenarioName, seed: String(seed), id, format });
    },
    [title, question, scenarioName, seed, id],
  );
  return (
    <figure className="chart" data-testid={`chart-${id}`} aria-label={title}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <span className="chart-question">{question}</span>
        <span className="chart-actions">
          <button type="button" className="btn btn-small" onClick={() => save('svg')} aria-label={`Download ${title} as SVG`}>
            SVG
          </button>
          <button type="button" className="btn btn-small" onClick={() => save('png')} aria-label={`Download ${title} as PNG`}>
            PNG
          </button>
        </span>
      </figcaption>
      <ul className="chart-legend">
        {legend.map((l) => (
          <li key={l.label}>
            <svg width="22" height="12" aria-hidden="true">
              {l.fill ? <rect x="2" y="1" width="18" height="10" rx="2" style={{ fill: l.color }} /> : <line x1="1" x2="21" y1="6" y2="6" style={{ stroke: l.color }} strokeWidth={3} strokeDasharray={l.dash} />}
            </svg>
            {l.label}
          </li>
        ))}
      </ul>
      <div className="chart-body" ref={ref}>
        {width > MARGIN.left + MARGIN.right + 20 && durationMs > 0 ? (
          <ChartSvg {...props} svgRef={svgRef} width={width} height={height} durationMs={durationMs} />
        ) : null}
      </div>
    </figure>
  );
}

interface SvgProps extends ChartFrameProps {
  svgRef: React.RefObject<SVGSVGElement | null>;
  width: number;
  height: number;
  durationMs: number;
}

function ChartSvg({ svgRef, width, height, durationMs, yDomain, yLog, yFormat, yTicks, yLabel, empty, children, yCategories, title, marginLeft }: SvgProps) {
  const controller = useController();
  const faults = useApp((s) => s.scenario?.faults ?? NO_FAULTS);
  const left = marginLeft ?? MARGIN.left;
  const w = width - left - MARGIN.right;
  const h = height - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear().domain([0, durationMs]).range([0, w]);
  const y: YScale = yLog
    ? scaleLog()
        .domain([Math.max(yDomain[0], 0.1), Math.max(yDomain[1], yDomain[0] * 10, 1)])
        .range([h, 0])
        .clamp(true)
    : scaleLinear()
        .domain([yDomain[0], yDomain[1] > yDomain[0] ? yDomain[1] : yDomain[0] + 1])
        .range([h, 0])
        .nice(yTicks ?? 4);
  const xTicks = x.ticks(Math.max(2, Math.min(10, Math.floor(w / 90))));
  const yTickValues = yCategories ? [] : yLog ? logTicks(y) : y.ticks(yTicks ?? 4);
  // Fault labels in rows, ellipsized, so none overprints another (faultLabels.ts).
  const labels = placeFaultLabels(
    faults.map((f) => ({ x: x(Math.max(0, f.atMs)) + 4, text: `${f.kind} ${f.target}` })),
    w,
    Math.max(1, Math.min(3, Math.floor(h / 2 / LABEL_ROW_PX))),
  );
  const onClick = (e: React.MouseEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    controller.seek(x.invert(e.clientX - box.left));
  };
  return (
    <svg ref={svgRef} className="chart-svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <g transform={`translate(${left},${MARGIN.top})`}>
        {faults.map((f, i) => {
          const x0 = x(Math.max(0, f.atMs));
          const x1 = x(Math.min(durationMs, f.untilMs ?? durationMs));
          const label = labels[i];
          return x1 > x0 ? (
            <g key={i} className="chart-fault">
              <title>{`${f.kind} on ${f.target}, ${formatSeconds(f.atMs)} → ${f.untilMs === null ? 'end' : formatSeconds(f.untilMs)}`}</title>
              <rect x={x0} y={0} width={Math.max(1, x1 - x0)} height={h} className="chart-fault-band" />
              {label ? (
                <text x={x0 + 4} y={12 + label.row * LABEL_ROW_PX} className="chart-fault-label">
                  {label.text}
                </text>
              ) : null}
            </g>
          ) : null;
        })}
        {yTickValues.map((v) => (
          <g key={`y${v}`} transform={`translate(0,${y(v)})`}>
            <line x1={0} x2={w} className="chart-grid" />
            <text x={-8} dy="0.32em" textAnchor="end" className="chart-tick">
              {yFormat(v)}
            </text>
          </g>
        ))}
        {yCategories?.map((c) => (
          <text key={c.label} x={-8} y={y(c.value)} dy="0.32em" textAnchor="end" className="chart-tick chart-tick-category">
            {c.label}
          </text>
        ))}
        {xTicks.map((v) => (
          <g key={`x${v}`} transform={`translate(${x(v)},${h})`}>
            <line y1={0} y2={5} className="chart-axis" />
            <text y={19} textAnchor="middle" className="chart-tick">
              {formatSeconds(v)}
            </text>
          </g>
        ))}
        <line x1={0} x2={w} y1={h} y2={h} className="chart-axis" />
        <line x1={0} x2={0} y1={0} y2={h} className="chart-axis" />
        <text x={w} y={h + 36} textAnchor="end" className="chart-axis-label">
          simulated time (s)
        </text>
        <text transform={`translate(${-left + 14},${h / 2}) rotate(-90)`} textAnchor="middle" className="chart-axis-label">
          {yLabel}
        </text>
        <g className="chart-data">{children({ x, y, width: w, height: h })}</g>
        {empty ? (
          <text x={w / 2} y={h / 2} textAnchor="middle" className="chart-empty">
            {empty}
          </text>
        ) : null}
        <Cursor x={x} height={h} />
        <rect x={0} y={0} width={w} height={h} fill="transparent" className="chart-hit" onClick={onClick} />
      </g>
    </svg>
  );
}

const Cursor = memo(function Cursor({ x, height }: { x: (t: number) => number; height: number }) {
  const t = useApp((s) => s.simTimeMs);
  const px = x(t);
  return <line className="chart-cursor" x1={px} x2={px} y1={-4} y2={height} data-testid="chart-cursor" />;
});

function logTicks(y: YScale): number[] {
  const [lo, hi] = y.domain() as [number, number];
  const pick = (mults: number[]) => {
    const out: number[] = [];
    for (let d = 0.1; d <= hi * 1.0001; d *= 10) {
      for (const m of mults) {
        const v = Math.round(d * m * 1000) / 1000;
        if (v >= lo * 0.9999 && v <= hi * 1.0001) out.push(v);
      }
    }
    return out;
  };
  // Powers of ten when they give three labels or more, else 1-2-5 steps, at most five labels.
  const tens = pick([1]);
  const out = tens.length >= 3 ? tens : pick([1, 2, 5]);
  const step = Math.ceil(out.length / 5);
  return out.filter((_, i) => i % step === 0);
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s}` : s.toFixed(1);
}
