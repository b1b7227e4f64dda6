/**
 * Compare view's run A: a second simulation worker (its own WorkerSession) that keeps to the
 * clock of the run on the canvas. The controller tells it how far to go (`follow`, forward only)
 * and when to go back (`reset`); its frames go to compare view's store.
 */
import type { Frame } from '../../run/protocol';
import type { Problem } from '../../scenario/validate';
import { EVENTS_PER_FRAME } from '../simulation/pacer';
import { WorkerSession } from '../simulation/session';
import type { Follower } from '../simulation/controller';

export class FollowerRun implements Follower {
  private readonly session: WorkerSession;
  private loaded = false;
  private simMs = 0;
  private target = 0;
  private finished = false;
  private stopped = false;
  /** The next frame should carry run A's summary (the canvas's run got one for this moment). */
  private wantSummary = true;
  /** A `refresh` is in the worker. */
  private refreshing = false;
  /** The last frame of run A (compare view draws it again when it takes over from another comparison). */
  lastFrame: Frame | null = null;

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    onFail: (message: string) => void,
    worker?: Worker,
  ) {
    this.session = new WorkerSession({ frame: (f) => this.landed(f), fail: onFail, answered: () => {} }, worker);
  }

  /** Loads the document (validated in the worker, variants and changes included). */
  async load(document: unknown): Promise<true | Problem[] | string> {
    const { reply } = this.session.requestReplacing({ type: 'load', document });
    const message = await reply;
    if (message.type === 'invalid') return message.problems;
    if (message.type !== 'loaded') return message.type === 'error' ? message.message : `unexpected answer "${message.type}"`;
    this.loaded = true;
    this.landed(message.frame);
    return true;
  }

  get busy(): boolean {
    return this.session.busy;
  }

  get nowMs(): number {
    return this.simMs;
  }

  follow(toMs: number, summary: boolean): void {
    if (toMs > this.target) this.target = toMs;
    if (summary) this.wantSummary = true;
    this.pump();
  }

  reset(tMs: number): void {
    if (!this.loaded || this.stopped) return;
    this.target = tMs;
    this.finished = false;
    this.session.replace({ type: 'seek', tMs });
  }

  terminate(): void {
    this.stopped = true;
    this.session.terminate();
  }

  private pump(): void {
    if (!this.loaded || this.stopped || this.session.busy) return;
    const behind = !this.finished && this.simMs < this.target;
    if (behind) this.session.advance(this.target, EVENTS_PER_FRAME, this.wantSummary);
    // Caught up, but the last frame left the summary out (the canvas's run paused between two).
    else if (this.wantSummary && !this.refreshing) {
      this.refreshing = true;
      this.session.send({ type: 'refresh' });
    }
  }

  private landed(frame: Frame): void {
    if (this.stopped) return;
    this.simMs = frame.simTimeMs;
    this.finished = frame.finished;
    this.refreshing = false;
    if (frame.summary !== undefined) this.wantSummary = false;
    this.lastFrame = frame;
    this.onFrame(frame);
    // A seek landed, or an advance stopped at its event cap: go on to the target.
    queueMicrotask(() => this.pump());
  }
}
