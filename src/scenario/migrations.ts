/**
 * Format versions. A document names its version in `format`; an older one is taken through each
 * migration in order until it reaches the current format, so an old share URL keeps working.
 *
 * Adding `faultline/2`: set CURRENT_FORMAT to it, and add one entry to MIGRATIONS keyed by the
 * version it upgrades from: `'faultline/1': (doc) => ({ ...doc, format: 'faultline/2', ... })`.
 * A migration takes a plain JSON object and returns a new one; it never validates (the schema
 * of the version it produces does that afterwards).
 */
import { SCENARIO_FORMAT } from './schema';
import { describeValue, type Problem } from './problem';

export const CURRENT_FORMAT = SCENARIO_FORMAT;

export type JsonObject = Record<string, unknown>;

/** One step: a document of the version it is keyed by in, a document of a later version out. */
export type Migration = (doc: JsonObject) => JsonObject;

/** Migrations keyed by the format they upgrade from. Empty: faultline/1 is the first format. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {};

export type MigrateResult =
  | { ok: true; document: JsonObject; applied: string[] }
  | { ok: false; problems: Problem[] };

const FORMAT_PATTERN = /^faultline\/(\d+)$/;

function versionOf(format: string): number | null {
  const m = FORMAT_PATTERN.exec(format);
  return m ? Number(m[1]) : null;
}

/**
 * Takes `doc` from its format to `current` through `migrations`. `applied` lists the formats the
 * document went through (empty when it was current already). Exported with its list as a
 * parameter so the mechanism can be tested before a second format exists.
 */
export function runMigrations(
  doc: unknown,
  migrations: Readonly<Record<string, Migration>>,
  current: string,
): MigrateResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, problems: [{ path: '', message: `a scenario must be a JSON object — got ${describeValue(doc)}` }] };
  }
  let document = doc as JsonObject;
  const applied: string[] = [];
  // Each step must move to a format not seen before, so a bad list cannot loop forever.
  const seen = new Set<string>();
  for (;;) {
    const format = document.format;
    if (format === current) return { ok: true, document, applied };
    if (typeof format !== 'string') {
      const message =
        format === undefined ? `is required — must be "${current}"` : `must be "${current}" — got ${describeValue(format)}`;
      return { ok: false, problems: [{ path: 'format', message }] };
    }
    const step = Object.prototype.hasOwnProperty.call(migrations, format) ? migrations[format] : undefined;
    if (step === undefined || seen.has(format)) {
      return { ok: false, problems: [{ path: 'format', message: unknownFormat(format, current) }] };
    }
    seen.add(format);
    applied.push(format);
    document = step(document);
  }
}

function unknownFormat(format: string, current: string): string {
  const v = versionOf(format);
  const cur = versionOf(current);
  if (v !== null && cur !== null && v > cur) {
    return `"${format}" is newer than this Faultline understands (it reads up to "${current}") — open it in a newer version`;
  }
  return `must be "${current}" — got ${describeValue(format)}`;
}

/** Brings a document of any known format to CURRENT_FORMAT. */
export function migrate(doc: unknown): MigrateResult {
  return runMigrations(doc, MIGRATIONS, CURRENT_FORMAT);
}
