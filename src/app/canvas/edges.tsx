/**
 * The canvas edges: one memoized component, registered in `edgeTypes` at module scope. An edge
 * that carries calls with a circuit breaker is drawn in the breaker's colour (closed green, open
 * red, half-open amber) with a badge naming the state; every edge keeps its label (route prefix,
 * routing key, consumers and prefetch). Live faults on a link show as a badge too, and so do the
 * call's bulkhead rejections and fallbacks once there are any (from the caller's live state).
 */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getStraightPath } from '@xyflow/react';
import type { Edge, EdgeProps, EdgeTypes } from '@xyflow/react';
import type { TopologyEdgeKind } from './layout';
import type { CallState } from '../../run/types';
import { useApp } from '../store';
import { formatCompact } from '../format';

export interface FlowEdgeData extends Record<string, unknown> {
  kind: TopologyEdgeKind;
  label: string;
  /** Which call of the source to the same target this edge is (edges `…#1` are the second). */
  nth: number;
  /** Live faults on the link between the two ends, by kind. */
  faults?: string[];
}

export type FlowEdge = Edge<FlowEdgeData, 'flow'>;

/** The nth call from `calls` to `target`, or undefined. */
export function callOf(calls: readonly CallState[] | undefined, target: string, nth = 0): CallState | undefined {
  if (!calls) return undefined;
  let seen = 0;
  for (const c of calls) {
    if (c.target !== target) continue;
    if (seen === nth) return c;
    seen++;
  }
  return undefined;
}

/** The breaker state of the nth call from `calls` to `target`, or null (no breaker, or no such call). */
export function breakerOf(calls: readonly CallState[] | undefined, target: string, nth = 0): CallState['breaker'] {
  return callOf(calls, target, nth)?.breaker ?? null;
}

/** What the call's bulkhead refused and its fallback answered, as "12 bulkhead-rejected · 12 fallbacks" ('' while both are 0). */
export function guardText(call: Pick<CallState, 'bulkheadRejected' | 'fallbacks'> | undefined): string {
  if (!call) return '';
  const parts: string[] = [];
  if (call.bulkheadRejected > 0) parts.push(`${formatCompact(call.bulkheadRejected)} bulkhead-rejected`);
  if (call.fallbacks > 0) parts.push(`${formatCompact(call.fallbacks)} fallback${call.fallbacks === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

const CALL_KINDS = new Set<TopologyEdgeKind>(['request', 'route', 'call']);
const WORDS = { CLOSED: 'closed', OPEN: 'OPEN', HALF_OPEN: 'half-open' } as const;

const FlowEdgeView = memo(function FlowEdgeView(props: EdgeProps<FlowEdge>) {
  const { id, source, target, data, markerEnd, selected, sourceX, sourceY, targetX, targetY } = props;
  const kind = data?.kind ?? 'call';
  const nth = data?.nth ?? 0;
  const breaker = useApp((s) => (CALL_KINDS.has(kind) ? breakerOf(s.nodes[source]?.calls, target, nth) : null));
  const guards = useApp((s) => (CALL_KINDS.has(kind) ? guardText(callOf(s.nodes[source]?.calls, target, nth)) : ''));
  const [path, labelX, labelY] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const faults = data?.faults ?? [];
  const label = data?.label ?? '';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`flow-edge edge-${kind}${breaker ? ` edge-breaker-${breaker}` : ''}${selected ? ' is-selected' : ''}`}
      />
      {label || breaker || guards || faults.length > 0 ? (
        <EdgeLabelRenderer>
          <div
            className="edge-label nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-${source}-${target}`}
          >
            {label ? (
              <span className="edge-text" title={label}>
                {label}
              </span>
            ) : null}
            {breaker ? (
              <span className={`edge-breaker breaker-${breaker}`} data-testid={`edge-breaker-${source}-${target}`} data-state={breaker} title={`circuit breaker ${breaker}`}>
                {WORDS[breaker]}
              </span>
            ) : null}
            {guards ? (
              <span className="edge-guards" data-testid={`edge-guards-${source}-${target}`} title="calls refused at once by the bulkhead, and calls answered by the fallback">
                {guards}
              </span>
            ) : null}
            {faults.length > 0 ? (
              <span className="edge-fault" title={`Faults on this link now: ${faults.join(', ')}`}>
                ⚡ {faults.join(', ')}
              </span>
            ) : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const edgeTypes: EdgeTypes = { flow: FlowEdgeView };
