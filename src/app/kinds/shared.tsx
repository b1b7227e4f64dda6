/**
 * The pieces every canvas node is made of: the handles, the header (kind, detail, name), a stat,
 * the outcome row (ok, failed, error share), the breaker chips and the fault strip, and the hooks
 * reading a node's live state and rate from the store. Numbers are big: the canvas is read from
 * the back of a room.
 *
 * Presenter level of detail (`usePresenterDetail`): a node draws `PresenterNode` instead, its
 * name and the few figures its kind chooses, one a line, in type of a fixed size on screen
 * (whatever the zoom) and as many as its box holds at this zoom, the most telling first.
 */
import type { ReactNode } from 'react';
import { Handle, Position, useStore } from '@xyflow/react';
import type { CallState, NodeState } from '../../run/types';
import { useApp } from '../store';
import { AFigures } from '../compare/AFigures';
import { useCompareFlags } from '../compare/request';
import { formatCompact, formatPercent } from '../format';
import { PRESENTER_GROW } from './define';
import type { FlowNodeData } from './define';

/** The counts every kind's state starts from (before the first frame). */
export const EMPTY_COUNTS = { received: 0, ok: 0, failed: 0, byStatus: {}, calls: [] };

/** A node's live state, of its kind's shape; `empty` (of that kind) until a frame says otherwise. */
export function useLive<S extends NodeState>(id: string, empty: S): S {
  const live = useApp((s) => s.nodes[id]);
  return live?.kind === empty.kind ? (live as S) : empty;
}

/** A node's live state whatever its kind, or null before the first frame. */
export function useAnyLive(id: string): NodeState | null {
  return useApp((s) => s.nodes[id]) ?? null;
}

export function useRate(id: string): number {
  return useApp((s) => s.rates[id] ?? 0);
}

export function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Left} className="node-handle" />
      <Handle type="source" position={Position.Right} className="node-handle node-handle-source" title="Drag to another node to connect" />
    </>
  );
}

export function Header({ data, badge }: { data: FlowNodeData; badge?: ReactNode }) {
  return (
    <div className="node-header">
      <div className="node-title">
        <span className="node-kind" title={data.detail ? `${data.kind} · ${data.detail}` : data.kind}>
          {data.kind}
          {data.detail ? <span className="node-detail"> · {data.detail}</span> : null}
        </span>
        <span className="node-label" title={data.label}>
          {data.label}
        </span>
      </div>
      {badge}
    </div>
  );
}

export function Stat({ label, value, tone, testId, n }: { label: string; value: string; tone?: 'ok' | 'bad' | 'warn' | undefined; testId?: string; n?: number }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}${value.length > 6 ? ' stat-long' : value.length > 4 ? ' stat-wide' : ''}`} data-testid={testId} data-value={n}>
      <span className="stat-value">{value}</span>
      <span className="stat-label" title={label}>
        {label}
      </span>
    </div>
  );
}

export function OutcomeRow({ live, id }: { live: Pick<NodeState, 'ok' | 'failed'>; id?: string }) {
  const done = live.ok + live.failed;
  const errorShare = done > 0 ? live.failed / done : 0;
  return (
    <>
      <div className="stat-row">
        <Stat label="ok" value={formatCompact(live.ok)} tone="ok" />
        <Stat label="failed" value={formatCompact(live.failed)} tone={live.failed > 0 ? 'bad' : undefined} />
        <Stat label="errors" value={formatPercent(live.failed, done)} tone={errorShare >= 0.05 ? 'bad' : errorShare > 0 ? 'warn' : undefined} />
      </div>
      {/* In compare view the canvas runs B; run A's figures for the same node sit under B's. */}
      {id !== undefined ? <AFigures id={id} /> : null}
    </>
  );
}

const BREAKER_WORDS: Record<NonNullable<CallState['breaker']>, string> = { CLOSED: 'closed', OPEN: 'OPEN', HALF_OPEN: 'half-open' };

/**
 * One chip per outbound call that has a breaker: its target and the breaker state, in the state's
 * colour (closed green, open red, half-open amber), with how often it opened.
 */
export function Breakers({ id, calls }: { id: string; calls: CallState[] }) {
  const withBreaker = calls.filter((c) => c.breaker !== null);
  if (withBreaker.length === 0) return null;
  return (
    <ul className="breakers" aria-label="Circuit breakers">
      {withBreaker.map((c, i) => (
        <li
          key={`${c.target}-${i}`}
          className={`breaker breaker-${c.breaker}`}
          data-testid={`breaker-${id}-${c.target}`}
          data-state={c.breaker}
          title={`Breaker on the call to ${c.target}: ${c.breaker}. Opened ${c.breakerOpens}×, ${c.shortCircuited} calls short-circuited.`}
        >
          <span className="breaker-dot" aria-hidden="true" />
          <span className="breaker-target" title={c.target}>
            → {c.target}
          </span>
          <strong className="breaker-state">{BREAKER_WORDS[c.breaker!]}</strong>
          {c.breakerOpens > 0 ? <span className="breaker-opens">{c.breakerOpens}× opened</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The live faults acting on a node now, so the audience sees why it misbehaves. */
export function FaultStrip({ data }: { data: FlowNodeData }) {
  if (!data.faults || data.faults.length === 0) return null;
  return (
    <div className="node-faults" data-testid="node-faults" title={`Faults acting now: ${data.faults.join(', ')}`}>
      <span aria-hidden="true">⚡</span> {data.faults.join(', ')}
    </div>
  );
}

/** One figure a kind shows at the presenter level of detail. */
export interface Figure {
  /** Its key, unique in the node. */
  key: string;
  value: string;
  label: string;
  tone?: 'ok' | 'bad' | 'warn' | undefined;
  /** What it counts, on hover. */
  title?: string;
  testId?: string;
}

/** Whether the canvas draws its nodes at the presenter level of detail (presenter mode). */
export function usePresenterDetail(): boolean {
  return useApp((s) => s.present);
}

/**
 * On-screen sizes of the presenter level of detail, in screen px (presenter.css draws them
 * with the canvas's `--px`, one screen pixel in canvas units): the box's border and padding,
 * the name's line and a figure's line.
 */
export const PRESENTER_PX = { border: 3, padY: 4, padX: 8, nameLine: 23, figureLine: 21 } as const;

/** The box drawn at the presenter level of detail for a kind's layout room (grown into the gaps). */
export function presenterBox(size: { readonly width: number; readonly height: number }): { width: number; height: number } {
  return { width: size.width + PRESENTER_GROW.width, height: size.height + PRESENTER_GROW.height };
}

/** How many figure lines a box `height` canvas units tall holds at `zoom` under its name. */
export function figureLinesThatFit(height: number, zoom: number): number {
  const p = PRESENTER_PX;
  const room = height * zoom - 2 * (p.border + p.padY) - p.nameLine;
  return Math.max(0, Math.floor(room / p.figureLine));
}

/** In compare view, run A's figures for the same node on one line (the canvas runs B): a consumer's duplicate side effects and messages processed, else ok and failed. */
export function aFigure(id: string, a: NodeState): Figure {
  const m = a.kind === 'service' ? a.messages : undefined;
  const label = m && a.received === 0 ? `${formatCompact(m.duplicateSideEffects)} dup effects · ${formatCompact(m.processed)} processed` : `${formatCompact(a.ok)} ok · ${formatCompact(a.failed)} failed`;
  return { key: 'a', value: 'A', label, title: 'Run A (the document without B’s settings) at the same moment', testId: `fig-${id}-a` };
}

/**
 * A node at the presenter level of detail: its box at its kind's size, the name (ellipsized,
 * the full name on hover), a state badge, then its figures, the live faults first, as many as
 * fit; every figure is on the box's hover text.
 */
export function PresenterNode({
  id,
  data,
  size,
  className,
  badge,
  figures,
  degraded,
}: {
  id: string;
  data: FlowNodeData;
  size: { readonly width: number; readonly height: number };
  className: string;
  badge?: ReactNode;
  figures: Figure[];
  degraded?: boolean;
}) {
  const zoom = useStore((s) => s.transform[2]);
  const a = useCompareFlags((s) => (s.active ? s.aNodes[id] : undefined));
  const faults = data.faults ?? [];
  const own = a ? [...figures.slice(0, 2), aFigure(id, a), ...figures.slice(2)] : figures;
  const all: Figure[] = faults.length > 0 ? [{ key: 'faults', value: '⚡', label: faults.join(', '), tone: 'bad', testId: 'node-faults' }, ...own] : own;
  const box = presenterBox(size);
  const shown = all.slice(0, figureLinesThatFit(box.height, zoom));
  const hover = [`${data.kind} ${data.label}`, ...all.map((f) => `${f.value} ${f.label}`)].join('\n');
  return (
    <div
      className={`flow-node flow-node-lod ${className}${degraded ? ' is-degraded' : ''}`}
      style={box}
      data-testid={`node-${id}`}
      data-detail="presenter"
      title={hover}
    >
      <Handles />
      <div className="lod-head">
        <span className="lod-name" title={data.label}>
          {data.label}
        </span>
        {badge}
      </div>
      <ul className="lod-figures">
        {shown.map((f) => (
          <li key={f.key} className={`lod-figure lod-figure-${f.key}${f.tone ? ` stat-${f.tone}` : ''}`} title={f.title} data-testid={f.testId}>
            <strong className="lod-value">{f.value}</strong> <span className="lod-label">{f.label}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
