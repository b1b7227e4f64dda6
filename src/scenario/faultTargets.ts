/**
 * Which faults a target can suffer: one table, read by validation, the model's fault timeline and
 * the app's fault menus. A node's kind says which faults it takes and where each acts (kinds/);
 * a link "a->b" takes the network faults and latency/error on its hops.
 */
import type { FaultKind } from './parts';
import type { ScenarioKind } from './kinds/define';
import type { KindSet } from './kinds';

/** Faults that act on network hops. */
export const NETWORK_FAULT_KINDS: readonly FaultKind[] = ['partition', 'drop', 'duplicate', 'reorder'];
/** Faults on a link "a->b" (both directions of the hop between a and b). */
export const LINK_FAULT_KINDS: readonly FaultKind[] = ['latency', 'error', ...NETWORK_FAULT_KINDS];
/** Faults that only a node can suffer, never a link. */
export const NODE_ONLY_FAULT_KINDS: readonly FaultKind[] = ['crash', 'hang', 'slow', 'rolling-restart'];

/** The faults a kind can suffer, in its table's order. */
export function faultsOf(kind: ScenarioKind): FaultKind[] {
  return Object.keys(kind.faults) as FaultKind[];
}

/** The fault kinds a target (a node id or "a->b") can suffer in a document. */
export function faultKindsFor(kinds: KindSet, nodes: readonly { id: string; kind: string }[], target: string): readonly FaultKind[] {
  if (target.includes('->')) return LINK_FAULT_KINDS;
  const node = nodes.find((n) => n.id === target);
  const descriptor = node ? kinds.get(node.kind) : undefined;
  return descriptor ? faultsOf(descriptor) : [];
}
