/**
 * The building blocks of the scenario document (SCENARIO.md): ids, references, durations,
 * distributions and the policies a call can carry. The node kinds (kinds/) and the document
 * (schema.ts) are made of these; defaults live here and in those files only.
 */
import './zodConfig';
import { z } from 'zod';
import { POLICY_NAMES } from './policyOrder';

// A page's Content-Security-Policy forbids eval: zod probes for it with new Function when an
// object schema is built (for its compiled parsers), and the browser reports that probe as a
// violation even though zod catches it. Every schema module imports this one first, so on a page
// zod runs without compiled parsers from the start; workers and Node keep them.
if ((globalThis as { document?: unknown }).document !== undefined) z.config({ jitless: true });

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * Descriptions and JSON Schema names ($defs) for the schema parts, kept in a registry of our own
 * rather than zod's global one, so reloading this module (Vite HMR) never collides with itself.
 */
export const scenarioMeta = z.registry<z.core.JSONSchemaMeta>();
export function named<T extends z.ZodType>(id: string, schema: T): T {
  scenarioMeta.add(schema as z.ZodType, { id });
  return schema;
}

/** Node ids: short, lowercase, usable in a link target `a->b` and in a URL. */
export const NODE_ID_PATTERN = /^[a-z0-9-]+$/;

export const nodeId = z.string().min(1).max(64).regex(NODE_ID_PATTERN).register(scenarioMeta, { description: 'Unique node id: lowercase letters, digits and dashes.' });
/** A reference to another node (checked against the node list in validate.ts). */
export const ref = z.string().min(1).max(200);
export const label = z.string().max(120).optional().register(scenarioMeta, { description: 'Shown on the canvas instead of the id.' });
/** Milliseconds, never negative. */
export const ms = z.number().nonnegative();
export const positiveMs = z.number().positive();
export const probability = z.number().min(0).max(1);
export const httpStatus = z.int().min(100).max(599);
export const count = (min: number) => z.int().min(min).max(1_000_000);

// ---------------------------------------------------------------------------------------------
// Distributions

export const strict = z.strictObject;


export const DIST_KINDS = ['constant', 'uniform', 'exponential', 'normal', 'lognormal'] as const;

export const DistObjectSchema = z.discriminatedUnion('dist', [
  strict({ dist: z.literal('constant'), ms }),
  strict({ dist: z.literal('uniform'), minMs: ms, maxMs: ms }).refine((d) => d.minMs <= d.maxMs, {
    message: 'minMs must not be greater than maxMs',
    path: ['maxMs'],
  }),
  strict({ dist: z.literal('exponential'), meanMs: positiveMs }),
  strict({ dist: z.literal('normal'), meanMs: ms, stdMs: ms }),
  strict({ dist: z.literal('lognormal'), medianMs: positiveMs, p99Ms: positiveMs }).refine((d) => d.p99Ms >= d.medianMs, {
    message: 'p99Ms must be at least medianMs',
    path: ['p99Ms'],
  }),
]);

/** A duration in ms: a bare non-negative number is a constant; otherwise a distribution. */
export const DistSchema = z
  .union([ms, DistObjectSchema])
  .register(scenarioMeta, {
    id: 'Dist',
    description: 'Milliseconds: a number (constant) or {dist: constant|uniform|exponential|normal|lognormal, ...}.',
  });

// ---------------------------------------------------------------------------------------------
// Policies (on a client, a gateway route, or a service call)

export const JITTER_KINDS = ['none', 'full', 'equal', 'decorrelated'] as const;
export const DEFAULT_RETRY_ON = [408, 429, 500, 502, 503, 504, 'timeout'] as const;

export const RetryPolicySchema = named(
  'RetryPolicy',
  strict({
    maxAttempts: count(1).max(100).default(3).register(scenarioMeta, { description: 'Attempts in all, the first one included.' }),
    baseDelayMs: ms.default(100),
    maxDelayMs: ms.default(10000),
    multiplier: z.number().positive().max(100).default(2),
    jitter: z.enum(JITTER_KINDS).default('full'),
    retryOn: z
      .array(z.union([httpStatus, z.literal('timeout')]))
      .max(50)
      .default(() => [...DEFAULT_RETRY_ON]),
    budget: strict({
      maxTokens: z.number().positive().default(10),
      tokenRatio: z.number().positive().default(0.1),
    })
      .nullable()
      .default(null)
      .register(scenarioMeta, { description: 'gRPC-style retry throttling; null: no budget.' }),
    honorRetryAfter: z.boolean().default(false),
  }),
);

export const ConsecutiveBreakerSchema = named(
  'ConsecutiveBreaker',
  strict({
    model: z.literal('consecutive'),
    failureThreshold: count(1).default(5),
    resetTimeoutMs: ms.default(30000),
    halfOpenMaxCalls: count(1).default(1),
  }),
);

/** nodeshift/opossum's option names and defaults. */
export const OpossumBreakerSchema = named(
  'OpossumBreaker',
  strict({
    model: z.literal('opossum'),
    errorThresholdPercentage: z.number().min(0).max(100).default(50),
    volumeThreshold: count(0).default(0),
    rollingCountTimeout: positiveMs.default(10000),
    rollingCountBuckets: count(1).default(10),
    resetTimeout: ms.default(30000),
    timeout: z.union([positiveMs, z.literal(false)]).default(10000),
    capacity: count(1).nullable().default(null),
  }),
);

/** resilience4j's option names and defaults (durations in ms). */
export const Resilience4jBreakerSchema = named(
  'Resilience4jBreaker',
  strict({
    model: z.literal('resilience4j'),
    slidingWindowType: z.enum(['COUNT_BASED', 'TIME_BASED']).default('COUNT_BASED'),
    slidingWindowSize: count(1).default(100),
    minimumNumberOfCalls: count(1).default(100),
    failureRateThreshold: z.number().positive().max(100).default(50),
    slowCallRateThreshold: z.number().positive().max(100).default(100),
    slowCallDurationThreshold: ms.default(60000),
    permittedNumberOfCallsInHalfOpenState: count(1).default(10),
    waitDurationInOpenState: ms.default(60000),
    automaticTransitionFromOpenToHalfOpenEnabled: z.boolean().default(false),
  }),
);

export const BREAKER_MODELS = ['consecutive', 'opossum', 'resilience4j'] as const;

export const BreakerPolicySchema = named(
  'BreakerPolicy',
  z.discriminatedUnion('model', [
    ConsecutiveBreakerSchema,
    OpossumBreakerSchema,
    Resilience4jBreakerSchema,
  ]),
);

export const BulkheadPolicySchema = named(
  'BulkheadPolicy',
  strict({
    maxConcurrent: count(1),
    maxQueue: count(0).default(0),
  }),
);

export const FallbackPolicySchema = named(
  'FallbackPolicy',
  strict({
    status: httpStatus.default(200),
    label: z.string().max(120).default('fallback'),
  }),
);

export { POLICY_NAMES, DEFAULT_POLICY_ORDER } from './policyOrder';
export type { PolicyName } from './policyOrder';
/** The policy keys, spread into clients, gateway routes and service calls. */
export const policyShape = {
  timeoutMs: positiveMs.nullable().default(null).register(scenarioMeta, { description: 'The caller stops waiting after this long; null: never.' }),
  retry: RetryPolicySchema.nullable().default(null),
  breaker: BreakerPolicySchema.nullable().default(null),
  bulkhead: BulkheadPolicySchema.nullable().default(null),
  fallback: FallbackPolicySchema.nullable().default(null),
  optional: z.boolean().default(false).register(scenarioMeta, { description: 'A failed optional call does not fail the request.' }),
  policyOrder: z
    .array(z.enum(POLICY_NAMES))
    .length(POLICY_NAMES.length)
    .refine((order) => new Set(order).size === order.length, {
      message: `must name each of ${POLICY_NAMES.join(', ')} exactly once`,
    })
    .optional()
    .register(scenarioMeta, { description: `Order in which the policies wrap a call, outermost first; default ${POLICY_NAMES.join(', ')}.` }),
};

export const PolicySchema = strict(policyShape);

/** The fault kinds of the timeline (schema.ts has each one's settings). */
export const FAULT_KINDS = [
  'latency',
  'error',
  'crash',
  'hang',
  'slow',
  'partition',
  'drop',
  'duplicate',
  'reorder',
  'rolling-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
