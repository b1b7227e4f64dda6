/**
 * The units of work that travel: a Request (born at a client, ends exactly once), an Invocation
 * (one logical call through a call site, possibly several attempts) and an Attempt (one try on
 * the wire, answered by the callee or abandoned by the caller).
 */
import type { EventType } from '../engine';
import type { Frame } from './callsite';
import type { Reason } from './events';

export interface Request {
  readonly id: number;
  /** Node index of the client that sent it. */
  readonly client: number;
  readonly startMs: number;
  /** Request path (for gateway routing). */
  readonly path: number;
  /** For closed-loop clients: which user sent it. */
  readonly user: number;
  /** The credential it carries: a valid token, an invalid one, none, or one that expired (refreshed by the client after a 401). */
  token: Token;
  /** The client set its own X-User-Id header (a spoofing attempt, unless a gateway strips it). */
  spoofedUserId: boolean;
  ended: boolean;
  /**
   * Set on a request born at a consumer (its work on one delivery of this message copy, when the
   * consume entry calls services): `client` is then the consuming service. Undefined on the clients'
   * requests (present on both, so every request has one shape).
   */
  readonly messageId: number | undefined;
}

export const Token = { valid: 0, invalid: 1, missing: 2, expired: 3 } as const;
export type Token = (typeof Token)[keyof typeof Token];

/** Something that makes calls through a call site and hears how each one ended. */
export interface Caller {
  /** Node index of the calling node. */
  readonly node: number;
  onCallDone(inv: Invocation): void;
}

export interface Invocation {
  readonly request: Request;
  /** The event that delivers a callee's answer back to this invocation's call site. */
  readonly responseType: EventType<Attempt>;
  readonly caller: Caller;
  /** Attempts made so far (the first try counts). */
  attempts: number;
  /** Final outcome, set once when the invocation ends. */
  status: number;
  reason: Reason;
  /** Retry-After of the final answer (ms), or -1. */
  retryAfterMs: number;
  done: boolean;
  /** The attempt on the wire, if any. */
  current: Attempt | null;
  /** Opaque slot for the caller (e.g. the index of the call in a service's call list). */
  slot: number;
  /** Bits the callee keeps about this call (a gateway: what it has counted already). */
  marks: number;
}

export interface Attempt {
  readonly inv: Invocation;
  /** 1 for the first try. */
  readonly n: number;
  /** Node indexes of caller and callee. */
  readonly from: number;
  readonly to: number;
  readonly sentMs: number;
  /** The caller stopped listening (it timed out, or the answer arrived). */
  done: boolean;
  /** The callee's answer (set when it responds). */
  status: number;
  reason: Reason;
  /** The sole-timeout timer of this attempt, or -1. */
  timer: number;
  /** The policy layer the answer goes up to (callsite.ts); null: straight to the invocation. */
  cont: Frame | null;
  /** Retry-After carried by the answer (ms), or -1. */
  retryAfterMs: number;
  /** Set on the second copy of a duplicated hop: the attempt it copies. */
  duplicateOf: Attempt | null;
}

/** A callee: a node that accepts attempts. */
export interface Callee {
  onArrive(attempt: Attempt): void;
  /** The caller stopped waiting for `attempt` (its timeout fired): a balancer may count it against the instance that took it. */
  onTimedOut?(attempt: Attempt): void;
}
