/**
 * The component kinds the model can build, in one list: adding a kind means adding one entry
 * here (its schema lives in scenario/, its canvas node in app/).
 */
import type { NodeSpec } from '../scenario/schema';
import { Client } from './client';
import { FaultTimeline } from './faults';
import { ExchangeModel, Messaging, QueueModel } from './broker/messaging';
import { Gateway } from './gateway/gateway';
import { Service } from './service';
import type { NodeModel, World } from './world';

type Factory = (world: World, index: number, spec: NodeSpec) => NodeModel;

export const MODEL_KINDS: Partial<Record<NodeSpec['kind'], Factory>> = {
  client: (w, i, spec) => new Client(w, i, spec as Extract<NodeSpec, { kind: 'client' }>),
  service: (w, i, spec) => new Service(w, i, spec as Extract<NodeSpec, { kind: 'service' }>),
  exchange: (w, i, spec) => new ExchangeModel(w, i, spec as Extract<NodeSpec, { kind: 'exchange' }>),
  queue: (w, i, spec) => new QueueModel(w, i, spec as Extract<NodeSpec, { kind: 'queue' }>),
  gateway: (w, i, spec) => new Gateway(w, i, spec as Extract<NodeSpec, { kind: 'gateway' }>),
};

export class UnsupportedKindError extends Error {}

/** Build every node of the world's scenario, then start them (first arrivals, call sites). */
export function buildNodes(world: World): void {
  if (world.scenario.nodes.some((n) => n.kind === 'exchange' || n.kind === 'queue')) world.messaging = new Messaging(world);
  world.scenario.nodes.forEach((spec, i) => {
    const make = MODEL_KINDS[spec.kind];
    if (!make) throw new UnsupportedKindError(`nodes[${i}] ("${spec.id}"): the ${spec.kind} model is not built yet in this version of Faultline`);
    world.addNode(make(world, i, spec));
  });
  // Faults first: a fault at time t is in force before anything else scheduled for t.
  new FaultTimeline(world);
  for (const n of world.nodes) n.start?.();
}
