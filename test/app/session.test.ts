import { describe, expect, it } from 'vitest';
import { CANCELLED } from '../../src/app/simulation/bridge';
import { WorkerSession } from '../../src/app/simulation/session';
import type { Command, WorkerMessage } from '../../src/run/protocol';

/** A worker that keeps what it is sent and answers only when told to. */
class FakeWorker {
  sent: Command[] = [];
  terminated = false;
  private listener: ((e: MessageEvent<WorkerMessage>) => void) | null = null;
  postMessage(message: Command): void {
    this.sent.push(message);
  }
  addEventListener(type: string, listener: (e: MessageEvent<WorkerMessage>) => void): void {
    if (type === 'message') this.listener = listener;
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(message: WorkerMessage): void {
    this.listener?.({ data: message } as MessageEvent<WorkerMessage>);
  }
}

function session() {
  const workers = [new FakeWorker()];
  const s = new WorkerSession({ frame: () => undefined, fail: () => undefined, answered: () => undefined }, workers[0] as unknown as Worker, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { s, workers };
}

describe('the worker session', () => {
  it('a load that comes while a link is still being decoded stops that worker and goes to a fresh one; the link is answered as cancelled', async () => {
    const { s, workers } = session();
    const heavy = s.requestReplacing({ type: 'open', link: '#s=2.heavy' });
    const preset = s.requestReplacing({ type: 'load', document: { name: 'preset' } });
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.sent).toEqual([{ type: 'load', document: { name: 'preset' }, id: preset.id }]);
    expect(preset.id).toBeGreaterThan(heavy.id);
    expect(await heavy.reply).toEqual({ type: 'error', message: CANCELLED, id: heavy.id });
    expect(s.isCurrent(preset.id)).toBe(true);
    expect(s.isStale(heavy.id)).toBe(true);
    expect(s.restarts).toBe(1);
  });

  it('a load after the one before was answered keeps the worker', async () => {
    const { s, workers } = session();
    const first = s.requestReplacing({ type: 'load', document: { name: 'a' } });
    workers[0]!.answer({ type: 'invalid', problems: [], id: first.id });
    await first.reply;
    s.requestReplacing({ type: 'load', document: { name: 'b' } });
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent.map((c) => c.id)).toEqual([1, 2]);
  });

  it('without a way to make workers, a load waits for the one before it', () => {
    const worker = new FakeWorker();
    const s = new WorkerSession({ frame: () => undefined, fail: () => undefined, answered: () => undefined }, worker as unknown as Worker);
    s.requestReplacing({ type: 'open', link: '#s=2.x' });
    s.requestReplacing({ type: 'load', document: {} });
    expect(worker.terminated).toBe(false);
    expect(worker.sent).toHaveLength(2);
  });
});
