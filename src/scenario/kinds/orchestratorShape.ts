/**
 * The orchestrator's place in the graph: each saga step calls its target, and its compensation another; it can be called.
 * Zod-free, so the canvas graph and the fault menus read it without the schemas (the kind's
 * descriptor, orchestrator.ts, adds its schema).
 */
import { defineShape, isObj, list } from './define';
import type { KindRef } from './define';

export const orchestratorShape = defineShape({
  kind: 'orchestrator',
  callable: true,
  faults: { crash: 'node', latency: 'hops', partition: 'hops', drop: 'hops', duplicate: 'hops', reorder: 'hops' },
  refs: (node) => {
    const out: KindRef[] = [];
    list(node.steps).forEach((step, s) => {
      if (!isObj(step)) return;
      const name = typeof step.name === 'string' ? step.name : '';
      out.push({ path: ['steps', s, 'target'], id: step.target, accepts: 'callable', what: 'a service or a gateway', call: true, edge: { kind: 'call', label: name } });
      const comp = step.compensation;
      if (isObj(comp)) {
        out.push({ path: ['steps', s, 'compensation', 'target'], id: comp.target, accepts: 'callable', what: 'a service or a gateway', call: true, edge: { kind: 'call', label: `undo ${name}` } });
      }
    });
    return out;
  },
});
