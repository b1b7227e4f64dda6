/**
 * The automatic layout: dagre, left to right, for the nodes a document's `layout` leaves out.
 * A chunk of its own (layout.ts loads it): the presets and most shared links place every node,
 * so the first view does not wait for it.
 */
import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import type { GraphEdge } from '../../scenario/graph';

type Size = { readonly width: number; readonly height: number };

/** Top-left corners for `nodes`, ranked along the edges; `gapX` is the room between ranks. */
export function placeLeftToRight(nodes: readonly { id: string; kind: string }[], edges: readonly GraphEdge[], size: (kind: string) => Size, gapX: number): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: gapX + 60, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...size(n.kind) });
  // Dead-letter and alternate edges point back upstream; leaving them out keeps the flow
  // reading left to right.
  for (const e of edges) if (e.kind !== 'dead-letter' && e.kind !== 'alternate') g.setEdge(e.source, e.target);
  dagreLayout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x?: number; y?: number } | undefined;
    const box = size(n.kind);
    // dagre gives centres; the canvas wants top-left corners.
    out.set(n.id, { x: Math.round((p?.x ?? 0) - box.width / 2), y: Math.round((p?.y ?? 0) - box.height / 2) });
  }
  return out;
}
