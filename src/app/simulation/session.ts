/**
 * The worker session: the one simulation worker, the commands sent to it and their answers.
 *
 * A command that replaces the run (load, open, restart, seek, a document edit) opens a new epoch:
 * answers to commands older than it belong to a run that was replaced and are dropped. At most
 * one `advance` is in the worker at a time (the pacer sends the next once its frame came back).
 *
 * A load or a link that comes while another is still being decoded and validated does not wait
 * behind it: the worker is stopped where it is and a fresh one takes the new command (the run
 * was being replaced anyway, and a worker holds nothing but its run). The old command's answer
 * is CANCELLED, so whoever awaited it sees it was superseded.
 */
import type { Frame, WorkerMessage } from '../../run/protocol';
import { WorkerBridge, createSimulationWorker } from './bridge';
import type { CommandBody } from './bridge';

/** What load() and edits answer when a later command replaced them before they finished. */
export const SUPERSEDED = 'superseded by a later load';

export interface SessionListener {
  /** A frame of the current run. */
  frame(frame: Frame): void;
  /** The worker failed, or answered a command of the current run with an error. */
  fail(message: string): void;
  /** Any answer, current or stale, before it is dispatched (the controller coalesces seeks on it). */
  answered(id: number): void;
}

export class WorkerSession {
  private bridge: WorkerBridge;
  /** The load or link in the worker, until it is answered. */
  private loading: number | null = null;
  /** Workers the session started after the first (each cancelled load started one). */
  restarts = 0;
  /** Answers to commands older than this one belong to a run that was replaced. */
  private epoch = 0;
  /** The `advance` in the worker, if any. */
  private advancing: number | null = null;

  constructor(
    private readonly listener: SessionListener,
    worker: Worker = createSimulationWorker(),
    /** Makes the worker that replaces a cancelled one; null: a load waits for the one before it. */
    private readonly makeWorker: (() => Worker) | null = typeof Worker !== 'undefined' && worker instanceof Worker ? createSimulationWorker : null,
  ) {
    this.bridge = this.connect(worker, 1);
  }

  private connect(worker: Worker, firstId: number): WorkerBridge {
    const bridge = new WorkerBridge(worker, (message) => this.listener.fail(message), firstId);
    bridge.subscribe((m) => this.receive(m, this.listener));
    return bridge;
  }

  /** Sends a command of the current run; returns its id. */
  send(command: CommandBody): number {
    return this.bridge.send(command);
  }

  /** Sends a command; `reply` resolves with its answer. */
  request(command: CommandBody): { id: number; reply: Promise<WorkerMessage> } {
    return this.bridge.request(command);
  }

  /** Sends a command that replaces the run: answers to older commands are stale from now on. */
  replace(command: CommandBody): number {
    return (this.epoch = this.send(command));
  }

  /** `replace`, waiting for the answer. A load or link cancels one still in the worker (see above). */
  requestReplacing(command: CommandBody): { id: number; reply: Promise<WorkerMessage> } {
    const loads = command.type === 'load' || command.type === 'open';
    if (loads && this.loading !== null && this.makeWorker !== null) {
      const old = this.bridge;
      this.bridge = this.connect(this.makeWorker(), old.next);
      this.advancing = null;
      this.restarts++;
      old.cancel();
    }
    const sent = this.request(command);
    this.epoch = sent.id;
    if (loads) this.loading = sent.id;
    return sent;
  }

  /** Whether `id` is the command that opened the current run (no later one replaced it). */
  isCurrent(id: number): boolean {
    return id === this.epoch;
  }

  /** Whether `id` was sent before the current run was opened. */
  isStale(id: number): boolean {
    return id < this.epoch;
  }

  /** Asks for simulated time up to `toMs` (at most `maxEvents` events); `panels: false` leaves the run summary and node states out of its frame. */
  advance(toMs: number, maxEvents: number, panels = true): void {
    this.advancing = this.send({ type: 'advance', toMs, maxEvents, ...(panels ? {} : { panels: false }) });
  }

  /** Whether an `advance` is still in the worker. */
  get busy(): boolean {
    return this.advancing !== null;
  }

  terminate(): void {
    this.bridge.terminate();
  }

  private receive(message: WorkerMessage, listener: SessionListener): void {
    if (message.id !== undefined && message.id === this.advancing) this.advancing = null;
    if (message.id !== undefined && message.id === this.loading) this.loading = null;
    if (message.id !== undefined) listener.answered(message.id);
    if (message.id !== undefined && this.isStale(message.id)) return;
    switch (message.type) {
      case 'frame':
        listener.frame(message.frame);
        break;
      case 'error':
        listener.fail(message.message);
        break;
      default:
        break; // 'loaded' and 'invalid' are handled by whoever asked; so are 'events'.
    }
  }
}
