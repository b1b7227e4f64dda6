/**
 * Configuration in and out of a scenario, with the converters the app uses:
 *
 *   npm run -s convert -- FILE --from rabbitmq|resilience4j|opossum [--vhost V] [--instance NAME]
 *                              [--into SCENARIO [--call NODE->TARGET]]
 *   npm run -s convert -- SCENARIO --to rabbitmq|resilience4j|opossum [--call NODE->TARGET]
 *                              [--vhost V] [--instance NAME]
 *
 * The result goes to stdout (JSON, or YAML for resilience4j); the settings that do not map go to
 * stderr as a list. Exit status: 0 converted; 2 unreadable or invalid input (each problem named
 * by line or key path).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applyPolicy,
  exportOpossum,
  exportRabbitDefinitions,
  exportResilience4j,
  findPolicyHolder,
  formatNote,
  importOpossum,
  importRabbitDefinitions,
  importResilience4j,
  listPolicyHolders,
  parseJsonText,
  policyOf,
  type Note,
  type PolicyHolder,
  type Problem,
} from '../scenario/convert';
import { formatProblem, validateScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/schema';

const FORMATS = ['rabbitmq', 'resilience4j', 'opossum'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `usage: npm run -s convert -- FILE --from rabbitmq|resilience4j|opossum [--vhost V] [--instance NAME] [--into SCENARIO [--call NODE->TARGET]]
       npm run -s convert -- SCENARIO --to rabbitmq|resilience4j|opossum [--call NODE->TARGET] [--vhost V] [--instance NAME]

  --from F         read FILE as RabbitMQ definitions (JSON), resilience4j Spring Boot YAML or
                   properties, or opossum options (JSON); print a scenario document (rabbitmq)
                   or a call's policy keys (resilience4j, opossum) as JSON
  --to F           print SCENARIO's broker as RabbitMQ definitions, or a call's policies as
                   resilience4j YAML or opossum options
  --vhost V        the vhost to import (when the file has several) or to export into (default /)
  --instance NAME  the resilience4j instance to import, or the name to export under (default:
                   the call's target)
  --into SCENARIO  merge what is imported into this document and print the whole document
  --call A->B      the call (service A's call to B, gateway A's route to B, or client A) whose
                   policies are exported, or set by --into; A->B#2 is the second call to B

Settings that do not map are listed on stderr. Exit status: 0 converted, 2 bad input.`;

class InputError extends Error {
  constructor(readonly problems: Problem[], readonly source: string) {
    super(problems.map(formatProblem).join('\n'));
  }
}

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError([{ path: '', message: `cannot read the file (${why})` }], file);
  }
}

function readDocument(file: string): Record<string, unknown> {
  const parsed = parseJsonText(readText(file));
  if (!parsed.ok) throw new InputError(parsed.problems, file);
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError([{ path: '', message: 'a scenario must be a JSON object' }], file);
  return v as Record<string, unknown>;
}

function validated(doc: unknown, source: string): Scenario {
  const result = validateScenario(doc);
  if (!result.ok) throw new InputError(result.problems, source);
  return result.scenario;
}

/** The holder of `--call`, or the only one with any policy set. */
function chooseHolder(scenario: Scenario, ref: string | undefined, source: string): PolicyHolder {
  if (ref !== undefined) {
    const found = findPolicyHolder(scenario, ref);
    if (!found.ok) throw new InputError([{ path: '--call', message: found.message }], source);
    return found.holder;
  }
  const all = listPolicyHolders(scenario);
  const withPolicy = all.filter((h) => {
    const p = policyOf(scenario, h);
    return p.retry !== null || p.breaker !== null || p.bulkhead !== null || p.timeoutMs !== null;
  });
  if (withPolicy.length === 1) return withPolicy[0]!;
  const listed = (withPolicy.length ? withPolicy : all).map((h) => h.ref).join(', ');
  throw new InputError([{ path: '--call', message: withPolicy.length ? `several calls have policies: ${listed} — choose one` : `no call has a policy${listed ? ` (calls: ${listed})` : ''} — choose one` }], source);
}

function writeNotes(io: Io, notes: Note[]): void {
  if (notes.length === 0) return;
  io.err(`not mapped (${notes.length}):\n${notes.map((n) => `  - ${formatNote(n)}`).join('\n')}\n`);
}

function fromFormat(io: Io, file: string, format: Format, opts: { vhost?: string; instance?: string; into?: string; call?: string }): number {
  const into = opts.into === undefined ? undefined : readDocument(opts.into);
  const text = readText(file);
  if (format === 'rabbitmq') {
    const r = importRabbitDefinitions(text, { vhost: opts.vhost, into });
    if (!r.ok) throw new InputError(r.problems, file);
    const doc = r.value.document;
    validated(doc, opts.into ?? file);
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    writeNotes(io, r.notes);
    return 0;
  }
  const r = format === 'resilience4j' ? importResilience4j(text, { instance: opts.instance }) : importOpossum(text);
  if (!r.ok) throw new InputError(r.problems, file);
  const policy = r.value.policy;
  if (into === undefined) {
    io.out(`${JSON.stringify(policy, null, 2)}\n`);
  } else {
    const scenario = validated(into, opts.into!);
    const holder = chooseHolderForImport(scenario, opts.call, opts.into!);
    const doc = applyPolicy(into, holder, policy);
    validated(doc, opts.into!);
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
  }
  writeNotes(io, r.notes);
  return 0;
}

function chooseHolderForImport(scenario: Scenario, ref: string | undefined, source: string): PolicyHolder {
  if (ref === undefined) {
    const all = listPolicyHolders(scenario);
    throw new InputError([{ path: '--call', message: `name the call to set (--call A->B)${all.length ? `: ${all.map((h) => h.ref).join(', ')}` : ''}` }], source);
  }
  return chooseHolder(scenario, ref, source);
}

function toFormat(io: Io, file: string, format: Format, opts: { vhost?: string; instance?: string; call?: string }): number {
  const scenario = validated(readDocument(file), file);
  if (format === 'rabbitmq') {
    const r = exportRabbitDefinitions(scenario, { vhost: opts.vhost });
    if (r.value.exchanges.length === 0 && r.value.queues.length === 0) {
      throw new InputError([{ path: 'nodes', message: 'the scenario has no exchanges or queues to export' }], file);
    }
    io.out(`${JSON.stringify(r.value, null, 2)}\n`);
    writeNotes(io, r.notes);
    return 0;
  }
  const holder = chooseHolder(scenario, opts.call, file);
  const policy = policyOf(scenario, holder);
  if (format === 'resilience4j') {
    const r = exportResilience4j(policy, { instance: opts.instance ?? holder.target });
    if (r.value === '') throw new InputError([{ path: holder.ref, message: 'nothing of this call maps to resilience4j' }], file);
    io.out(r.value);
    writeNotes(io, r.notes);
    return 0;
  }
  const r = exportOpossum(policy);
  if (!r.ok) throw new InputError(r.problems.map((p) => ({ ...p, path: `${holder.ref} ${p.path}` })), file);
  io.out(`${JSON.stringify(r.value, null, 2)}\n`);
  writeNotes(io, r.notes);
  return 0;
}

/** Runs the command with `argv` (the arguments after the script); returns the exit status. */
export function main(argv: string[], io: Io = processIo): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        vhost: { type: 'string' },
        instance: { type: 'string' },
        into: { type: 'string' },
        call: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const usage = (message: string): number => {
    io.err(`error: ${message}\n${USAGE}\n`);
    return 2;
  };
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'a file is required' : 'one file at a time');
  if ((values.from === undefined) === (values.to === undefined)) return usage('give either --from or --to');
  const format = (values.from ?? values.to) as Format;
  if (!FORMATS.includes(format)) return usage(`--${values.from !== undefined ? 'from' : 'to'} must be one of ${FORMATS.join(', ')} — got "${format}"`);
  if (values.to !== undefined && values.into !== undefined) return usage('--into goes with --from');
  const file = positionals[0]!;
  try {
    return values.from !== undefined ? fromFormat(io, file, format, values) : toFormat(io, file, format, values);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const header = e.problems.length === 1 ? `error: ${e.source}: ` : `error: ${e.source} (${e.problems.length} problems):\n  `;
    io.err(`${header}${e.problems.map(formatProblem).join('\n  ')}\n`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
