/**
 * The graph of a document: one edge per reference a node makes that the canvas draws, read from
 * the kinds' descriptors. Edges point the way a request or a message first travels:
 *   client -> its target (request), gateway -> route target (route), service -> callee (call),
 *   service -> exchange (publish), exchange -> queue (binding, labelled with its key),
 *   queue -> consuming service (consume), queue -> its dead-letter exchange (dead-letter),
 *   exchange -> its alternate exchange (alternate).
 * A pure function of the document, so the app, a test or an editor all see the same graph.
 */
import type { EdgeKind, Scenario } from './schema';
import { BUILTIN_SHAPES, type KindLookup } from './kinds/shapes';
import { formatPath } from './problem';

export interface GraphEdge {
  /** Unique and stable for a given document. */
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label: string;
  /** Where the document says it: `nodes[2].calls[0].target`. */
  path: string;
}

/** The edges of a document, in document order (consumers last). References to unknown nodes are left out. */
export function scenarioEdges(scenario: Pick<Scenario, 'nodes'>, kinds: KindLookup = BUILTIN_SHAPES): GraphEdge[] {
  const known = new Set(scenario.nodes.map((n) => n.id));
  const edges: GraphEdge[] = [];
  const later: Omit<GraphEdge, 'id'>[] = [];
  const seen = new Map<string, number>();
  const add = (e: Omit<GraphEdge, 'id'>) => {
    if (!known.has(e.source) || !known.has(e.target)) return;
    const base = `${e.kind}:${e.source}->${e.target}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    edges.push({ id: n === 0 ? base : `${base}#${n}`, ...e });
  };
  scenario.nodes.forEach((node, i) => {
    const descriptor = kinds.get(node.kind);
    if (!descriptor) return;
    for (const ref of descriptor.refs(node as unknown as Record<string, unknown>)) {
      if (!ref.edge || typeof ref.id !== 'string') continue;
      const [source, target] = ref.edge.reverse ? [ref.id, node.id] : [node.id, ref.id];
      const e = { source, target, kind: ref.edge.kind, label: ref.edge.label, path: formatPath(['nodes', i, ...ref.path]) };
      if (ref.edge.last) later.push(e);
      else add(e);
    }
  });
  for (const e of later) add(e);
  return edges;
}
