/**
 * The typed wrapper around the simulation worker: commands go out with an id, answers come back
 * carrying it. The app talks to the simulation only through this.
 */
import type { Command, WorkerMessage } from '../../run/protocol';

/** A command without its id: the bridge numbers commands itself. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

export type MessageListener = (message: WorkerMessage) => void;

/** The parts of a Worker the bridge uses (so a test can hand it a fake). */
export interface WorkerLike {
  postMessage(message: Command): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerMessage>) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  terminate(): void;
}

/** The answer every command still waiting gets when its worker is cancelled. */
export const CANCELLED = 'cancelled: the worker was replaced';

export class WorkerBridge {
  private nextId: number;
  private readonly listeners = new Set<MessageListener>();
  private readonly waiting = new Map<number, (message: WorkerMessage) => void>();

  constructor(
    private readonly worker: WorkerLike,
    onCrash?: (message: string) => void,
    /** The first command id (a bridge that replaces another goes on from its ids). */
    firstId = 1,
  ) {
    this.nextId = firstId;
    worker.addEventListener('message', (e) => this.receive(e.data));
    worker.addEventListener('error', (e) => {
      const message = e.message || 'the simulation worker failed to start';
      onCrash?.(message);
      for (const [id, resolve] of this.waiting) resolve({ type: 'error', message, id });
      this.waiting.clear();
    });
  }

  /** Sends a command; returns the id its answer will carry. */
  send(command: CommandBody): number {
    const id = this.nextId++;
    this.worker.postMessage({ ...command, id } as Command);
    return id;
  }

  /** Sends a command; `reply` resolves with its answer (which listeners also receive). */
  request(command: CommandBody): { id: number; reply: Promise<WorkerMessage> } {
    const id = this.send(command);
    const reply = new Promise<WorkerMessage>((resolve) => this.waiting.set(id, resolve));
    return { id, reply };
  }

  /** Every message from the worker; returns the unsubscribe function. */
  subscribe(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The id the next command will carry. */
  get next(): number {
    return this.nextId;
  }

  terminate(): void {
    this.worker.terminate();
    this.listeners.clear();
    this.waiting.clear();
  }

  /** Stops the worker where it is; every command still waiting is answered with CANCELLED. */
  cancel(): void {
    const waiting = [...this.waiting];
    this.terminate();
    for (const [id, resolve] of waiting) resolve({ type: 'error', message: CANCELLED, id });
  }

  private receive(message: WorkerMessage): void {
    for (const l of this.listeners) l(message);
    if (message.id !== undefined) {
      const resolve = this.waiting.get(message.id);
      if (resolve) {
        this.waiting.delete(message.id);
        resolve(message);
      }
    }
  }
}

/** A new simulation worker (Vite bundles ../../run/worker.ts as its own module chunk). */
export function createSimulationWorker(): Worker {
  return new Worker(new URL('../../run/worker.ts', import.meta.url), { type: 'module', name: 'faultline-simulation' });
}
