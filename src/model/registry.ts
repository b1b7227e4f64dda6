/**
 * The model's part of each component kind: the factory that builds its model object, in one
 * record keyed by kind (the compiler finds a missing kind). A kind defined outside brings its own
 * factory (`defineModelKind`) to `buildNodes`, beside its scenario descriptor (scenario/kinds).
 */
import { BUILTIN_SHAPES } from '../scenario/kinds/shapes';
import type { KindLookup } from '../scenario/kinds/shapes';
import type { NodeKind, NodeSpec } from '../scenario/schema';
import { Client } from './client';
import { FaultTimeline } from './faults';
import { ExchangeModel, Messaging, QueueModel } from './broker/messaging';
import { Gateway } from './gateway/gateway';
import { Service } from './service';
import { Orchestrator } from './saga';
import type { NodeModel, World } from './world';

/** What a factory may ask for besides its own spec. */
export interface BuildContext {
  readonly world: World;
  /** The broker, built the first time a node needs it (exchanges, queues, services that publish or consume). */
  broker(): Messaging;
}

export type ModelFactory<S> = (ctx: BuildContext, index: number, spec: S) => NodeModel;

export const MODEL_KINDS: { readonly [K in NodeKind]: ModelFactory<Extract<NodeSpec, { kind: K }>> } = {
  client: (c, i, spec) => new Client(c.world, i, spec),
  gateway: (c, i, spec) => new Gateway(c.world, i, spec),
  service: (c, i, spec) => new Service(c.world, i, spec, spec.publishes.length + spec.consumes.length > 0 ? c.broker() : null),
  exchange: (c, i, spec) => new ExchangeModel(c.broker(), i, spec),
  queue: (c, i, spec) => new QueueModel(c.broker(), i, spec),
  orchestrator: (c, i, spec) => new Orchestrator(c.world, i, spec),
};

/** A kind's model part, for kinds defined outside the built-in list. */
export interface ModelKind<S extends { kind: string } = { kind: string; id: string }> {
  readonly kind: S['kind'];
  readonly create: ModelFactory<S>;
}

/** Declares a kind's model part; the factory is typed with the kind's own spec (the run hands it only nodes of that kind). */
export function defineModelKind<S extends { kind: string }>(kind: ModelKind<S>): ModelKind {
  return kind as unknown as ModelKind;
}

export class UnsupportedKindError extends Error {}

/**
 * Build every node of the world's scenario, then start them (first arrivals, call sites).
 * `kinds` and `models` add kinds defined outside to the built-in ones.
 */
export function buildNodes(world: World, kinds: KindLookup = BUILTIN_SHAPES, models: readonly ModelKind[] = []): void {
  let messaging: Messaging | null = null;
  const ctx: BuildContext = { world, broker: () => (messaging ??= new Messaging(world)) };
  const extra = new Map(models.map((m) => [m.kind, m.create]));
  world.scenario.nodes.forEach((spec, i) => {
    const make = (extra.get(spec.kind) ?? MODEL_KINDS[spec.kind as NodeKind]) as ModelFactory<NodeSpec> | undefined;
    if (!make) throw new UnsupportedKindError(`nodes[${i}] ("${spec.id}"): no model is registered for the kind "${spec.kind}"`);
    world.addNode(make(ctx, i, spec));
  });
  // Faults first: a fault at time t is in force before anything else scheduled for t.
  new FaultTimeline(world, kinds);
  for (const n of world.nodes) n.start?.();
}
