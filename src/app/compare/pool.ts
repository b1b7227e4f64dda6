/**
 * A pool of Web Workers for a sweep: each worker takes the next job as soon as it answers the
 * last, so a slow run never holds up the others; results come back as they finish (not in row
 * order). Jobs are made only when a worker is free (`make` validates a row just before handing it
 * out); a row that cannot run answers at once. Cancel stops every worker now.
 */

/** The parts of a Worker the pool uses (a test hands it fakes). */
export interface PoolWorker<J, R> {
  postMessage(job: J): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<R>) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  terminate(): void;
}

/** The pool's size on this machine: the cores but one (the page keeps one), at least 1. */
export function poolSize(hardwareConcurrency: number | undefined, jobs: number): number {
  const cores = Number.isFinite(hardwareConcurrency) && hardwareConcurrency! > 0 ? Math.floor(hardwareConcurrency!) : 2;
  return Math.max(1, Math.min(cores - 1, jobs));
}

export interface PoolTask<J, R> {
  /** How many jobs; they are numbered 0 .. count-1 and handed out in that order. */
  count: number;
  /** The job for index i, or its result when it cannot run (an invalid combination). */
  make(index: number): { job: J } | { result: R };
  /** The result of a job whose worker failed (the pool starts a new worker for the next job). */
  failed(index: number, message: string): R;
  /** Each result as it comes back, with the number done so far. */
  onResult(result: R, index: number, done: number): void;
}

export type PoolOutcome = 'done' | 'cancelled';

export class WorkerPool<J, R> {
  private readonly workers: (PoolWorker<J, R> | null)[] = [];
  private cancelled = false;
  private finish: ((outcome: PoolOutcome) => void) | null = null;

  constructor(
    private readonly create: () => PoolWorker<J, R>,
    readonly size: number,
  ) {}

  /** Runs every job; resolves when all answered, or at once on cancel. */
  run(task: PoolTask<J, R>): Promise<PoolOutcome> {
    let next = 0;
    let done = 0;
    return new Promise<PoolOutcome>((resolve) => {
      this.finish = resolve;
      if (task.count === 0) return this.end('done');
      const complete = (index: number, result: R) => {
        done++;
        task.onResult(result, index, done);
        if (done === task.count) this.end('done');
      };
      /** Gives worker slot `slot` its next job (rows that cannot run answer on the spot). */
      const feed = (slot: number) => {
        while (!this.cancelled && next < task.count) {
          const index = next++;
          const made = task.make(index);
          if ('result' in made) {
            complete(index, made.result);
            continue;
          }
          let worker = this.workers[slot];
          if (!worker) worker = this.workers[slot] = this.spawn(slot, feed, complete, task);
          (worker as PoolWorker<J, R> & { current?: number }).current = index;
          worker.postMessage(made.job);
          return;
        }
      };
      for (let slot = 0; slot < this.size && next < task.count; slot++) feed(slot);
    });
  }

  /** Stops every worker now; the run's promise resolves 'cancelled'. */
  cancel(): void {
    this.cancelled = true;
    this.end('cancelled');
  }

  /** Workers alive right now. */
  get alive(): number {
    return this.workers.filter((w) => w !== null).length;
  }

  private spawn(slot: number, feed: (slot: number) => void, complete: (index: number, result: R) => void, task: PoolTask<J, R>): PoolWorker<J, R> {
    const worker = this.create() as PoolWorker<J, R> & { current?: number };
    worker.addEventListener('message', (e) => {
      if (this.cancelled) return;
      complete(worker.current!, e.data);
      feed(slot);
    });
    worker.addEventListener('error', (e) => {
      if (this.cancelled) return;
      const index = worker.current!;
      worker.terminate();
      this.workers[slot] = null;
      complete(index, task.failed(index, e.message || 'the sweep worker failed'));
      feed(slot);
    });
    return worker;
  }

  private end(outcome: PoolOutcome): void {
    for (const w of this.workers) w?.terminate();
    this.workers.length = 0;
    const finish = this.finish;
    this.finish = null;
    finish?.(outcome);
  }
}
