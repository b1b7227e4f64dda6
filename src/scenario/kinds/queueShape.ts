/**
 * The queue's place in the graph: its bindings to exchanges and its dead-letter exchange.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, queue.ts, adds its schema).
 */
import { defineShape, isObj, list } from './define';
import type { KindRef } from './define';

export const queueShape = defineShape({
  kind: 'queue',
  callable: false,
  faults: { duplicate: 'node', latency: 'node' },
  refs: (node) => {
    const out: KindRef[] = [];
    list(node.bindings).forEach((b, j) => {
      if (isObj(b)) out.push({ path: ['bindings', j, 'exchange'], id: b.exchange, accepts: ['exchange'], what: 'an exchange', edge: { kind: 'binding', label: typeof b.key === 'string' ? b.key : '', reverse: true } });
    });
    const dl = node.deadLetter;
    if (isObj(dl)) {
      const key = typeof dl.routingKey === 'string' ? dl.routingKey : 'DLX';
      out.push({ path: ['deadLetter', 'exchange'], id: dl.exchange, accepts: ['exchange'], what: 'an exchange', edge: { kind: 'dead-letter', label: key } });
    }
    return out;
  },
});
