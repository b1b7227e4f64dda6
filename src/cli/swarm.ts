/**
 * `npm run swarm -- [--seed N] [--runs K] [--out DIR]`: random topologies and fault timelines
 * drawn from one seed (src/run/swarm.ts), each checked for accounting, determinism, slicing and
 * recovery. Prints the seed first; a failure prints the seed and run number that reproduce it
 * and writes the failing scenario to DIR (default `swarm-failures/`) for `npm run sim`.
 * Exit status 0 when every run passed, 1 otherwise, 2 for bad arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkCase, swarmCase } from '../run/swarm';
import type { SwarmFailure } from '../run/swarm';

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { seed: { type: 'string' }, runs: { type: 'string', default: '200' }, run: { type: 'string' }, out: { type: 'string', default: 'swarm-failures' } },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nusage: npm run swarm -- [--seed N] [--runs K] [--run I] [--out DIR]\n`);
    return 2;
  }
  // The seed of a swarm is the only thing not drawn from a seed: take it from the clock when not given.
  const seed = values.seed ?? String(Math.floor(performance.timeOrigin + performance.now()) % 1_000_000_000);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs must be a positive whole number, got "${values.runs}"\n`);
    return 2;
  }
  const only = values.run === undefined ? null : Number(values.run);
  process.stdout.write(`swarm seed ${seed}: ${only === null ? `${runs} runs` : `run ${only}`}\n`);
  const started = performance.now();
  const failures: SwarmFailure[] = [];
  const first = only ?? 0;
  const last = only ?? runs - 1;
  for (let k = first; k <= last; k++) {
    const failure = checkCase(swarmCase(seed, k));
    if (failure) {
      failures.push(failure);
      mkdirSync(values.out, { recursive: true });
      const file = join(values.out, `swarm-${seed}-${k}.json`);
      writeFileSync(file, `${JSON.stringify(failure.document, null, 2)}\n`);
      process.stdout.write(`FAIL run ${k} (${failure.check}): ${failure.message.split('\n')[0]}\n  reproduce: npm run swarm -- --seed ${seed} --run ${k}    scenario: ${file}\n`);
    }
    if ((k - first + 1) % 100 === 0) process.stdout.write(`  ${k - first + 1} runs, ${failures.length} failed, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const total = last - first + 1;
  process.stdout.write(`${total} runs, ${failures.length} failed, ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${seed})\n`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
