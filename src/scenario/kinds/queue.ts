/** A broker queue: bindings to exchanges, TTL, length limit, dead-lettering, delivery limit. */
import { z } from 'zod';
import { count, label, named, nodeId, positiveMs, ref, scenarioMeta, strict } from '../parts';
import { defineKind, isObj, list } from './define';
import type { KindRef } from './define';

export const BindingSchema = named(
  'Binding',
  strict({
    exchange: ref,
    key: z.string().max(255).default(''),
    arguments: z
      .object({ 'x-match': z.enum(['all', 'any']).optional() })
      .catchall(z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .register(scenarioMeta, { description: 'Headers-exchange arguments; "x-match" is "all" (default) or "any".' }),
  }),
);

export const QueueNodeSchema = named(
  'QueueNode',
  strict({
    id: nodeId,
    kind: z.literal('queue'),
    label,
    queueType: z
      .enum(['classic', 'quorum'])
      .default('classic')
      .register(scenarioMeta, { description: "RabbitMQ's x-queue-type: classic or quorum." }),
    bindings: z.array(BindingSchema).max(100).default([]),
    messageTtlMs: positiveMs.nullable().default(null),
    maxLength: count(0).nullable().default(null),
    overflow: z.enum(['drop-head', 'reject-publish']).default('drop-head'),
    deadLetter: strict({ exchange: ref, routingKey: z.string().max(255).nullable().default(null) })
      .nullable()
      .default(null),
    deliveryLimit: count(0).nullable().default(null),
  }),
);

export const queueKind = defineKind({
  kind: 'queue',
  schema: QueueNodeSchema,
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
