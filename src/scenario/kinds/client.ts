/** The client: the load. It calls one target; its faults act on the hops to and from it. */
import { z } from 'zod';
import { DistSchema, count, label, ms, named, nodeId, policyShape, probability, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { clientShape } from './clientShape';

export const ArrivalSchema = named(
  'Arrival',
  z.discriminatedUnion('type', [
    strict({ type: z.literal('poisson'), ratePerSec: z.number().positive().max(1_000_000) }),
    strict({ type: z.literal('constant'), ratePerSec: z.number().positive().max(1_000_000) }),
    strict({ type: z.literal('closed'), users: count(1).max(100_000), thinkTime: DistSchema.default(1000) }),
    strict({ type: z.literal('script'), atMs: z.array(ms).max(100_000) }),
  ]),
);

const share = z.number().nonnegative();

export const ClientNodeSchema = named(
  'ClientNode',
  strict({
    id: nodeId,
    kind: z.literal('client'),
    label,
    target: ref.clone().register(scenarioMeta, { description: 'The node requests are sent to (a gateway or a service).' }),
    requests: z
      .array(strict({ path: z.string().startsWith('/').max(500), weight: z.number().positive().default(1) }))
      .min(1)
      .max(100)
      .default(() => [{ path: '/', weight: 1 }]),
    arrival: ArrivalSchema.default(() => ({ type: 'poisson' as const, ratePerSec: 10 })),
    auth: strict({ valid: share.default(1), invalid: share.default(0), missing: share.default(0), expired: share.optional() })
      .refine((a) => a.valid + a.invalid + a.missing + (a.expired ?? 0) > 0, { message: 'the shares valid, invalid and missing must not all be 0' })
      .default(() => ({ valid: 1, invalid: 0, missing: 0 }))
      .register(scenarioMeta, { description: 'Relative shares of requests with a valid, an invalid, an expired, or no token.' }),
    tokenRefreshMs: DistSchema.default(50).register(scenarioMeta, {
      description: 'A request whose token expired is answered 401; the client gets a fresh token (this long) and sends it again, once.',
    }),
    spoofUserIdHeader: probability.default(0),
    ...policyShape,
  }),
);

export const clientKind = defineKind({ ...clientShape, schema: ClientNodeSchema });
