import { describe, expect, it } from 'vitest';
import {
  DIST_KINDS,
  FAULT_KINDS,
  FaultSchema,
  NODE_KINDS,
  NodeSpecSchema,
  ScenarioSchema,
  type ClientNode,
  type ServiceNode,
} from '../../src/scenario/schema';

const minimal = {
  format: 'faultline/1',
  name: 'minimal',
  nodes: [
    { id: 'users', kind: 'client', target: 'api' },
    { id: 'api', kind: 'service', calls: [{ target: 'db', retry: {} }] },
    { id: 'db', kind: 'service' },
  ],
};

describe('defaults', () => {
  const scenario = ScenarioSchema.parse(minimal);

  it('fills the top level', () => {
    expect(scenario.description).toBe('');
    expect(scenario.seed).toBe('faultline');
    expect(scenario.durationMs).toBe(60000);
    expect(scenario.network).toEqual({ latency: 1 });
    expect(scenario.links).toEqual([]);
    expect(scenario.faults).toEqual([]);
    expect(scenario.allowCallCycles).toBe(false);
    expect(scenario.layout).toBeUndefined();
  });

  it('fills a client, policy keys included', () => {
    const client = scenario.nodes[0] as ClientNode;
    expect(client).toEqual({
      id: 'users',
      kind: 'client',
      target: 'api',
      requests: [{ path: '/', weight: 1 }],
      arrival: { type: 'poisson', ratePerSec: 10 },
      auth: { valid: 1, invalid: 0, missing: 0 },
      tokenRefreshMs: 50,
      spoofUserIdHeader: 0,
      timeoutMs: null,
      retry: null,
      breaker: null,
      bulkhead: null,
      fallback: null,
      optional: false,
    });
  });

  it('fills a service, and an empty retry object gets every retry default', () => {
    const api = scenario.nodes[1] as ServiceNode;
    expect(api).toMatchObject({
      instances: 1,
      loadBalancer: 'round-robin',
      concurrency: 8,
      queueLimit: 100,
      serviceTime: 10,
      errorRate: 0,
      errorStatus: 500,
      callMode: 'sequential',
      publishes: [],
      consumes: [],
    });
    expect(api.calls[0]!.retry).toEqual({
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 10000,
      multiplier: 2,
      jitter: 'full',
      retryOn: [408, 429, 500, 502, 503, 504, 'timeout'],
      budget: null,
      honorRetryAfter: false,
    });
  });

  it('does not share default arrays between parses', () => {
    const a = ScenarioSchema.parse(minimal);
    const b = ScenarioSchema.parse(minimal);
    (a.nodes[1] as ServiceNode).calls[0]!.retry!.retryOn.push(418);
    expect((b.nodes[1] as ServiceNode).calls[0]!.retry!.retryOn).toHaveLength(7);
  });

  it('fills each breaker model with its library defaults', () => {
    const breaker = (model: string) =>
      (ScenarioSchema.parse({ ...minimal, nodes: [{ id: 'a', kind: 'service', calls: [{ target: 'b', breaker: { model } }] }] }).nodes[0] as ServiceNode)
        .calls[0]!.breaker;
    expect(breaker('consecutive')).toEqual({ model: 'consecutive', failureThreshold: 5, resetTimeoutMs: 30000, halfOpenMaxCalls: 1 });
    expect(breaker('opossum')).toEqual({
      model: 'opossum',
      errorThresholdPercentage: 50,
      volumeThreshold: 0,
      rollingCountTimeout: 10000,
      rollingCountBuckets: 10,
      resetTimeout: 30000,
      timeout: 10000,
      capacity: null,
    });
    expect(breaker('resilience4j')).toEqual({
      model: 'resilience4j',
      slidingWindowType: 'COUNT_BASED',
      slidingWindowSize: 100,
      minimumNumberOfCalls: 100,
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationThreshold: 60000,
      permittedNumberOfCallsInHalfOpenState: 10,
      waitDurationInOpenState: 60000,
      automaticTransitionFromOpenToHalfOpenEnabled: false,
    });
  });

  it('fills gateway, exchange and queue nodes', () => {
    const nodes = [
      { id: 'gw', kind: 'gateway', routes: [{ prefix: '/api', target: 'x' }] },
      { id: 'ex', kind: 'exchange', type: 'topic' },
      { id: 'q', kind: 'queue', bindings: [{ exchange: 'ex' }], deadLetter: { exchange: 'ex' } },
    ].map((n) => NodeSpecSchema.parse(n));
    expect(nodes[0]).toMatchObject({ auth: { required: false }, rateLimit: null, overhead: 0 });
    expect(nodes[1]).toEqual({ id: 'ex', kind: 'exchange', type: 'topic', alternateExchange: null, hashHeader: null });
    expect(nodes[2]).toEqual({
      id: 'q',
      kind: 'queue',
      queueType: 'classic',
      consumerTimeoutMs: 1_800_000,
      bindings: [{ exchange: 'ex', key: '' }],
      messageTtlMs: null,
      maxLength: null,
      overflow: 'drop-head',
      deadLetter: { exchange: 'ex', routingKey: null },
      deliveryLimit: null,
    });
  });
});

describe('every kind parses', () => {
  it('every dist', () => {
    const dists = [
      7,
      { dist: 'constant', ms: 3 },
      { dist: 'uniform', minMs: 5, maxMs: 15 },
      { dist: 'exponential', meanMs: 20 },
      { dist: 'normal', meanMs: 20, stdMs: 5 },
      { dist: 'lognormal', medianMs: 20, p99Ms: 200 },
    ];
    expect(dists.slice(1).map((d) => (d as { dist: string }).dist)).toEqual([...DIST_KINDS]);
    for (const d of dists) {
      const link = ScenarioSchema.parse({ ...minimal, links: [{ from: 'api', to: 'db', latency: d }] }).links[0]!;
      expect(link.latency).toEqual(d);
    }
  });

  it('every node kind, in the order of NODE_KINDS', () => {
    const nodes = [
      { id: 'c', kind: 'client', target: 'g', arrival: { type: 'closed', users: 5 } },
      { id: 'g', kind: 'gateway', rateLimit: { algorithm: 'token-bucket', maxTokens: 10, fillIntervalMs: 100 } },
      { id: 's', kind: 'service', consumes: [{ queue: 'q' }], publishes: [{ exchange: 'e' }] },
      { id: 'e', kind: 'exchange', type: 'headers' },
      { id: 'q', kind: 'queue', bindings: [{ exchange: 'e', arguments: { 'x-match': 'any', region: 'eu' } }] },
      { id: 'o', kind: 'orchestrator', steps: [{ name: 'pay', target: 's', compensation: { target: 's' } }] },
    ];
    const parsed = ScenarioSchema.parse({ ...minimal, nodes });
    expect(parsed.nodes.map((n) => n.kind)).toEqual([...NODE_KINDS]);
    expect(parsed.nodes[0]).toMatchObject({ arrival: { type: 'closed', users: 5, thinkTime: 1000 } });
    expect(parsed.nodes[1]).toMatchObject({ rateLimit: { tokensPerFill: 1, per: 'client' } });
    expect(parsed.nodes[5]).toMatchObject({ persistState: true, compensationRounds: 3, compensatedStatus: 409, stuckStatus: 500 });
  });

  it('every arrival and rate limit', () => {
    for (const arrival of [
      { type: 'poisson', ratePerSec: 1 },
      { type: 'constant', ratePerSec: 2.5 },
      { type: 'closed', users: 1, thinkTime: { dist: 'exponential', meanMs: 100 } },
      { type: 'script', atMs: [0, 100, 250] },
    ]) {
      expect(NodeSpecSchema.parse({ id: 'c', kind: 'client', target: 'x', arrival })).toMatchObject({ arrival });
    }
    for (const rateLimit of [
      { algorithm: 'fixed-window', limit: 100, windowMs: 900000, per: 'global' },
      { algorithm: 'token-bucket', maxTokens: 10, tokensPerFill: 2, fillIntervalMs: 1000, per: 'client' },
      { algorithm: 'sliding-window', limit: 5, windowMs: 1000, per: 'client' },
    ]) {
      expect(NodeSpecSchema.parse({ id: 'g', kind: 'gateway', rateLimit })).toMatchObject({ rateLimit });
    }
  });

  it('every fault kind, in the order of FAULT_KINDS, with its defaults', () => {
    const specs = [
      { kind: 'latency', add: 100 },
      { kind: 'error' },
      { kind: 'crash' },
      { kind: 'hang' },
      { kind: 'slow' },
      { kind: 'partition' },
      { kind: 'drop' },
      { kind: 'duplicate' },
      { kind: 'reorder' },
      { kind: 'rolling-restart' },
    ];
    const faults = specs.map((s) => FaultSchema.parse({ atMs: 0, target: 'a->b', ...s }));
    expect(faults.map((f) => f.kind)).toEqual([...FAULT_KINDS]);
    expect(faults.every((f) => f.untilMs === null)).toBe(true);
    expect(faults[0]).toMatchObject({ jitterMs: 0, probability: 1 });
    expect(faults[1]).toMatchObject({ status: 500, probability: 1 });
    expect(faults[2]).toMatchObject({ instances: 'all' });
    expect(faults[4]).toMatchObject({ factor: 2 });
    expect(faults[8]).toMatchObject({ probability: 1, delayMs: 50 });
    expect(faults[9]).toMatchObject({ restartMs: 5000, graceful: true, drainMs: 0, gracePeriodMs: 30000 });
  });

  it('accepts a $schema line for editors and an integer seed', () => {
    const parsed = ScenarioSchema.parse({ ...minimal, $schema: './scenario.schema.json', seed: 42 });
    expect(parsed.seed).toBe(42);
  });
});
