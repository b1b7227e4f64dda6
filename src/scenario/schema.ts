/**
 * The scenario document, format `faultline/1` (see SCENARIO.md), as a zod schema.
 *
 * Every object is strict: an unknown key is an error, because in a hand-written document an
 * unknown key is almost always a typo (`timeout` for `timeoutMs`) that would otherwise be ignored
 * in silence. Defaults live here and only here (with the building blocks in parts.ts and each
 * node kind's schema in kinds/): `Scenario` is the document with every default applied, which is
 * what the model builds from. Human error messages are made in validate.ts from the issues this
 * schema raises, so the schema itself stays declarative.
 */
import { z } from 'zod';
import { DistSchema, count, httpStatus, ms, named, positiveMs, probability, ref, scenarioMeta, strict } from './parts';
import type {
  BreakerPolicySchema,
  BulkheadPolicySchema,
  ConsecutiveBreakerSchema,
  FallbackPolicySchema,
  OpossumBreakerSchema,
  PolicySchema,
  Resilience4jBreakerSchema,
  RetryPolicySchema,
} from './parts';
import { KindSet, NODE_SCHEMAS, builtinKinds } from './kinds';
import type { ClientNodeSchema, ArrivalSchema } from './kinds/client';
import type { GatewayNodeSchema, RateLimitSchema, RouteSpecSchema } from './kinds/gateway';
import type { CallSpecSchema, ConsumeSpecSchema, PublishSpecSchema, ServiceNodeSchema } from './kinds/service';
import type { ExchangeNodeSchema } from './kinds/exchange';
import type { BindingSchema, QueueNodeSchema } from './kinds/queue';
import type { OrchestratorNodeSchema, SagaStepSchema } from './kinds/orchestrator';

export * from './parts';
export { ArrivalSchema, ClientNodeSchema } from './kinds/client';
export { GatewayNodeSchema, RateLimitSchema, RouteSpecSchema, RATE_LIMIT_ALGORITHMS } from './kinds/gateway';
export { CallSpecSchema, ConsumeSpecSchema, PublishSpecSchema, ServiceNodeSchema } from './kinds/service';
export { ExchangeNodeSchema } from './kinds/exchange';
export { BindingSchema, QueueNodeSchema } from './kinds/queue';
export { CompensationSpecSchema, OrchestratorNodeSchema, SagaStepSchema } from './kinds/orchestrator';
export { BUILTIN_KINDS, KindSet, NODE_KINDS, NODE_SCHEMAS, builtinKinds, defineKind, kindSet } from './kinds';
export type { EdgeKind, FaultSite, KindRef, NodeKind, ScenarioKind } from './kinds';

// ---------------------------------------------------------------------------------------------
// Nodes

export const NodeSpecSchema = named(
  'Node',
  z.discriminatedUnion('kind', [
    NODE_SCHEMAS.client,
    NODE_SCHEMAS.gateway,
    NODE_SCHEMAS.service,
    NODE_SCHEMAS.exchange,
    NODE_SCHEMAS.queue,
    NODE_SCHEMAS.orchestrator,
  ]),
);

/** The built-in kinds, as a set (what validation and runs use unless given another). */
export const BUILTIN_KIND_SET = new KindSet(builtinKinds, NodeSpecSchema);

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

/** A service fault may hit one instance only (0-based); without it, every instance. */
const instance = count(0)
  .max(999)
  .optional()
  .register(scenarioMeta, { description: 'A service fault on this instance only (0-based); left out: every instance.' });

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
    fault('latency', { add: DistSchema, jitterMs: ms.default(0), probability: probability.default(1), instance }),
    fault('error', { status: httpStatus.default(500), probability: probability.default(1), instance }),
    fault('crash', { instances: z.union([count(1), z.literal('all')]).default('all'), instance }),
    fault('hang', { probability: probability.default(1), instance }),
    fault('slow', { factor: z.number().min(1).max(10_000).default(2), instance }),
    fault('partition', {}),
    fault('drop', { probability: probability.default(1) }),
    fault('duplicate', { probability: probability.default(1) }),
    fault('reorder', { probability: probability.default(1), delayMs: DistSchema.default(50) }),
    fault('rolling-restart', {
      restartMs: ms.default(5000).register(scenarioMeta, { description: 'How long a stopped instance takes to start again.' }),
      graceful: z.boolean().default(true).register(scenarioMeta, { description: 'true: deregister, drain, then stop; false: killed at once, its work lost.' }),
      drainMs: ms.default(0).register(scenarioMeta, { description: 'Graceful: how long it keeps accepting requests after deregistering (for callers whose view is stale).' }),
      gracePeriodMs: positiveMs.default(30000).register(scenarioMeta, { description: 'Graceful: the longest it waits for work in progress before being killed.' }),
    }),
  ]),
);


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

/** The document, over a node schema (the built-in kinds, or a set with kinds defined elsewhere). */
export function documentSchema<N extends z.ZodType>(node: N) {
  return strict({
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
    nodes: z.array(node).min(1).max(500),
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
}

export const ScenarioSchema = documentSchema(NodeSpecSchema);

const schemaOfSet = new WeakMap<KindSet, z.ZodType>();
/** The document schema for a set of kinds (the built-in set gives ScenarioSchema itself). */
export function scenarioSchemaOf(kinds: KindSet): z.ZodType {
  if (kinds === BUILTIN_KIND_SET) return ScenarioSchema;
  let s = schemaOfSet.get(kinds);
  if (!s) schemaOfSet.set(kinds, (s = documentSchema(kinds.nodeSchema)));
  return s;
}

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
export type OrchestratorNode = z.output<typeof OrchestratorNodeSchema>;
export type SagaStep = z.output<typeof SagaStepSchema>;
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
export type RateLimit = z.output<typeof RateLimitSchema>;
export type Arrival = z.output<typeof ArrivalSchema>;
export type Variant = z.output<typeof VariantSchema>;
export type Sweep = z.output<typeof SweepSchema>;
export type Expectation = z.output<typeof ExpectationSchema>;
export type Change = z.output<typeof ChangeSchema>;
