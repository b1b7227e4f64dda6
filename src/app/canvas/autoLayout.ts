/**
 * The automatic layout: dagre, left to right, for the nodes a document's `layout` leaves out.
 * A chunk of its own (layout.ts loads it): the presets and most shared links place every node,
 * so the first view does not wait for it.
 */
import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import type { GraphEdge } from '../../scenario/graph';

type Size = { readonly width: number; readonly height: number };

/**
 * Top-left corners for `nodes`, ranked along the edges; `gapX` is the room between ranks. `size`
 * is a box's size: its kind's, or the box as drawn (a service with breaker chips is taller).
 */
export function placeLeftToRight<N extends { id: string; kind: string }>(nodes: readonly N[], edges: readonly GraphEdge[], size: (node: N) => Size, gapX: number): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: gapX + 60, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...size(n) });
  // Requests and messages rank the boxes first. A dead-letter or alternate exchange then ranks
  // after the box that sends to it (a queue's DLX and its DLQ read on from the queue, not before
  // the client) unless it is upstream already (a queue dead-lettering through the exchange that
  // feeds it): that edge would point back, and is left out so the flow still reads left to right.
  const next = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    g.setEdge(from, to);
    next.set(from, [...(next.get(from) ?? []), to]);
  };
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === to) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(next.get(at) ?? []));
    }
    return false;
  };
  const sideways = (e: GraphEdge) => e.kind === 'dead-letter' || e.kind === 'alternate';
  for (const e of edges) if (!sideways(e)) link(e.source, e.target);
  for (const e of edges) if (sideways(e) && e.source !== e.target && !reaches(e.target, e.source)) link(e.source, e.target);
  dagreLayout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x?: number; y?: number } | undefined;
    const box = size(n);
    // dagre gives centres; the canvas wants top-left corners.
    out.set(n.id, { x: Math.round((p?.x ?? 0) - box.width / 2), y: Math.round((p?.y ?? 0) - box.height / 2) });
  }
  return out;
}
