/**
 * A sweep's worker thread (sweep.ts starts one per job slot): it gets one validated row at a
 * time and answers each with its result. It imports the runner only (no schema library).
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { runSweepJob, type SweepJob, type SweepResult } from '../run/sweepJob';

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (job: SweepJob) => {
    let result: SweepResult;
    try {
      result = runSweepJob(job);
    } catch (e) {
      result = { index: job.index, traceHash: null, metrics: job.metrics.map(() => null), stoppedBy: `crashed: ${(e as Error).message}`, broken: true };
    }
    port.postMessage(result);
  });
}
