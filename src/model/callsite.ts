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
 *
 * The layers run as a state machine over plain data: each pass of a call through a layer is a
 * Frame (the layer's state for that pass, its parent — the frame the outcome goes up to — and its
 * scope, the nearest enclosing timeout), and timers are typed kernel events whose payload is the
 * frame. No closure is made per call, so a run's state is data that can be copied.
 */
import type { EventType, Uniform } from '../engine';
import { DEFAULT_POLICY_ORDER } from '../scenario/policyOrder';
import type { Policy, RetryPolicy } from '../scenario/schema';
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

/** The layers, by kind. */
const Layer = { timeout: 0, retry: 1, breaker: 2, bulkhead: 3, fallback: 4 } as const;
type Layer = (typeof Layer)[keyof typeof Layer];

// Frame flags.
/** timeout: its timer fired, or an enclosing timeout abandoned it — what runs inside is no longer wanted. */
const FIRED = 1;
/** timeout: it has passed an outcome up (or was abandoned); later ones stop here. */
const SETTLED = 2;
/** breaker: the call's outcome is recorded. */
const RECORDED = 4;
/** bulkhead: holds a slot. */
const HELD = 8;
/** bulkhead: waits in line for a slot. */
const WAITING = 16;

/**
 * One pass of a call through one layer. A frame's outcome goes up to `parent` (null: the
 * invocation ends). `scope` is the nearest enclosing timeout: the pass is still wanted while no
 * timeout up that chain has fired. A timeout that fires abandons the frames registered with it
 * (`regHead`…`regNext`, in the order they entered), as resilience4j's TimeLimiter cancels its
 * future: a bulkhead slot or a breaker's call is settled then, even if no answer ever comes back.
 */
export class Frame {
  flags = 0;
  /** timeout: its timer; retry: the pending retry's timer. */
  timer = -1;
  /** retry: attempts made through this layer; breaker: its ticket. */
  count = 0;
  /** retry: the backoff chosen before the previous retry; breaker: when the call was let through. */
  at = 0;
  /** retry: the outcome of the attempt a retry is waiting to replace (given up if the retry is no longer wanted). */
  status = NO_STATUS;
  reason: Reason = Reason.ok;
  retryAfterMs = -1;
  /** timeout: the frames that entered inside it, first and last; every frame: the next one registered with its scope. */
  regHead: Frame | null = null;
  regTail: Frame | null = null;
  regNext: Frame | null = null;

  constructor(
    readonly kind: Layer,
    /** Index of the layer in the call site's order (an opossum breaker's own timeout shares its breaker's). */
    readonly layer: number,
    readonly inv: Invocation,
    readonly parent: Frame | null,
    readonly scope: Frame | null,
  ) {}
}

/** Whether a pass under `scope` is still wanted: no enclosing timeout has fired. */
function alive(scope: Frame | null): boolean {
  for (let s = scope; s !== null; s = s.scope) if ((s.flags & FIRED) !== 0) return false;
  return true;
}

export class CallSite {
  readonly stats: CallSiteStats = zeroStats();
  optional: boolean;
  readonly breaker: Breaker | null = null;
  private readonly responseType: EventType<Attempt>;
  private readonly layers: Layer[] = [];
  private breakerWake = -1;
  private breakerWakeAt = -1;
  private readonly breakerTick: EventType<null>;
  // The layers' settings (timed changes replace the timeout and the retry's keys: setLive).
  private timeoutMs: number = -1;
  private readonly retry: RetryPolicy | null = null;
  private readonly jitter: Uniform | null = null;
  private readonly budget: RetryBudget | null = null;
  private readonly bulkhead: Bulkhead<Frame> | null = null;
  private readonly fallbackStatus: number = NO_STATUS;
  // Timer events of the layers, and of the sole timeout (a timeout alone: on the attempt itself).
  private readonly timeoutType: EventType<Frame> | null = null;
  private readonly retryType: EventType<Frame> | null = null;
  private soleTimeoutMs: number = -1;
  private readonly soleTimeoutType: EventType<Attempt> | null = null;

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
      switch (p) {
        case 'timeout':
          if (policy.timeoutMs === null || policy.timeoutMs === undefined) break;
          this.timeoutMs = policy.timeoutMs;
          this.layers.push(Layer.timeout);
          break;
        case 'retry':
          if (!policy.retry || policy.retry.maxAttempts <= 1) break;
          this.retry = { ...policy.retry };
          this.jitter = world.streams.get(name, 'jitter');
          this.budget = policy.retry.budget ? new RetryBudget(policy.retry.budget) : null;
          this.layers.push(Layer.retry);
          break;
        case 'breaker':
          if (this.breaker) this.layers.push(Layer.breaker);
          break;
        case 'bulkhead':
          if (!policy.bulkhead) break;
          this.bulkhead = new Bulkhead<Frame>(policy.bulkhead);
          this.layers.push(Layer.bulkhead);
          break;
        case 'fallback':
          if (!policy.fallback) break;
          this.fallbackStatus = policy.fallback.status;
          this.layers.push(Layer.fallback);
          break;
      }
    }
    if (this.layers.length === 1 && this.layers[0] === Layer.timeout) {
      // The commonest policy, a timeout alone, needs no frame: its timer is on the attempt itself,
      // cancelled when the answer arrives.
      this.layers.length = 0;
      this.soleTimeoutMs = this.timeoutMs;
      this.soleTimeoutType = k.register(`${name}.timeout`, (a: Attempt) => this.onSoleTimeout(a));
    } else {
      if (this.layers.includes(Layer.timeout) || (this.breaker !== null && this.breaker.callTimeoutMs !== null && this.layers.includes(Layer.breaker))) {
        this.timeoutType = k.register(`${name}.timeout`, (f: Frame) => this.onTimeout(f));
      }
      if (this.retry !== null) this.retryType = k.register(`${name}.retry`, (f: Frame) => this.onRetryTimer(f));
    }
  }

  /**
   * A timed change (model/changes.ts): `timeoutMs`, `optional` or a `retry.<key>`, from the next
   * call or attempt on (timers already running keep their deadline).
   */
  setLive(key: string, value: unknown): void {
    if (key === 'optional') this.optional = value as boolean;
    else if (key === 'timeoutMs') {
      this.timeoutMs = value as number;
      if (this.soleTimeoutMs >= 0) this.soleTimeoutMs = value as number;
    } else if (key.startsWith('retry.') && this.retry) (this.retry as Record<string, unknown>)[key.slice('retry.'.length)] = value;
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
      attempts: 0,
      status: NO_STATUS,
      reason: Reason.ok,
      retryAfterMs: -1,
      done: false,
      current: null,
      slot,
      marks: 0,
    };
    this.stats.calls++;
    this.enter(0, inv, null, null);
    return inv;
  }

  /** Run layer `i` (past the last: the wire) for `inv`; its outcome goes to `parent`, under `scope`. */
  private enter(i: number, inv: Invocation, parent: Frame | null, scope: Frame | null): void {
    if (i === this.layers.length) {
      this.wire(inv, scope, parent);
      return;
    }
    switch (this.layers[i]!) {
      case Layer.timeout:
        this.enterTimeout(i, this.timeoutMs, inv, parent, scope);
        return;
      case Layer.retry: {
        const f = new Frame(Layer.retry, i, inv, parent, scope);
        this.retryAttempt(f);
        return;
      }
      case Layer.breaker:
        this.enterBreaker(i, inv, parent, scope);
        return;
      case Layer.bulkhead:
        this.enterBulkhead(i, inv, parent, scope);
        return;
      case Layer.fallback:
        this.enter(i + 1, inv, new Frame(Layer.fallback, i, inv, parent, scope), scope);
        return;
    }
  }

  /** Pass an outcome up to `parent` (null: the invocation ends with it). */
  private up(parent: Frame | null, inv: Invocation, status: number, reason: Reason, retryAfterMs: number): void {
    if (parent === null) {
      this.finish(inv, status, reason, retryAfterMs);
      return;
    }
    switch (parent.kind) {
      case Layer.timeout:
        this.timeoutDone(parent, status, reason, retryAfterMs);
        return;
      case Layer.retry:
        this.retryDone(parent, status, reason, retryAfterMs);
        return;
      case Layer.breaker:
        this.breakerDone(parent, status, reason, retryAfterMs);
        return;
      case Layer.bulkhead:
        this.free(parent);
        this.up(parent.parent, inv, status, reason, retryAfterMs);
        return;
      case Layer.fallback:
        if (reason === Reason.ok || reason === Reason.fallback) {
          this.up(parent.parent, inv, status, reason, retryAfterMs);
          return;
        }
        this.stats.fallbacks++;
        this.world.log.emit(this.world.now, LogKind.fallback, this.from, inv.request.id, this.fallbackStatus);
        this.up(parent.parent, inv, this.fallbackStatus, Reason.fallback, -1);
        return;
    }
  }

  /** `f` enters the timeout `scope`: abandoned with it if it fires first. */
  private register(f: Frame, scope: Frame | null): void {
    if (scope === null) return;
    if (scope.regTail === null) scope.regHead = f;
    else scope.regTail.regNext = f;
    scope.regTail = f;
  }

  /** An enclosing timeout fired: settle what `f` holds. */
  private abandon(f: Frame): void {
    switch (f.kind) {
      case Layer.timeout:
        if ((f.flags & SETTLED) !== 0) return;
        f.flags |= SETTLED | FIRED;
        this.world.kernel.cancel(f.timer);
        this.abandonInside(f);
        return;
      case Layer.breaker: {
        // The breaker counts the abandoned call as timed out.
        if ((f.flags & RECORDED) !== 0) return;
        f.flags |= RECORDED;
        const now = this.world.now;
        this.breaker!.onFailure(now, now - f.at, f.count, 'timeout');
        this.scheduleBreakerWake();
        return;
      }
      case Layer.bulkhead:
        // Give the slot back, or leave the waiting line.
        if ((f.flags & WAITING) !== 0) {
          f.flags &= ~WAITING;
          this.bulkhead!.cancel(f);
        }
        this.free(f);
        return;
      default:
        return;
    }
  }

  private abandonInside(t: Frame): void {
    for (let f = t.regHead; f !== null; f = f.regNext) this.abandon(f);
  }

  // --- the wire ----------------------------------------------------------------------------

  private wire(inv: Invocation, scope: Frame | null, cont: Frame | null): void {
    const w = this.world;
    if (!alive(scope)) return;
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
      cont,
      timer: -1,
      retryAfterMs: -1,
      duplicateOf: null,
    };
    inv.current = a;
    w.log.emit(w.now, LogKind.attemptStart, this.from, inv.request.id, this.target, n);
    if (this.soleTimeoutType !== null) a.timer = w.kernel.schedule(this.soleTimeoutMs, this.soleTimeoutType, a);
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
      if (cont) this.up(cont, a.inv, answer.status, answer.reason, answer.retryAfterMs);
      return;
    }
    a.done = true;
    if (a.timer >= 0) w.kernel.cancel(a.timer);
    if (a.inv.current === a) a.inv.current = null;
    w.log.emit(w.now, LogKind.attemptEnd, this.from, a.inv.request.id, a.status, a.reason);
    const cont = a.cont;
    a.cont = null;
    this.up(cont, a.inv, a.status, a.reason, a.retryAfterMs);
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

  // --- timeout -----------------------------------------------------------------------------

  private enterTimeout(i: number, ms: number, inv: Invocation, parent: Frame | null, scope: Frame | null): void {
    const t = new Frame(Layer.timeout, i, inv, parent, scope);
    t.timer = this.world.kernel.schedule(ms, this.timeoutType!, t);
    // An enclosing timeout that fires first abandons this one too.
    this.register(t, scope);
    this.enter(i + 1, inv, t, t);
  }

  /** The timeout fired: the caller stops waiting, and what runs inside it is abandoned. */
  private onTimeout(t: Frame): void {
    if ((t.flags & SETTLED) !== 0) return;
    t.flags |= FIRED | SETTLED;
    const w = this.world;
    const inv = t.inv;
    this.stats.timeouts++;
    const cur = inv.current;
    w.log.emit(w.now, LogKind.timeout, this.from, inv.request.id, this.target, cur ? cur.n : inv.attempts);
    if (cur && !cur.done) {
      cur.done = true;
      w.nodes[cur.to]!.callee?.onTimedOut?.(cur);
      inv.current = null;
      w.log.emit(w.now, LogKind.attemptEnd, this.from, inv.request.id, NO_STATUS, Reason.timeout);
    }
    this.abandonInside(t);
    this.up(t.parent, inv, NO_STATUS, Reason.timeout, -1);
  }

  private timeoutDone(t: Frame, status: number, reason: Reason, retryAfterMs: number): void {
    if ((t.flags & SETTLED) !== 0) return;
    t.flags |= SETTLED;
    this.world.kernel.cancel(t.timer);
    this.up(t.parent, t.inv, status, reason, retryAfterMs);
  }

  // --- retry -------------------------------------------------------------------------------

  private retryAttempt(r: Frame): void {
    r.count++;
    this.enter(r.layer + 1, r.inv, r, r.scope);
  }

  private retryDone(r: Frame, status: number, reason: Reason, retryAfterMs: number): void {
    const cfg = this.retry!;
    const budget = this.budget;
    const ok = reason === Reason.ok || reason === Reason.fallback;
    const key = retryKey(status, reason);
    const retryable = !ok && key !== null && shouldRetry(key, cfg.retryOn as AttemptOutcome[]);
    if (budget) {
      if (ok) budget.onSuccess();
      else if (retryable) budget.onFailure();
    }
    if (!retryable || r.count >= cfg.maxAttempts || !alive(r.scope)) {
      this.up(r.parent, r.inv, status, reason, retryAfterMs);
      return;
    }
    if (budget && !budget.canRetry()) {
      this.stats.retriesDeniedByBudget++;
      this.up(r.parent, r.inv, status, reason, retryAfterMs);
      return;
    }
    const w = this.world;
    let delay: number = backoffDelay(cfg.jitter, r.count, r.count > 1 ? r.at : null, cfg, this.jitter!);
    r.at = delay;
    if (cfg.honorRetryAfter && retryAfterMs >= 0) delay = retryAfterMs;
    this.stats.retries++;
    w.log.emit(w.now, LogKind.retryScheduled, this.from, r.inv.request.id, delay, r.inv.attempts + 1);
    r.status = status;
    r.reason = reason;
    r.retryAfterMs = retryAfterMs;
    r.timer = w.kernel.schedule(delay, this.retryType!, r);
  }

  /** The backoff is over: try again, or give up with the last outcome if the call is no longer wanted. */
  private onRetryTimer(r: Frame): void {
    r.timer = -1;
    if (alive(r.scope)) this.retryAttempt(r);
    else this.up(r.parent, r.inv, r.status, r.reason, r.retryAfterMs);
  }

  // --- breaker -----------------------------------------------------------------------------

  private enterBreaker(i: number, inv: Invocation, parent: Frame | null, scope: Frame | null): void {
    const w = this.world;
    const breaker = this.breaker!;
    const ticket = breaker.acquire(w.now);
    this.scheduleBreakerWake();
    if (ticket === 0) {
      this.stats.shortCircuited++;
      w.log.emit(w.now, LogKind.breakerReject, this.from, inv.request.id, this.target);
      this.up(parent, inv, NO_STATUS, Reason.shortCircuited, -1);
      return;
    }
    const b = new Frame(Layer.breaker, i, inv, parent, scope);
    b.count = ticket;
    b.at = w.now;
    // Abandoned by an enclosing timeout: the breaker counts the call as timed out.
    this.register(b, scope);
    if (breaker.callTimeoutMs !== null) this.enterTimeout(i, breaker.callTimeoutMs, inv, b, scope);
    else this.enter(i + 1, inv, b, scope);
  }

  private breakerDone(b: Frame, status: number, reason: Reason, retryAfterMs: number): void {
    if ((b.flags & RECORDED) === 0) {
      b.flags |= RECORDED;
      const now = this.world.now;
      const duration = now - b.at;
      const breaker = this.breaker!;
      if (reason === Reason.ok || reason === Reason.fallback) breaker.onSuccess(now, duration, b.count);
      else
        breaker.onFailure(
          now,
          duration,
          b.count,
          reason === Reason.timeout ? 'timeout' : reason === Reason.bulkhead || reason === Reason.queueFull ? 'rejected' : 'error',
        );
      this.scheduleBreakerWake();
    }
    this.up(b.parent, b.inv, status, reason, retryAfterMs);
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

  // --- bulkhead ----------------------------------------------------------------------------

  private enterBulkhead(i: number, inv: Invocation, parent: Frame | null, scope: Frame | null): void {
    const h = new Frame(Layer.bulkhead, i, inv, parent, scope);
    // Abandoned: give the slot back, or leave the waiting line.
    this.register(h, scope);
    const entry = this.bulkhead!.tryEnter(h);
    if (entry === 'admitted') this.admit(h);
    else if (entry === 'queued') h.flags |= WAITING;
    else {
      const w = this.world;
      this.stats.bulkheadRejected++;
      w.log.emit(w.now, LogKind.bulkheadReject, this.from, inv.request.id, this.target);
      this.up(parent, inv, NO_STATUS, Reason.bulkhead, -1);
    }
  }

  /** `h` has a slot: the call goes on, unless it is no longer wanted (then the slot passes straight on). */
  private admit(h: Frame): void {
    h.flags = (h.flags & ~WAITING) | HELD;
    if (!alive(h.scope)) {
      this.free(h);
      return;
    }
    this.enter(h.layer + 1, h.inv, h, h.scope);
  }

  private free(h: Frame): void {
    if ((h.flags & HELD) === 0) return;
    h.flags &= ~HELD;
    const waiter = this.bulkhead!.leave();
    if (waiter) this.admit(waiter);
  }
}

/** What `retryOn` is matched against: the status; "timeout"; 503 for a refused connection; null: never retried. */
function retryKey(status: number, reason: Reason): AttemptOutcome | null {
  if (reason === Reason.timeout) return 'timeout';
  if (reason === Reason.refused) return 503;
  if (reason === Reason.shortCircuited || reason === Reason.bulkhead) return null;
  return status !== NO_STATUS ? status : null;
}
