/** The API gateway: routes by path prefix, authentication, rate limits. */
import { z } from 'zod';
import { DistSchema, count, label, named, nodeId, policyShape, positiveMs, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { gatewayShape } from './gatewayShape';

export const RATE_LIMIT_ALGORITHMS = ['fixed-window', 'token-bucket', 'sliding-window'] as const;
const per = z.enum(['client', 'global']).default('client');

export const RateLimitSchema = named(
  'RateLimit',
  z.discriminatedUnion('algorithm', [
    strict({ algorithm: z.literal('fixed-window'), limit: count(1), windowMs: positiveMs, per }),
    strict({
      algorithm: z.literal('token-bucket'),
      maxTokens: count(1),
      tokensPerFill: count(1).default(1),
      fillIntervalMs: positiveMs,
      per,
    }),
    strict({ algorithm: z.literal('sliding-window'), limit: count(1), windowMs: positiveMs, per }),
  ]),
);

export const RouteSpecSchema = named(
  'RouteSpec',
  strict({
    prefix: z.string().startsWith('/').max(500),
    target: ref,
    rateLimit: RateLimitSchema.nullable().default(null).register(scenarioMeta, { description: "This route's own limit, checked after the gateway's (a 429 from either)." }),
    ...policyShape,
  }),
);

export const GatewayNodeSchema = named(
  'GatewayNode',
  strict({
    id: nodeId,
    kind: z.literal('gateway'),
    label,
    routes: z.array(RouteSpecSchema).max(200).default([]),
    auth: strict({ required: z.boolean().default(false) }).default(() => ({ required: false })),
    rateLimit: RateLimitSchema.nullable().default(null),
    overhead: DistSchema.default(0),
  }),
);

export const gatewayKind = defineKind({ ...gatewayShape, schema: GatewayNodeSchema });
