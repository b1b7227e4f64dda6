/**
 * A sweep's worker thread (sweep.ts starts one per job slot). It gets the document once, as
 * workerData, then one job at a time, and answers each with its row's result.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runSweepRow, type SweepJob, type SweepResult } from './sweepRun';

/** What sweep.ts gives each worker. */
export interface SweepWorkerData {
  document: unknown;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { document } = workerData as SweepWorkerData;
  port.on('message', (job: SweepJob) => {
    let result: SweepResult;
    try {
      result = runSweepRow(document, job);
    } catch (e) {
      result = { index: job.row.index, traceHash: null, metrics: job.metrics.map(() => null), stoppedBy: `crashed: ${(e as Error).message}`, broken: true };
    }
    port.postMessage(result);
  });
}
