import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { scenario } from '../helpers/scenarios';
import { arbInstances, arbSagas } from '../helpers/runArbitraries';

const dist = fc.oneof(
  fc.double({ min: 0, max: 20, noNaN: true }),
  fc.record({ dist: fc.constant('exponential'), meanMs: fc.double({ min: 0.1, max: 30, noNaN: true }) }),
  fc.record({ dist: fc.constant('lognormal'), medianMs: fc.constant(3), p99Ms: fc.double({ min: 3, max: 80, noNaN: true }) }),
);

const arbPolicy = fc.record({
  retry: fc.option(
    fc.record({
      maxAttempts: fc.integer({ min: 1, max: 4 }),
      baseDelayMs: fc.integer({ min: 1, max: 50 }),
      jitter: fc.constantFrom('none', 'full', 'equal', 'decorrelated'),
      budget: fc.option(fc.record({ maxTokens: fc.integer({ min: 2, max: 20 }), tokenRatio: fc.constantFrom(0.1, 0.5) })),
    }),
  ),
  breaker: fc.option(
    fc.oneof(
      fc.record({ model: fc.constant('consecutive'), failureThreshold: fc.integer({ min: 1, max: 5 }), resetTimeoutMs: fc.integer({ min: 10, max: 500 }) }),
      fc.record({ model: fc.constant('opossum'), resetTimeout: fc.integer({ min: 10, max: 500 }), timeout: fc.constantFrom(false, 50, 500), volumeThreshold: fc.nat(5) }),
      fc.record({
        model: fc.constant('resilience4j'),
        slidingWindowSize: fc.integer({ min: 1, max: 20 }),
        minimumNumberOfCalls: fc.integer({ min: 1, max: 20 }),
        waitDurationInOpenState: fc.integer({ min: 10, max: 500 }),
        permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 3 }),
        slidingWindowType: fc.constantFrom('COUNT_BASED', 'TIME_BASED'),
      }),
    ),
  ),
  bulkhead: fc.option(fc.record({ maxConcurrent: fc.integer({ min: 1, max: 5 }), maxQueue: fc.nat(3) })),
  fallback: fc.option(fc.record({ status: fc.constant(200) })),
  policyOrder: fc.option(fc.shuffledSubarray(['fallback', 'retry', 'breaker', 'bulkhead', 'timeout'], { minLength: 5, maxLength: 5 }), { nil: undefined }),
});

/** Random chains of services under random clients, timeouts, errors and small queues. */
const arbScenario = fc
  .record({
    seed: fc.nat(),
    depth: fc.integer({ min: 1, max: 4 }),
    rate: fc.integer({ min: 10, max: 800 }),
    closedUsers: fc.integer({ min: 0, max: 20 }),
    timeoutMs: fc.option(fc.integer({ min: 1, max: 200 })),
    services: fc.array(
      fc.record({
        instances: fc.integer({ min: 1, max: 3 }),
        concurrency: fc.integer({ min: 1, max: 6 }),
        queueLimit: fc.option(fc.integer({ min: 0, max: 20 })),
        serviceTime: dist,
        errorRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
        loadBalancer: fc.constantFrom('round-robin', 'random', 'least-outstanding'),
        parallel: fc.boolean(),
        callTimeoutMs: fc.option(fc.integer({ min: 1, max: 100 })),
        optional: fc.boolean(),
        policy: arbPolicy,
      }),
      { minLength: 4, maxLength: 4 },
    ),
  })
  .map((r) => {
    const nodes: Record<string, unknown>[] = [
      { id: 'open', kind: 'client', target: 's0', arrival: { type: 'poisson', ratePerSec: r.rate }, timeoutMs: r.timeoutMs, ...r.services[3]!.policy },
    ];
    if (r.closedUsers > 0) nodes.push({ id: 'closed', kind: 'client', target: 's0', arrival: { type: 'closed', users: r.closedUsers, thinkTime: 5 } });
    for (let i = 0; i < r.depth; i++) {
      const s = r.services[i]!;
      const calls: Record<string, unknown>[] = i + 1 < r.depth ? [{ target: `s${i + 1}`, timeoutMs: s.callTimeoutMs, optional: s.optional, ...s.policy }] : [];
      if (s.parallel && i + 1 < r.depth) calls.push({ target: `s${i + 1}`, timeoutMs: null, optional: false });
      nodes.push({
        id: `s${i}`,
        kind: 'service',
        instances: s.instances,
        concurrency: s.concurrency,
        queueLimit: s.queueLimit,
        serviceTime: s.serviceTime,
        errorRate: s.errorRate,
        loadBalancer: s.loadBalancer,
        callMode: s.parallel ? 'parallel' : 'sequential',
        calls,
      });
    }
    return scenario({ seed: r.seed, durationMs: 2_000, nodes });
  });

describe('request accounting', () => {
  it('every request ends exactly once or is still in flight, over random topologies and random policies in random orders', () => {
    fc.assert(
      fc.property(arbScenario, fc.integer({ min: 1, max: 1900 }), (s, cut) => {
        const run = createRun(s);
        // Check mid-run as well as at the end: the accounting holds at every moment.
        run.advanceTo(cut);
        const mid = run.summary();
        expect(mid.invariants.violations).toEqual([]);
        run.runToEnd();
        const end = run.summary();
        expect(end.invariants.violations).toEqual([]);
        const r = end.requests;
        expect(r.ok + r.failed + r.inFlight).toBe(r.sent);
        expect(Object.values(r.byStatus).reduce((a, b) => a + b, 0)).toBe(r.ok + r.failed);
        expect(r.sent).toBeGreaterThanOrEqual(mid.requests.sent);
      }),
      { numRuns: 80 },
    );
  });

  it('a full waiting line answers 503 and never grows past queueLimit', () => {
    const s = scenario({
      seed: 3,
      durationMs: 5_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'constant', ratePerSec: 2000 } },
        { id: 's', kind: 'service', instances: 1, concurrency: 1, queueLimit: 5, serviceTime: 1 },
      ],
    });
    const run = createRun(s);
    run.runToEnd();
    const sum = run.summary();
    // One arrival every 0.5 ms against 1 ms of work: half are served, half refused once the line is full.
    expect(sum.nodes.s!.queueMax).toBe(5);
    expect(sum.requests.byStatus['503']).toBeGreaterThan(4000);
    expect(sum.requests.byStatus['200']).toBeGreaterThan(4900);
    expect(sum.invariants.ok).toBe(true);
  });

  it('a timeout ends the wait; the callee keeps working and its late answer is wasted work', () => {
    const s = scenario({
      seed: 4,
      durationMs: 1_000,
      network: { latency: 0 },
      nodes: [
        { id: 'c', kind: 'client', target: 'slow', arrival: { type: 'script', atMs: [0, 100, 200] }, timeoutMs: 30 },
        { id: 'slow', kind: 'service', concurrency: 1, serviceTime: 50 },
      ],
    });
    const run = createRun(s, { keepAllEvents: true });
    run.runToEnd();
    const sum = run.summary();
    expect(sum.requests).toMatchObject({ sent: 3, ok: 0, failed: 3, byStatus: { timeout: 3 } });
    expect(sum.latencyMs.max).toBe(30);
    expect(sum.nodes.slow).toMatchObject({ ok: 3, wastedWorkMs: 150 });
    expect(sum.nodes.c).toMatchObject({ timeouts: 3 });
    expect(run.eventLog().filter((e) => e.kind === 'response.late')).toHaveLength(3);
  });

  it('a script client sends exactly at its times; a constant client at 1000/rate intervals from 0', () => {
    const s = scenario({
      seed: 5,
      durationMs: 1_000,
      nodes: [
        { id: 'script', kind: 'client', target: 's', arrival: { type: 'script', atMs: [250, 5, 5, 990] } },
        { id: 'steady', kind: 'client', target: 's', arrival: { type: 'constant', ratePerSec: 4 } },
        { id: 's', kind: 'service', serviceTime: 1 },
      ],
    });
    const run = createRun(s, { keepAllEvents: true });
    run.runToEnd();
    const starts = (node: string) => run.eventLog().filter((e) => e.kind === 'request.start' && e.node === node).map((e) => e.t);
    expect(starts('script')).toEqual([5, 5, 250, 990]);
    expect(starts('steady')).toEqual([0, 250, 500, 750, 1000]);
  });

  it('a closed client never has more requests out than users', () => {
    const s = scenario({
      seed: 6,
      durationMs: 10_000,
      nodes: [
        { id: 'users', kind: 'client', target: 's', arrival: { type: 'closed', users: 7, thinkTime: 10 } },
        { id: 's', kind: 'service', concurrency: 2, queueLimit: null, serviceTime: { dist: 'exponential', meanMs: 20 } },
      ],
    });
    const run = createRun(s);
    for (let t = 100; t <= 10_000; t += 100) {
      run.advanceTo(t);
      expect(run.summary().requests.inFlight).toBeLessThanOrEqual(7);
    }
    // Throughput of a saturated closed system = servers / mean service time = 100/s.
    const sent = run.summary().requests.sent;
    expect(sent).toBeGreaterThan(900);
    expect(sent).toBeLessThan(1100);
  });

  it('a runaway scenario stops at the in-flight limit with a message naming the limit and the client', () => {
    const s = scenario({
      seed: 7,
      durationMs: 60_000,
      nodes: [
        { id: 'flood', kind: 'client', target: 'tarpit', arrival: { type: 'poisson', ratePerSec: 5000 } },
        { id: 'tarpit', kind: 'service', concurrency: 1, queueLimit: null, serviceTime: 10_000 },
      ],
    });
    const run = createRun(s, { maxInFlight: 2_000 });
    run.runToEnd();
    const sum = run.summary();
    expect(run.finished).toBe(true);
    expect(sum.stoppedBy).toMatch(/requests in flight.*client "flood"/);
    expect(sum.simTimeMs).toBeLessThan(1_000);
    expect(sum.invariants.ok).toBe(true);
  });

  it('the event guardrail stops a run with a message naming the limit', () => {
    const s = scenario({
      seed: 8,
      durationMs: 60_000,
      nodes: [
        { id: 'c', kind: 'client', target: 's', arrival: { type: 'poisson', ratePerSec: 1000 } },
        { id: 's', kind: 'service', serviceTime: 1 },
      ],
    });
    const run = createRun(s, { maxEvents: 10_000 });
    run.runToEnd();
    expect(run.events).toBe(10_000);
    expect(run.summary().stoppedBy).toMatch(/10,000 events in one run/);
  });
});

describe('request accounting with instances that come and go', () => {
  it('every request ends exactly once under random probes, caches, ejections, per-instance faults and rolling restarts', () => {
    fc.assert(
      fc.property(arbInstances, fc.integer({ min: 1, max: 1900 }), (s, cut) => {
        const run = createRun(s);
        run.advanceTo(cut);
        expect(run.summary().invariants.violations).toEqual([]);
        run.runToEnd();
        const end = run.summary();
        expect(end.invariants.violations).toEqual([]);
        const r = end.requests;
        expect(r.ok + r.failed + r.inFlight).toBe(r.sent);
        const api = end.nodes.api!;
        // A service using none of the instance features keeps its summary as before: no per-instance counts.
        if (api.receivedByInstance === undefined) {
          expect(s.nodes.find((n) => n.id === 'api')).toMatchObject({ loadBalancer: expect.stringMatching(/^(round-robin|random|least-outstanding)$/), healthCheck: null, livenessProbe: null, outlierDetection: null, discovery: null });
          expect(s.faults.some((f) => f.kind === 'rolling-restart')).toBe(false);
          return;
        }
        const perInstance = String(api.receivedByInstance).split('/').map(Number);
        // Every arrival is counted by the instance the balancer chose, or turned away with none to choose;
        // only a fault at the door (latency, error on the whole node) comes between the two.
        const chosen = perInstance.reduce((a, b) => a + b, 0) + Number(api.noInstance);
        expect(chosen).toBeLessThanOrEqual(Number(api.received));
        if (!s.faults.some((f) => (f.kind === 'latency' || f.kind === 'error') && f.instance === undefined)) expect(chosen).toBe(api.received);
      }),
      { numRuns: 60 },
    );
  });
});

describe('saga accounting', () => {
  it('every saga ends exactly once — completed, compensated or stuck — or is still running at the end', () => {
    fc.assert(
      fc.property(arbSagas, fc.integer({ min: 1, max: 1900 }), (s, cut) => {
        const run = createRun(s, { keepAllEvents: true });
        run.advanceTo(cut);
        expect(run.summary().invariants.violations).toEqual([]);
        run.runToEnd();
        const end = run.summary();
        expect(end.invariants.violations).toEqual([]);
        const g = end.sagas!;
        expect(g.completed + g.compensated + g.stuck + g.running).toBe(g.started);
        const ends = new Map<number, number>();
        let starts = 0;
        for (const e of run.eventLog()) {
          if (e.kind === 'saga.start') starts++;
          if (e.kind === 'saga.completed' || e.kind === 'saga.compensated' || e.kind === 'saga.stuck') ends.set(Number(e.sagaId), (ends.get(Number(e.sagaId)) ?? 0) + 1);
        }
        expect(starts).toBe(g.started);
        expect([...ends.values()].every((n) => n === 1)).toBe(true);
        expect(ends.size).toBe(g.started - g.running);
        const r = end.requests;
        expect(r.ok + r.failed + r.inFlight).toBe(r.sent);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * Random ordering and choreography: entity events to competing consumers or a consistent-hash
 * exchange, a state machine in each mode, failures with and without compensating events, crashes,
 * reorder and duplicate faults.
 */
const arbOrdering = fc
  .record({
    seed: fc.nat(),
    rate: fc.integer({ min: 10, max: 300 }),
    entities: fc.integer({ min: 1, max: 20 }),
    byKey: fc.boolean(),
    mode: fc.constantFrom('reject', 'park', 'ignore-stale'),
    maxParks: fc.integer({ min: 1, max: 4 }),
    consumers: fc.integer({ min: 1, max: 4 }),
    prefetch: fc.integer({ min: 1, max: 10 }),
    errorRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    onError: fc.constantFrom('requeue', 'dead-letter'),
    idempotent: fc.boolean(),
    stepErrorRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
    compensate: fc.boolean(),
    dlx: fc.boolean(),
    callsOnStep: fc.boolean(),
    faults: fc.array(
      fc.record({
        target: fc.constantFrom('projection', 'step', 'undo', 'q-shared->projection', 'pub->x', 'step->x'),
        kind: fc.constantFrom('crash', 'reorder', 'duplicate', 'drop'),
        atMs: fc.integer({ min: 0, max: 1500 }),
        lengthMs: fc.integer({ min: 1, max: 600 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((r) => {
    const sm = { onOutOfOrder: r.mode, parkDelayMs: 20, maxParks: r.maxParks };
    const consume = (queue: string, consumers: number) => ({
      queue,
      consumers,
      prefetch: r.prefetch,
      serviceTime: { dist: 'exponential', meanMs: 8 },
      errorRate: r.errorRate,
      onError: r.onError,
      idempotent: r.idempotent,
      stateMachine: sm,
      recoveryDelayMs: 50,
    });
    const faults = r.faults.map((f) => {
      const link = f.target.includes('->');
      const kind = link ? (f.kind === 'crash' ? 'drop' : f.kind) : f.kind === 'crash' ? 'crash' : f.kind;
      return { atMs: f.atMs, untilMs: f.atMs + f.lengthMs, target: f.target, kind, ...(kind === 'crash' ? {} : { probability: 0.3 }), ...(kind === 'reorder' ? { delayMs: 30 } : {}) };
    });
    return scenario({
      seed: r.seed,
      durationMs: 2_000,
      nodes: [
        { id: 'c', kind: 'client', target: 'pub', arrival: { type: 'poisson', ratePerSec: r.rate } },
        {
          id: 'pub',
          kind: 'service',
          serviceTime: 1,
          publishes: [{ exchange: r.byKey ? 'hx' : 'x', routingKey: 'ev', entities: { count: r.entities }, startsSaga: true }],
        },
        { id: 'x', kind: 'exchange', type: 'topic' },
        { id: 'hx', kind: 'exchange', type: 'x-consistent-hash', hashHeader: 'entity' },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
        { id: 'q-shared', kind: 'queue', bindings: [{ exchange: 'x', key: 'ev' }], deadLetter: r.dlx ? { exchange: 'dlx' } : null },
        { id: 'q-k1', kind: 'queue', bindings: [{ exchange: 'hx', key: '5' }], deadLetter: r.dlx ? { exchange: 'dlx' } : null },
        { id: 'q-k2', kind: 'queue', bindings: [{ exchange: 'hx', key: '5' }], deadLetter: r.dlx ? { exchange: 'dlx' } : null },
        { id: 'q-step', kind: 'queue', bindings: [{ exchange: 'x', key: 'ev' }, { exchange: 'hx', key: '1' }], deadLetter: r.dlx ? { exchange: 'dlx' } : null },
        { id: 'q-undo', kind: 'queue', bindings: [{ exchange: 'x', key: 'failed' }] },
        { id: 'projection', kind: 'service', instances: 2, consumes: [consume('q-shared', r.consumers), consume('q-k1', 1), consume('q-k2', 1)] },
        {
          id: 'step',
          kind: 'service',
          consumes: [
            {
              queue: 'q-step',
              consumers: 2,
              serviceTime: 3,
              errorRate: r.stepErrorRate,
              onError: 'dead-letter',
              completesSaga: true,
              onFailurePublish: r.compensate ? [{ exchange: 'x', routingKey: 'failed' }] : [],
              calls: r.callsOnStep ? [{ target: 'dep', timeoutMs: 30 }] : [],
            },
          ],
        },
        { id: 'dep', kind: 'service', serviceTime: { dist: 'exponential', meanMs: 10 }, errorRate: 0.1 },
        { id: 'undo', kind: 'service', consumes: [{ queue: 'q-undo', serviceTime: 2, compensates: true, errorRate: 0.1, onError: 'dead-letter' }] },
      ],
      faults,
    });
  });

describe('ordering and choreography accounting', () => {
  it('every message and every choreographed saga ends exactly once; the state machine\'s counts add up', () => {
    fc.assert(
      fc.property(arbOrdering, fc.integer({ min: 1, max: 1900 }), (s, cut) => {
        const run = createRun(s, { keepAllEvents: false });
        run.advanceTo(cut);
        expect(run.summary().invariants.violations).toEqual([]);
        run.runToEnd();
        const end = run.summary();
        expect(end.invariants.violations).toEqual([]);
        const g = end.sagas!;
        const c = g.choreographed!;
        expect(c.completed + c.compensated + c.stuck + c.running).toBe(c.started);
        expect(g.started).toBe(c.started);
        const p = end.nodes.projection!;
        const num = (k: string) => p[k] as number;
        const mode = s.nodes.find((n) => n.id === 'projection')!;
        const onOutOfOrder = mode.kind === 'service' ? mode.consumes[0]!.stateMachine!.onOutOfOrder : 'reject';
        if (onOutOfOrder === 'ignore-stale') {
          expect(num('outOfOrderRejected') + num('parked')).toBe(0);
          expect(num('staleIgnored')).toBeLessThanOrEqual(num('outOfOrder'));
        } else {
          expect(num('outOfOrderRejected') + num('parked') + num('staleIgnored')).toBe(num('outOfOrder'));
          expect(num('entitiesInconsistent')).toBe(0);
        }
        if (onOutOfOrder !== 'park') expect(num('parked') + num('parkRetries')).toBe(0);
        expect(num('entitiesIncomplete')).toBeLessThanOrEqual(num('entities'));
        const undo = end.nodes.undo!;
        expect(undo.compensationsRun as number).toBeGreaterThanOrEqual(c.compensated);
      }),
      { numRuns: 40 },
    );
  });
});
