/**
 * The headless runner: `npm run -s sim -- <scenario.json | share URL> [--json] [--events FILE]
 * [--seed S] [--until MS] [--set PATH=VALUE]... [--variant NAME] [--link [--base URL]]`.
 *
 * Exit status: 0 the run finished; 1 the run broke an accounting invariant (a bug: please report
 * it with the scenario); 2 the input could not be read or is not a valid scenario (every problem
 * is printed with its path); 3 a guardrail stopped the run (the summary says which limit); 4 the run
 * finished but one of the document's expectations failed (each failure is printed).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRun } from '../run';
import type { Run, RunSummary } from '../run';
import { encodeShareFragment } from '../scenario/codec';
import type { ScenarioInput } from '../scenario/schema';
import { formatProblem, validateScenario } from '../scenario/validate';
import type { Problem } from '../scenario/problem';
import { parseAssignment } from '../scenario/paths';
import { variantDocument, withSettings } from '../scenario/variants';
import { describeFailure } from '../run/expect';
import { InputError, readDocument } from './document';
import { formatSummary } from './format';

const USAGE = `usage: npm run -s sim -- <scenario.json | share URL> [--json] [--events FILE] [--seed S] [--until MS]
                          [--set PATH=VALUE]... [--variant NAME] [--link [--base URL]]

  --json         print exactly the run summary as JSON on stdout (nothing else)
  --events FILE  write every event of the run to FILE as JSON lines
  --seed S       run with this seed instead of the document's
  --until MS     run to this simulated time (ms) instead of the document's durationMs
  --set PATH=VALUE  replace one setting (PATH as in nodes[api].calls[db].retry.jitter; VALUE is
                 JSON, or else a bare string); repeat for more
  --variant NAME run one of the document's variants
  --link         print the document's share link (#s=…) and nothing else; nothing is run
  --base URL     with --link: the app's address to put before the fragment

Exit status: 0 finished; 1 an accounting invariant broke; 2 bad input; 3 a guardrail stopped
the run; 4 an expectation of the document failed.`;

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
        set: { type: 'string', multiple: true, default: [] },
        variant: { type: 'string' },
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

  // A value given on the command line is named by its flag, not by the key it replaced.
  const flagFor: Record<string, string | undefined> = {
    durationMs: values.until === undefined ? undefined : '--until',
    seed: values.seed === undefined ? undefined : '--seed',
  };
  const invalid = (problems: Problem[]): number => {
    process.stderr.write(`error: ${positionals[0]} is not a valid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n`);
    for (const p of problems) process.stderr.write(`  ${formatProblem({ ...p, path: flagFor[p.path] ?? p.path })}\n`);
    return 2;
  };

  if (values.variant !== undefined) {
    const v = variantDocument(doc, values.variant);
    if (!v.ok) return invalid(v.problems);
    doc = v.document;
  }
  const settings: [string, unknown][] = [];
  for (const text of values.set) {
    const a = parseAssignment(text);
    if (!a.ok) {
      process.stderr.write(`error: --set ${a.message}\n`);
      return 2;
    }
    settings.push([a.path, a.value]);
  }

  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const d = { ...(doc as Record<string, unknown>) };
    doc = d;
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

  const result = settings.length > 0 ? withSettings(doc, settings, validateScenario) : validateScenario(doc);
  if (!result.ok) return invalid(result.problems);
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

  process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, { ...(values.variant !== undefined ? { variant: values.variant } : {}), settings }) + formatExpectations(summary));
  if (!summary.invariants.ok) {
    process.stderr.write(`error: the run broke ${summary.invariants.violations.length} accounting invariant(s); this is a bug in Faultline.\n`);
    return 1;
  }
  if (summary.stoppedBy) {
    process.stderr.write(`stopped early: ${summary.stoppedBy}\n`);
    return 3;
  }
  const unreadable = (summary.expectations ?? []).filter((e) => e.error !== undefined);
  if (unreadable.length > 0) {
    for (const e of unreadable) process.stderr.write(`error: expect: ${e.error}\n`);
    return 2;
  }
  const failed = (summary.expectations ?? []).filter((e) => !e.ok);
  if (failed.length > 0) {
    for (const e of failed) process.stderr.write(`expectation failed: ${describeFailure(e)}\n`);
    return 4;
  }
  return 0;
}

/** The checked expectations under the readable summary ("" when the document has none). */
function formatExpectations(summary: RunSummary): string {
  const list = summary.expectations ?? [];
  if (list.length === 0) return '';
  const held = list.filter((e) => e.ok).length;
  const lines = list.map((e) => {
    const bounds = [e.min !== null ? `>= ${e.min}` : '', e.max !== null ? `<= ${e.max}` : ''].filter(Boolean).join(' and ');
    return `  ${e.ok ? 'ok  ' : 'FAIL'}  ${e.metric} ${bounds}: ${e.actual === null ? '-' : e.actual}`;
  });
  return `\nexpectations: ${held} of ${list.length} hold\n${lines.join('\n')}\n`;
}

process.exitCode = main(process.argv.slice(2));
