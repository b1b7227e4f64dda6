/**
 * The kinds' app parts, listed once: a `Record<NodeKind, …>`, so the compiler finds a kind the
 * scenario layer lists (scenario/kinds/index.ts) and this one misses. Adding a kind: a file
 * beside these (define.ts says what it holds) and one line here.
 *
 * A kind this list does not know (defined outside, e.g. by a test) is drawn by the generic node,
 * with the generic box size: a document using it opens instead of breaking the canvas.
 */
import './kinds.css';
import type { NodeTypes } from '@xyflow/react';
import type { NodeKind } from '../../scenario/schema';
import type { AppKind } from './define';
import { clientApp } from './client';
import { gatewayApp } from './gateway';
import { serviceApp } from './service';
import { exchangeApp } from './exchange';
import { queueApp } from './queue';
import { orchestratorApp } from './orchestrator';
import { genericApp } from './generic';

export const APP_KINDS: { readonly [K in NodeKind]: AppKind<K> } = {
  client: clientApp,
  gateway: gatewayApp,
  service: serviceApp,
  exchange: exchangeApp,
  queue: queueApp,
  orchestrator: orchestratorApp,
};

/** The React Flow node type of a kind the app does not know. */
export const GENERIC_NODE_TYPE = 'faultline-generic';

const byKind = new Map<string, AppKind>(Object.entries(APP_KINDS) as [string, AppKind][]);

/** A kind's app part: its own, or the generic one for a kind defined outside. */
export function appKindOf(kind: string): AppKind {
  return byKind.get(kind) ?? genericApp;
}

/** The React Flow node type a node of `kind` is drawn with. */
export function nodeTypeOf(kind: string): string {
  return byKind.has(kind) ? kind : GENERIC_NODE_TYPE;
}

/** The canvas node components by type, built once (a new object per render would remount every node). */
export const nodeTypes: NodeTypes = Object.fromEntries([...[...byKind].map(([kind, app]) => [kind, app.Node] as const), [GENERIC_NODE_TYPE, genericApp.Node]]);

/**
 * Adds the app part of a kind defined outside the built-in list, so its nodes get their own box
 * rather than the generic one. Call it before the canvas first renders (React Flow reads
 * `nodeTypes` once).
 */
export function registerAppKind(kind: string, app: AppKind): void {
  if (byKind.has(kind) || kind === GENERIC_NODE_TYPE) throw new Error(`the kind "${kind}" already has an app part`);
  byKind.set(kind, app);
  nodeTypes[kind] = app.Node;
}

/** The short fact shown under a node's name, from its kind. */
export function detailOf(node: { kind: string }): string {
  return appKindOf(node.kind).detail(node as never);
}

export type { AppKind, FlowNode, FlowNodeData, NodeOf } from './define';
export { defineAppKind } from './define';
