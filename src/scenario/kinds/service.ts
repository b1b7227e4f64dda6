/** The service: instances, workers, calls to other services, publishes and consumes. */
import { z } from 'zod';
import { DistSchema, count, httpStatus, label, named, nodeId, policyShape, positiveMs, probability, ref, scenarioMeta, strict } from '../parts';
import { defineKind, isObj, list } from './define';
import type { KindRef } from './define';

export const CallSpecSchema = named(
  'CallSpec',
  strict({
    target: ref,
    ...policyShape,
  }),
);

export const PublishSpecSchema = named(
  'PublishSpec',
  strict({
    exchange: ref,
    routingKey: z.string().max(255).default(''),
    resendOnLostConfirm: probability.default(0),
  }),
);

export const ConsumeSpecSchema = named(
  'ConsumeSpec',
  strict({
    queue: ref,
    prefetch: count(1).default(10),
    consumers: count(1).max(1000).default(1),
    serviceTime: DistSchema.default(5),
    errorRate: probability.default(0),
    onError: z.enum(['requeue', 'dead-letter']).default('requeue'),
    idempotent: z.boolean().default(false),
    idempotencyTtlMs: positiveMs.nullable().default(null),
  }),
);

export const ServiceNodeSchema = named(
  'ServiceNode',
  strict({
    id: nodeId,
    kind: z.literal('service'),
    label,
    instances: count(1).max(1000).default(1),
    loadBalancer: z.enum(['round-robin', 'random', 'least-outstanding']).default('round-robin'),
    concurrency: count(1).max(100_000).default(8).register(scenarioMeta, { description: 'Workers per instance, held for the whole request.' }),
    queueLimit: count(0).nullable().default(100).register(scenarioMeta, { description: 'Waiting requests per instance; null: unbounded.' }),
    serviceTime: DistSchema.default(10),
    errorRate: probability.default(0),
    errorStatus: httpStatus.default(500),
    callMode: z.enum(['sequential', 'parallel']).default('sequential'),
    calls: z.array(CallSpecSchema).max(100).default([]),
    publishes: z.array(PublishSpecSchema).max(100).default([]),
    consumes: z.array(ConsumeSpecSchema).max(100).default([]),
  }),
);

export const serviceKind = defineKind({
  kind: 'service',
  schema: ServiceNodeSchema,
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
      // Drawn last, so a consumer reads as the far end of its queue.
      if (isObj(con)) out.push({ path: ['consumes', c, 'queue'], id: con.queue, accepts: ['queue'], what: 'a queue', edge: { kind: 'consume', label: '', reverse: true, last: true } });
    });
    return out;
  },
});
