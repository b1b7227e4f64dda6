/** A broker queue: its type, bindings to exchanges, TTL, length limit, dead-lettering, delivery limit, consumer timeout. */
import { z } from 'zod';
import { count, label, named, nodeId, positiveMs, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { queueShape } from './queueShape';

export const BindingSchema = named(
  'Binding',
  strict({
    exchange: ref,
    key: z.string().max(255).default(''),
    arguments: z
      .object({ 'x-match': z.enum(['all', 'any', 'all-with-x', 'any-with-x']).optional() })
      .catchall(z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .register(scenarioMeta, {
        description: 'Headers-exchange arguments; "x-match" is "all" (default) or "any"; arguments named x-… are ignored unless it is "all-with-x" or "any-with-x".',
      }),
  }),
);

export const QUEUE_TYPES = ['classic', 'quorum'] as const;

/** RabbitMQ's default delivery acknowledgement timeout (`consumer_timeout`): 30 minutes. */
export const DEFAULT_CONSUMER_TIMEOUT_MS = 1_800_000;
/** RabbitMQ evaluates the consumer timeout once a minute, so shorter values are not supported. */
export const CONSUMER_TIMEOUT_CHECK_MS = 60_000;

export const QueueNodeSchema = named(
  'QueueNode',
  strict({
    id: nodeId,
    kind: z.literal('queue'),
    label,
    queueType: z
      .enum(QUEUE_TYPES)
      .default('classic')
      .register(scenarioMeta, { description: 'RabbitMQ\'s x-queue-type: a classic queue requeues a nack to its original position, a quorum queue to the tail.' }),
    bindings: z.array(BindingSchema).max(100).default([]),
    messageTtlMs: positiveMs.nullable().default(null),
    maxLength: count(0)
      .nullable()
      .default(null)
      .register(scenarioMeta, { description: "RabbitMQ's x-max-length: ready messages past it overflow (see overflow); null: no limit.", examples: [1000] }),
    overflow: z.enum(['drop-head', 'reject-publish']).default('drop-head'),
    deadLetter: strict({ exchange: ref, routingKey: z.string().max(255).nullable().default(null) })
      .nullable()
      .default(null),
    deliveryLimit: count(0)
      .nullable()
      .default(null)
      .register(scenarioMeta, { description: 'Quorum queues only (x-delivery-limit): dead-letter (or drop) a message returned after limit + 1 deliveries.' }),
    consumerTimeoutMs: z
      .number()
      .min(CONSUMER_TIMEOUT_CHECK_MS)
      .default(DEFAULT_CONSUMER_TIMEOUT_MS)
      .register(scenarioMeta, {
        description: 'x-consumer-timeout: a delivery unacked this long closes its consumer\'s channel (checked once a minute; default 30 min).',
      }),
  }).refine((q) => q.deliveryLimit === null || q.queueType === 'quorum', {
    message: 'is a quorum-queue setting (x-delivery-limit) — a classic queue has no delivery limit; set "queueType": "quorum"',
    path: ['deliveryLimit'],
    when: (p) => {
      const v = p.value as { deliveryLimit?: unknown; queueType?: unknown } | undefined;
      return typeof v?.deliveryLimit === 'number' && (v.queueType === undefined || typeof v.queueType === 'string');
    },
  }),
);

export const queueKind = defineKind({ ...queueShape, schema: QueueNodeSchema });
