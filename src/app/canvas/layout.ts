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
 * How far apart two boxes' corners must be, across or up and down, for neither to crowd the
 * other: boxes hang from their top-left corners, so across it is the width of the one on the left
 * plus GAP_X, up and down the height of the one above plus GAP_Y. (The larger of the two boxes
 * was asked before: the automatic layout, which keeps exactly GAP_Y between a box and the one
 * below it, was spread 1.5 times as soon as it was written into the document.)
 */
function room(a: { x: number; y: number; kind: string }, b: { x: number; y: number; kind: string }): { w: number; h: number } {
  const left = a.x <= b.x ? a : b;
  const above = a.y <= b.y ? a : b;
  return { w: nodeSize(left.kind).width + GAP_X, h: nodeSize(above.kind).height + GAP_Y };
}

/**
 * The smallest factor >= 1 that keeps every pair of boxes apart when the positions are
 * multiplied by it: apart horizontally by the left box's width plus GAP_X, or vertically by the
 * upper box's height plus GAP_Y, whichever takes less spreading.
 */
export function layoutSpread(points: { x: number; y: number; kind: string }[]): number {
  let scale = 1;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      const { w, h } = room(a, b);
      const dx = Math.abs(a.x - b.x);
      const dy = Math.abs(a.y - b.y);
      const need = Math.min(dx > 0 ? w / dx : Infinity, dy > 0 ? h / dy : Infinity);
      if (Number.isFinite(need)) scale = Math.max(scale, need);
    }
  }
  return Math.min(MAX_SCALE, Math.round(scale * 100) / 100);
}

type Placed = { id: string; x: number; y: number; kind: string };

/**
 * Where the `moved` boxes go, as near as may be to where they were put, such that the layout needs
 * no more spreading than `scale` (layoutSpread ≤ max(1, scale)): a box dropped or dragged against
 * another moves just clear of it — a box width and GAP_X beside it, or a box height and GAP_Y above
 * or below — instead of the whole layout spreading apart to keep the two clear (a copy pasted
 * 40 units off its original spread every box 5.75 times). The moved boxes move by one offset, so
 * they keep their arrangement; when no offset near by clears them, they go below the others.
 * Returns the moved boxes' new positions (layout units), by id.
 */
export function keepSpread(points: readonly Placed[], moved: ReadonlySet<string>, scale: number): Map<string, { x: number; y: number }> {
  const s = Math.max(1, scale);
  const group = points.filter((p) => moved.has(p.id));
  const others = points.filter((p) => !moved.has(p.id));
  const at = (off: { x: number; y: number }) => new Map(group.map((m) => [m.id, { x: m.x + off.x, y: m.y + off.y }]));
  if (group.length === 0 || others.length === 0) return at({ x: 0, y: 0 });
  // The room a box takes to its right and below it (layout units, at this spread).
  const across = (p: Placed) => (nodeSize(p.kind).width + GAP_X) / s;
  const below = (p: Placed) => (nodeSize(p.kind).height + GAP_Y) / s;
  // A moved box m clashes with another o while its corner is inside the area around o that the
  // two need: from o's left less m's room to o's right plus o's room, and so up and down.
  const clashes = (off: { x: number; y: number }) => {
    const out: { m: Placed; left: number; right: number; up: number; down: number }[] = [];
    for (const m of group) {
      const x = m.x + off.x;
      const y = m.y + off.y;
      for (const o of others) {
        const left = o.x - across(m);
        const right = o.x + across(o);
        const up = o.y - below(m);
        const down = o.y + below(o);
        if (x > left && x < right && y > up && y < down) out.push({ m, left, right, up, down });
      }
    }
    return out;
  };
  // From where they were put, each clash pushes the group to one of four sides of the box it
  // overlaps; the nearest offset that clashes with nothing wins.
  const seen = new Set<string>();
  const queue = [{ x: 0, y: 0 }];
  let best: { x: number; y: number } | null = null;
  const norm = (o: { x: number; y: number }) => Math.hypot(o.x, o.y);
  for (let i = 0; i < queue.length && seen.size < 400; i++) {
    const off = queue[i]!;
    const key = `${off.x},${off.y}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (best && norm(off) >= norm(best)) continue;
    const found = clashes(off);
    if (found.length === 0) {
      best = off;
      continue;
    }
    for (const { m, left, right, up, down } of found) {
      queue.push({ x: Math.floor(left - m.x), y: off.y }, { x: Math.ceil(right - m.x), y: off.y }, { x: off.x, y: Math.floor(up - m.y) }, { x: off.x, y: Math.ceil(down - m.y) });
    }
  }
  if (best) return at(best);
  return at({ x: 0, y: Math.ceil(Math.max(...others.map((o) => o.y + below(o))) - Math.min(...group.map((m) => m.y))) });
}

function placeNodes(scenario: Scenario, edges: TopologyEdge[]): { positions: Map<string, { x: number; y: number }>; scale: number } {
  const out = new Map<string, { x: number; y: number }>();
  const layout = scenario.layout ?? {};
  if (needsAutoLayout(scenario)) {
    if (!autoPlacer) throw new Error('this document leaves nodes unplaced: call loadAutoLayout() before scenarioTopology()');
    for (const [id, p] of autoPlacer(scenario.nodes, edges, (n) => nodeSize(n.kind), GAP_X)) out.set(id, p);
  }
  const placed = scenario.nodes.flatMap((n) => {
    const p = layout[n.id];
    return p ? [{ id: n.id, x: p.x, y: p.y, kind: n.kind }] : [];
  });
  const scale = layoutSpread(placed);
  for (const p of placed) out.set(p.id, { x: Math.round(p.x * scale), y: Math.round(p.y * scale) });
  return { positions: out, scale };
}
