/**
 * Setting paths (SCENARIO.md "Comparing runs"): one setting of a document, named the way a person
 * reads it — `nodes[api].calls[db].retry.jitter`, `faults[f1].untilMs`, `network.latency`.
 *
 * An array element is chosen by its natural key (a node by `id`, a call by `target`, a route by
 * `prefix`, a consumer entry by `queue`, a publish by `exchange`, a fault by `id`, ...), `db#2` for
 * the second element with the same key, or by its index (`faults[0]`). A bracket in quotes
 * (`nodes["7"]`) is always a key, never an index.
 *
 * The resolver walks the document and the zod schema side by side, so a key the schema knows but
 * the document leaves out can be set (a whole `breaker`), and a path that names nothing is an
 * error listing what does exist there. Pure functions: the input document is never mutated; `set`
 * copies the objects along the path and shares the rest.
 */
import type { Problem } from './problem';
import { ScenarioSchema } from './schema';
import { resolvePath, type ResolveResult } from './pathCore';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export { parseSettingPath, PathSyntaxError, resolvePath, type PathStep, type ResolvedPath, type ResolveResult } from './pathCore';

/** Resolves a setting path on a document of the `faultline/1` schema. */
export function resolveSetting(doc: unknown, path: string): ResolveResult {
  return resolvePath(doc, path, ScenarioSchema);
}

/** The value a setting path names (undefined when left out), or the problem with the path. */
export function getSetting(doc: unknown, path: string): { ok: true; value: unknown; present: boolean } | { ok: false; problem: Problem } {
  const r = resolveSetting(doc, path);
  return r.ok ? { ok: true, value: r.value, present: r.present } : r;
}

export type SetResult = { ok: true; document: unknown; concrete: string } | { ok: false; problem: Problem };

/**
 * The document with one setting replaced (copies along the path; the input is left as it was).
 * Objects the path passes through that the document leaves out (or sets to null) are created
 * empty, so `nodes[api].calls[db].retry.jitter` works on a call without a retry: the schema's
 * defaults fill in the rest when the result is validated.
 */
export function setSetting(doc: unknown, path: string, value: unknown): SetResult {
  const r = resolveSetting(doc, path);
  if (!r.ok) return r;
  if (r.segments.length === 0) return { ok: false, problem: { path, message: 'names the whole document, not one setting' } };
  return { ok: true, document: setIn(doc, r.segments, 0, clone(value)), concrete: r.concrete };
}

function setIn(container: unknown, segments: (string | number)[], i: number, value: unknown): unknown {
  const seg = segments[i]!;
  const last = i === segments.length - 1;
  if (typeof seg === 'number') {
    const list = [...(container as unknown[])];
    list[seg] = last ? value : setIn(list[seg], segments, i + 1, value);
    return list;
  }
  const obj: Obj = isObj(container) ? { ...container } : {};
  obj[seg] = last ? value : setIn(obj[seg], segments, i + 1, value);
  return obj;
}

/** JSON values are copied, so a document made by `set` shares nothing mutable with the value given. */
function clone(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Splits `PATH=VALUE` at the first "=" outside brackets, leaving VALUE as text. */
export function splitAssignment(text: string): { ok: true; path: string; valueText: string } | { ok: false; message: string } {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"' && depth > 0) quoted = true;
    else if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '=' && depth === 0) {
      const path = text.slice(0, i);
      if (path === '') return { ok: false, message: `"${text}": the setting path before "=" is empty` };
      return { ok: true, path, valueText: text.slice(i + 1) };
    }
  }
  return { ok: false, message: `"${text}": expected PATH=VALUE` };
}

/** Splits `PATH=VALUE` (VALUE is JSON, or else a bare string). */
export function parseAssignment(text: string): { ok: true; path: string; value: unknown } | { ok: false; message: string } {
  const r = splitAssignment(text);
  return r.ok ? { ok: true, path: r.path, value: parseValue(r.valueText) } : r;
}

/**
 * A list of values on a command line: a JSON array, or values separated by commas outside
 * brackets, braces and strings (`1,2,3`, `none, full`, `{"dist":"constant","ms":5},7`), each JSON
 * or else a bare string (spaces around a value are not part of it).
 *
 * Throws a ValueListError naming the problem when there is no value at all, or when a value is
 * empty (two commas in a row, a comma at the end): each would otherwise be swept as "".
 */
export function parseValueList(text: string): unknown[] {
  if (text.trim() === '') throw new ValueListError('no values: give at least one, separated by commas');
  const whole = parseValue(text);
  if (Array.isArray(whole)) {
    if (whole.length === 0) throw new ValueListError('no values: the list [] is empty');
    return whole;
  }
  const out: unknown[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if ((ch === ',' && depth === 0) || ch === undefined) {
      const item = text.slice(from, i);
      if (item.trim() === '') throw new ValueListError(`value ${out.length + 1} is empty (two commas in a row, or a comma at an end)`);
      out.push(parseValue(item));
      from = i + 1;
    }
  }
  return out;
}

/** Why a list of values given as text could not be read (see parseValueList). */
export class ValueListError extends Error {
  override name = 'ValueListError';
}

/**
 * A value given on a command line: JSON (`3`, `null`, `{"dist":"constant","ms":5}`), or else the
 * text itself without the spaces around it (` full` is `full`; a string with spaces of its own is
 * given as JSON, `" full"`).
 */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.trim();
  }
}
