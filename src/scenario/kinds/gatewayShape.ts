/**
 * The gateway's place in the graph: each route calls its target; it can be called.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, gateway.ts, adds its schema).
 */
import { defineShape, isObj, list } from './define';

export const gatewayShape = defineShape({
  kind: 'gateway',
  callable: true,
  faults: { latency: 'node', error: 'node', crash: 'node', partition: 'hops', drop: 'hops', duplicate: 'hops', reorder: 'hops' },
  refs: (node) =>
    list(node.routes).flatMap((route, r) =>
      isObj(route)
        ? [{ path: ['routes', r, 'target'], id: route.target, accepts: 'callable' as const, what: 'a service or a gateway', call: true, edge: { kind: 'route' as const, label: typeof route.prefix === 'string' ? route.prefix : '' } }]
        : [],
    ),
});
