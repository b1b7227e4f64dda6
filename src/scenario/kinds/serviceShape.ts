/**
 * The service's place in the graph: its calls, publishes and consumes (and a consumer's own calls and publishes); it can be called.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, service.ts, adds its schema).
 */
import { defineShape, isObj, list } from './define';
import type { KindRef } from './define';

export const serviceShape = defineShape({
  kind: 'service',
  callable: true,
  faults: {
    latency: 'node',
    error: 'node',
    crash: 'node',
    hang: 'node',
    slow: 'node',
    partition: 'hops',
    drop: 'hops',
    duplicate: 'hops',
    reorder: 'hops',
    'rolling-restart': 'node',
  },
  refs: (node) => {
    const out: KindRef[] = [];
    list(node.calls).forEach((call, c) => {
      if (isObj(call)) out.push({ path: ['calls', c, 'target'], id: call.target, accepts: 'callable', what: 'a service or a gateway', call: true, edge: { kind: 'call', label: '' } });
    });
    list(node.publishes).forEach((pub, p) => {
      if (!isObj(pub)) return;
      const key = typeof pub.routingKey === 'string' ? pub.routingKey : '';
      out.push({ path: ['publishes', p, 'exchange'], id: pub.exchange, accepts: ['exchange'], what: 'an exchange', edge: { kind: 'publish', label: key } });
    });
    list(node.consumes).forEach((con, c) => {
      if (!isObj(con)) return;
      // Drawn last, so a consumer reads as the far end of its queue.
      out.push({ path: ['consumes', c, 'queue'], id: con.queue, accepts: ['queue'], what: 'a queue', edge: { kind: 'consume', label: '', reverse: true, last: true } });
      // A consumer's own calls and publishes (choreography). Its calls are no part of the request
      // graph's cycle check: a message, not a request, starts them, so they cannot recurse.
      list(con.calls).forEach((call, k) => {
        if (isObj(call)) out.push({ path: ['consumes', c, 'calls', k, 'target'], id: call.target, accepts: 'callable', what: 'a service or a gateway', edge: { kind: 'call', label: '', last: true } });
      });
      list(con.publishes).forEach((pub, p) => {
        if (!isObj(pub)) return;
        const key = typeof pub.routingKey === 'string' ? pub.routingKey : '';
        out.push({ path: ['consumes', c, 'publishes', p, 'exchange'], id: pub.exchange, accepts: ['exchange'], what: 'an exchange', edge: { kind: 'publish', label: key, last: true } });
      });
    });
    return out;
  },
});
