/**
 * Where the canvas draws each box: the document's graph (scenario/graph.ts) positioned.
 *
 * Positions come from the document's `layout` when it places a node; any node it leaves out is
 * placed by an automatic left-to-right layout (dagre), so a document without a layout still
 * opens readable. A document's layout is spread uniformly (never squeezed) until no two boxes
 * overlap and edges are long enough to watch dots travel: the canvas draws big boxes, and a
 * layout written by hand in small units should still read.
 */
import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import type { EdgeKind, Scenario } from '../../scenario/schema';
import { scenarioEdges, type GraphEdge } from '../../scenario/graph';
import { appKindOf } from '../kinds';

export type TopologyEdgeKind = EdgeKind;

export interface TopologyNode {
  id: string;
  /** A built-in kind, or one defined outside (the canvas draws it with the generic node). */
  kind: string;
  label: string;
  /** Top-left corner in canvas units. */
  position: { x: number; y: number };
}

export type TopologyEdge = GraphEdge;

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /**
   * How much the document's `layout` was spread (>= 1): canvas position = layout position x
   * scale. An editor divides by it to write positions back.
   */
  layoutScale: number;
}

/** The size dagre reserves for a node of a kind: its app part's box (app/kinds/). */
export function nodeSize(kind: string): { readonly width: number; readonly height: number } {
  return appKindOf(kind).size;
}

/** The graph of a validated scenario, positioned. */
export function scenarioTopology(scenario: Scenario): Topology {
  const edges = scenarioEdges(scenario);
  const { positions, scale } = placeNodes(scenario, edges);
  const nodes = scenario.nodes.map(
    (n): TopologyNode => ({
      id: n.id,
      kind: n.kind,
      label: n.label ?? n.id,
      position: positions.get(n.id) ?? { x: 0, y: 0 },
    }),
  );
  return { nodes, edges, layoutScale: scale };
}

/** Room between two boxes side by side (the length of an edge), and one above the other. */
const GAP_X = 130;
const GAP_Y = 50;
/** The most a layout is spread. */
const MAX_SCALE = 6;

/**
 * The smallest factor >= 1 that keeps every pair of boxes apart when the positions are
 * multiplied by it: apart horizontally by a box width plus GAP_X, or vertically by a box height
 * plus GAP_Y, whichever takes less spreading.
 */
export function layoutSpread(points: { x: number; y: number; kind: string }[]): number {
  let scale = 1;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      const w = Math.max(nodeSize(a.kind).width, nodeSize(b.kind).width) + GAP_X;
      const h = Math.max(nodeSize(a.kind).height, nodeSize(b.kind).height) + GAP_Y;
      const dx = Math.abs(a.x - b.x);
      const dy = Math.abs(a.y - b.y);
      const need = Math.min(dx > 0 ? w / dx : Infinity, dy > 0 ? h / dy : Infinity);
      if (Number.isFinite(need)) scale = Math.max(scale, need);
    }
  }
  return Math.min(MAX_SCALE, Math.round(scale * 100) / 100);
}

function placeNodes(scenario: Scenario, edges: TopologyEdge[]): { positions: Map<string, { x: number; y: number }>; scale: number } {
  const out = new Map<string, { x: number; y: number }>();
  const layout = scenario.layout ?? {};
  const missing = scenario.nodes.filter((n) => layout[n.id] === undefined);
  if (missing.length > 0) {
    const g = new Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: GAP_X + 60, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of scenario.nodes) g.setNode(n.id, { ...nodeSize(n.kind) });
    // Dead-letter and alternate edges point back upstream; leaving them out keeps the flow
    // reading left to right.
    for (const e of edges) if (e.kind !== 'dead-letter' && e.kind !== 'alternate') g.setEdge(e.source, e.target);
    dagreLayout(g);
    for (const n of scenario.nodes) {
      const p = g.node(n.id) as { x?: number; y?: number } | undefined;
      const size = nodeSize(n.kind);
      // dagre gives centres; the canvas wants top-left corners.
      out.set(n.id, { x: Math.round((p?.x ?? 0) - size.width / 2), y: Math.round((p?.y ?? 0) - size.height / 2) });
    }
  }
  const placed = scenario.nodes.flatMap((n) => {
    const p = layout[n.id];
    return p ? [{ id: n.id, x: p.x, y: p.y, kind: n.kind }] : [];
  });
  const scale = layoutSpread(placed);
  for (const p of placed) out.set(p.id, { x: Math.round(p.x * scale), y: Math.round(p.y * scale) });
  return { positions: out, scale };
}
