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
