/**
 * The built-in kinds' shapes by name: each kind's references, faults and whether it can be
 * called, without its schema (define.ts, `KindShape`). No zod here: the app's first view (the
 * canvas graph, the fault menus) reads kinds through this module, and leaves the schemas to the
 * worker and to the chunks that validate (the inspector, the editor). The compiler asks for a
 * kind's entry here once it is in BUILTIN_KINDS (index.ts).
 */
import type { NodeKind } from './index';
import type { KindShape } from './define';
import { clientShape } from './clientShape';
import { gatewayShape } from './gatewayShape';
import { serviceShape } from './serviceShape';
import { exchangeShape } from './exchangeShape';
import { queueShape } from './queueShape';
import { orchestratorShape } from './orchestratorShape';

export const KIND_SHAPES: { readonly [K in NodeKind]: KindShape<K> } = {
  client: clientShape,
  gateway: gatewayShape,
  service: serviceShape,
  exchange: exchangeShape,
  queue: queueShape,
  orchestrator: orchestratorShape,
};

/** What reading kinds' shapes needs: a KindSet (its descriptors are shapes too) or BUILTIN_SHAPES. */
export interface KindLookup {
  get(kind: string): KindShape | undefined;
}

/** The built-in kinds' shapes, looked up by name. */
export const BUILTIN_SHAPES: KindLookup = {
  get: (kind) => (Object.hasOwn(KIND_SHAPES, kind) ? KIND_SHAPES[kind as NodeKind] : undefined),
};
