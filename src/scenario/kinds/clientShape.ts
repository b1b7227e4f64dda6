/**
 * The client's place in the graph: it calls one target; its faults act on the hops to and from it.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, client.ts, adds its schema).
 */
import { defineShape } from './define';

export const clientShape = defineShape({
  kind: 'client',
  callable: false,
  faults: { latency: 'hops', error: 'hops', partition: 'hops', drop: 'hops', duplicate: 'hops', reorder: 'hops' },
  refs: (node) => [{ path: ['target'], id: node.target, accepts: 'callable', what: 'a service or a gateway', edge: { kind: 'request', label: '' } }],
});
