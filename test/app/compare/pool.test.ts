import { describe, expect, it } from 'vitest';
import { WorkerPool, poolSize, type PoolWorker } from '../../../src/app/compare/pool';

/** A fake worker answering each job (a number) with its double after `delay(job)` ms of a fake clock. */
class FakeWorker implements PoolWorker<number, number> {
  static alive = 0;
  static log: string[] = [];
  private onMessage: ((e: MessageEvent<number>) => void) | null = null;
  private onError: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  constructor(
    readonly id: number,
    private readonly clock: FakeClock,
  ) {
    FakeWorker.alive++;
  }
  addEventListener(type: 'message' | 'error', listener: ((e: MessageEvent<number>) => void) | ((e: ErrorEvent) => void)): void {
    if (type === 'message') this.onMessage = listener as (e: MessageEvent<number>) => void;
    else this.onError = listener as (e: ErrorEvent) => void;
  }
  postMessage(job: number): void {
    FakeWorker.log.push(`w${this.id}:${job}`);
    this.clock.at(job % 3 === 0 ? 30 : 10, () => {
      if (this.terminated) return;
      if (job === 13) this.onError?.({ message: 'boom' } as ErrorEvent);
      else this.onMessage?.({ data: job * 2 } as MessageEvent<number>);
    });
  }
  terminate(): void {
    if (!this.terminated) FakeWorker.alive--;
    this.terminated = true;
  }
}

class FakeClock {
  now = 0;
  private queue: { t: number; f: () => void }[] = [];
  at(delay: number, f: () => void) {
    this.queue.push({ t: this.now + delay, f });
    this.queue.sort((a, b) => a.t - b.t);
  }
  /** Runs timers until none are left or `until` is passed. */
  run(until = Infinity) {
    while (this.queue.length > 0 && this.queue[0]!.t <= until) {
      const { t, f } = this.queue.shift()!;
      this.now = t;
      f();
    }
  }
}

function setup(size: number) {
  FakeWorker.alive = 0;
  FakeWorker.log = [];
  const clock = new FakeClock();
  let n = 0;
  const pool = new WorkerPool<number, number>(() => new FakeWorker(n++, clock), size);
  return { clock, pool };
}

describe('poolSize', () => {
  it('is the cores but one, at least one, at most the jobs', () => {
    expect(poolSize(8, 100)).toBe(7);
    expect(poolSize(2, 100)).toBe(1);
    expect(poolSize(1, 100)).toBe(1);
    expect(poolSize(undefined, 100)).toBe(1);
    expect(poolSize(8, 3)).toBe(3);
  });
});

describe('WorkerPool', () => {
  it('hands a free worker the next job at once, so slow runs do not hold up the others', async () => {
    const { clock, pool } = setup(2);
    const order: number[] = [];
    const run = pool.run({ count: 6, make: (i) => ({ job: i }), failed: () => -1, onResult: (r, i) => order.push(i) });
    clock.run();
    await expect(run).resolves.toBe('done');
    // Job 0 takes 30 ms (so do 3): worker 1 meanwhile runs 1, 2, then 3; worker 0 then 4 and 5.
    expect(FakeWorker.log).toEqual(['w0:0', 'w1:1', 'w1:2', 'w1:3', 'w0:4', 'w0:5']);
    expect(order).toEqual([1, 2, 0, 4, 3, 5]);
    expect(FakeWorker.alive).toBe(0);
  });

  it('answers rows that cannot run without a worker, and counts them done', async () => {
    const { clock, pool } = setup(1);
    const results = new Map<number, number>();
    const run = pool.run({ count: 4, make: (i) => (i % 2 === 0 ? { result: -100 - i } : { job: i }), failed: () => -1, onResult: (r, i) => results.set(i, r) });
    clock.run();
    await run;
    expect([...results.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, -100], [1, 2], [2, -102], [3, 6]]);
  });

  it('a worker that fails marks its job and the pool goes on with a new worker', async () => {
    const { clock, pool } = setup(1);
    const results = new Map<number, number>();
    const run = pool.run({ count: 15, make: (i) => ({ job: i }), failed: (i) => -i, onResult: (r, i) => results.set(i, r) });
    clock.run();
    await run;
    expect(results.get(13)).toBe(-13);
    expect(results.get(14)).toBe(28);
    expect(results.size).toBe(15);
  });

  it('cancel stops every worker and nothing more is handed out', async () => {
    const { clock, pool } = setup(2);
    let done = 0;
    const run = pool.run({ count: 100, make: (i) => ({ job: i }), failed: () => -1, onResult: () => done++ });
    clock.run(25);
    expect(pool.alive).toBe(2);
    pool.cancel();
    await expect(run).resolves.toBe('cancelled');
    const sent = FakeWorker.log.length;
    clock.run();
    expect(FakeWorker.alive).toBe(0);
    expect(FakeWorker.log.length).toBe(sent);
    expect(done).toBeLessThan(10);
  });
});
