/**
 * A call site: one caller's calls to one target under one policy (SCENARIO.md "Policy"). It turns
 * a logical call (an Invocation) into attempts on the wire and reports exactly one outcome back
 * to the caller.
 *
 * The policies wrap the call as layers, outermost first, in `policyOrder` (default: fallback,
 * retry, breaker, bulkhead, timeout — so the timeout is per attempt, every attempt asks the
 * breaker and takes a bulkhead slot, and the fallback answers for the whole retried call).
 * Another order means what it says: `timeout` outside `retry` is a deadline over all attempts;
 * `breaker` outside `retry` records one outcome per retried call.
 *
 * - timeout: the caller stops waiting; the callee keeps working (what it finishes late is wasted
 *   work at the callee, and its late answer is logged as `response.late` here).
 * - retry: `maxAttempts` counts the first try; backoff and jitter per SEMANTICS.md; an attempt is
 *   retried when its outcome is in `retryOn` — its status, "timeout", or 503 for a refused
 *   connection (what a proxy would answer); a short-circuit or a bulkhead rejection is not
 *   retried. Retry-After replaces the backoff when honoured. Budget: gRPC retry throttling, a
 *   token taken per retryable failure, `tokenRatio` given back per success.
 * - breaker: the library models of policies/breaker.ts; a denied call is short-circuited. An
 *   opossum breaker's own `timeout` times the calls it lets through.
 * - bulkhead: at most `maxConcurrent` calls through the layer, `maxQueue` waiting; else rejected.
 * - fallback: answers (with its status) when the call fails or is short-circuited.
 */
import type { EventType, TimerHandle, Uniform } from '../engine';
import { DEFAULT_POLICY_ORDER } from '../scenario/policyOrder';
import type { Policy, PolicyName } from '../scenario/schema';
import { LogKind, NO_STATUS, Reason } from './events';
import { backoffDelay, shouldRetry } from './policies/backoff';
import type { AttemptOutcome } from './policies/backoff';
import { createBreaker } from './policies/breaker';
import type { Breaker, BreakerConfig, BreakerState } from './policies/breaker';
import { Bulkhead } from './policies/bulkhead';
import { RetryBudget } from './policies/retryBudget';
import type { Attempt, Caller, Invocation, Request } from './request';
import type { CallLive, World } from './world';

export interface CallSiteStats {
  calls: number;
  attempts: number;
  retries: number;
  timeouts: number;
  lateResponses: number;
  ok: number;
  failed: number;
  fallbacks: number;
  breakerOpens: number;
  shortCircuited: number;
  bulkheadRejected: number;
  retriesDeniedByBudget: number;
}

/** The end of an attempt or a layer: an HTTP-ish status (or NO_STATUS), a reason, a Retry-After. */
type Done = (status: number, reason: Reason, retryAfterMs: number) => void;
/**
 * The part of a call below a layer: whether it is still wanted (false once an enclosing timeout
 * fired), and what to undo if it is abandoned — a timeout cancels what runs inside it, as
 * resilience4j's TimeLimiter cancels its future, so a bulkhead slot or a breaker's pending call is
 * settled then even if no answer ever comes back.
 */
interface Scope {
  alive(): boolean;
  onCancel(fn: () => void): void;
}
type Layer = (inv: Invocation, scope: Scope, done: Done, next: (scope: Scope, done: Done) => void) => void;

const ROOT: Scope = { alive: () => true, onCancel: () => {} };

function zeroStats(): CallSiteStats {
  return {
    calls: 0,
    attempts: 0,
    retries: 0,
    timeouts: 0,
    lateResponses: 0,
    ok: 0,
    failed: 0,
    fallbacks: 0,
    breakerOpens: 0,
    shortCircuited: 0,
    bulkheadRejected: 0,
    retriesDeniedByBudget: 0,
  };
}

/** Sum the stats of several call sites (a node's calls, a gateway's routes). */
export function sumStats(sites: readonly CallSite[]): CallSiteStats {
  const total = zeroStats();
  for (const s of sites) for (const k in total) total[k as keyof CallSiteStats] += s.stats[k as keyof CallSiteStats];
  return total;
}

export class CallSite {
  readonly stats: CallSiteStats = zeroStats();
  optional: boolean;
  readonly breaker: Breaker | null = null;
  private readonly responseType: EventType<Attempt>;
  private readonly layers: Layer[] = [];
  private breakerWake: TimerHandle = -1;
  private breakerWakeAt = -1;
  private readonly breakerTick: EventType<null>;

  constructor(
    private readonly world: World,
    readonly from: number,
    readonly target: number,
    policy: Policy,
  ) {
    const k = world.kernel;
    const name = world.callSiteName(from, target);
    this.responseType = k.register(`${name}.response`, (a: Attempt) => this.onResponse(a));
    this.breakerTick = k.register(`${name}.breakerTick`, () => this.onBreakerTick());
    this.optional = policy.optional ?? false;
    if (policy.breaker) {
      this.breaker = createBreaker(policy.breaker as BreakerConfig, { onTransition: (f, t) => this.onTransition(f, t) }, 0);
    }
    for (const p of policy.policyOrder ?? DEFAULT_POLICY_ORDER) {
      const layer = this.makeLayer(p, policy, name);
      if (layer) this.layers.push(layer);
    }
    // The commonest policy, a timeout alone, takes a path without closures: a typed timer event
    // on the attempt itself, cancelled when the answer arrives.
    if (this.layers.length === 1 && policy.timeoutMs !== null && policy.timeoutMs !== undefined && !policy.retry && !policy.breaker && !policy.bulkhead && !policy.fallback) {
      this.layers.length = 0;
      this.soleTimeoutMs = policy.timeoutMs;
      this.timeoutType = k.register(`${name}.timeout`, (a: Attempt) => this.onSoleTimeout(a));
    }
  }

  private soleTimeoutMs = -1;
  private timeoutType: EventType<Attempt> | null = null;
  /** The policy's timeout and retry as the layers read them, per call (timed changes replace them). */
  private policyTimeoutMs = -1;
  private retryCfg: NonNullable<Policy['retry']> | null = null;

  /**
   * A timed change (model/changes.ts): `timeoutMs`, `optional` or a `retry.<key>`, from the next
   * call or attempt on (timers already running keep their deadline).
   */
  setLive(key: string, value: unknown): void {
    if (key === 'optional') this.optional = value as boolean;
    else if (key === 'timeoutMs') {
      this.policyTimeoutMs = value as number;
      if (this.soleTimeoutMs >= 0) this.soleTimeoutMs = value as number;
    } else if (key.startsWith('retry.') && this.retryCfg) (this.retryCfg as Record<string, unknown>)[key.slice('retry.'.length)] = value;
  }

  /** The sole timeout fired: the caller stops waiting on this attempt (the callee keeps working). */
  private onSoleTimeout(a: Attempt): void {
    if (a.done) return;
    const w = this.world;
    const inv = a.inv;
    a.done = true;
    inv.current = null;
    w.nodes[a.to]!.callee?.onTimedOut?.(a);
    this.stats.timeouts++;
    w.log.emit(w.now, LogKind.timeout, this.from, inv.request.id, this.target, a.n);
    w.log.emit(w.now, LogKind.attemptEnd, this.from, inv.request.id, NO_STATUS, Reason.timeout);
    this.finish(inv, NO_STATUS, Reason.timeout, -1);
  }

  get breakerState(): BreakerState | null {
    return this.breaker ? this.breaker.state(this.world.now) : null;
  }

  /** Live state for the canvas and the time series. */
  live(): CallLive {
    const s = this.stats;
    return {
      target: this.world.ids[this.target]!,
      breaker: this.breakerState,
      attempts: s.attempts,
      retries: s.retries,
      timeouts: s.timeouts,
      shortCircuited: s.shortCircuited,
      breakerOpens: s.breakerOpens,
      bulkheadRejected: s.bulkheadRejected,
      fallbacks: s.fallbacks,
    };
  }

  /** Start a logical call; the caller's onCallDone runs exactly once when it ends. */
  invoke(request: Request, caller: Caller, slot: number): Invocation {
    const inv: Invocation = {
      request,
      responseType: this.responseType,
      caller,
      startMs: this.world.now,
      attempts: 0,
      status: NO_STATUS,
      reason: Reason.ok,
      retryAfterMs: -1,
      done: false,
      current: null,
      slot,
    };
    this.stats.calls++;
    if (this.layers.length === 0) this.wire(inv, ROOT, null);
    else this.runLayer(0, inv, ROOT, (status, reason, retryAfterMs) => this.finish(inv, status, reason, retryAfterMs));
    return inv;
  }

  private runLayer(i: number, inv: Invocation, scope: Scope, done: Done): void {
    if (i === this.layers.length) {
      this.wire(inv, scope, done);
      return;
    }
    this.layers[i]!(inv, scope, done, (sc, d) => this.runLayer(i + 1, inv, sc, d));
  }

  // --- the wire ----------------------------------------------------------------------------

  private wire(inv: Invocation, scope: Scope, done: Done | null): void {
    const w = this.world;
    if (!scope.alive()) return;
    const n = ++inv.attempts;
    this.stats.attempts++;
    const a: Attempt = {
      inv,
      n,
      from: this.from,
      to: this.target,
      sentMs: w.now,
      done: false,
      status: NO_STATUS,
      reason: Reason.ok,
      cont: done,
      timer: -1,
    };
    inv.current = a;
    w.log.emit(w.now, LogKind.attemptStart, this.from, inv.request.id, this.target, n);
    if (this.timeoutType !== null) a.timer = w.kernel.schedule(this.soleTimeoutMs, this.timeoutType, a);
    w.net.sendAttempt(a);
  }

  private onResponse(answer: Attempt): void {
    const w = this.world;
    // A duplicated request has two answers: the first to arrive answers the attempt.
    const a = answer.duplicateOf ?? answer;
    if (answer !== a && !a.done) {
      a.status = answer.status;
      a.reason = answer.reason;
      a.retryAfterMs = answer.retryAfterMs;
    }
    if (a.done) {
      // The caller gave up on this attempt already: the answer is wasted. The layers inside the
      // timeout that gave up still hear of it (a bulkhead frees its slot, a breaker may record a
      // late outcome); the timeout itself has settled and passes nothing further up.
      this.stats.lateResponses++;
      w.log.emit(w.now, LogKind.lateResponse, this.from, a.inv.request.id, answer.status, w.now - a.sentMs);
      const cont = a.cont;
      a.cont = null;
      if (cont) cont(answer.status, answer.reason, answer.retryAfterMs ?? -1);
      return;
    }
    a.done = true;
    if (a.timer >= 0) w.kernel.cancel(a.timer);
    if (a.inv.current === a) a.inv.current = null;
    w.log.emit(w.now, LogKind.attemptEnd, this.from, a.inv.request.id, a.status, a.reason);
    const cont = a.cont;
    a.cont = null;
    if (cont) cont(a.status, a.reason, a.retryAfterMs ?? -1);
    else this.finish(a.inv, a.status, a.reason, a.retryAfterMs ?? -1);
  }

  private finish(inv: Invocation, status: number, reason: Reason, retryAfterMs: number): void {
    if (inv.done) return;
    inv.done = true;
    inv.current = null;
    inv.status = status;
    inv.reason = reason;
    inv.retryAfterMs = retryAfterMs;
    if (reason === Reason.ok || reason === Reason.fallback) this.stats.ok++;
    else this.stats.failed++;
    inv.caller.onCallDone(inv);
  }

  // --- the layers --------------------------------------------------------------------------

  private makeLayer(p: PolicyName, policy: Policy, name: string): Layer | null {
    switch (p) {
      case 'timeout': {
        const ms = policy.timeoutMs;
        if (ms === null || ms === undefined) return null;
        this.policyTimeoutMs = ms;
        return this.timeoutLayer(() => this.policyTimeoutMs);
      }
      case 'retry':
        if (!policy.retry || policy.retry.maxAttempts <= 1) return null;
        this.retryCfg = { ...policy.retry };
        return this.retryLayer(this.retryCfg, this.world.streams.get(name, 'jitter'));
      case 'breaker':
        return this.breaker ? this.breakerLayer(this.breaker) : null;
      case 'bulkhead':
        return policy.bulkhead ? this.bulkheadLayer(new Bulkhead<() => void>(policy.bulkhead)) : null;
      case 'fallback':
        return policy.fallback ? this.fallbackLayer(policy.fallback.status) : null;
    }
  }

  private timeoutLayer(ms: () => number): Layer {
    const w = this.world;
    return (inv, scope, done, next) => {
      let fired = false;
      let settled = false;
      const cancels: (() => void)[] = [];
      const inner: Scope = { alive: () => !fired && scope.alive(), onCancel: (fn) => cancels.push(fn) };
      const fire = (): void => {
        if (settled) return;
        fired = settled = true;
        this.stats.timeouts++;
        const cur = inv.current;
        w.log.emit(w.now, LogKind.timeout, this.from, inv.request.id, this.target, cur ? cur.n : inv.attempts);
        if (cur && !cur.done) {
          cur.done = true;
          w.nodes[cur.to]!.callee?.onTimedOut?.(cur);
          inv.current = null;
          w.log.emit(w.now, LogKind.attemptEnd, this.from, inv.request.id, NO_STATUS, Reason.timeout);
        }
        for (const c of cancels) c();
        done(NO_STATUS, Reason.timeout, -1);
      };
      const handle = w.after(ms(), fire);
      // An enclosing timeout that fires first abandons this one too.
      scope.onCancel(() => {
        if (settled) return;
        settled = fired = true;
        w.kernel.cancel(handle);
        for (const c of cancels) c();
      });
      next(inner, (status, reason, retryAfterMs) => {
        if (settled) return;
        settled = true;
        w.kernel.cancel(handle);
        done(status, reason, retryAfterMs);
      });
    };
  }

  private retryLayer(cfg: NonNullable<Policy['retry']>, jitter: Uniform): Layer {
    const w = this.world;
    const budget = cfg.budget ? new RetryBudget(cfg.budget) : null;
    return (inv, scope, done, next) => {
      let tries = 0;
      let prevDelay: number | null = null;
      const alive = () => scope.alive();
      const attempt = (): void => {
        tries++;
        next(scope, (status, reason, retryAfterMs) => {
          const ok = reason === Reason.ok || reason === Reason.fallback;
          const key = retryKey(status, reason);
          const retryable = !ok && key !== null && shouldRetry(key, cfg.retryOn as AttemptOutcome[]);
          if (budget) {
            if (ok) budget.onSuccess();
            else if (retryable) budget.onFailure();
          }
          if (!retryable || tries >= cfg.maxAttempts || !alive()) {
            done(status, reason, retryAfterMs);
            return;
          }
          if (budget && !budget.canRetry()) {
            this.stats.retriesDeniedByBudget++;
            done(status, reason, retryAfterMs);
            return;
          }
          let delay: number = backoffDelay(cfg.jitter, tries, prevDelay, cfg, jitter);
          prevDelay = delay;
          if (cfg.honorRetryAfter && retryAfterMs >= 0) delay = retryAfterMs;
          this.stats.retries++;
          w.log.emit(w.now, LogKind.retryScheduled, this.from, inv.request.id, delay, inv.attempts + 1);
          w.after(delay, () => {
            if (alive()) attempt();
            else done(status, reason, retryAfterMs);
          });
        });
      };
      attempt();
    };
  }

  private breakerLayer(breaker: Breaker): Layer {
    const w = this.world;
    const callTimeoutMs = breaker.callTimeoutMs;
    const ownTimeout = callTimeoutMs !== null ? this.timeoutLayer(() => callTimeoutMs) : null;
    return (inv, scope, done, next) => {
      const got = breaker.tryAcquire(w.now);
      this.scheduleBreakerWake();
      if (!got.permitted) {
        this.stats.shortCircuited++;
        w.log.emit(w.now, LogKind.breakerReject, this.from, inv.request.id, this.target);
        done(NO_STATUS, Reason.shortCircuited, -1);
        return;
      }
      const ticket = got.ticket;
      const started = w.now;
      let recorded = false;
      // Abandoned by an enclosing timeout: the breaker counts the call as timed out.
      scope.onCancel(() => {
        if (recorded) return;
        recorded = true;
        breaker.onFailure(w.now, w.now - started, ticket, 'timeout');
        this.scheduleBreakerWake();
      });
      const record: Done = (status, reason, retryAfterMs) => {
        if (recorded) {
          done(status, reason, retryAfterMs);
          return;
        }
        recorded = true;
        const duration = w.now - started;
        if (reason === Reason.ok || reason === Reason.fallback) breaker.onSuccess(w.now, duration, ticket);
        else
          breaker.onFailure(
            w.now,
            duration,
            ticket,
            reason === Reason.timeout ? 'timeout' : reason === Reason.bulkhead || reason === Reason.queueFull ? 'rejected' : 'error',
          );
        this.scheduleBreakerWake();
        done(status, reason, retryAfterMs);
      };
      if (ownTimeout) ownTimeout(inv, scope, record, next);
      else next(scope, record);
    };
  }

  private onTransition(from: BreakerState, to: BreakerState): void {
    const w = this.world;
    void from;
    if (to === 'OPEN') {
      this.stats.breakerOpens++;
      w.log.emit(w.now, LogKind.breakerOpen, this.from, this.target);
    } else if (to === 'HALF_OPEN') w.log.emit(w.now, LogKind.breakerHalfOpen, this.from, this.target);
    else w.log.emit(w.now, LogKind.breakerClose, this.from, this.target);
  }

  /** Wake the breaker at its next deadline so a timed transition happens (and is logged) on time. */
  private scheduleBreakerWake(): void {
    const at = this.breaker!.nextDeadline();
    if (at === null || at === this.breakerWakeAt) return;
    if (this.breakerWake >= 0) this.world.kernel.cancel(this.breakerWake);
    this.breakerWakeAt = at;
    this.breakerWake = this.world.kernel.at(Math.max(at, this.world.now), this.breakerTick, null);
  }

  private onBreakerTick(): void {
    this.breakerWake = -1;
    this.breakerWakeAt = -1;
    this.breaker!.tick(this.world.now);
    this.scheduleBreakerWake();
  }

  private bulkheadLayer(bulkhead: Bulkhead<() => void>): Layer {
    const w = this.world;
    return (inv, scope, done, next) => {
      let held = false;
      let waiting = false;
      const free = (): void => {
        if (!held) return;
        held = false;
        const waiter = bulkhead.leave();
        if (waiter) waiter();
      };
      const go = (): void => {
        waiting = false;
        held = true;
        if (!scope.alive()) {
          // Admitted after the caller gave up: hand the slot straight on.
          free();
          return;
        }
        next(scope, (status, reason, retryAfterMs) => {
          free();
          done(status, reason, retryAfterMs);
        });
      };
      // Abandoned: give the slot back, or leave the waiting line.
      scope.onCancel(() => {
        if (waiting) {
          waiting = false;
          bulkhead.cancel(go);
        }
        free();
      });
      const entry = bulkhead.tryEnter(go);
      if (entry === 'admitted') go();
      else if (entry === 'queued') waiting = true;
      else {
        this.stats.bulkheadRejected++;
        w.log.emit(w.now, LogKind.bulkheadReject, this.from, inv.request.id, this.target);
        done(NO_STATUS, Reason.bulkhead, -1);
      }
    };
  }

  private fallbackLayer(status: number): Layer {
    const w = this.world;
    return (inv, scope, done, next) => {
      next(scope, (s, reason, retryAfterMs) => {
        if (reason === Reason.ok || reason === Reason.fallback) {
          done(s, reason, retryAfterMs);
          return;
        }
        this.stats.fallbacks++;
        w.log.emit(w.now, LogKind.fallback, this.from, inv.request.id, status);
        done(status, Reason.fallback, -1);
      });
    };
  }
}

/** What `retryOn` is matched against: the status; "timeout"; 503 for a refused connection; null: never retried. */
function retryKey(status: number, reason: Reason): AttemptOutcome | null {
  if (reason === Reason.timeout) return 'timeout';
  if (reason === Reason.refused) return 503;
  if (reason === Reason.shortCircuited || reason === Reason.bulkhead) return null;
  return status !== NO_STATUS ? status : null;
}
