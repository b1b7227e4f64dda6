/**
 * fast-check arbitraries of valid scenario documents (as a person would write them: optional keys
 * left out at random, so defaults are exercised too). References are drawn from the ids the
 * document actually has, and service calls only go "rightwards", so there are no call cycles.
 */
import fc from 'fast-check';
import type { ScenarioInput } from '../../src/scenario/schema';
import { linkFaults } from '../../src/scenario/faultTargets';

type Json = Record<string, unknown>;

/** Non-negative milliseconds, fractional sometimes, never -0. */
const ms = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100));
const positive = fc.integer({ min: 1, max: 100_000 });
const prob = fc.integer({ min: 0, max: 100 }).map((n) => n / 100);
const status = fc.integer({ min: 100, max: 599 });

export const distArb: fc.Arbitrary<unknown> = fc.oneof(
  ms,
  ms.map((v) => ({ dist: 'constant', ms: v })),
  fc.tuple(ms, ms).map(([a, b]) => ({ dist: 'uniform', minMs: Math.min(a, b), maxMs: Math.max(a, b) })),
  positive.map((m) => ({ dist: 'exponential', meanMs: m })),
  fc.tuple(ms, ms).map(([m, s]) => ({ dist: 'normal', meanMs: m, stdMs: s })),
  fc.tuple(positive, fc.integer({ min: 0, max: 10_000 })).map(([m, d]) => ({ dist: 'lognormal', medianMs: m, p99Ms: m + d })),
);

const retryArb = fc.record(
  {
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    baseDelayMs: ms,
    maxDelayMs: ms,
    multiplier: fc.integer({ min: 1, max: 5 }),
    jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
    retryOn: fc.array(fc.oneof(status, fc.constant('timeout')), { maxLength: 5 }),
    budget: fc.option(fc.record({ maxTokens: positive, tokenRatio: fc.integer({ min: 1, max: 100 }).map((n) => n / 100) }), {
      nil: null,
    }),
    honorRetryAfter: fc.boolean(),
  },
  { requiredKeys: [] },
);

const breakerArb = fc.oneof(
  fc.record(
    {
      model: fc.constant('consecutive'),
      failureThreshold: fc.integer({ min: 1, max: 20 }),
      resetTimeoutMs: ms,
      halfOpenMaxCalls: fc.integer({ min: 1, max: 5 }),
    },
    { requiredKeys: ['model'] },
  ),
  fc.record(
    {
      model: fc.constant('opossum'),
      errorThresholdPercentage: fc.integer({ min: 0, max: 100 }),
      volumeThreshold: fc.integer({ min: 0, max: 50 }),
      rollingCountTimeout: positive,
      rollingCountBuckets: fc.integer({ min: 1, max: 20 }),
      resetTimeout: ms,
      timeout: fc.oneof(positive, fc.constant(false)),
      capacity: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
    },
    { requiredKeys: ['model'] },
  ),
  fc.record(
    {
      model: fc.constant('resilience4j'),
      slidingWindowType: fc.constantFrom('COUNT_BASED', 'TIME_BASED'),
      slidingWindowSize: fc.integer({ min: 1, max: 200 }),
      minimumNumberOfCalls: fc.integer({ min: 1, max: 200 }),
      failureRateThreshold: fc.integer({ min: 1, max: 100 }),
      slowCallRateThreshold: fc.integer({ min: 1, max: 100 }),
      slowCallDurationThreshold: ms,
      permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 20 }),
      waitDurationInOpenState: ms,
      automaticTransitionFromOpenToHalfOpenEnabled: fc.boolean(),
    },
    { requiredKeys: ['model'] },
  ),
);

const policyModel = {
  timeoutMs: fc.option(positive, { nil: null }),
  retry: fc.option(retryArb, { nil: null }),
  breaker: fc.option(breakerArb, { nil: null }),
  bulkhead: fc.option(fc.record({ maxConcurrent: fc.integer({ min: 1, max: 50 }), maxQueue: fc.integer({ min: 0, max: 50 }) }, { requiredKeys: ['maxConcurrent'] }), { nil: null }),
  fallback: fc.option(fc.record({ status, label: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }), { nil: null }),
  optional: fc.boolean(),
  policyOrder: fc.shuffledSubarray(['fallback', 'retry', 'breaker', 'bulkhead', 'timeout'], { minLength: 5, maxLength: 5 }),
};

/** Policy keys with these fixed keys, each optional key present or not. */
const withPolicy = (fixed: Json) =>
  fc.record(policyModel, { requiredKeys: [] }).map((policy) => ({ ...fixed, ...policy }));

const arrivalArb = fc.oneof(
  fc.record({ type: fc.constant('poisson'), ratePerSec: positive }),
  fc.record({ type: fc.constant('constant'), ratePerSec: positive }),
  fc.record({ type: fc.constant('closed'), users: fc.integer({ min: 1, max: 100 }), thinkTime: distArb }, { requiredKeys: ['type', 'users'] }),
  fc.record({ type: fc.constant('script'), atMs: fc.array(ms, { maxLength: 10 }) }),
);

/** A valid document: 1..4 services, an optional gateway, 1..2 clients, an optional broker. */
export const scenarioArb: fc.Arbitrary<ScenarioInput> = fc
  .record({
    services: fc.integer({ min: 1, max: 4 }),
    clients: fc.integer({ min: 1, max: 2 }),
    gateway: fc.boolean(),
    broker: fc.boolean(),
  })
  .chain(({ services, clients, gateway, broker }) => {
    const serviceIds = Array.from({ length: services }, (_, i) => `svc-${i}`);
    const exchangeIds = broker ? ['events', 'dlx'] : [];
    const queueIds = broker ? ['work'] : [];
    const allIds = [...serviceIds, ...(gateway ? ['gw'] : []), ...exchangeIds, ...queueIds];
    const entry = gateway ? ['gw', ...serviceIds] : serviceIds;

    const serviceArb = (i: number) =>
      fc
        .record(
          {
            label: fc.string({ maxLength: 20 }),
            instances: fc.integer({ min: 1, max: 4 }),
            loadBalancer: fc.constantFrom('round-robin', 'random', 'least-outstanding'),
            concurrency: fc.integer({ min: 1, max: 16 }),
            queueLimit: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
            serviceTime: distArb,
            errorRate: prob,
            errorStatus: status,
            callMode: fc.constantFrom('sequential', 'parallel'),
            calls: fc.array(
              fc.constantFrom(...(serviceIds.slice(i + 1).length ? serviceIds.slice(i + 1) : ['none'])).chain((t) => withPolicy({ target: t })),
              { maxLength: serviceIds.length - i - 1 > 0 ? 2 : 0 },
            ),
            publishes: broker
              ? fc.array(
                  fc.record({ exchange: fc.constant('events'), routingKey: fc.constantFrom('', 'order.placed'), resendOnLostConfirm: prob }, { requiredKeys: ['exchange'] }),
                  { maxLength: 1 },
                )
              : fc.constant([]),
            consumes: broker
              ? fc.array(
                  fc.record(
                    {
                      queue: fc.constant('work'),
                      prefetch: fc.integer({ min: 1, max: 50 }),
                      consumers: fc.integer({ min: 1, max: 4 }),
                      serviceTime: distArb,
                      errorRate: prob,
                      onError: fc.constantFrom('requeue', 'dead-letter'),
                      idempotent: fc.boolean(),
                      idempotencyTtlMs: fc.option(positive, { nil: null }),
                    },
                    { requiredKeys: ['queue'] },
                  ),
                  { maxLength: 1 },
                )
              : fc.constant([]),
          },
          { requiredKeys: [] },
        )
        .map((s) => ({ id: serviceIds[i], kind: 'service', ...s }));

    const clientArb = (i: number) =>
      fc
        .record(
          {
            target: fc.constantFrom(...entry),
            requests: fc.array(fc.record({ path: fc.constantFrom('/', '/api/orders'), weight: positive }, { requiredKeys: ['path'] }), {
              minLength: 1,
              maxLength: 2,
            }),
            arrival: arrivalArb,
            auth: fc.record({ valid: fc.integer({ min: 1, max: 5 }), invalid: prob, missing: prob }, { requiredKeys: [] }),
            spoofUserIdHeader: prob,
          },
          { requiredKeys: ['target'] },
        )
        .chain((c) => withPolicy({ id: `client-${i}`, kind: 'client', ...c }));

    const gatewayArb = fc
      .record(
        {
          routes: fc.array(
            fc.tuple(fc.constantFrom('/', '/api'), fc.constantFrom(...serviceIds)).chain(([prefix, target]) => withPolicy({ prefix, target })),
            { maxLength: 3 },
          ),
          auth: fc.record({ required: fc.boolean() }, { requiredKeys: [] }),
          rateLimit: fc.option(
            fc.oneof(
              fc.record({ algorithm: fc.constant('fixed-window'), limit: positive, windowMs: positive, per: fc.constantFrom('client', 'global') }, { requiredKeys: ['algorithm', 'limit', 'windowMs'] }),
              fc.record({ algorithm: fc.constant('token-bucket'), maxTokens: positive, tokensPerFill: positive, fillIntervalMs: positive }, { requiredKeys: ['algorithm', 'maxTokens', 'fillIntervalMs'] }),
              fc.record({ algorithm: fc.constant('sliding-window'), limit: positive, windowMs: positive }),
            ),
            { nil: null },
          ),
          overhead: distArb,
        },
        { requiredKeys: [] },
      )
      .map((g) => ({ id: 'gw', kind: 'gateway', ...g }));

    const brokerArb = fc
      .record({
        type: fc.constantFrom('fanout', 'direct', 'topic', 'headers'),
        key: fc.constantFrom('', 'order.*', '#'),
        xMatch: fc.constantFrom(undefined, 'all', 'any'),
        ttl: fc.option(positive, { nil: null }),
        maxLength: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
        overflow: fc.constantFrom('drop-head', 'reject-publish'),
        deliveryLimit: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
      })
      .map((b) => [
        { id: 'events', kind: 'exchange', type: b.type, alternateExchange: 'dlx' },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        {
          id: 'work',
          kind: 'queue',
          bindings: [{ exchange: 'events', key: b.key, ...(b.xMatch ? { arguments: { 'x-match': b.xMatch, region: 'eu' } } : {}) }],
          messageTtlMs: b.ttl,
          maxLength: b.maxLength,
          overflow: b.overflow,
          deadLetter: { exchange: 'dlx', routingKey: null },
          // A delivery limit is a quorum-queue setting.
          ...(b.deliveryLimit === null ? {} : { queueType: 'quorum', deliveryLimit: b.deliveryLimit }),
        },
      ]);

    const kindOfId = (id: string) => (exchangeIds.includes(id) ? 'exchange' : queueIds.includes(id) ? 'queue' : id === 'gw' ? 'gateway' : 'service');
    const linkAllows = (link: string, kind: string) => {
      const [a, b] = link.split('->') as [string, string];
      return (linkFaults(kindOfId(a), kindOfId(b)).kinds as readonly string[]).includes(kind);
    };

    /** Two different node ids: a link. Only used when there are two nodes or more. */
    const pairArb = fc
      .tuple(fc.nat({ max: allIds.length - 1 }), fc.nat({ max: Math.max(0, allIds.length - 2) }))
      .map(([a, d]) => [allIds[a]!, allIds[(a + 1 + d) % allIds.length]!] as const);
    const linkArb = pairArb.map(([a, b]) => `${a}->${b}`);

    const faultArb = fc
      .record({
        atMs: fc.integer({ min: 0, max: 60_000 }),
        length: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: null }),
        // Services take every kind of fault and links every kind but crash, hang and slow (the
        // validator checks which faults each target can suffer; see validate.faults.test.ts).
        target: fc.oneof(fc.constantFrom(...serviceIds), ...(allIds.length > 1 ? [linkArb] : [])),
        spec: fc.oneof(
          distArb.map((add) => ({ kind: 'latency', add })),
          fc.record({ kind: fc.constant('error'), status, probability: prob }, { requiredKeys: ['kind'] }),
          fc.record({ kind: fc.constant('crash'), instances: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant('all')) }, { requiredKeys: ['kind'] }),
          fc.record({ kind: fc.constant('hang'), probability: prob }, { requiredKeys: ['kind'] }),
          fc.record({ kind: fc.constant('slow'), factor: fc.integer({ min: 1, max: 10 }) }, { requiredKeys: ['kind'] }),
          fc.constant({ kind: 'partition' }),
          fc.record({ kind: fc.constant('drop'), probability: prob }),
          fc.record({ kind: fc.constant('duplicate'), probability: prob }),
          fc.record({ kind: fc.constant('reorder'), probability: prob, delayMs: distArb }, { requiredKeys: ['kind'] }),
        ),
        source: fc.constantFrom(undefined, 'timeline', 'live'),
      })
      .map((f) => ({
        atMs: f.atMs,
        untilMs: f.length === null ? null : f.atMs + f.length,
        // A link takes what its ends allow (faultTargets.linkFaults: none between broker nodes, no error on a consume link).
        target: f.target.includes('->') && !linkAllows(f.target, f.spec.kind) ? serviceIds[0]! : f.target,
        ...(f.source ? { source: f.source } : {}),
        ...f.spec,
      }));

    return fc
      .record(
        {
          name: fc.string({ minLength: 1, maxLength: 40 }),
          description: fc.string({ maxLength: 200 }),
          seed: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()),
          durationMs: fc.integer({ min: 1, max: 3_600_000 }),
          network: fc.record({ latency: distArb }, { requiredKeys: [] }),
          services: fc.tuple(...serviceIds.map((_, i) => serviceArb(i))),
          clients: fc.tuple(...Array.from({ length: clients }, (_, i) => clientArb(i))),
          gateway: gateway ? gatewayArb.map((g) => [g]) : fc.constant([]),
          broker: broker ? brokerArb : fc.constant([]),
          links: fc.array(
            fc.tuple(pairArb, distArb).map(([[from, to], latency]) => ({ from, to, latency })),
            { maxLength: allIds.length > 1 ? 3 : 0 },
          ),
          faults: fc.array(faultArb, { maxLength: 4 }),
          layout: fc.boolean(),
          allowCallCycles: fc.boolean(),
        },
        { requiredKeys: ['name', 'services', 'clients', 'gateway', 'broker', 'layout'] },
      )
      .map(({ services: s, clients: c, gateway: g, broker: b, layout, ...top }) => {
        const nodes = [...c, ...g, ...s, ...b] as Json[];
        // Calls to 'none' are placeholders for services with nobody to their right: drop them.
        for (const node of nodes) {
          if (Array.isArray(node.calls)) node.calls = (node.calls as Json[]).filter((call) => call.target !== 'none');
        }
        const doc: Json = { format: 'faultline/1', ...top, nodes };
        if (layout) doc.layout = Object.fromEntries(nodes.map((n, i) => [n.id as string, { x: i * 100, y: (i % 3) * 80 }]));
        return doc as ScenarioInput;
      });
  });
