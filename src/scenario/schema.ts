/**
 * The scenario document, format `faultline/1` (see SCENARIO.md), as a zod schema.
 *
 * Every object is strict: an unknown key is an error, because in a hand-written document an
 * unknown key is almost always a typo (`timeout` for `timeoutMs`) that would otherwise be ignored
 * in silence. Defaults live here and only here: `Scenario` is the document with every default
 * applied, which is what the model builds from. Human error messages are made in validate.ts
 * from the issues this schema raises, so the schema itself stays declarative.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Building blocks

/**
 * Descriptions and JSON Schema names ($defs) for the schema parts, kept in a registry of our own
 * rather than zod's global one, so reloading this module (Vite HMR) never collides with itself.
 */
export const scenarioMeta = z.registry<z.core.JSONSchemaMeta>();
function named<T extends z.ZodType>(id: string, schema: T): T {
  scenarioMeta.add(schema as z.ZodType, { id });
  return schema;
}

/** Node ids: short, lowercase, usable in a link target `a->b` and in a URL. */
export const NODE_ID_PATTERN = /^[a-z0-9-]+$/;

const nodeId = z.string().min(1).max(64).regex(NODE_ID_PATTERN).register(scenarioMeta, { description: 'Unique node id: lowercase letters, digits and dashes.' });
/** A reference to another node (checked against the node list in validate.ts). */
const ref = z.string().min(1).max(200);
const label = z.string().max(120).optional().register(scenarioMeta, { description: 'Shown on the canvas instead of the id.' });
/** Milliseconds, never negative. */
const ms = z.number().nonnegative();
const positiveMs = z.number().positive();
const probability = z.number().min(0).max(1);
const httpStatus = z.int().min(100).max(599);
const count = (min: number) => z.int().min(min).max(1_000_000);

// ---------------------------------------------------------------------------------------------
// Distributions

const strict = z.strictObject;


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

export const POLICY_NAMES = ['fallback', 'retry', 'breaker', 'bulkhead', 'timeout'] as const;
/** How policies wrap a call when `policyOrder` is not given: outermost first. */
export const DEFAULT_POLICY_ORDER: readonly PolicyName[] = POLICY_NAMES;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** The policy keys, spread into clients, gateway routes and service calls. */
const policyShape = {
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

// ---------------------------------------------------------------------------------------------
// Nodes

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
    auth: strict({ valid: share.default(1), invalid: share.default(0), missing: share.default(0) })
      .refine((a) => a.valid + a.invalid + a.missing > 0, { message: 'the shares valid, invalid and missing must not all be 0' })
      .default(() => ({ valid: 1, invalid: 0, missing: 0 }))
      .register(scenarioMeta, { description: 'Relative shares of requests with a valid, an invalid, or no token.' }),
    spoofUserIdHeader: probability.default(0),
    ...policyShape,
  }),
);

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

/** The node kinds, each with its schema: adding a kind means adding one entry here. */
export const NODE_SCHEMAS = {
  client: ClientNodeSchema,
  gateway: GatewayNodeSchema,
  service: ServiceNodeSchema,
  exchange: ExchangeNodeSchema,
  queue: QueueNodeSchema,
} as const;

export type NodeKind = keyof typeof NODE_SCHEMAS;
export const NODE_KINDS = Object.keys(NODE_SCHEMAS) as NodeKind[];

export const NodeSpecSchema = named(
  'Node',
  z.discriminatedUnion('kind', [
    NODE_SCHEMAS.client,
    NODE_SCHEMAS.gateway,
    NODE_SCHEMAS.service,
    NODE_SCHEMAS.exchange,
    NODE_SCHEMAS.queue,
  ]),
);

// ---------------------------------------------------------------------------------------------
// Links and faults

export const LinkSchema = named(
  'Link',
  strict({
    from: ref,
    to: ref,
    latency: DistSchema,
  }),
);

/** Keys every fault has. `untilMs: null` lasts to the end of the run. */
const faultShape = {
  id: z.string().min(1).max(64).optional(),
  source: z.enum(['timeline', 'live']).optional().register(scenarioMeta, { description: '"live": injected during a run and recorded here.' }),
  atMs: ms,
  untilMs: positiveMs.nullable().default(null),
  target: ref.clone().register(scenarioMeta, { description: 'A node id, or "a->b" for the link from a to b.' }),
};

function untilAfterAt(value: unknown): boolean {
  const f = value as { atMs: number; untilMs: number | null };
  return f.untilMs === null || f.untilMs > f.atMs;
}

const fault = <K extends string, S extends z.core.$ZodLooseShape>(kind: K, shape: S) =>
  strict({ ...faultShape, kind: z.literal(kind), ...shape }).refine(
    untilAfterAt,
    {
      message: 'must be later than atMs (or null: until the end)',
      path: ['untilMs'],
      // Checked even when another key of the fault is wrong, so every problem shows at once.
      when: (p) => {
        const v = p.value as { atMs?: unknown; untilMs?: unknown } | undefined;
        return typeof v?.atMs === 'number' && (v.untilMs === null || typeof v.untilMs === 'number');
      },
    },
  );

export const FaultSchema = named(
  'Fault',
  z.discriminatedUnion('kind', [
    fault('latency', { add: DistSchema, jitterMs: ms.default(0), probability: probability.default(1) }),
    fault('error', { status: httpStatus.default(500), probability: probability.default(1) }),
    fault('crash', { instances: z.union([count(1), z.literal('all')]).default('all') }),
    fault('hang', { probability: probability.default(1) }),
    fault('slow', { factor: z.number().min(1).max(10_000).default(2) }),
    fault('partition', {}),
    fault('drop', { probability: probability.default(1) }),
    fault('duplicate', { probability: probability.default(1) }),
    fault('reorder', { probability: probability.default(1), delayMs: DistSchema.default(50) }),
  ]),
);

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
] as const;

// ---------------------------------------------------------------------------------------------
// Comparing runs (SCENARIO.md "Comparing runs"): variants, a sweep, expectations, timed changes.
// Their setting paths and metrics are checked against the document in variants.ts.

/** A setting path (`nodes[api].calls[db].retry.jitter`) → its value. */
const settings = z.record(z.string().min(1).max(500), z.unknown());

export const VariantSchema = named(
  'Variant',
  strict({
    name: z.string().min(1).max(120),
    description: z.string().max(2000).optional(),
    set: settings.register(scenarioMeta, { description: 'Setting path → value: what this variant replaces.' }),
  }),
);

export const SweepSchema = named(
  'Sweep',
  strict({
    params: z
      .array(strict({ path: z.string().min(1).max(500), values: z.array(z.unknown()).min(1).max(1000) }))
      .min(1)
      .max(2)
      .register(scenarioMeta, { description: 'One or two settings and the values to try; every combination is run.' }),
    seeds: count(1).max(10_000).default(1).register(scenarioMeta, { description: 'Runs per combination, with seeds <seed>/1 ... <seed>/K (1: the document\'s own seed).' }),
    metrics: z.array(z.string().min(1).max(200)).max(50).default([]).register(scenarioMeta, { description: 'Summary paths reported per run (latencyMs.p99, requests.successRate, ...).' }),
  }),
);

export const ExpectationSchema = named(
  'Expectation',
  strict({
    metric: z.string().min(1).max(200).register(scenarioMeta, { description: 'A dotted path into the run summary.' }),
    min: z.number().optional(),
    max: z.number().optional(),
  })
    .refine((e) => e.min !== undefined || e.max !== undefined, { message: 'needs a min, a max or both', path: ['max'] })
    .refine((e) => e.min === undefined || e.max === undefined || e.min <= e.max, { message: 'must not be less than min', path: ['max'] }),
);

export const ChangeSchema = named(
  'Change',
  strict({
    atMs: ms,
    set: settings.register(scenarioMeta, { description: 'Setting path → value, applied by the model at atMs.' }),
  }),
);

// ---------------------------------------------------------------------------------------------
// The document

export const SCENARIO_FORMAT = 'faultline/1';

export const ScenarioSchema = strict({
  $schema: z.string().optional().register(scenarioMeta, { description: 'Optional: a JSON Schema reference for editors.' }),
  format: z.literal(SCENARIO_FORMAT),
  name: z.string().min(1).max(120),
  description: z.string().max(20_000).default('').register(scenarioMeta, { description: 'Markdown shown beside the canvas.' }),
  seed: z
    .union([z.string().max(200), z.int()])
    .default('faultline')
    .register(scenarioMeta, { description: 'The only source of randomness: same document and seed, same run.' }),
  durationMs: positiveMs.max(86_400_000).default(60000),
  network: strict({ latency: DistSchema.default(1) })
    .default(() => ({ latency: 1 }))
    .register(scenarioMeta, { description: 'Default one-way latency of every hop.' }),
  nodes: z.array(NodeSpecSchema).min(1).max(500),
  links: z.array(LinkSchema).max(2000).default([]).register(scenarioMeta, { description: 'Per-hop latency overrides.' }),
  faults: z.array(FaultSchema).max(10_000).default([]).register(scenarioMeta, { description: 'The fault timeline.' }),
  layout: z
    .record(z.string(), strict({ x: z.number(), y: z.number() }))
    .optional()
    .register(scenarioMeta, { description: 'Canvas positions by node id.' }),
  allowCallCycles: z.boolean().default(false),
  variants: z.array(VariantSchema).max(100).default([]).register(scenarioMeta, { description: 'Named variants: the document with some settings replaced, run on the same seed.' }),
  sweep: SweepSchema.nullable().default(null),
  expect: z.array(ExpectationSchema).max(100).default([]).register(scenarioMeta, { description: 'Checked after a run; a failed one makes the CLI exit with status 4.' }),
  changes: z.array(ChangeSchema).max(1000).default([]).register(scenarioMeta, { description: 'Timed changes: settings the model changes at a moment of the run (a fork).' }),
});

// ---------------------------------------------------------------------------------------------
// Types: `Scenario` and the part types have every default applied.

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export type Dist = z.output<typeof DistSchema>;
export type ClientNode = z.output<typeof ClientNodeSchema>;
export type GatewayNode = z.output<typeof GatewayNodeSchema>;
export type ServiceNode = z.output<typeof ServiceNodeSchema>;
export type ExchangeNode = z.output<typeof ExchangeNodeSchema>;
export type QueueNode = z.output<typeof QueueNodeSchema>;
export type NodeSpec = z.output<typeof NodeSpecSchema>;
export type Policy = z.output<typeof PolicySchema>;
export type RetryPolicy = z.output<typeof RetryPolicySchema>;
export type ConsecutiveBreaker = z.output<typeof ConsecutiveBreakerSchema>;
export type OpossumBreaker = z.output<typeof OpossumBreakerSchema>;
export type Resilience4jBreaker = z.output<typeof Resilience4jBreakerSchema>;
export type BreakerPolicy = z.output<typeof BreakerPolicySchema>;
export type BulkheadPolicy = z.output<typeof BulkheadPolicySchema>;
export type FallbackPolicy = z.output<typeof FallbackPolicySchema>;
export type CallSpec = z.output<typeof CallSpecSchema>;
export type RouteSpec = z.output<typeof RouteSpecSchema>;
export type PublishSpec = z.output<typeof PublishSpecSchema>;
export type ConsumeSpec = z.output<typeof ConsumeSpecSchema>;
export type Binding = z.output<typeof BindingSchema>;
export type Link = z.output<typeof LinkSchema>;
export type Fault = z.output<typeof FaultSchema>;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type RateLimit = z.output<typeof RateLimitSchema>;
export type Arrival = z.output<typeof ArrivalSchema>;
export type Variant = z.output<typeof VariantSchema>;
export type Sweep = z.output<typeof SweepSchema>;
export type Expectation = z.output<typeof ExpectationSchema>;
export type Change = z.output<typeof ChangeSchema>;
