/**
 * The app's sweep worker (a Web Worker; the app starts a pool of them): it gets one validated row
 * at a time and answers each with its result, as the CLI's worker threads do. It imports the
 * runner only: the page validates each row just before handing it out, so no schema library loads
 * here.
 */
import { runSweepJob, type SweepJob, type SweepResult } from './sweepJob';

interface Port {
  onmessage: ((e: MessageEvent<SweepJob>) => void) | null;
  postMessage(message: SweepResult): void;
}

const scope = (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== undefined ? (self as unknown as Port) : null;
if (scope) {
  scope.onmessage = (e) => {
    const job = e.data;
    let result: SweepResult;
    try {
      result = runSweepJob(job);
    } catch (err) {
      result = { index: job.index, traceHash: null, metrics: job.metrics.map(() => null), stoppedBy: `crashed: ${err instanceof Error ? err.message : String(err)}`, broken: true };
    }
    scope.postMessage(result);
  };
}
