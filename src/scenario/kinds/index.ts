/**
 * The component kinds, listed once. Adding a kind: a file beside these with its schema and
 * descriptor (define.ts), its shape (references, faults, callable: `<kind>Shape.ts`, no zod)
 * that the descriptor spreads, one line in BUILTIN_KINDS and in KIND_SHAPES (shapes.ts), and one
 * line in each other layer's registry (the model's factory, the app's canvas node) — the compiler
 * finds a missing one, since those registries are `Record<NodeKind, …>`. A kind defined outside (a test, a plugin) joins a run
 * through `kindSet([...builtinKinds, myKind])`, passed to validation and to the run.
 */
import { z } from 'zod';
import type { ScenarioKind } from './define';
import { clientKind } from './client';
import { gatewayKind } from './gateway';
import { serviceKind } from './service';
import { exchangeKind } from './exchange';
import { queueKind } from './queue';
import { orchestratorKind } from './orchestrator';

export const BUILTIN_KINDS = {
  client: clientKind,
  gateway: gatewayKind,
  service: serviceKind,
  exchange: exchangeKind,
  queue: queueKind,
  orchestrator: orchestratorKind,
} as const;

export type NodeKind = keyof typeof BUILTIN_KINDS;
export const NODE_KINDS = Object.keys(BUILTIN_KINDS) as NodeKind[];
/** Each kind's node schema, by kind. */
export const NODE_SCHEMAS = Object.fromEntries(NODE_KINDS.map((k) => [k, BUILTIN_KINDS[k].schema])) as {
  [K in NodeKind]: (typeof BUILTIN_KINDS)[K]['schema'];
};
export const builtinKinds: readonly ScenarioKind[] = NODE_KINDS.map((k) => BUILTIN_KINDS[k]);

/** A set of kinds a document may use: the descriptors by name, and the node schema they make. */
export class KindSet {
  private readonly byKind = new Map<string, ScenarioKind>();
  /** A discriminated union over the kinds' schemas. */
  readonly nodeSchema: z.ZodType;

  constructor(
    readonly kinds: readonly ScenarioKind[],
    nodeSchema?: z.ZodType,
  ) {
    for (const k of kinds) {
      if (this.byKind.has(k.kind)) throw new Error(`the kind "${k.kind}" is defined twice`);
      this.byKind.set(k.kind, k);
    }
    this.nodeSchema = nodeSchema ?? z.discriminatedUnion('kind', kinds.map((k) => k.schema) as unknown as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]);
  }

  get(kind: string): ScenarioKind | undefined {
    return this.byKind.get(kind);
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  get names(): string[] {
    return [...this.byKind.keys()];
  }

  /** Whether a reference accepting `accepts` may name a node of `kind`. */
  accepts(accepts: 'callable' | readonly string[], kind: string): boolean {
    return accepts === 'callable' ? this.byKind.get(kind)?.callable === true : accepts.includes(kind);
  }
}

/** The kinds a document may use: the built-in ones, plus any defined elsewhere. */
export function kindSet(kinds: readonly ScenarioKind[]): KindSet {
  return new KindSet(kinds);
}

export type { EdgeKind, FaultSite, KindRef, ScenarioKind } from './define';
export { defineKind } from './define';
