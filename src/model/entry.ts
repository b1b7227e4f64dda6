/**
 * The door of a node that suffers injected faults, as a sidecar proxy's fault injection works
 * (Envoy): an arriving attempt is first held back by the active latency faults (each strikes with
 * its own probability), then may be answered at once by an error fault; delay and abort are drawn
 * independently, so a delay may be followed by an abort. The gateway and the service both take
 * requests in through one Entry.
 */
import type { EventType, Kernel } from '../engine';
import { injectedAbort, injectedDelay } from './faults';
import type { ActiveFault } from './faults';
import type { Attempt } from './request';

export class Entry {
  private latency: ActiveFault[] = [];
  private errors: ActiveFault[] = [];
  /** Attempts held back by a latency fault right now. */
  delayed = 0;
  /** Attempts answered by an error fault. */
  aborted = 0;
  private readonly delayedArrive: EventType<Attempt>;

  constructor(
    private readonly kernel: Kernel,
    nodeId: string,
    /** Where an attempt goes once through the door (after any delay). */
    private readonly proceed: (a: Attempt) => void,
  ) {
    this.delayedArrive = kernel.register(`${nodeId}.delayedArrive`, (a: Attempt) => {
      this.delayed--;
      proceed(a);
    });
  }

  /** Start or end a latency or error fault at the door; false for any other kind. */
  applyFault(f: ActiveFault, on: boolean): boolean {
    const kind = f.spec.kind;
    if (kind !== 'latency' && kind !== 'error') return false;
    const list = kind === 'latency' ? this.latency : this.errors;
    const next = on ? [...list, f] : list.filter((x) => x !== f);
    if (kind === 'latency') this.latency = next;
    else this.errors = next;
    return true;
  }

  /** An attempt arrives: held back by an injected delay, or passed on at once. */
  arrive(a: Attempt): void {
    if (this.latency.length > 0) {
      const extra = injectedDelay(this.latency);
      if (extra > 0) {
        this.delayed++;
        this.kernel.schedule(extra, this.delayedArrive, a);
        return;
      }
    }
    this.proceed(a);
  }

  /** The status an error fault answers this attempt with, or 0 for none. */
  abort(): number {
    if (this.errors.length === 0) return 0;
    const status = injectedAbort(this.errors);
    if (status !== 0) this.aborted++;
    return status;
  }
}
