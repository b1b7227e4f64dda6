/**
 * What each kind shows on the canvas right now: a union tagged by kind, so a queue's unacked
 * count is called `unacked`, not `busy`. Plain data (it crosses the worker boundary). Counters
 * are cumulative since the run began.
 */

/** One outbound call (or route) of a node: its breaker and counters. */
export interface CallLive {
  target: string;
  breaker: 'CLOSED' | 'OPEN' | 'HALF_OPEN' | null;
  attempts: number;
  retries: number;
  timeouts: number;
  shortCircuited: number;
  breakerOpens: number;
  /** Calls refused at once by the call's bulkhead (all its slots in flight). */
  bulkheadRejected: number;
  /** Calls answered by the call's fallback instead of the target. */
  fallbacks: number;
}

/** What every kind reports: how much came in and how it ended. */
export interface LiveBase {
  kind: string;
  received: number;
  ok: number;
  failed: number;
  /** Ended work by status (the HTTP status, or the reason when no answer came back). */
  byStatus: Record<string, number>;
  calls: CallLive[];
}

/** A client: `received` counts the requests it sent. */
export interface ClientLive extends LiveBase {
  kind: 'client';
}

export interface GatewayLive extends LiveBase {
  kind: 'gateway';
  /** Requests forwarded and not answered yet. */
  pending: number;
  /** Requests whose client set its own X-User-Id header, and how many of those the gateway stripped. */
  spoofAttempts: number;
  spoofStripped: number;
}

export interface ServiceLive extends LiveBase {
  kind: 'service';
  /** Workers busy, over all instances, and how many there are. */
  busy: number;
  capacity: number;
  /** Requests waiting for a worker. */
  queued: number;
  instancesUp: number;
  instances: number;
  /** Each instance as its callers see it (instances.ts): up, down, unready, ejected, draining, stopped. */
  instanceStates?: ('up' | 'down' | 'unready' | 'ejected' | 'draining' | 'stopped')[];
  /** A state-machine consumer (broker/ordering.ts): events applied, out of order, and what became of those. */
  ordering?: { applied: number; outOfOrder: number; rejected: number; parked: number; staleIgnored: number };
  /** A compensating consumer (choreography): compensating messages it processed. */
  compensations?: number;
  /** Worker time used over worker time available since the run began (0..1), as the summary's `utilization`. */
  utilization: number;
  /** The longest waiting line for a worker so far (one instance's), as the summary's `queueMax`. */
  queueMax: number;
  /** A service that consumes from queues: what its consumers did with the messages (absent otherwise). */
  messages?: ConsumerLive;
}

/** A consuming service's messages, over all its consume entries (broker/idempotency.ts). */
export interface ConsumerLive {
  /** Deliveries its consumers processed or skipped. */
  deliveries: number;
  /** Side effects performed (each delivery that was not skipped). */
  processed: number;
  /** Deliveries of an eventId already processed, skipped by an idempotent consumer. */
  duplicatesSkipped: number;
  /** Deliveries of an eventId already processed whose side effect happened again. */
  duplicateSideEffects: number;
  /** Every consume entry of the service is idempotent. */
  idempotent: boolean;
}

/** An exchange: `received` counts publishes; `failed` the unroutable ones. */
export interface ExchangeLive extends LiveBase {
  kind: 'exchange';
  unroutable: number;
}

/** A queue: `received` counts messages published into it; `ok` the acked ones. */
export interface QueueLive extends LiveBase {
  kind: 'queue';
  /** Ready messages. */
  depth: number;
  /** Delivered and not acked yet. */
  unacked: number;
  deadLettered: number;
  dropped: number;
}

/** A saga orchestrator: `received` counts requests, each starting a saga (saga.ts). */
export interface OrchestratorLive extends LiveBase {
  kind: 'orchestrator';
  running: number;
  started: number;
  completed: number;
  compensated: number;
  stuck: number;
  /** Crashed right now. */
  down: boolean;
}

export type NodeLive = ClientLive | GatewayLive | ServiceLive | ExchangeLive | QueueLive | OrchestratorLive;
