/** A broker exchange: routes published messages to the queues bound to it. */
import { z } from 'zod';
import { label, named, nodeId, ref, strict } from '../parts';
import { defineKind } from './define';

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

export const exchangeKind = defineKind({
  kind: 'exchange',
  schema: ExchangeNodeSchema,
  callable: false,
  faults: {},
  noFaults: 'aim at a queue or at the service that publishes',
  refs: (node) =>
    node.alternateExchange === null || node.alternateExchange === undefined
      ? []
      : [{ path: ['alternateExchange'], id: node.alternateExchange, accepts: ['exchange'], what: 'an exchange', notSelf: true, edge: { kind: 'alternate', label: 'unroutable' } }],
});
