/**
 * Swarm testing, after TigerBeetle's VOPR: from one seed, draw random topologies — clients, an
 * optional gateway, a DAG of services with random policies, an optional broker with consumers —
 * and a random fault timeline; run each and check that
 *   1. the request and message accountings hold (mid-run and at the end),
 *   2. the run is deterministic: the same document gives the same trace hash, and so does the
 *      same run cut into random slices,
 *   3. after a phase with faults off, the system recovers: requests complete again, no more of
 *      them fail than in the same scenario without its faults, and the work queues drain.
 * Every random choice comes from the swarm seed, so a failure is reproduced by its seed and run
 * number alone; the failing document is returned for `npm run sim`.
 *
 * The generator keeps capacity well above load, inherent error rates small and timeouts well
 * above the healthy latency of a call chain, and gives every call a timeout, so that recovery is
 * a fair demand; it is the faults that push the system over.
 */
import { createStream } from '../engine';
import type { Uniform } from '../engine';
import { validateScenario } from '../scenario/validate';
import type { ScenarioInput } from '../scenario/schema';
import { createRun } from './run';
import type { RunSummary } from './types';

export interface SwarmCase {
  seed: string;
  run: number;
  document: ScenarioInput;
  /** When the faults stop; the rest of the run is the recovery phase. */
  faultsUntilMs: number;
}

export interface SwarmFailure {
  seed: string;
  run: number;
  check: 'valid' | 'crash' | 'invariants' | 'determinism' | 'slicing' | 'recovery';
  message: string;
  document: ScenarioInput;
}

const pick = <T>(u: Uniform, xs: readonly T[]): T => xs[Math.floor(u() * xs.length)]!;
const int = (u: Uniform, lo: number, hi: number): number => lo + Math.floor(u() * (hi - lo + 1));
const chance = (u: Uniform, p: number): boolean => u() < p;

function randomPolicy(u: Uniform, deep: boolean): Record<string, unknown> {
  // Every call has a timeout: without one, a request lost to a drop or partition holds its
  // caller's worker or bulkhead slot forever and nothing can recover (the hang preset's lesson),
  // which would make the recovery check unfair.
  const p: Record<string, unknown> = { timeoutMs: int(u, 400, 3000) };
  if (chance(u, 0.5)) {
    p.retry = {
      maxAttempts: int(u, 2, 4),
      baseDelayMs: int(u, 10, 200),
      jitter: pick(u, ['none', 'full', 'equal', 'decorrelated'] as const),
      ...(chance(u, 0.4) ? { budget: { maxTokens: int(u, 4, 20), tokenRatio: pick(u, [0.1, 0.5, 1]) } } : {}),
    };
  }
  if (chance(u, 0.5)) {
    p.breaker = pick(u, [
      { model: 'consecutive', failureThreshold: int(u, 3, 8), resetTimeoutMs: int(u, 200, 4000) },
      { model: 'opossum', errorThresholdPercentage: int(u, 40, 90), volumeThreshold: int(u, 5, 20), resetTimeout: int(u, 200, 4000), rollingCountTimeout: 2000, rollingCountBuckets: 4, timeout: pick(u, [false, 3000]) },
      {
        model: 'resilience4j',
        slidingWindowType: pick(u, ['COUNT_BASED', 'TIME_BASED'] as const),
        slidingWindowSize: int(u, 10, 50),
        minimumNumberOfCalls: int(u, 5, 30),
        failureRateThreshold: int(u, 40, 90),
        slowCallDurationThreshold: int(u, 1000, 5000),
        permittedNumberOfCallsInHalfOpenState: int(u, 1, 5),
        waitDurationInOpenState: int(u, 200, 4000),
        automaticTransitionFromOpenToHalfOpenEnabled: chance(u, 0.5),
      },
    ] as const);
  }
  // Bulkheads sized above the load (closed users and open traffic), so they bite only under faults.
  if (chance(u, 0.3)) p.bulkhead = { maxConcurrent: int(u, 30, 100), maxQueue: int(u, 0, 20) };
  if (deep && chance(u, 0.3)) p.fallback = { status: 200 };
  if (deep && chance(u, 0.15)) p.optional = true;
  if (chance(u, 0.2)) p.policyOrder = shuffle(u, ['fallback', 'retry', 'breaker', 'bulkhead', 'timeout']);
  return p;
}

function shuffle<T>(u: Uniform, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function dist(u: Uniform, meanMs: number): unknown {
  return pick(u, [
    meanMs,
    { dist: 'exponential', meanMs },
    { dist: 'uniform', minMs: meanMs / 2, maxMs: (meanMs * 3) / 2 },
    { dist: 'lognormal', medianMs: meanMs * 0.8, p99Ms: meanMs * 4 },
    { dist: 'normal', meanMs, stdMs: meanMs / 4 },
  ]);
}

/** Draw the k-th case of a swarm seed. */
export function swarmCase(seed: string, run: number): SwarmCase {
  const u = createStream(seed, 'swarm', String(run));
  const faultsUntilMs = int(u, 3, 8) * 1000;
  const durationMs = faultsUntilMs + 25_000;
  const nodes: Record<string, unknown>[] = [];
  const faults: Record<string, unknown>[] = [];

  const nServices = int(u, 1, 5);
  const services = Array.from({ length: nServices }, (_, i) => `s${i}`);
  const rate = int(u, 5, 80);
  const useGateway = chance(u, 0.5);
  const entry = useGateway ? 'gw' : 's0';
  const nClients = int(u, 1, 2);
  for (let i = 0; i < nClients; i++) {
    const closed = chance(u, 0.3);
    nodes.push({
      id: `c${i}`,
      kind: 'client',
      target: entry,
      requests: [{ path: '/api/a' }, { path: '/api/b' }],
      arrival: closed ? { type: 'closed', users: int(u, 1, 20), thinkTime: dist(u, 100) } : { type: pick(u, ['poisson', 'constant'] as const), ratePerSec: rate },
      ...randomPolicy(u, false),
    });
  }
  if (useGateway) {
    nodes.push({
      id: 'gw',
      kind: 'gateway',
      routes: [
        { prefix: '/api/a', target: 's0', ...randomPolicy(u, true) },
        { prefix: '/api/b', target: services[nServices - 1]!, ...randomPolicy(u, true) },
      ],
      overhead: dist(u, 1),
      ...(chance(u, 0.3) ? { rateLimit: { algorithm: pick(u, ['fixed-window', 'sliding-window'] as const), limit: 100_000, windowMs: 1000, per: 'client' } } : {}),
    });
  }
  // Services form a DAG: each may call later ones. Capacity stays well above the load.
  const useBroker = chance(u, 0.5);
  for (let i = 0; i < nServices; i++) {
    const calls: Record<string, unknown>[] = [];
    for (let j = i + 1; j < nServices; j++) if (chance(u, 0.4)) calls.push({ target: services[j], ...randomPolicy(u, true) });
    nodes.push({
      id: services[i],
      kind: 'service',
      instances: int(u, 1, 3),
      loadBalancer: pick(u, ['round-robin', 'random', 'least-outstanding'] as const),
      concurrency: int(u, 20, 60),
      queueLimit: pick(u, [null, 50, 200]),
      serviceTime: dist(u, int(u, 1, 20)),
      errorRate: chance(u, 0.3) ? 0.001 : 0,
      callMode: pick(u, ['sequential', 'parallel'] as const),
      calls,
      ...(useBroker && i === 0 ? { publishes: [{ exchange: 'events', routingKey: 'order.placed', resendOnLostConfirm: chance(u, 0.3) ? 0.05 : 0 }] } : {}),
    });
  }
  if (useBroker) {
    nodes.push({ id: 'events', kind: 'exchange', type: pick(u, ['topic', 'fanout', 'direct'] as const) });
    nodes.push({ id: 'dlx', kind: 'exchange', type: 'fanout' });
    nodes.push({ id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] });
    const nQueues = int(u, 1, 3);
    for (let q = 0; q < nQueues; q++) {
      nodes.push({
        id: `q${q}`,
        kind: 'queue',
        bindings: [{ exchange: 'events', key: pick(u, ['order.placed', 'order.*', '#']) }],
        deadLetter: chance(u, 0.7) ? { exchange: 'dlx' } : null,
        messageTtlMs: chance(u, 0.2) ? int(u, 2000, 10000) : null,
        maxLength: chance(u, 0.2) ? int(u, 500, 5000) : null,
        // A delivery limit is a quorum-queue setting.
        ...quorumLimit(chance(u, 0.3) ? int(u, 1, 5) : null),
      });
      nodes.push({
        id: `w${q}`,
        kind: 'service',
        instances: int(u, 1, 2),
        consumes: [
          {
            queue: `q${q}`,
            prefetch: int(u, 1, 30),
            consumers: int(u, 4, 8),
            serviceTime: dist(u, int(u, 1, 5)),
            errorRate: chance(u, 0.3) ? 0.002 : 0,
            onError: pick(u, ['requeue', 'dead-letter'] as const),
            idempotent: chance(u, 0.5),
          },
        ],
      });
    }
  }

  // The fault timeline: only within the fault phase.
  const targets = nodes.filter((n) => n.kind === 'service').map((n) => n.id as string);
  const queues = nodes.filter((n) => n.kind === 'queue').map((n) => n.id as string);
  const consumers = nodes.filter((n) => n.kind === 'service' && Array.isArray(n.consumes) && n.consumes.length > 0).map((n) => n.id as string);
  const nFaults = int(u, 1, 6);
  for (let f = 0; f < nFaults; f++) {
    const atMs = int(u, 0, faultsUntilMs - 500);
    const untilMs = int(u, atMs + 100, faultsUntilMs);
    const onQueue = queues.length > 0 && chance(u, 0.15);
    if (onQueue) {
      const kind = pick(u, ['duplicate', 'latency'] as const);
      faults.push({ atMs, untilMs, target: pick(u, queues), kind, probability: u(), ...(kind === 'latency' ? { add: dist(u, 50) } : {}) });
      continue;
    }
    const s = pick(u, targets);
    const kind = pick(u, ['latency', 'error', 'crash', 'hang', 'slow', 'partition', 'drop', 'duplicate', 'reorder'] as const);
    const onLink = ['partition', 'drop', 'duplicate', 'reorder', 'latency', 'error'].includes(kind) && chance(u, 0.5);
    const linkFrom = useGateway ? 'gw' : 'c0';
    // A partition or drop on a consumer's hops loses deliveries and acks, which come back only
    // after the consumer timeout (a minute at least): longer than the recovery phase, so such
    // faults go to the first service instead.
    const lossy = (kind === 'partition' || kind === 'drop') && consumers.includes(s);
    const target = onLink ? `${linkFrom}->${useGateway ? 's0' : entry}` : lossy ? targets[0]! : s;
    const extra: Record<string, unknown> = {
      latency: { add: dist(u, int(u, 10, 500)), jitterMs: int(u, 0, 20), probability: u() },
      error: { status: pick(u, [500, 502, 503]), probability: u() },
      crash: { instances: pick(u, [1, 'all'] as const) },
      hang: { probability: u() },
      slow: { factor: int(u, 2, 20) },
      partition: {},
      drop: { probability: u() },
      duplicate: { probability: u() },
      reorder: { probability: u(), delayMs: dist(u, 50) },
    }[kind]!;
    faults.push({ atMs, untilMs, target, kind, ...extra });
  }

  const document = { format: 'faultline/1', name: `swarm ${seed}#${run}`, seed: `${seed}#${run}`, durationMs, nodes, faults } as unknown as ScenarioInput;
  return { seed, run, document, faultsUntilMs };
}

function quorumLimit(deliveryLimit: number | null) {
  return deliveryLimit === null ? { deliveryLimit } : { queueType: 'quorum' as const, deliveryLimit };
}

/** Run one case through every check; null when it passes. */
export function checkCase(c: SwarmCase, cuts: Uniform = createStream(c.seed, 'swarm-cuts', String(c.run))): SwarmFailure | null {
  const fail = (check: SwarmFailure['check'], message: string): SwarmFailure => ({ seed: c.seed, run: c.run, check, message, document: c.document });
  const v = validateScenario(c.document);
  if (!v.ok) return fail('valid', v.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  const scenario = v.scenario;
  let whole: RunSummary;
  try {
    // Straight through, checking the books at a few moments on the way.
    const run = createRun(scenario);
    for (const t of [scenario.durationMs * 0.1, c.faultsUntilMs, scenario.durationMs * 0.7]) {
      run.advanceTo(t);
      const mid = run.summary();
      if (!mid.invariants.ok) return fail('invariants', `at ${t} ms: ${mid.invariants.violations.join('; ')}`);
    }
    run.runToEnd();
    whole = run.summary();
  } catch (e) {
    return fail('crash', (e as Error).stack ?? String(e));
  }
  if (!whole.invariants.ok) return fail('invariants', whole.invariants.violations.join('; '));
  if (whole.stoppedBy) return fail('recovery', `stopped by a guardrail: ${whole.stoppedBy}`);

  const again = createRun(scenario);
  again.runToEnd();
  if (again.summary().traceHash !== whole.traceHash) return fail('determinism', `hash ${whole.traceHash} then ${again.summary().traceHash}`);

  const sliced = createRun(scenario, { keepAllEvents: false });
  while (!sliced.finished) {
    if (cuts() < 0.1) sliced.step();
    else sliced.advanceTo(sliced.nowMs + cuts() * 3000, cuts() < 0.5 ? Math.floor(cuts() * 5000) + 1 : Infinity);
  }
  if (sliced.summary().traceHash !== whole.traceHash) return fail('slicing', `straight ${whole.traceHash}, sliced ${sliced.summary().traceHash}`);

  return checkRecovery(c, scenario.durationMs, fail);
}

interface Window {
  sent: number;
  ended: number;
  failed: number;
  summary: RunSummary;
}

/** What happened in the last 5 s of a run. */
function lastWindow(document: ScenarioInput, durationMs: number): Window | null {
  const v = validateScenario(document);
  if (!v.ok) return null;
  const run = createRun(v.scenario);
  run.advanceTo(durationMs - 5000);
  const before = run.summary();
  run.runToEnd();
  const after = run.summary();
  return {
    sent: after.requests.sent - before.requests.sent,
    ended: after.requests.ok + after.requests.failed - (before.requests.ok + before.requests.failed),
    failed: after.requests.failed - before.requests.failed,
    summary: after,
  };
}

/**
 * The last 5 s of the run, long after the faults ended, against the same scenario run without
 * faults: requests complete, no more fail than without the faults (within 5 points), and the
 * work queues drain.
 */
function checkRecovery(c: SwarmCase, durationMs: number, fail: (check: SwarmFailure['check'], message: string) => SwarmFailure): SwarmFailure | null {
  const faulted = lastWindow(c.document, durationMs);
  const baseline = lastWindow({ ...c.document, faults: [] }, durationMs);
  if (!faulted || !baseline) return null;
  const { sent, ended, failed } = faulted;
  if (sent > 20 && ended < sent * 0.8) return fail('recovery', `in the last 5 s, ${sent} requests were sent but only ${ended} ended`);
  const rate = ended > 0 ? failed / ended : 0;
  const base = baseline.ended > 0 ? baseline.failed / baseline.ended : 0;
  if (ended > 20 && rate > base + 0.05) {
    return fail('recovery', `in the last 5 s, ${failed} of ${ended} requests failed (${(100 * rate).toFixed(1)}%; ${(100 * base).toFixed(1)}% without the faults)`);
  }
  const after = faulted.summary;
  for (const [id, n] of Object.entries(after.nodes)) {
    if (n.kind !== 'queue' || id === 'dlq') continue;
    if ((n.depthEnd as number) > 50) return fail('recovery', `queue ${id} still holds ${n.depthEnd} ready messages at the end`);
  }
  return null;
}
