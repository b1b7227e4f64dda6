/**
 * A call site: one caller's calls to one target under one policy (SCENARIO.md "Policy"). It turns
 * a logical call (an Invocation) into attempts on the wire and reports exactly one outcome back
 * to the caller. The policies wrap the attempt here.
 *
 * Timeout: the caller stops waiting; the callee keeps working (its late answer is counted as
 * wasted work by the callee and logged as `response.late` here).
 */
import type { EventType } from '../engine';
import type { Policy } from '../scenario/schema';
import { LogKind, NO_STATUS, Reason } from './events';
import type { Attempt, Caller, Invocation, Request } from './request';
import type { World } from './world';

export interface CallSiteStats {
  calls: number;
  attempts: number;
  retries: number;
  timeouts: number;
  lateResponses: number;
  ok: number;
  failed: number;
  fallbacks: number;
}

export class CallSite {
  readonly stats: CallSiteStats = { calls: 0, attempts: 0, retries: 0, timeouts: 0, lateResponses: 0, ok: 0, failed: 0, fallbacks: 0 };
  private readonly responseType: EventType<Attempt>;
  private readonly timeoutType: EventType<Attempt>;
  private readonly timeoutMs: number | null;
  readonly optional: boolean;
  private readonly fallback: { status: number; label: string } | null;

  constructor(
    private readonly world: World,
    readonly from: number,
    readonly target: number,
    policy: Policy,
  ) {
    const k = world.kernel;
    const name = `${world.ids[from]}->${world.ids[target]}`;
    this.responseType = k.register(`${name}.response`, (a: Attempt) => this.onResponse(a));
    this.timeoutType = k.register(`${name}.timeout`, (a: Attempt) => this.onTimeout(a));
    this.timeoutMs = policy.timeoutMs ?? null;
    this.optional = policy.optional ?? false;
    this.fallback = policy.fallback ?? null;
  }

  /** Start a logical call; the caller's onCallDone runs exactly once when it ends. */
  invoke(request: Request, caller: Caller, slot: number): Invocation {
    const inv: Invocation = {
      request,
      responseType: this.responseType,
      caller,
      startMs: this.world.now,
      attempts: 0,
      prevDelayMs: 0,
      status: NO_STATUS,
      reason: Reason.ok,
      done: false,
      current: null,
      slot,
    };
    this.stats.calls++;
    this.attempt(inv);
    return inv;
  }

  private attempt(inv: Invocation): void {
    const w = this.world;
    const n = ++inv.attempts;
    this.stats.attempts++;
    const a: Attempt = {
      inv,
      n,
      from: this.from,
      to: this.target,
      sentMs: w.now,
      done: false,
      timeoutTimer: -1,
      status: NO_STATUS,
      reason: Reason.ok,
    };
    inv.current = a;
    w.log.emit(w.now, LogKind.attemptStart, this.from, inv.request.id, this.target, n);
    if (this.timeoutMs !== null) a.timeoutTimer = w.kernel.schedule(this.timeoutMs, this.timeoutType, a);
    w.sendAttempt(a);
  }

  private onResponse(a: Attempt): void {
    const w = this.world;
    if (a.done) {
      // The caller gave up on this attempt already: the answer is wasted.
      this.stats.lateResponses++;
      w.log.emit(w.now, LogKind.lateResponse, this.from, a.inv.request.id, a.status, w.now - a.sentMs);
      return;
    }
    a.done = true;
    if (a.timeoutTimer >= 0) w.kernel.cancel(a.timeoutTimer);
    w.log.emit(w.now, LogKind.attemptEnd, this.from, a.inv.request.id, a.status, a.reason);
    this.settle(a.inv, a.status, a.reason);
  }

  private onTimeout(a: Attempt): void {
    if (a.done) return;
    const w = this.world;
    a.done = true;
    this.stats.timeouts++;
    w.log.emit(w.now, LogKind.timeout, this.from, a.inv.request.id, this.target, a.n);
    w.log.emit(w.now, LogKind.attemptEnd, this.from, a.inv.request.id, NO_STATUS, Reason.timeout);
    this.settle(a.inv, NO_STATUS, Reason.timeout);
  }

  /** An attempt ended with this outcome: finish the invocation (retries plug in here). */
  private settle(inv: Invocation, status: number, reason: Reason): void {
    if (reason === Reason.ok) {
      this.finish(inv, status, reason);
      return;
    }
    if (this.fallback) {
      this.stats.fallbacks++;
      this.world.log.emit(this.world.now, LogKind.fallback, this.from, inv.request.id, this.fallback.status);
      this.finish(inv, this.fallback.status, Reason.fallback);
      return;
    }
    this.finish(inv, status, reason);
  }

  private finish(inv: Invocation, status: number, reason: Reason): void {
    inv.done = true;
    inv.current = null;
    inv.status = status;
    inv.reason = reason;
    if (reason === Reason.ok || reason === Reason.fallback) this.stats.ok++;
    else this.stats.failed++;
    inv.caller.onCallDone(inv);
  }
}
