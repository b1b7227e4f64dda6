/**
 * A consumer that works like a service (choreography): a consume entry's `calls`, made for each
 * delivery after the consumer's own work, through call sites with the same policies as a service's
 * calls (timeouts, retries, breakers, bulkheads, fallbacks). The message stays unacked while they
 * run and the consumer holds it (it takes its next message only when this one's work ends); a
 * non-optional call that fails without a fallback fails the delivery, which is nacked as the
 * entry's `onError` says.
 *
 * Each delivery worked this way is a request born at the consumer (accounting.ts `startWork`):
 * its calls carry it like any request's, and it ends exactly once — ok, failed with the reason of
 * the call that failed (502, or 504 after a timeout), failed with 500 when the consumer's own work
 * failed (its `errorRate`, a poison message), or `crashed` when the consumer's process died.
 */
import type { ConsumeSpec } from '../../scenario/schema';
import { CallSite } from '../callsite';
import { NO_STATUS, Reason } from '../events';
import type { Caller, Invocation, Request } from '../request';
import type { World } from '../world';

/** The call sites of one consume entry, shared by its consumers (as a service's are by its instances). */
export class EntryCalls {
  readonly sites: CallSite[];
  readonly parallel: boolean;

  constructor(world: World, service: number, spec: ConsumeSpec) {
    this.sites = spec.calls.map((c) => new CallSite(world, service, world.indexOf(c.target), c));
    this.parallel = spec.callMode === 'parallel';
  }

  get any(): boolean {
    return this.sites.length > 0;
  }
}

/** Who runs a piece of work's calls (the broker's consumers): told once when every call has ended. */
export interface CallsOwner<T> {
  /** False once the process doing `item` died: its calls' answers find nobody. */
  workAlive(item: T): boolean;
  workCallsDone(item: T, calls: CallsInProgress<T>): void;
}

/**
 * One delivery's calls: a caller for the call sites, reporting once to its owner when every call
 * has ended. Plain data (the work item and its owner, no closures), so a checkpoint copies it.
 */
export class CallsInProgress<T> implements Caller {
  private pending = 0;
  private nextCall = 0;
  /** The status and reason of the first non-optional call that failed (NO_STATUS and ok: none). */
  failStatus = NO_STATUS;
  failReason: Reason = Reason.ok;

  constructor(
    private readonly calls: EntryCalls,
    readonly node: number,
    private readonly request: Request,
    /** The work these calls are part of (a delivery). */
    private readonly item: T,
    private readonly owner: CallsOwner<T>,
  ) {}

  start(): void {
    const sites = this.calls.sites;
    if (this.calls.parallel) {
      this.pending = sites.length;
      for (let i = 0; i < sites.length; i++) sites[i]!.invoke(this.request, this, i);
    } else {
      this.nextCall = 1;
      sites[0]!.invoke(this.request, this, 0);
    }
  }

  onCallDone(inv: Invocation): void {
    if (!this.owner.workAlive(this.item)) return;
    const sites = this.calls.sites;
    const failed = inv.reason !== Reason.ok && inv.reason !== Reason.fallback && !sites[inv.slot]!.optional;
    if (failed && this.failReason === Reason.ok) {
      this.failReason = Reason.dependency;
      this.failStatus = inv.reason === Reason.timeout ? 504 : 502;
    }
    if (this.calls.parallel) {
      if (--this.pending > 0) return;
    } else if (!failed && this.nextCall < sites.length) {
      sites[this.nextCall]!.invoke(this.request, this, this.nextCall++);
      return;
    }
    this.owner.workCallsDone(this.item, this);
  }
}
