/**
 * A component kind, as the app sees it: the box the canvas draws for its nodes, how big the
 * layout makes room for that box, and the short fact shown under a node's name. The document's
 * part of a kind (schema, references, faults) is its descriptor in scenario/kinds/; the inspector
 * builds a kind's form from that schema, so a kind has no inspector code of its own.
 */
import type { ComponentType } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { NodeKind, NodeSpec } from '../../scenario/schema';

export interface FlowNodeData extends Record<string, unknown> {
  label: string;
  /** The node's kind: a built-in one, or one defined outside (drawn by the generic node). */
  kind: string;
  /** A short fact from the document shown under the name (exchange type, arrival rate...). */
  detail: string;
  /** Live faults on this node right now (kinds), drawn as a warning strip. */
  faults?: string[];
}

export type FlowNode = Node<FlowNodeData>;

/** A node of the document, of kind K (a kind defined outside: any node with an id and a kind). */
export type NodeOf<K extends string> = K extends NodeKind ? Extract<NodeSpec, { kind: K }> : { id: string; kind: string; label?: string };

export interface AppKind<K extends string = string> {
  /** The canvas node: a memoized component subscribing to its own live state by id. */
  readonly Node: ComponentType<NodeProps<FlowNode>>;
  /** The room the layout gives a box of this kind (the canvas draws them about this big). */
  readonly size: { readonly width: number; readonly height: number };
  /** A short fact from the document shown under the name ('' for none). */
  detail(node: NodeOf<K>): string;
}

/**
 * How much bigger than its layout room a box is drawn at the presenter level of detail, in
 * canvas units: less than the room the layout leaves between boxes (canvas/layout.ts, GAP_X
 * beside, GAP_Y above; a test holds it), so grown boxes still never overlap and edges keep a
 * visible length.
 */
export const PRESENTER_GROW = { width: 60, height: 30 } as const;

/** Declares a kind's app part (the identity function, typed by the kind). */
export function defineAppKind<K extends string>(kind: AppKind<K>): AppKind<K> {
  return kind;
}
