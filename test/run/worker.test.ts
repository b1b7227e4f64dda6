import { describe, expect, it } from 'vitest';
import { serve } from '../../src/run/worker';
import { SimulationHost } from '../../src/run/host';
import * as checker from '../../src/run/checker';
import * as tools from '../../src/run/tools';
import type { Checker } from '../../src/run/checker';
import type { Command, WorkerMessage } from '../../src/run/protocol';
import type { ScenarioInput } from '../../src/scenario/schema';

const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'port',
  seed: 'port',
  durationMs: 5_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 20 } },
    { id: 'api', kind: 'service', serviceTime: { dist: 'exponential', meanMs: 10 } },
  ],
};

/** A port the test drives: commands in, answers collected. */
function fakePort() {
  const answers: WorkerMessage[] = [];
  const port = {
    onmessage: null as ((e: MessageEvent<Command>) => void) | null,
    postMessage: (m: WorkerMessage) => void answers.push(m),
    send(command: Command) {
      port.onmessage!({ data: command } as MessageEvent<Command>);
    },
  };
  return { port, answers };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the worker's port", () => {
  it('loads the checker before the first command that needs it, and answers every command in the order it came', async () => {
    const { port, answers } = fakePort();
    let release!: (c: Checker) => void;
    let loads = 0;
    serve(port, new SimulationHost(), {
      checker: () => {
        loads++;
        return new Promise<Checker>((resolve) => (release = resolve));
      },
      tools: () => Promise.resolve(tools),
    });
    port.send({ type: 'load', document: doc, id: 1 });
    port.send({ type: 'advance', toMs: 1_000, id: 2 });
    port.send({ type: 'setDocument', document: { ...doc, seed: 'other' }, id: 3 });
    await settle();
    expect(answers).toEqual([]); // the load waits for the checker, and the advance for the load
    release(checker);
    await settle();
    expect(answers.map((a) => [a.id, a.type])).toEqual([
      [1, 'loaded'],
      [2, 'frame'],
      [3, 'edited'],
    ]);
    expect(loads).toBe(1);
  });

  it('a checker that fails to load answers the command that needed it with an error; the next one tries again', async () => {
    const { port, answers } = fakePort();
    let tries = 0;
    serve(port, new SimulationHost(), {
      checker: () => (++tries === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(checker)),
      tools: () => Promise.resolve(tools),
    });
    port.send({ type: 'load', document: doc, id: 1 });
    port.send({ type: 'load', document: doc, id: 2 });
    await settle();
    await settle();
    expect(answers[0]).toEqual({ type: 'error', id: 1, message: "the worker's checker did not load: offline" });
    expect(answers[1]).toMatchObject({ type: 'loaded', id: 2 });
  });

  it('commands that need no part are answered at once, without loading any', () => {
    const { port, answers } = fakePort();
    const notWanted = () => Promise.reject(new Error('not wanted'));
    serve(port, new SimulationHost(), { checker: notWanted, tools: notWanted });
    port.send({ type: 'advance', toMs: 10, id: 4 });
    expect(answers).toEqual([{ type: 'error', id: 4, message: 'Error: no scenario loaded: send "load" first' }]);
  });

  it('the event log with filters, a waterfall and an export wait for the tools; a plain tail of the log does not', async () => {
    const { port, answers } = fakePort();
    const loaded: string[] = [];
    serve(port, new SimulationHost({ checker }), {
      checker: () => Promise.reject(new Error('already here')),
      tools: () => {
        loaded.push('tools');
        return Promise.resolve(tools);
      },
    });
    port.send({ type: 'load', document: doc, id: 1 });
    port.send({ type: 'advance', toMs: 2_000, id: 2 });
    port.send({ type: 'events', limit: 5, id: 3 });
    expect(answers.map((a) => a.type)).toEqual(['loaded', 'frame', 'events']);
    expect(loaded).toEqual([]);
    port.send({ type: 'events', kinds: [], node: 'api', limit: 5, id: 4 });
    port.send({ type: 'exportEvents', id: 5 });
    await settle();
    expect(loaded).toEqual(['tools']);
    expect(answers.slice(3).map((a) => [a.id, a.type])).toEqual([
      [4, 'events'],
      [5, 'exported'],
    ]);
  });
});
