/**
 * A run: builds the model from a validated scenario and advances it, in slices or straight to the
 * end. A run is a pure function of its scenario: slicing, pausing or the speed of the caller
 * never change what it computes (the tests prove it by the trace hash).
 */
import type { KindSet, Scenario } from '../scenario/schema';
import { KIND_SPECS, MESSAGE_REASONS, REASON_NAMES, World, buildNodes } from '../model';
import type { KindSpec, LogKind, ModelKind, Reason } from '../model';
import { HopRecorder } from './hops';
import { RunawayDetector } from './runaway';
import type { RunawayLimits } from './runaway';
import type { LatencySummary, LoggedEvent, NodeState, Run, RunOptions, RunSummary } from './types';
import { MetricsCollector } from './metrics';
import { scheduleChanges } from '../model/changes';
import { resolveChanges } from '../scenario/changes';
import { checkExpectations } from './expect';
import type { MetricSample, SeriesTotals } from './metrics';
import { capture, numberRun, restore, CheckpointError } from './checkpoint';
import type { CheckpointData, Structure } from './checkpoint';

/** Guardrail: events in one run, unless RunOptions says otherwise. */
export const DEFAULT_MAX_EVENTS = 200_000_000;

export interface FullRunOptions extends RunOptions {
  /** Guardrail: the most events one run may process. */
  maxEvents?: number;
  /** Guardrail: the most requests in flight at once. */
  maxInFlight?: number;
  /** Guardrail: the longest an unbounded waiting line may grow. */
  maxQueueLength?: number;
  /** Guardrail: the most messages one broker queue may hold (ready and unacked). */
  maxQueueMessages?: number;
  /** Guardrail: the most messages all broker queues together may hold. */
  maxBrokerMessages?: number;
  /** Kinds defined outside the built-in ones: their scenario descriptors (the set the document was validated with) and model factories. */
  kinds?: KindSet;
  /** The runaway detector's limits (runaway.ts), for tests and for sweeps that want them tighter. */
  runaway?: Partial<RunawayLimits>;
  models?: readonly ModelKind[];
  /** Number the run's structure once it is built, so that its state can be checkpointed (`takeCheckpoint`, `restoreRun`). */
  checkpoints?: boolean;
}

export function createRun(scenario: Scenario, options: FullRunOptions = {}): Run {
  return new ScenarioRun(scenario, options);
}

/** A run's whole state at a moment (checkpoint.ts): restored, it goes on exactly as the run did. */
export interface Checkpoint {
  readonly atMs: number;
  readonly events: number;
  /** Roughly what it holds of its own, in bytes, besides `chunks` (large typed arrays by chunks, an unchanged chunk shared with the checkpoint before). */
  readonly bytes: number;
  readonly chunks: CheckpointData['chunks'];
  readonly scenario: Scenario;
  readonly options: FullRunOptions;
  readonly data: CheckpointData;
}

/** Each checkpointable run's structure (checkpoint.ts), numbered when it was built. */
const structures = new WeakMap<Run, { structure: Structure; options: FullRunOptions }>();

/**
 * Copy a run's state now (between two slices). The run must have been created with
 * `checkpoints: true`; a CheckpointError says what could not be copied.
 */
export function takeCheckpoint(run: Run): Checkpoint {
  const s = structures.get(run);
  if (!s || !(run instanceof ScenarioRun)) throw new CheckpointError('this run was not created with checkpoints: true');
  const data = capture(run, s.structure);
  return { atMs: run.nowMs, events: run.events, bytes: data.bytes, chunks: data.chunks, scenario: run.document, options: s.options, data };
}

/** A run rebuilt at a checkpoint: it goes on from there as the run it was taken from did. */
export function restoreRun(checkpoint: Checkpoint): Run {
  const run = new ScenarioRun(checkpoint.scenario, checkpoint.options);
  restore(checkpoint.data, structures.get(run)!.structure);
  return run;
}

class ScenarioRun implements Run {
  private readonly world: World;
  private readonly maxEvents: number;
  private stoppedBy: string | null = null;
  private readonly metrics: MetricsCollector | null;
  private readonly hops: HopRecorder | null;
  private readonly runaway: RunawayDetector;

  constructor(
    private readonly scenario: Scenario,
    options: FullRunOptions,
  ) {
    this.world = new World(scenario, options);
    this.maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.hops = options.recordHops ? new HopRecorder(this.world, options.maxHopsPerTake ?? 5_000) : null;
    buildNodes(this.world, options.kinds, options.models);
    if (scenario.changes.length > 0) scheduleChanges(this.world, resolveChanges(scenario));
    this.runaway = new RunawayDetector(this.world, options.runaway, { maxEvents: this.maxEvents, durationMs: scenario.durationMs });
    const m = options.metrics;
    this.metrics = m ? new MetricsCollector(this.world, scenario.durationMs, m === true ? {} : m) : null;
    if (options.checkpoints) structures.set(this, { structure: numberRun(this, scenario), options });
  }

  /** The document this run runs. */
  get document(): Scenario {
    return this.scenario;
  }

  get nowMs(): number {
    return this.world.kernel.now;
  }

  get durationMs(): number {
    return this.scenario.durationMs;
  }

  get events(): number {
    return this.world.kernel.events;
  }

  get finished(): boolean {
    return this.stoppedBy !== null || this.world.kernel.now >= this.scenario.durationMs;
  }

  advanceTo(tMs: number, maxEvents = Infinity): void {
    if (this.finished) return;
    const k = this.world.kernel;
    const until = Math.min(tMs, this.scenario.durationMs);
    const m = this.metrics;
    if (!m) {
      this.slice(until, maxEvents);
      return;
    }
    // Metrics: the same slice cut at each interval boundary, sampled there. Cutting a run into
    // slices never changes what it computes, and sampling only reads state.
    const start = k.events;
    for (;;) {
      const boundary = Math.min(m.nextBoundary(k.now), this.scenario.durationMs);
      const stop = Math.min(until, boundary);
      const reason = this.slice(stop, maxEvents - (k.events - start));
      if (this.stoppedBy !== null) {
        m.sample(k.now); // the partial interval up to where a guardrail stopped the run
        return;
      }
      if (reason === 'max-events' || k.now < boundary) return;
      m.sample(boundary);
      if (stop >= until || this.finished) return;
    }
  }

  /**
   * Advance to `until` with at most `maxEvents` events; applies the run's own guardrails: the
   * event limit, and the runaway detector, which looks at fixed event counts (so where a caller
   * cuts its slices never changes where a run stops).
   */
  private slice(until: number, maxEvents: number): string {
    const k = this.world.kernel;
    const runaway = this.runaway;
    let done = 0;
    for (;;) {
      const left = this.maxEvents - k.events;
      const budget = Math.min(maxEvents - done, left, runaway.nextCheck - k.events);
      const before = k.events;
      const reason = k.run({ untilMs: until, maxEvents: budget });
      done += k.events - before;
      if (reason === 'halted') {
        this.stoppedBy = k.haltedBy;
        return reason;
      }
      if (reason !== 'max-events') return reason;
      if (k.events === runaway.nextCheck) {
        const stop = runaway.check();
        if (stop !== null) {
          k.halt(stop);
          this.stoppedBy = k.haltedBy;
          return 'halted';
        }
      }
      if (k.events >= this.maxEvents) {
        k.halt(
          `limit reached: ${this.maxEvents.toLocaleString('en-US')} events in one run (driven by ${runaway.culprit()}, at ${k.now.toFixed(1)} ms; ` +
            `${this.world.requests.inFlight.toLocaleString('en-US')} requests in flight)`,
        );
        this.stoppedBy = k.haltedBy;
        return 'halted';
      }
      if (done >= maxEvents) return reason;
    }
  }

  step(): boolean {
    if (this.finished) return false;
    const before = this.world.kernel.events;
    this.advanceTo(this.scenario.durationMs, 1);
    return this.world.kernel.events > before;
  }

  runToEnd(): void {
    this.advanceTo(this.scenario.durationMs);
  }

  summary(): RunSummary {
    const w = this.world;
    const r = w.requests;
    const nodes: RunSummary['nodes'] = {};
    for (const n of w.nodes) nodes[n.id] = n.summary() as RunSummary['nodes'][string];
    const violations = w.checkInvariants();
    const ended = r.ok + r.failed;
    const summary: RunSummary = {
      format: 'faultline/1',
      name: this.scenario.name,
      seed: this.scenario.seed,
      simTimeMs: w.kernel.now,
      events: w.kernel.events,
      traceHash: w.log.hash(),
      stoppedBy: this.stoppedBy,
      requests: {
        sent: r.sent,
        ok: r.ok,
        failed: r.failed,
        inFlight: r.inFlight,
        byStatus: sortedRecord(r.byStatus),
        byReason: sortedRecord(r.byReason),
        successRate: ended > 0 ? Math.round((r.ok / ended) * 1e6) / 1e6 : null,
      },
      latencyMs: roundStats(r.latency.stats()),
      amplification: this.amplification(),
      ...(w.sagas.used ? { sagas: w.sagas.summary() } : {}),
      nodes,
      invariants: { ok: violations.length === 0, violations },
    };
    if (hasConsumerCalls(this.scenario)) summary.messageWork = r.workSummary();
    if (this.scenario.expect.length > 0) summary.expectations = checkExpectations(summary, this.scenario.expect);
    return summary;
  }

  /** The worst load amplification: attempts into one target ÷ requests sent (0 when none were sent). */
  private amplification(): number {
    const w = this.world;
    if (w.requests.sent === 0) return 0;
    const into = new Map<string, number>();
    for (const n of w.nodes) for (const c of n.live().calls) into.set(c.target, (into.get(c.target) ?? 0) + c.attempts);
    let worst = 0;
    for (const attempts of into.values()) worst = Math.max(worst, attempts / w.requests.sent);
    return Math.round(worst * 1000) / 1000;
  }

  nodeStates(): Record<string, NodeState> {
    const out: Record<string, NodeState> = {};
    // Every built-in kind reports its own shape of NodeLive; a kind defined outside reports at least LiveBase.
    for (const n of this.world.nodes) out[n.id] = n.live() as NodeState;
    return out;
  }

  takeHops() {
    return this.hops ? this.hops.take() : { hops: [], dropped: 0, flows: [] };
  }

  eventLog(limit = Infinity): LoggedEvent[] {
    const ids = this.world.ids;
    return this.world.log.records(limit).map((r) => decodeEvent(r, ids, this.world));
  }

  drainEvents(): LoggedEvent[] {
    const ids = this.world.ids;
    return this.world.log.drain().map((r) => decodeEvent(r, ids, this.world));
  }

  get metricsIntervalMs(): number {
    return this.metrics?.intervalMs ?? 0;
  }

  samples(from = 0): MetricSample[] {
    return this.metrics ? this.metrics.samples.slice(Math.max(0, from)) : [];
  }

  seriesTotals(): SeriesTotals | null {
    return this.metrics ? this.metrics.totals() : null;
  }

  onRequestEnd(listener: (clientIndex: number, status: number, reason: string, latencyMs: number) => void): void {
    this.world.requests.onEnd((client, status, reason, latencyMs) => listener(client, status, REASON_NAMES[reason], latencyMs));
  }
}

function decodeEvent(r: { t: number; kind: number; node: number; a: number; b: number; c: number }, ids: string[], world?: World): LoggedEvent {
  const spec: KindSpec | undefined = KIND_SPECS[r.kind as LogKind];
  const ev: LoggedEvent = { t: r.t, kind: spec?.name ?? `kind-${r.kind}`, node: ids[r.node] ?? String(r.node) };
  if (!spec) return ev;
  const put = (field: 'a' | 'b' | 'c', value: number) => {
    const key = spec[field];
    if (key === null) return;
    if (spec.packed?.field === field) {
      const id = Math.floor(value / 2);
      if (id > 0) ev[key] = id;
      ev[spec.packed.flag] = value - id * 2 === 1;
    } else if (spec.nodeFields?.includes(field)) ev[key] = ids[value] ?? String(value);
    else if (spec.reasonFields?.includes(field)) ev[key] = REASON_NAMES[value as Reason] ?? String(value);
    else if (spec.messageReasonFields?.includes(field)) ev[key] = MESSAGE_REASONS[value] ?? String(value);
    else if (spec.boolFields?.includes(field)) ev[key] = value !== 0;
    else ev[key] = value;
  };
  put('a', r.a);
  put('b', r.b);
  put('c', r.c);
  if (typeof ev.requestId === 'number') ev.correlationId = `c-${ev.requestId}`;
  if (typeof ev.messageId === 'number' && ev.messageId < 0) delete ev.messageId;
  const detail = world?.eventDetail(r.kind, r.a, r.b, r.c);
  if (detail) Object.assign(ev, detail);
  return ev;
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

function roundStats(s: LatencySummary): LatencySummary {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { mean: r(s.mean), p50: r(s.p50), p90: r(s.p90), p99: r(s.p99), max: r(s.max) };
}

/** Whether some consume entry calls services (then the summary reports the consumers' work). */
function hasConsumerCalls(scenario: Scenario): boolean {
  return scenario.nodes.some((n) => n.kind === 'service' && n.consumes.some((c) => c.calls.length > 0));
}
