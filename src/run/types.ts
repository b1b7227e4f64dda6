import type { MetricSample, MetricsOptions, SeriesTotals } from './metrics';
import type { ExpectationResult } from './expect';

export type { BreakerStateName, MetricSample, MetricsOptions, SeriesTotals } from './metrics';

/**
 * The shapes a run produces: the run summary of SCENARIO.md, the live state of each node that the
 * canvas draws, and the hops messages take along the edges. Plain data, structured-cloneable, so
 * they cross the worker boundary unchanged.
 */
import type { CallLive, NodeLive } from '../model/world';
import type { HopFate, HopRef } from '../model/network';

/** Latency statistics in milliseconds (end to end, or per node). */
export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface RequestSummary {
  sent: number;
  ok: number;
  failed: number;
  inFlight: number;
  /** Final status of each ended request, as a string key ("200", "503", "timeout" is 504 etc.). */
  byStatus: Record<string, number>;
  /** Failed requests by reason ("status", "timeout", "refused", "queue-full", ...). */
  byReason: Record<string, number>;
  /** ok ÷ ended (ok + failed); null when no request ended. */
  successRate: number | null;
}

export interface NodeSummary {
  kind: string;
  [metric: string]: number | string | null;
}

export interface InvariantReport {
  ok: boolean;
  violations: string[];
}

/** The run summary: exactly the keys SCENARIO.md names, plus additions. */
export interface RunSummary {
  format: 'faultline/1';
  name: string;
  seed: string | number;
  simTimeMs: number;
  events: number;
  traceHash: string;
  /** Set when a guardrail stopped the run early: which limit, and what drove it. */
  stoppedBy: string | null;
  requests: RequestSummary;
  latencyMs: LatencySummary;
  /** The worst load amplification: attempts into one target ÷ requests sent. */
  amplification: number;
  /** When the scenario runs sagas: how they ended (each exactly once), and how many still run. */
  sagas?: SagaSummary;
  nodes: Record<string, NodeSummary>;
  /**
   * Only when a consume entry calls services: the requests born at consumers, one per delivery they
   * worked (counted apart from `requests`, which are the clients').
   */
  messageWork?: { started: number; ok: number; failed: number; inFlight: number; byReason: Record<string, number> };
  invariants: InvariantReport;
  /** The document's `expect`, checked (only when it has some). */
  expectations?: ExpectationResult[];
}

export interface SagaSummary {
  started: number;
  completed: number;
  compensated: number;
  stuck: number;
  running: number;
  /** Only when the scenario has choreographed sagas (a publish with `startsSaga`): their share of the counts above. */
  choreographed?: { started: number; completed: number; compensated: number; stuck: number; running: number };
}

/**
 * What the canvas shows on a node right now (the model's live state, as it crosses the worker
 * boundary). Counters are cumulative since the run began: busy workers and total (`busy`,
 * `capacity`), the waiting line (`queued`), instances up, received/ok/failed, failures by status,
 * and each outbound call's breaker state and counters (`calls`).
 */
export type NodeState = NodeLive;
export type CallState = CallLive;

/** One message travelling along one edge: a request going out or its response coming back. */
export interface Hop {
  /** What travels: a request's attempt or answer, a broker message copy, or a published event. */
  ref: HopRef;
  /** The id of what travels: a request id, a message id or an event id, as `ref` says. */
  requestId: number;
  from: string;
  to: string;
  departMs: number;
  arriveMs: number;
  /** "request" travels caller -> callee; "response" travels back. */
  direction: 'request' | 'response';
  /** How the attempt ended (known for responses); requests in flight are "pending". */
  fate: HopFate;
}

/**
 * Every hop along one lane (from, to, direction) since the previous frame, counted by fate: exact,
 * whatever sample of the hops themselves a frame carries.
 */
export interface HopFlow {
  from: string;
  to: string;
  direction: 'request' | 'response';
  counts: Partial<Record<HopFate, number>>;
}

export type { HopFate, HopRef };

/** One event of the log, as JSON lines export it (SCENARIO.md "The event log"). */
/** One x-death entry, as RabbitMQ's header names it (a `message.deadLetter` event carries the list). */
export interface XDeathField {
  queue: string;
  reason: string;
  count: number;
  exchange: string;
  'routing-keys': string[];
  time: number;
}

export interface LoggedEvent {
  t: number;
  kind: string;
  node: string;
  /** Scalars, except `xDeath` on `message.deadLetter`: the message's x-death list after that dead-lettering. */
  [field: string]: number | string | boolean | null | XDeathField[];
}

export interface RunOptions {
  /** Size of the event-log ring kept for the UI and `--events` (the trace hash covers all events). */
  logCapacity?: number;
  /** Keep every event in the log (the CLI's --events): no ring, unbounded up to the guardrail. */
  keepAllEvents?: boolean;
  /** Record hops for the canvas animation (the app turns this on; the CLI leaves it off). */
  recordHops?: boolean;
  /** Most hops kept between two `takeHops()` calls (an even sample); the rest are counted as dropped. */
  maxHopsPerTake?: number;
  /**
   * Time series sampled every `intervalMs` of simulated time (see metrics.ts); off when absent
   * or false. Sampling never changes what the run computes (same events, same trace hash).
   */
  metrics?: boolean | MetricsOptions;
}

/** A run: a pure function of its scenario, advanced in slices or straight to the end. */
export interface Run {
  readonly nowMs: number;
  readonly durationMs: number;
  readonly events: number;
  /** True once simulated time reached durationMs or a guardrail stopped the run. */
  readonly finished: boolean;
  /** Process every event with time <= tMs (clamped to durationMs); at most maxEvents of them. */
  advanceTo(tMs: number, maxEvents?: number): void;
  /** Process one event; false when there is none left before durationMs. */
  step(): boolean;
  runToEnd(): void;
  summary(): RunSummary;
  nodeStates(): Record<string, NodeState>;
  /**
   * Hops recorded since the last call (needs recordHops): an even sample of at most
   * maxHopsPerTake, how many were left out, and every hop counted by lane and fate.
   */
  takeHops(): { hops: Hop[]; dropped: number; flows: HopFlow[] };
  /** The event log: the whole run with keepAllEvents, else the ring's tail. */
  eventLog(limit?: number): LoggedEvent[];
  /** With keepAllEvents: the events logged since the last drain, then forgotten (streaming export). */
  drainEvents(): LoggedEvent[];
  /** The metrics interval in simulated ms (0 when metrics are off). */
  readonly metricsIntervalMs: number;
  /** Samples of the time series from index `from` on ([] when metrics are off). */
  samples(from?: number): MetricSample[];
  /** What the samples add up to, and the run's load amplification (null when metrics are off). */
  seriesTotals(): SeriesTotals | null;
  /**
   * Be told of every request's end as it happens (client index, final status, reason name, latency
   * in ms); `nowMs` is the end time meanwhile. Listening changes nothing in the run.
   */
  onRequestEnd(listener: (clientIndex: number, status: number, reason: string, latencyMs: number) => void): void;
}
