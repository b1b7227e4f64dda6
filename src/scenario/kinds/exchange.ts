/** A broker exchange: routes published messages to the queues bound to it. */
import { z } from 'zod';
import { label, named, nodeId, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { exchangeShape } from './exchangeShape';

/** RabbitMQ's exchange types; `x-consistent-hash` is the consistent-hash exchange plugin's (bindings' keys are weights). */
export const EXCHANGE_TYPES = ['fanout', 'direct', 'topic', 'headers', 'x-consistent-hash'] as const;

export const ExchangeNodeSchema = named(
  'ExchangeNode',
  strict({
    id: nodeId,
    kind: z.literal('exchange'),
    label,
    type: z.enum(EXCHANGE_TYPES),
    alternateExchange: ref.nullable().default(null),
    hashHeader: z.string().min(1).max(255).nullable().default(null).register(scenarioMeta, {
      description: 'x-consistent-hash only (the plugin\'s hash-header argument): hash this header instead of the routing key; a message without it is unroutable.',
    }),
  }),
);

export const exchangeKind = defineKind({ ...exchangeShape, schema: ExchangeNodeSchema });
