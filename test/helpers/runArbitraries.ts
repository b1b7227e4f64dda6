/**
 * Random scenarios for properties of whole runs (test/run): instances that come and go, and
 * orchestrated sagas. Used by the accounting and checkpoint tests.
 */
import fc from 'fast-check';
import { scenario } from './scenarios';

/**
 * Instances that come and go (model/instances.ts): random balancers, probes, caches, outlier
 * ejection, and faults on single instances, crashes, hangs and rolling restarts at random times.
 */
export const arbInstances = fc
  .record({
    seed: fc.nat(),
    rate: fc.integer({ min: 20, max: 600 }),
    timeoutMs: fc.option(fc.integer({ min: 5, max: 300 })),
    retries: fc.integer({ min: 1, max: 3 }),
    instances: fc.integer({ min: 1, max: 4 }),
    loadBalancer: fc.constantFrom('round-robin', 'random', 'least-outstanding', 'weighted-round-robin', 'consistent-hash', 'least-latency'),
    hashKey: fc.constantFrom('user', 'request'),
    healthCheck: fc.option(fc.record({ intervalMs: fc.integer({ min: 20, max: 400 }), timeoutMs: fc.integer({ min: 5, max: 100 }), unhealthyThreshold: fc.integer({ min: 1, max: 3 }), healthyThreshold: fc.integer({ min: 1, max: 3 }) })),
    livenessProbe: fc.option(fc.record({ intervalMs: fc.integer({ min: 20, max: 400 }), timeoutMs: fc.integer({ min: 5, max: 100 }), failureThreshold: fc.integer({ min: 1, max: 3 }), restartMs: fc.integer({ min: 0, max: 300 }) })),
    outlierDetection: fc.option(fc.record({ consecutive5xx: fc.integer({ min: 1, max: 5 }), intervalMs: fc.integer({ min: 10, max: 300 }), baseEjectionTimeMs: fc.integer({ min: 10, max: 500 }), maxEjectionPercent: fc.integer({ min: 0, max: 100 }) })),
    discovery: fc.option(fc.record({ cacheTtlMs: fc.integer({ min: 0, max: 800 }), evictOnRefused: fc.boolean() })),
    faults: fc.array(
      fc.record({
        kind: fc.constantFrom('latency', 'error', 'slow', 'hang', 'crash', 'rolling-restart'),
        atMs: fc.integer({ min: 0, max: 1500 }),
        lengthMs: fc.option(fc.integer({ min: 1, max: 800 })),
        instance: fc.option(fc.integer({ min: 0, max: 3 })),
        graceful: fc.boolean(),
        drainMs: fc.integer({ min: 0, max: 200 }),
        gracePeriodMs: fc.integer({ min: 1, max: 300 }),
        restartMs: fc.integer({ min: 0, max: 300 }),
      }),
      { maxLength: 4 },
    ),
  })
  .map((r) => {
    const faults = r.faults.map((f) => {
      const base: Record<string, unknown> = { atMs: f.atMs, untilMs: f.lengthMs === null ? null : f.atMs + f.lengthMs, target: 'api', kind: f.kind };
      if (f.kind === 'rolling-restart') return { ...base, graceful: f.graceful, drainMs: f.drainMs, gracePeriodMs: f.gracePeriodMs, restartMs: f.restartMs };
      const extra: Record<string, unknown> = f.kind === 'latency' ? { add: 30 } : f.kind === 'slow' ? { factor: 5 } : f.kind === 'hang' ? { probability: 0.7 } : {};
      if (f.instance !== null && f.instance < r.instances) extra.instance = f.instance;
      return { ...base, ...extra };
    });
    return scenario({
      seed: r.seed,
      durationMs: 2_000,
      nodes: [
        { id: 'open', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: r.rate }, timeoutMs: r.timeoutMs, retry: { maxAttempts: r.retries, baseDelayMs: 5 } },
        { id: 'closed', kind: 'client', target: 'api', arrival: { type: 'closed', users: 5, thinkTime: 5 }, timeoutMs: 100 },
        {
          id: 'api',
          kind: 'service',
          instances: r.instances,
          concurrency: 3,
          queueLimit: 10,
          serviceTime: { dist: 'exponential', meanMs: 5 },
          errorRate: 0.05,
          loadBalancer: r.loadBalancer,
          hashKey: r.hashKey,
          weights: r.loadBalancer === 'weighted-round-robin' ? Array.from({ length: r.instances }, (_, i) => i + 1) : null,
          healthCheck: r.healthCheck,
          livenessProbe: r.livenessProbe,
          outlierDetection: r.outlierDetection,
          discovery: r.discovery,
          calls: [{ target: 'db', timeoutMs: 50 }],
        },
        { id: 'db', kind: 'service', instances: 2, serviceTime: 2 },
      ],
      faults,
    });
  });

/** Random orchestrated sagas under random failures, crashes of the orchestrator, and policies. */
export const arbSagas = fc
  .record({
    seed: fc.nat(),
    rate: fc.integer({ min: 5, max: 200 }),
    steps: fc.array(
      fc.record({ target: fc.integer({ min: 0, max: 2 }), timeoutMs: fc.option(fc.integer({ min: 5, max: 200 })), retries: fc.integer({ min: 1, max: 3 }), compensate: fc.boolean() }),
      { minLength: 1, maxLength: 5 },
    ),
    persistState: fc.boolean(),
    compensationRounds: fc.integer({ min: 1, max: 4 }),
    overhead: fc.integer({ min: 0, max: 5 }),
    errorRates: fc.array(fc.double({ min: 0, max: 0.6, noNaN: true }), { minLength: 3, maxLength: 3 }),
    faults: fc.array(
      fc.record({ target: fc.constantFrom('saga', 's0', 's1', 's2'), kind: fc.constantFrom('crash', 'hang', 'error'), atMs: fc.integer({ min: 0, max: 1500 }), lengthMs: fc.option(fc.integer({ min: 1, max: 800 })) }),
      { maxLength: 3 },
    ),
  })
  .map((r) =>
    scenario({
      seed: r.seed,
      durationMs: 2_000,
      nodes: [
        { id: 'c', kind: 'client', target: 'saga', arrival: { type: 'poisson', ratePerSec: r.rate }, timeoutMs: 300 },
        {
          id: 'saga',
          kind: 'orchestrator',
          persistState: r.persistState,
          compensationRounds: r.compensationRounds,
          compensationRetryDelayMs: 20,
          overhead: r.overhead,
          steps: r.steps.map((s, i) => ({
            name: `step-${i}`,
            target: `s${s.target}`,
            timeoutMs: s.timeoutMs,
            retry: s.retries > 1 ? { maxAttempts: s.retries, baseDelayMs: 3 } : null,
            compensation: s.compensate ? { target: `s${(s.target + 1) % 3}`, timeoutMs: 100 } : null,
          })),
        },
        ...r.errorRates.map((e, i) => ({ id: `s${i}`, kind: 'service', instances: 2, serviceTime: { dist: 'exponential', meanMs: 5 }, errorRate: e })),
      ],
      faults: r.faults.map((f) => ({ atMs: f.atMs, untilMs: f.lengthMs === null ? null : f.atMs + f.lengthMs, target: f.target, kind: f.target === 'saga' ? 'crash' : f.kind })),
    }),
  );
