/**
 * `npm run bench:sweep`: sweep throughput on worker threads, in runs per second of wall time,
 * with 1 and with 2 workers, on 40 runs of the default scenario (one param, 40 seeds). The sweep
 * CLI and its worker are bundled first (esbuild, as a release would ship them), so the figures
 * are the simulation's and the threads', not TypeScript compilation's.
 *
 * Each setting runs `ROUNDS` times, alternating, and the median is reported with the speed-up
 * measured in the same run. A benchmark, not a test: it asserts nothing. The machine's load
 * average is printed alongside, since other work on a shared machine takes cores from the pool.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { defaultScenario } from '../src/scenario/defaultScenario';

const RUNS = 40;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-sweep-'));
await build({
  entryPoints: ['src/cli/sweep.ts', 'src/cli/sweepWorker.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: dir,
  logLevel: 'warning',
});
const doc = join(dir, 'default.json');
writeFileSync(doc, JSON.stringify(defaultScenario));

function once(jobs: number): { seconds: number; rows: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(dir, 'sweep.js'), doc, '--param', `durationMs=${defaultScenario.durationMs ?? 60000}`, '--seeds', String(RUNS), '--jobs', String(jobs), '--csv'], {
    encoding: 'utf8',
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`sweep failed (${r.status}): ${r.stderr}`);
  return { seconds, rows: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
const load = [loadavg()[0]!];
let reference: string | null = null;
for (let round = 0; round < ROUNDS; round++) {
  for (const jobs of [1, 2] as const) {
    const r = once(jobs);
    times[jobs].push(r.seconds);
    // Same rows whatever the number of workers: the figures measure the same work.
    if (reference === null) reference = r.rows;
    else if (r.rows !== reference) throw new Error('the sweep printed different rows on another run');
  }
  load.push(loadavg()[0]!);
}

const rate = (jobs: 1 | 2) => RUNS / median(times[jobs]);
const out = {
  runs: RUNS,
  rounds: ROUNDS,
  cores: availableParallelism(),
  loadAverage1m: load.map((l) => Math.round(l * 100) / 100),
  runsPerSecond: { workers1: Math.round(rate(1) * 100) / 100, workers2: Math.round(rate(2) * 100) / 100 },
  speedup: Math.round((rate(2) / rate(1)) * 100) / 100,
  medianSeconds: { workers1: median(times[1]), workers2: median(times[2]) },
};
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(out)}\n`);
else {
  process.stdout.write(
    `sweep of ${RUNS} runs of the default scenario (median of ${ROUNDS}, ${out.cores} cores, load ${out.loadAverage1m.join(' → ')})\n` +
      `  1 worker : ${out.runsPerSecond.workers1} runs/s (${out.medianSeconds.workers1.toFixed(2)} s)\n` +
      `  2 workers: ${out.runsPerSecond.workers2} runs/s (${out.medianSeconds.workers2.toFixed(2)} s)\n` +
      `  speed-up : ${out.speedup}×\n`,
  );
}
