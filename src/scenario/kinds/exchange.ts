/** A broker exchange: routes published messages to the queues bound to it. */
import { z } from 'zod';
import { label, named, nodeId, ref, strict } from '../parts';
import { defineKind } from './define';
import { exchangeShape } from './exchangeShape';

export const ExchangeNodeSchema = named(
  'ExchangeNode',
  strict({
    id: nodeId,
    kind: z.literal('exchange'),
    label,
    type: z.enum(['fanout', 'direct', 'topic', 'headers']),
    alternateExchange: ref.nullable().default(null),
  }),
);

export const exchangeKind = defineKind({ ...exchangeShape, schema: ExchangeNodeSchema });
