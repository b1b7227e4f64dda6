/** The service: instances, workers, calls to other services, publishes and consumes. */
import { z } from 'zod';
import { DistSchema, count, httpStatus, label, ms, named, nodeId, policyShape, positiveMs, probability, ref, scenarioMeta, strict } from '../parts';
import { defineKind } from './define';
import { serviceShape } from './serviceShape';

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
    headers: z
      .record(z.string().min(1).max(255), z.union([z.string().max(1000), z.number(), z.boolean()]))
      .default(() => ({}))
      .register(scenarioMeta, { description: 'AMQP headers sent with every message of this publish; a headers exchange routes on them.' }),
    poisonRate: probability.default(0).register(scenarioMeta, {
      description: 'Share of published events that are poison: every consumer fails on them, every time (a property of the message, unlike a consumer\'s errorRate, drawn per delivery).',
    }),
  }),
);

export const ACK_MODES = ['manual', 'auto'] as const;
export const PUBLISH_MODES = ['after-commit', 'before-commit', 'dual-write', 'outbox'] as const;

export const OutboxSchema = named(
  'Outbox',
  strict({
    pollIntervalMs: positiveMs.default(1000).register(scenarioMeta, { description: 'How often the relay reads the outbox table for unpublished rows.' }),
    batchSize: count(1).default(100).register(scenarioMeta, { description: 'Most rows the relay publishes per poll.' }),
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
    ackMode: z.enum(ACK_MODES).default('manual').register(scenarioMeta, {
      description: 'manual: ack after the work (at-least-once); auto: the broker forgets a message once it is sent (at-most-once; prefetch does not apply, and a crash loses what the consumer holds).',
    }),
    recoveryDelayMs: ms.default(5000).register(scenarioMeta, {
      description: 'After its channel is closed by the broker (consumer timeout), the consumer opens a new one this much later (a client\'s automatic recovery; the Java client waits 5 s).',
    }),
    calls: z.array(CallSpecSchema).max(100).default([]).register(scenarioMeta, {
      description: 'Services the consumer calls for each message, after its own work, with the same policies as a service\'s calls; the message stays unacked until they end, and a failed call fails the delivery (onError).',
    }),
    callMode: z.enum(['sequential', 'parallel']).default('sequential'),
    publishes: z.array(PublishSpecSchema).max(100).default([]).register(scenarioMeta, {
      description: 'Events the consumer publishes when a message\'s work succeeds, before its ack (choreography), as the service\'s publishMode says.',
    }),
  }),
);

export const LOAD_BALANCERS = ['round-robin', 'random', 'least-outstanding', 'weighted-round-robin', 'consistent-hash', 'least-latency'] as const;

/** Readiness probes per instance (Envoy's active health check names; Kubernetes readiness semantics). */
export const HealthCheckSchema = named(
  'HealthCheck',
  strict({
    intervalMs: positiveMs.default(5000),
    timeoutMs: positiveMs.default(1000),
    unhealthyThreshold: count(1).max(1000).default(3),
    healthyThreshold: count(1).max(1000).default(2),
  }),
);

/** Liveness probes per instance (Kubernetes): after `failureThreshold` failures in a row the instance is restarted. */
export const LivenessProbeSchema = named(
  'LivenessProbe',
  strict({
    intervalMs: positiveMs.default(10000),
    timeoutMs: positiveMs.default(1000),
    failureThreshold: count(1).max(1000).default(3),
    restartMs: ms.default(5000),
  }),
);

/** Envoy's consecutive-5xx outlier detection, with its option names (times in ms). */
export const OutlierDetectionSchema = named(
  'OutlierDetection',
  strict({
    consecutive5xx: count(1).max(1000).default(5),
    intervalMs: positiveMs.default(10000),
    baseEjectionTimeMs: positiveMs.default(30000),
    maxEjectionTimeMs: positiveMs.default(300000),
    maxEjectionPercent: z.number().min(0).max(100).default(10),
  }),
);

/** Callers' cached copy of the registry (client-side discovery). */
export const DiscoverySchema = named(
  'Discovery',
  strict({
    cacheTtlMs: ms.default(30000).register(scenarioMeta, { description: 'How long a caller keeps its copy of the registry before fetching it again.' }),
    evictOnRefused: z.boolean().default(true).register(scenarioMeta, { description: 'A refused connection removes that instance from the caller\'s copy at once.' }),
  }),
);

export const ServiceNodeSchema = named(
  'ServiceNode',
  strict({
    id: nodeId,
    kind: z.literal('service'),
    label,
    instances: count(1).max(1000).default(1),
    loadBalancer: z.enum(LOAD_BALANCERS).default('round-robin'),
    concurrency: count(1).max(100_000).default(8).register(scenarioMeta, { description: 'Workers per instance, held for the whole request.' }),
    queueLimit: count(0).nullable().default(100).register(scenarioMeta, { description: 'Waiting requests per instance; null: unbounded.' }),
    serviceTime: DistSchema.default(10),
    errorRate: probability.default(0),
    errorStatus: httpStatus.default(500),
    callMode: z.enum(['sequential', 'parallel']).default('sequential'),
    calls: z.array(CallSpecSchema).max(100).default([]),
    publishes: z.array(PublishSpecSchema).max(100).default([]),
    publishMode: z.enum(PUBLISH_MODES).default('after-commit').register(scenarioMeta, {
      description:
        'When the events go out against the database write: after-commit (after the request succeeds), before-commit (first: a failed request leaves a ghost event), dual-write (after commit, and a failed publish is a lost event), outbox (a relay publishes rows written in the same transaction).',
    }),
    outbox: OutboxSchema.default(() => ({ pollIntervalMs: 1000, batchSize: 100 })),
    consumes: z.array(ConsumeSpecSchema).max(100).default([]),
    weights: z.array(z.number().positive().max(1_000_000)).max(1000).nullable().default(null).register(scenarioMeta, { description: 'weighted-round-robin: one weight per instance; null: all equal.' }),
    hashKey: z.enum(['user', 'request']).default('user').register(scenarioMeta, { description: 'consistent-hash: what a request is hashed on (its client and user: sticky sessions; or the request itself).' }),
    ewmaAlpha: z.number().positive().max(1).default(0.3).register(scenarioMeta, { description: 'least-latency: the weight of the newest response time in the moving average.' }),
    healthCheck: HealthCheckSchema.nullable().default(null),
    livenessProbe: LivenessProbeSchema.nullable().default(null),
    outlierDetection: OutlierDetectionSchema.nullable().default(null),
    discovery: DiscoverySchema.nullable().default(null),
  }),
);

export const serviceKind = defineKind({ ...serviceShape, schema: ServiceNodeSchema });
