/**
 * The exchange's place in the graph: its alternate exchange; no fault is aimed at it.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, exchange.ts, adds its schema).
 */
import { defineShape } from './define';

export const exchangeShape = defineShape({
  kind: 'exchange',
  callable: false,
  faults: {},
  noFaults: 'aim at a queue or at the service that publishes',
  refs: (node) =>
    node.alternateExchange === null || node.alternateExchange === undefined
      ? []
      : [{ path: ['alternateExchange'], id: node.alternateExchange, accepts: ['exchange'], what: 'an exchange', notSelf: true, edge: { kind: 'alternate', label: 'unroutable' } }],
});
