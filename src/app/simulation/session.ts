/**
 * The worker session: the one simulation worker, the commands sent to it and their answers.
 *
 * A command that replaces the run (load, open, restart, seek, a document edit) opens a new epoch:
 * answers to commands older than it belong to a run that was replaced and are dropped. At most
 * one `advance` is in the worker at a time (the pacer sends the next once its frame came back).
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
  private readonly bridge: WorkerBridge;
  /** Answers to commands older than this one belong to a run that was replaced. */
  private epoch = 0;
  /** The `advance` in the worker, if any. */
  private advancing: number | null = null;

  constructor(listener: SessionListener, worker: Worker = createSimulationWorker()) {
    this.bridge = new WorkerBridge(worker, (message) => listener.fail(message));
    this.bridge.subscribe((m) => this.receive(m, listener));
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

  /** `replace`, waiting for the answer. */
  requestReplacing(command: CommandBody): { id: number; reply: Promise<WorkerMessage> } {
    const sent = this.request(command);
    this.epoch = sent.id;
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
