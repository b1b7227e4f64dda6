/**
 * Where the canvas draws each box: the document's graph (scenario/graph.ts) positioned.
 *
 * Positions come from the document's `layout` when it places a node; any node it leaves out is
 * placed by an automatic left-to-right layout (dagre, autoLayout.ts: loaded on demand with
 * `loadAutoLayout`, since most documents place every node), so a document without a layout
 * still opens readable. A document's layout is spread uniformly (never squeezed) until no two boxes
 * overlap and edges are long enough to watch dots travel: the canvas draws big boxes, and a
 * layout written by hand in small units should still read.
 */
import type { EdgeKind, Scenario } from '../../scenario/schema';
import { scenarioEdges, type GraphEdge } from '../../scenario/graph';
import { appKindOf } from '../kinds';
import type { placeLeftToRight } from './autoLayout';

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

type AutoPlacer = typeof placeLeftToRight;
let autoPlacer: AutoPlacer | null = null;

/**
 * Whether a document (validated or not) leaves a node without a position: its topology needs the
 * automatic layout then.
 */
export function needsAutoLayout(document: unknown): boolean {
  const d = (typeof document === 'object' && document !== null ? document : {}) as { nodes?: unknown; layout?: unknown };
  const layout = (typeof d.layout === 'object' && d.layout !== null ? d.layout : {}) as Record<string, unknown>;
  const nodes = Array.isArray(d.nodes) ? (d.nodes as unknown[]) : [];
  return nodes.some((n) => {
    const id = (n as { id?: unknown } | null)?.id;
    return typeof id === 'string' && layout[id] === undefined;
  });
}

/** Loads the automatic layout (once); `scenarioTopology` of a document that needs it waits for this. */
export async function loadAutoLayout(): Promise<void> {
  autoPlacer ??= (await import('./autoLayout')).placeLeftToRight;
}

/**
 * The graph of a validated scenario, positioned. A document that leaves a node unplaced needs the
 * automatic layout loaded first (`needsAutoLayout`, `loadAutoLayout`).
 */
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
export const GAP_X = 130;
export const GAP_Y = 50;
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
  if (needsAutoLayout(scenario)) {
    if (!autoPlacer) throw new Error('this document leaves nodes unplaced: call loadAutoLayout() before scenarioTopology()');
    for (const [id, p] of autoPlacer(scenario.nodes, edges, nodeSize, GAP_X)) out.set(id, p);
  }
  const placed = scenario.nodes.flatMap((n) => {
    const p = layout[n.id];
    return p ? [{ id: n.id, x: p.x, y: p.y, kind: n.kind }] : [];
  });
  const scale = layoutSpread(placed);
  for (const p of placed) out.set(p.id, { x: Math.round(p.x * scale), y: Math.round(p.y * scale) });
  return { positions: out, scale };
}
