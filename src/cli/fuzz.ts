/**
 * `npm run fuzz -- [--seed N] [--inputs K] [--budget-ms MS] [--clock cpu|wall] [--out DIR]`: K inputs drawn from one
 * seed (src/cli/fuzzCases.ts: random links, damaged links, mutated presets), each decoded and
 * validated as the app and the CLI would. Prints the seed first; any crash (something thrown, or
 * an accepted document that does not survive its own share link) prints the seed, the input's
 * number and how it was made, and writes the input to DIR (default `fuzz-failures/`). At the end:
 * counts by verdict and family, inputs over the time budget, and the slowest input. An input's
 * time is the CPU time the process spent on it (`--clock cpu`, the default: on a shared machine
 * other work does not count against it), or the wall time (`--clock wall`); the slowest by the
 * other clock is printed too.
 * Exit status 0 when nothing crashed and nothing went over the budget, 1 otherwise, 2 for bad
 * arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkInput, fuzzInput, warmUp, type FuzzInput, type FuzzOutcome } from './fuzzCases';

const USAGE = 'usage: npm run fuzz -- [--seed N] [--inputs K] [--budget-ms MS] [--clock cpu|wall] [--out DIR]';

/** CPU milliseconds this process has used (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        inputs: { type: 'string', default: '10000' },
        'budget-ms': { type: 'string', default: '250' },
        out: { type: 'string', default: 'fuzz-failures' },
        clock: { type: 'string', default: 'cpu' },
      },
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // The seed is the only thing not drawn from a seed: take it from the clock when not given.
  const seed = values.seed === undefined ? Math.floor(performance.timeOrigin + performance.now()) % 2_147_483_647 : Number(values.seed);
  const inputs = Number(values.inputs);
  const budgetMs = Number(values['budget-ms']);
  if (!Number.isInteger(seed)) return bad(`--seed must be a whole number, got "${values.seed}"`);
  if (!Number.isInteger(inputs) || inputs < 1) return bad(`--inputs must be a positive whole number, got "${values.inputs}"`);
  if (!(budgetMs > 0)) return bad(`--budget-ms must be a positive number, got "${values['budget-ms']}"`);
  if (values.clock !== 'cpu' && values.clock !== 'wall') return bad(`--clock must be cpu or wall, got "${values.clock}"`);
  const clock = values.clock;
  const now = clock === 'cpu' ? cpuMs : () => performance.now();
  const other = clock === 'cpu' ? () => performance.now() : cpuMs;

  process.stdout.write(`fuzz seed ${seed}: ${inputs} inputs, budget ${budgetMs} ms of ${clock === 'cpu' ? 'CPU' : 'wall'} time each (after an untimed warm-up)\n`);
  warmUp();
  const started = performance.now();
  const counts = new Map<string, number>();
  const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  let crashes = 0;
  let overBudget = 0;
  let slowest: { index: number; input: FuzzInput; outcome: FuzzOutcome } | undefined;
  let slowestOther: { index: number; ms: number } | undefined;
  let index = 0;

  const report = (kind: string, input: FuzzInput, outcome: FuzzOutcome) => {
    mkdirSync(values.out, { recursive: true });
    const file = join(values.out, `fuzz-${seed}-${index}.txt`);
    writeFileSync(file, `${input.text}\n`);
    const shown = input.text.length > 300 ? `${input.text.slice(0, 300)}… (${input.text.length} characters)` : input.text;
    process.stdout.write(
      `${kind} input ${index} (${input.family}, ${input.form}: ${input.how}) in ${outcome.ms.toFixed(1)} ms${outcome.error ? `: ${outcome.error}` : ''}\n` +
        `  input: ${shown}\n  whole input: ${file}    reproduce: npm run fuzz -- --seed ${seed} --inputs ${index + 1}\n`,
    );
  };

  fc.assert(
    fc.property(fuzzInput, (input) => {
      const otherStart = other();
      const outcome = checkInput(input, now);
      const otherMs = other() - otherStart;
      if (!slowestOther || otherMs > slowestOther.ms) slowestOther = { index, ms: otherMs };
      count(outcome.verdict);
      count(`${input.family} ${outcome.verdict}`);
      if (outcome.verdict === 'crash') {
        crashes++;
        report('CRASH', input, outcome);
      } else if (outcome.ms > budgetMs) {
        overBudget++;
        report('SLOW', input, outcome);
      }
      if (!slowest || outcome.ms > slowest.outcome.ms) slowest = { index, input, outcome };
      index++;
      if (index % 1000 === 0) {
        const worst = slowest ? `; slowest so far input ${slowest.index}, ${slowest.outcome.ms.toFixed(1)} ms` : '';
        process.stdout.write(`  ${index} inputs, ${crashes} crashed, ${overBudget} over budget, ${((performance.now() - started) / 1000).toFixed(1)} s${worst}\n`);
      }
      return true;
    }),
    { seed, numRuns: inputs },
  );

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${index} inputs in ${seconds.toFixed(1)} s (seed ${seed}): ${counts.get('accepted') ?? 0} accepted, ${counts.get('refused') ?? 0} refused, ${crashes} crashed, ${overBudget} over ${budgetMs} ms\n`);
  for (const family of ['random-link', 'damaged-link', 'mutated-preset']) {
    const of = (v: string) => counts.get(`${family} ${v}`) ?? 0;
    process.stdout.write(`  ${family.padEnd(15)} ${String(of('accepted')).padStart(7)} accepted ${String(of('refused')).padStart(7)} refused ${String(of('crash')).padStart(5)} crashed\n`);
  }
  if (slowest) {
    const s = slowest;
    const shown = s.input.text.length > 120 ? `${s.input.text.slice(0, 120)}… (${s.input.text.length} characters)` : s.input.text;
    process.stdout.write(`slowest: input ${s.index}, ${s.outcome.ms.toFixed(1)} ms ${clock === 'cpu' ? 'CPU' : 'wall'}, ${s.outcome.verdict} (${s.input.family}, ${s.input.form}: ${s.input.how})\n  ${shown}\n`);
  }
  if (slowestOther) process.stdout.write(`slowest by ${clock === 'cpu' ? 'wall' : 'CPU'} time: input ${slowestOther.index}, ${slowestOther.ms.toFixed(1)} ms\n`);
  return crashes === 0 && overBudget === 0 ? 0 : 1;
}

function bad(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
