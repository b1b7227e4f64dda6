/**
 * `npm run bench:sweep`: sweep throughput on worker threads, in runs per second of wall time,
 * with 1 and with 2 workers, on 40 runs of the default scenario (one param, 40 seeds), and on 400
 * to see the pool once start-up no longer dominates. The sweep CLI and its worker are bundled
 * first (esbuild, as a release would ship them), so the figures are the simulation's and the
 * threads', not TypeScript compilation's.
 *
 * The reference, measured in the same run: the same rows as two separate processes of one worker
 * each (the halves, `--shard 0/2` and `1/2`) started together. It is what two cores give this
 * work with no pool at all (a run also keeps the collector's and compiler's threads busy, so two
 * at once share more than two cores' worth); "2 workers / reference" near 1 says the pool loses
 * nothing to it.
 *
 * Each setting runs `ROUNDS` times, alternating, and the median is reported. A benchmark, not a
 * test: it asserts nothing. The machine's load average is printed alongside, since other work on
 * a shared machine takes cores from the pool.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { defaultScenario } from '../src/scenario/defaultScenario';

const SIZES = [40, 400] as const;
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

function args(runs: number, jobs: number, shard?: string): string[] {
  const list = [join(dir, 'sweep.js'), doc, '--param', `durationMs=${defaultScenario.durationMs ?? 60000}`, '--seeds', String(runs), '--jobs', String(jobs), '--csv'];
  return shard === undefined ? list : [...list, '--shard', shard];
}

function once(runs: number, jobs: number): { seconds: number; rows: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args(runs, jobs), { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`sweep failed (${r.status}): ${r.stderr}`);
  return { seconds, rows: r.stdout };
}

/** The reference: the two halves as two processes of one worker each, started together. */
async function halves(runs: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    ['0/2', '1/2'].map(
      (shard) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, args(runs, 1, shard), { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`shard ${shard} failed (${code}): ${stderr}`))));
        }),
    ),
  );
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

const load = [loadavg()[0]!];
const results = [];
for (const runs of SIZES) {
  const times = { workers1: [] as number[], workers2: [] as number[], reference: [] as number[] };
  let reference: string | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    for (const jobs of [1, 2] as const) {
      const r = once(runs, jobs);
      times[jobs === 1 ? 'workers1' : 'workers2'].push(r.seconds);
      // Same rows whatever the number of workers: the figures measure the same work.
      if (reference === null) reference = r.rows;
      else if (r.rows !== reference) throw new Error('the sweep printed different rows on another run');
    }
    times.reference.push(await halves(runs));
    load.push(loadavg()[0]!);
  }
  const rate = (xs: number[]) => round2(runs / median(xs));
  results.push({
    runs,
    runsPerSecond: { workers1: rate(times.workers1), workers2: rate(times.workers2), reference: rate(times.reference) },
    speedup: round2(median(times.workers1) / median(times.workers2)),
    workers2VsReference: round2(median(times.reference) / median(times.workers2)),
    medianSeconds: { workers1: median(times.workers1), workers2: median(times.workers2), reference: median(times.reference) },
  });
}

const out = { rounds: ROUNDS, cores: availableParallelism(), loadAverage1m: load.map(round2), sizes: results };
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(out)}\n`);
else {
  process.stdout.write(`sweep of the default scenario (median of ${ROUNDS}, ${out.cores} cores, load ${out.loadAverage1m.join(' → ')})\n`);
  for (const r of results) {
    const s = r.medianSeconds;
    process.stdout.write(
      `  ${r.runs} runs\n` +
        `    1 worker : ${r.runsPerSecond.workers1} runs/s (${s.workers1.toFixed(2)} s)\n` +
        `    2 workers: ${r.runsPerSecond.workers2} runs/s (${s.workers2.toFixed(2)} s), ${r.speedup}× one worker\n` +
        `    reference: ${r.runsPerSecond.reference} runs/s (${s.reference.toFixed(2)} s; two processes of one worker), 2 workers at ${r.workers2VsReference}× it\n`,
    );
  }
}
