/**
 * Which faults a target can suffer: one table, read by validation, the model's fault timeline and
 * the app's fault menus. A node's kind says which faults it takes and where each acts (kinds/);
 * a link "a->b" takes the network faults and latency/error on its hops.
 */
import type { FaultKind } from './parts';
import type { KindShape } from './kinds/define';
import type { KindLookup } from './kinds/shapes';

/** Faults that act on network hops. */
export const NETWORK_FAULT_KINDS: readonly FaultKind[] = ['partition', 'drop', 'duplicate', 'reorder'];
/** Faults on a link "a->b" (both directions of the hop between a and b). */
export const LINK_FAULT_KINDS: readonly FaultKind[] = ['latency', 'error', ...NETWORK_FAULT_KINDS];
/** Faults that only a node can suffer, never a link. */
export const NODE_ONLY_FAULT_KINDS: readonly FaultKind[] = ['crash', 'hang', 'slow', 'rolling-restart'];

/** The faults a kind can suffer, in its table's order. */
export function faultsOf(kind: Pick<KindShape, 'faults'>): FaultKind[] {
  return Object.keys(kind.faults) as FaultKind[];
}

const BROKER_KINDS = ['exchange', 'queue'];

/**
 * The faults a link between nodes of kinds `a` and `b` can carry, and the sentence that says why
 * the others cannot. Broker hops (publish: service → exchange; delivery and ack: queue ↔ consumer)
 * cross the network like requests do; routing from an exchange to its queues happens inside the
 * broker; a delivery or an ack has no status an error fault could set.
 */
export function linkFaults(a: string | undefined, b: string | undefined): { kinds: readonly FaultKind[]; why: string | null } {
  if (a !== undefined && b !== undefined && BROKER_KINDS.includes(a) && BROKER_KINDS.includes(b)) {
    return { kinds: [], why: 'routing between exchanges and queues happens inside the broker, with no network hop to fault — aim at a publish link (service->exchange), a consume link (queue->service) or the queue' };
  }
  if ((a === 'queue' && b !== undefined && b !== 'queue') || (b === 'queue' && a !== undefined && a !== 'queue')) {
    return {
      kinds: LINK_FAULT_KINDS.filter((k) => k !== 'error'),
      why: 'a delivery or an ack between a queue and its consumer carries no status for an error to set — drop, partition, latency, duplicate and reorder act on it (an error on a publish link is the publisher\'s nack)',
    };
  }
  return { kinds: LINK_FAULT_KINDS, why: null };
}

/** The fault kinds a target (a node id or "a->b") can suffer in a document. */
export function faultKindsFor(kinds: KindLookup, nodes: readonly { id: string; kind: string }[], target: string): readonly FaultKind[] {
  if (target.includes('->')) {
    const [from, to] = target.split('->');
    return linkFaults(nodes.find((n) => n.id === from)?.kind, nodes.find((n) => n.id === to)?.kind).kinds;
  }
  const node = nodes.find((n) => n.id === target);
  const descriptor = node ? kinds.get(node.kind) : undefined;
  return descriptor ? faultsOf(descriptor) : [];
}
