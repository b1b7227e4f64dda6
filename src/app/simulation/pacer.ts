/**
 * The playback clock: on each animation frame, how far simulated time may advance.
 *
 * While playing, the target is `sim + wallDelta × speed` (wallDelta capped at 100 ms so a
 * background tab does not leap), sent as one `advance`; the next is sent only once its frame came
 * back, so a slow scenario slows the clock instead of queueing work. "max" asks for the end with a
 * cap of events per frame, so the tab stays responsive however heavy the run. The animation clock
 * (`clock.animMs`) advances with wall time only while playing; the particle layer times dots on it.
 */
import type { Speed } from '../playback';

/** Longest wall-time step one frame may stand for (a background tab resumes without a leap). */
export const MAX_WALL_STEP_MS = 100;
/** Events one `advance` may process at a finite speed, and at "max". */
export const EVENTS_PER_FRAME = 100_000;
export const EVENTS_PER_FRAME_MAX = 200_000;

/** What the pacer asks of the run on each frame. */
export interface PacerHost {
  playing(): boolean;
  speed(): Speed;
  /** Whether an `advance` may be sent now: a run is loaded, not finished, and none is in the worker. */
  ready(): boolean;
  simMs(): number;
  durationMs(): number;
  advance(toMs: number, maxEvents: number): void;
}

export class Pacer {
  readonly clock = { animMs: 0 };
  /** The simulated span the `advance` in the worker covers, and the wall time it stands for. */
  private currentSpan = { fromSimMs: 0, wallMs: 0 };
  private lastSendAnimMs = 0;
  private lastTs: number | null = null;
  private rafId = 0;

  constructor(private readonly host: PacerHost) {}

  get span(): { readonly fromSimMs: number; readonly wallMs: number } {
    return this.currentSpan;
  }

  /** A frame came back at `simMs`: the next span starts there. */
  landed(simMs: number): void {
    this.currentSpan = { fromSimMs: simMs, wallMs: 0 };
  }

  start(): void {
    this.rafId = requestAnimationFrame(this.loop);
  }

  stop(): void {
    cancelAnimationFrame(this.rafId);
  }

  /** One animation frame at timestamp `ts`: moves the clock and sends an `advance` if one is due. */
  tick(ts: number): void {
    const dt = this.lastTs === null ? 0 : Math.min(ts - this.lastTs, MAX_WALL_STEP_MS);
    this.lastTs = ts;
    if (!this.host.playing()) {
      this.lastSendAnimMs = this.clock.animMs;
      return;
    }
    this.clock.animMs += dt;
    if (!this.host.ready()) return;
    const wallMs = Math.min(this.clock.animMs - this.lastSendAnimMs, MAX_WALL_STEP_MS);
    this.lastSendAnimMs = this.clock.animMs;
    const speed = this.host.speed();
    const max = speed === 'max';
    const simMs = this.host.simMs();
    const toMs = max ? this.host.durationMs() : simMs + wallMs * speed;
    this.currentSpan = { fromSimMs: simMs, wallMs };
    this.host.advance(toMs, max ? EVENTS_PER_FRAME_MAX : EVENTS_PER_FRAME);
  }

  private readonly loop = (ts: number) => {
    this.rafId = requestAnimationFrame(this.loop);
    this.tick(ts);
  };
}
