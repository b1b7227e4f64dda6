/**
 * A component kind, as the document sees it: its schema, the references its nodes make to other
 * nodes, whether it can be called, and the faults it can suffer. One descriptor per kind, listed
 * once (index.ts); validation, the canvas graph, the fault menus and the inspector read the
 * descriptors instead of switching on kinds. The model and the app keep their own part of a kind
 * (its factory, its canvas node) in registries keyed by the same kind names.
 */
import type { z } from 'zod';
import type { FaultKind } from '../parts';

/** Where a fault aimed at a node acts: on the node itself, or on every network hop to or from it. */
export type FaultSite = 'node' | 'hops';

/** How the canvas draws a reference (edges point the way a request or message first travels). */
export type EdgeKind = 'request' | 'route' | 'call' | 'publish' | 'binding' | 'consume' | 'dead-letter' | 'alternate';

/** One reference a node makes to another node, read from the (possibly still invalid) document. */
export interface KindRef {
  /** Path from the node to the referring value, e.g. `['routes', 2, 'target']`. */
  readonly path: readonly (string | number)[];
  /** The id it names (anything, in a document that has not been validated yet). */
  readonly id: unknown;
  /** The kinds it may name: a list, or every kind that can be called. */
  readonly accepts: 'callable' | readonly string[];
  /** The accepted kinds in words, for messages ("an exchange"). */
  readonly what: string;
  /** It may not name its own node (an exchange's alternate exchange). */
  readonly notSelf?: boolean;
  /** A call in the request graph: checked for cycles. */
  readonly call?: boolean;
  /** The canvas edge it draws: from this node to the one it names, or the reverse. */
  readonly edge?: { readonly kind: EdgeKind; readonly label: string; readonly reverse?: boolean; readonly last?: boolean };
}

export interface ScenarioKind<K extends string = string, S extends z.ZodType = z.ZodType> {
  readonly kind: K;
  /** A strict object schema with `id`, `kind: literal(K)` and `label`; defaults applied on parse. */
  readonly schema: S;
  /** Whether clients, routes and calls may target it. */
  readonly callable: boolean;
  /** The faults a node of this kind can suffer, and where each acts. */
  readonly faults: Readonly<Partial<Record<FaultKind, FaultSite>>>;
  /** Why no fault can be aimed at it, when `faults` is empty (shown by validation and menus). */
  readonly noFaults?: string;
  /** The references a node makes. Reads defensively: the node may not have passed the schema. */
  refs(node: Readonly<Record<string, unknown>>): KindRef[];
}

/**
 * A kind's place in the document's graph: its descriptor without the schema. Each kind's shape is
 * a file of its own with no zod in it (`<kind>Shape.ts`), so that what reads only the graph (the
 * canvas, the fault menus: the app's first view) does not load the schemas.
 */
export type KindShape<K extends string = string> = Omit<ScenarioKind<K>, 'schema'>;

/** Declares a kind's shape (the identity function, typed). */
export function defineShape<K extends string>(shape: KindShape<K>): KindShape<K> {
  return shape;
}

/** Declares a kind (the identity function, typed: the schema's kind and the descriptor's agree). */
export function defineKind<K extends string, S extends z.ZodType<{ id: string; kind: K }>>(descriptor: ScenarioKind<K, S>): ScenarioKind<K, S> {
  return descriptor;
}

/** Readers for a node that may not have passed the schema yet. */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
