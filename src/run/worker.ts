/**
 * The Web Worker entry: a SimulationHost (host.ts) on the worker's message port. Commands are
 * answered one at a time, in the order they came; the first command that checks a document or
 * a link (see `needsChecker`) waits for the checker's chunk (checker.ts) to load, and the
 * commands after it wait for it.
 */
import { SimulationHost } from './host';
import type { Checker } from './checker';
import type { Command, WorkerMessage } from './protocol';

interface Port {
  onmessage: ((e: MessageEvent<Command>) => void) | null;
  postMessage(message: WorkerMessage): void;
}

/** Wires a host to a port: each command answered in order, the checker loaded before the first that needs it. */
export function serve(port: Port, host: SimulationHost, loadChecker: () => Promise<Checker>): void {
  const waiting: Command[] = [];
  let loading = false;
  const answer = (command: Command) => {
    let reply: WorkerMessage;
    try {
      reply = host.handle(command);
    } catch (err) {
      reply = { type: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  };
  const drain = () => {
    while (waiting.length > 0) {
      const next = waiting[0]!;
      if (!host.ready(next)) {
        if (loading) return;
        loading = true;
        loadChecker().then(
          (checker) => {
            host.useChecker(checker);
            loading = false;
            drain();
          },
          (err: unknown) => {
            loading = false;
            // The command that needed it is answered with the error; the next one tries again.
            const command = waiting.shift()!;
            const message = `the scenario checker did not load: ${err instanceof Error ? err.message : String(err)}`;
            port.postMessage({ type: 'error', message, ...(command.id === undefined ? {} : { id: command.id }) });
            drain();
          },
        );
        return;
      }
      waiting.shift();
      answer(next);
    }
  };
  port.onmessage = (e) => {
    waiting.push(e.data);
    if (!loading) drain();
  };
}

// Skipped when imported outside a worker.
if ((globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== undefined) {
  serve(self as unknown as Port, new SimulationHost(), () => import('./checker'));
}
