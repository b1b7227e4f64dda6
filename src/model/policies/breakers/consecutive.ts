/**
 * The classic consecutive-failures breaker (cockatiel's ConsecutiveBreaker inside its
 * CircuitBreakerPolicy; SEMANTICS.md "consecutive"):
 * - CLOSED: a success resets the count, a failure adds one; open when `count >= failureThreshold`.
 * - OPEN for `resetTimeoutMs`, then HALF_OPEN (a timer: see nextDeadline).
 * - HALF_OPEN: `halfOpenMaxCalls` trial calls pass, others are rejected; a trial success closes
 *   (count reset), a trial failure re-opens and restarts the timer.
 * Outcomes of calls that were not trials arriving while OPEN or HALF_OPEN decide nothing.
 */
import type { DenyReason, Breaker, BreakerHooks, BreakerState, ConsecutiveBreakerConfig, FailureKind } from '../breaker';

export class ConsecutiveBreaker implements Breaker {
  readonly model = 'consecutive' as const;
  readonly callTimeoutMs = null;

  private readonly failureThreshold: number;
  private readonly resetTimeoutMs: number;
  private readonly halfOpenMaxCalls: number;

  private current: BreakerState = 'CLOSED';
  private count = 0;
  private halfOpenAt: number | null = null;
  private trialsLeft = 0;
  private nextTicket = 1;
  denied: DenyReason = 'open';
  /** Tickets in flight; the value says whether the call is a half-open trial of the current half-open period. */
  private readonly inFlight = new Map<number, boolean>();

  constructor(
    config: ConsecutiveBreakerConfig,
    private readonly hooks: BreakerHooks,
  ) {
    this.failureThreshold = config.failureThreshold ?? 5;
    this.resetTimeoutMs = config.resetTimeoutMs ?? 30000;
    this.halfOpenMaxCalls = config.halfOpenMaxCalls ?? 1;
  }

  state(now: number): BreakerState {
    this.tick(now);
    return this.current;
  }

  nextDeadline(): number | null {
    return this.current === 'OPEN' ? this.halfOpenAt : null;
  }

  tick(now: number): void {
    if (this.current === 'OPEN' && this.halfOpenAt !== null && now >= this.halfOpenAt) {
      const at = this.halfOpenAt;
      this.halfOpenAt = null;
      this.trialsLeft = this.halfOpenMaxCalls;
      // Trials of an earlier half-open period no longer count as trials.
      for (const ticket of this.inFlight.keys()) this.inFlight.set(ticket, false);
      this.transition('HALF_OPEN', at);
    }
  }

  private deny(reason: DenyReason): number {
    this.denied = reason;
    return 0;
  }

  acquire(now: number): number {
    this.tick(now);
    if (this.current === 'OPEN') return this.deny('open');
    let trial = false;
    if (this.current === 'HALF_OPEN') {
      if (this.trialsLeft <= 0) return this.deny('half-open-full');
      this.trialsLeft--;
      trial = true;
    }
    const ticket = this.nextTicket++;
    this.inFlight.set(ticket, trial);
    return ticket;
  }

  onSuccess(now: number, _durationMs: number, ticket: number): void {
    this.tick(now);
    const trial = this.inFlight.get(ticket);
    if (trial === undefined) return;
    this.inFlight.delete(ticket);
    if (this.current === 'CLOSED') {
      this.count = 0;
    } else if (this.current === 'HALF_OPEN' && trial) {
      this.count = 0;
      this.transition('CLOSED', now);
    }
  }

  onFailure(now: number, _durationMs: number, ticket: number, _kind: FailureKind): void {
    this.tick(now);
    const trial = this.inFlight.get(ticket);
    if (trial === undefined) return;
    this.inFlight.delete(ticket);
    if (this.current === 'CLOSED') {
      this.count++;
      if (this.count >= this.failureThreshold) this.open(now);
    } else if (this.current === 'HALF_OPEN' && trial) {
      this.open(now);
    }
  }

  private open(now: number): void {
    this.halfOpenAt = now + this.resetTimeoutMs;
    this.transition('OPEN', now);
  }

  private transition(to: BreakerState, now: number): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    if (to !== 'HALF_OPEN') {
      // Trials of the half-open period just left are ordinary calls from now on.
      for (const [ticket, trial] of this.inFlight) if (trial) this.inFlight.set(ticket, false);
    }
    this.hooks.onTransition(from, to, now);
  }
}
