/**
 * The headless runner: `npm run -s sim -- <scenario.json | share URL> [--json] [--events FILE]
 * [--seed S] [--until MS] [--link [--base URL]]`.
 *
 * Exit status: 0 the run finished; 1 the run broke an accounting invariant (a bug: please report
 * it with the scenario); 2 the input could not be read or is not a valid scenario (every problem
 * is printed with its path); 3 a guardrail stopped the run (the summary says which limit).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRun } from '../run';
import type { Run, RunSummary } from '../run';
import { decodeShareFragment, encodeShareFragment } from '../scenario/codec';
import type { ScenarioInput } from '../scenario/schema';
import { formatProblem, validateScenario } from '../scenario/validate';
import { formatSummary } from './format';

const USAGE = `usage: npm run -s sim -- <scenario.json | share URL> [--json] [--events FILE] [--seed S] [--until MS] [--link [--base URL]]

  --json         print exactly the run summary as JSON on stdout (nothing else)
  --events FILE  write every event of the run to FILE as JSON lines
  --seed S       run with this seed instead of the document's
  --until MS     run to this simulated time (ms) instead of the document's durationMs
  --link         print the document's share link (#s=…) and nothing else; nothing is run
  --base URL     with --link: the app's address to put before the fragment`;

class InputError extends Error {}

function readDocument(source: string): unknown {
  const looksLikeUrl = /^[a-z]+:\/\//i.test(source) || source.startsWith('#') || source.startsWith('s=');
  if (looksLikeUrl) {
    const decoded = decodeShareFragment(source);
    if (!decoded.ok) throw new InputError(`${source.slice(0, 80)}: ${decoded.error}`);
    return decoded.document;
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`${source}: cannot read the file (${why})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${source}: not valid JSON (${(e as Error).message})`);
  }
}

function main(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        events: { type: 'string' },
        seed: { type: 'string' },
        until: { type: 'string' },
        link: { type: 'boolean', default: false },
        base: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`${positionals.length === 0 ? 'a scenario file or share URL is required' : 'only one scenario at a time'}\n${USAGE}\n`);
    return 2;
  }

  let doc: unknown;
  try {
    doc = readDocument(positionals[0]!);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>;
    if (values.seed !== undefined) d.seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
    if (values.until !== undefined) {
      const until = Number(values.until);
      if (!Number.isFinite(until) || until <= 0) {
        process.stderr.write(`error: --until must be a positive number of milliseconds — got "${values.until}"\n`);
        return 2;
      }
      d.durationMs = until;
    }
  }

  const result = validateScenario(doc);
  if (!result.ok) {
    process.stderr.write(`error: ${positionals[0]} is not a valid scenario (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n`);
    // A value given on the command line is named by its flag, not by the key it replaced.
    const flagFor: Record<string, string | undefined> = {
      durationMs: values.until === undefined ? undefined : '--until',
      seed: values.seed === undefined ? undefined : '--seed',
    };
    for (const p of result.problems) process.stderr.write(`  ${formatProblem({ ...p, path: flagFor[p.path] ?? p.path })}\n`);
    return 2;
  }
  if (values.link) {
    process.stdout.write(`${values.base === undefined ? '#' : `${values.base.replace(/#.*$/, '')}#`}${encodeShareFragment(doc as ScenarioInput)}\n`);
    return 0;
  }

  const run: Run = createRun(result.scenario, { keepAllEvents: values.events !== undefined, logCapacity: 1000 });
  if (values.events !== undefined) {
    const out = createWriteStream(values.events);
    while (!run.finished) {
      run.advanceTo(run.durationMs, 250_000);
      const lines = run.drainEvents().map((e) => JSON.stringify(e));
      if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
    }
    out.end();
  } else {
    run.runToEnd();
  }
  const summary: RunSummary = run.summary();

  process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (!summary.invariants.ok) {
    process.stderr.write(`error: the run broke ${summary.invariants.violations.length} accounting invariant(s); this is a bug in Faultline.\n`);
    return 1;
  }
  if (summary.stoppedBy) {
    process.stderr.write(`stopped early: ${summary.stoppedBy}\n`);
    return 3;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
