/**
 * The Web Worker entry: a SimulationHost (host.ts) on the worker's message port. Commands are
 * answered one at a time, in the order they came; the first command that needs a part loaded
 * later (`partsNeeded`: the checker, the tools) waits for its chunk, and the commands after it
 * wait for it.
 */
import { SimulationHost } from './host';
import type { HostParts, PartName } from './host';
import type { Command, WorkerMessage } from './protocol';

interface Port {
  onmessage: ((e: MessageEvent<Command>) => void) | null;
  postMessage(message: WorkerMessage): void;
}

/** How each part is loaded. */
export type PartLoaders = { [K in PartName]: () => Promise<HostParts[K]> };

/** Wires a host to a port: each command answered in order, the parts it needs loaded first. */
export function serve(port: Port, host: SimulationHost, loaders: PartLoaders): void {
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
  const load = <K extends PartName>(name: K) => {
    loading = true;
    loaders[name]().then(
      (part) => {
        host.provide(name, part);
        loading = false;
        drain();
      },
      (err: unknown) => {
        loading = false;
        // The command that needed it is answered with the error; the next one tries again.
        const command = waiting.shift()!;
        const message = `the worker's ${name} did not load: ${err instanceof Error ? err.message : String(err)}`;
        port.postMessage({ type: 'error', message, ...(command.id === undefined ? {} : { id: command.id }) });
        drain();
      },
    );
  };
  const drain = () => {
    while (waiting.length > 0) {
      const missing = host.missing(waiting[0]!);
      if (missing.length > 0) {
        load(missing[0]!);
        return;
      }
      answer(waiting.shift()!);
    }
  };
  port.onmessage = (e) => {
    waiting.push(e.data);
    if (!loading) drain();
  };
}

// Skipped when imported outside a worker.
if ((globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== undefined) {
  serve(self as unknown as Port, new SimulationHost(), { checker: () => import('./checker'), tools: () => import('./tools') });
}
