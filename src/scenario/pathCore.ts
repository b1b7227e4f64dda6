/**
 * The core of setting paths (see paths.ts): the path syntax and the walk through a document,
 * with a schema beside it or on the data alone. It imports no schema itself, so the model's side
 * (timed changes, resolved on a valid scenario) does not load zod into a worker that only runs.
 */
import type { z } from 'zod';
import { formatPath, type Problem } from './problem';
import { closest } from './suggest';

/** One step of a parsed path: a property name, or a bracket (an index or a natural key). */
export type PathStep = { key: string } | { select: string; quoted: boolean };

/** Natural keys of the document's lists, by the name of the key that holds the list. */
export const NATURAL_KEYS: Record<string, (el: Record<string, unknown>) => unknown> = {
  nodes: (e) => e.id,
  calls: (e) => e.target,
  routes: (e) => e.prefix,
  consumes: (e) => e.queue,
  publishes: (e) => e.exchange,
  faults: (e) => e.id,
  bindings: (e) => e.exchange,
  requests: (e) => e.path,
  links: (e) => (typeof e.from === 'string' && typeof e.to === 'string' ? `${e.from}->${e.to}` : undefined),
  variants: (e) => e.name,
};

/** What each list's natural key is called, for messages. */
const NATURAL_KEY_NAMES: Record<string, string> = {
  nodes: 'id',
  calls: 'target',
  routes: 'prefix',
  consumes: 'queue',
  publishes: 'exchange',
  faults: 'id',
  bindings: 'exchange',
  requests: 'path',
  links: '"from->to"',
  variants: 'name',
};

export class PathSyntaxError extends Error {}

/** Parses `nodes[api].calls[db#2].retry.jitter` into steps; throws PathSyntaxError with a reason. */
export function parseSettingPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  if (path.trim() === '') throw new PathSyntaxError('is empty');
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '[') {
      if (path[i + 1] === '"') {
        // A JSON string in brackets: any characters, escapes as in JSON.
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
        if (path[j + 1] !== ']') throw new PathSyntaxError(`has an unclosed ["..."] at character ${i + 1}`);
        let text: string;
        try {
          text = JSON.parse(path.slice(i + 1, j + 1)) as string;
        } catch {
          throw new PathSyntaxError(`has a bad quoted key at character ${i + 1}`);
        }
        steps.push({ select: text, quoted: true });
        i = j + 2;
      } else {
        const close = path.indexOf(']', i);
        if (close < 0) throw new PathSyntaxError(`has an unclosed [ at character ${i + 1}`);
        const text = path.slice(i + 1, close);
        if (text === '') throw new PathSyntaxError(`has an empty [] at character ${i + 1}`);
        steps.push({ select: text, quoted: false });
        i = close + 1;
      }
      if (i < path.length && path[i] !== '.' && path[i] !== '[') throw new PathSyntaxError(`needs a "." or "[" after "]" at character ${i + 1}`);
      if (path[i] === '.') {
        i++;
        if (i >= path.length) throw new PathSyntaxError('ends with "."');
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    const key = path.slice(i, j);
    if (key === '') throw new PathSyntaxError(`has an empty key at character ${i + 1}`);
    steps.push({ key });
    i = j;
    if (path[i] === '.') {
      i++;
      if (i >= path.length) throw new PathSyntaxError('ends with "."');
    }
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// The schema, read as data (zod's own definitions, as minify.ts reads them)

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  catchall?: z.ZodType;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const propValues = (schema: z.ZodType): Record<string, Set<unknown>> =>
  (schema as unknown as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues ?? {};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The schemas that may describe `value` at one place, wrappers removed: one for most places,
 * every option of a union when the value does not say which (an omitted breaker: any model).
 */
function shapesFor(schema: z.ZodType | undefined, value: unknown): z.ZodType[] {
  if (!schema) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return shapesFor(def.innerType, value);
    case 'pipe':
      return shapesFor(def.in, value);
    case 'union': {
      const options = def.options ?? [];
      if (def.discriminator && isObj(value)) {
        const tag = value[def.discriminator];
        const hit = options.find((o) => propValues(o)[def.discriminator!]?.has(tag));
        if (hit) return shapesFor(hit, value);
      }
      // A plain union (a Dist: a number or a distribution): the options that fit the value's type.
      const all = options.flatMap((o) => shapesFor(o, value));
      const objects = all.filter((s) => ['object', 'record'].includes(defOf(s).type));
      const arrays = all.filter((s) => defOf(s).type === 'array');
      if (Array.isArray(value)) return arrays;
      if (isObj(value) || value === undefined || value === null) return objects;
      return all.filter((s) => !objects.includes(s) && !arrays.includes(s));
    }
    default:
      return [schema];
  }
}

/** The keys an object may have here (the union of every possible shape's keys), or null: any key. */
function knownKeys(shapes: z.ZodType[]): string[] | null {
  const keys = new Set<string>();
  for (const s of shapes) {
    const def = defOf(s);
    if (def.type === 'record') return null;
    // An object with a catchall (a headers binding's arguments) takes any key beside its own.
    if (def.type === 'object' && def.catchall && defOf(def.catchall).type !== 'never') return null;
    if (def.type === 'object') for (const k of Object.keys(def.shape ?? {})) keys.add(k);
  }
  return [...keys];
}

/** The schema of key `key` inside the object shapes (the first shape that knows it). */
function childSchema(shapes: z.ZodType[], key: string): z.ZodType | undefined {
  for (const s of shapes) {
    const def = defOf(s);
    if (def.type === 'record') return def.valueType;
    if (def.type === 'object' && def.shape && Object.hasOwn(def.shape, key)) return def.shape[key];
    if (def.type === 'object' && def.catchall && defOf(def.catchall).type !== 'never') return def.catchall;
  }
  return undefined;
}

function elementSchema(shapes: z.ZodType[]): z.ZodType | undefined {
  for (const s of shapes) {
    const def = defOf(s);
    if (def.type === 'array') return def.element;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Resolving

/** Where a path leads: the concrete segments (`['nodes', 2, 'calls', 0, 'retry']`) and the value there. */
export interface ResolvedPath {
  /** Concrete segments: keys and indexes. */
  segments: (string | number)[];
  /** The same as text, as validation problems name places: `nodes[2].calls[0].retry`. */
  concrete: string;
  /** The value in the document (undefined when the document leaves the key out). */
  value: unknown;
  /** Whether the document itself holds the key (false: known to the schema, left out). */
  present: boolean;
}

export type ResolveResult = ({ ok: true } & ResolvedPath) | { ok: false; problem: Problem };

const listWords = (items: string[], max = 12): string => {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, ... (${items.length} in all)` : shown;
};

/**
 * Resolves a setting path on a document, reading `schema` beside it (keys it knows but the
 * document omits can be named); with a null schema, on the data alone (what a valid scenario with
 * its defaults applied holds).
 */
export function resolvePath(doc: unknown, path: string, schema: z.ZodType | null): ResolveResult {
  let steps: PathStep[];
  try {
    steps = parseSettingPath(path);
  } catch (e) {
    if (e instanceof PathSyntaxError) return { ok: false, problem: { path, message: `is not a setting path: it ${e.message}` } };
    throw e;
  }
  const fail = (message: string): ResolveResult => ({ ok: false, problem: { path, message } });
  const segments: (string | number)[] = [];
  let value: unknown = doc;
  let present = true;
  let shapes = shapesFor(schema ?? undefined, doc);
  let parentKey = '';

  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    // Places are named as the path wrote them (`nodes[api].calls`), not by index.
    const here = s === 0 ? 'the document' : stepsText(steps.slice(0, s));
    // A bracket on an object (`layout["my-node"]`) is a key like any other.
    if ('key' in step || (!Array.isArray(value) && elementSchema(shapes) === undefined)) {
      const key = 'key' in step ? step.key : step.select;
      const known = schema === null ? (isObj(value) ? Object.keys(value) : []) : knownKeys(shapes);
      if (known === null) {
        // A record (layout): any key, its value as the record says.
      } else if (!known.includes(key) && !(isObj(value) && Object.hasOwn(value, key))) {
        if (known.length === 0) {
          const what = Array.isArray(value) ? 'a list: choose an element with [key] or [index]' : `${describe(value)}, which has no keys`;
          return fail(`names nothing — ${here} is ${what}`);
        }
        const guess = closest(key, known);
        return fail(`names nothing: ${here} has no key "${key}"${guess ? ` — did you mean "${guess}"?` : ''} (keys there: ${listWords(known, 40)})`);
      }
      const next = isObj(value) ? value[key] : undefined;
      present = present && isObj(value) && Object.hasOwn(value, key);
      shapes = shapesFor(childSchema(shapes, key), next);
      value = next;
      segments.push(key);
      parentKey = key;
      continue;
    }
    // A bracket on a list: an index or a natural key.
    const element = elementSchema(shapes);
    if (!Array.isArray(value)) {
      if (element === undefined) return fail(`names nothing — ${here} is not a list, so [${step.select}] cannot choose in it`);
      return fail(`names nothing — ${here} is ${value === undefined ? 'not set' : describe(value)}, so it has no element [${step.select}]`);
    }
    const list = value;
    let index = -1;
    if (!step.quoted && /^\d+$/.test(step.select)) {
      index = Number(step.select);
      if (index >= list.length) {
        return fail(`names nothing — ${here} has ${list.length === 0 ? 'no elements' : `elements 0..${list.length - 1} only`}`);
      }
    } else {
      const keyOf = NATURAL_KEYS[parentKey];
      if (!keyOf) return fail(`names nothing — the elements of ${here} have no natural key: choose one by its index (0..${list.length - 1})`);
      const keys = list.map((el) => (isObj(el) ? keyOf(el) : undefined));
      index = keys.findIndex((k) => k === step.select);
      const nth = /^(.*)#(\d+)$/.exec(step.select);
      if (index < 0 && nth) {
        const wanted = Number(nth[2]);
        let seen = 0;
        index = keys.findIndex((k) => k === nth[1] && ++seen === wanted);
        if (index < 0 && seen > 0) return fail(`names nothing — ${here} has ${seen} element${seen === 1 ? '' : 's'} with ${NATURAL_KEY_NAMES[parentKey]} "${nth[1]}", not ${wanted}`);
      }
      if (index < 0) {
        const names = nameList(keys.map((k) => (typeof k === 'string' ? k : undefined)));
        const guess = closest(step.select, names.filter((n) => !n.includes('#')));
        const by = NATURAL_KEY_NAMES[parentKey];
        return fail(
          names.length === 0
            ? `names nothing — no element of ${here} has a ${by}; choose one by its index (0..${list.length - 1})`
            : `names nothing: no element of ${here} has ${by} "${step.select}"${guess ? ` — did you mean "${guess}"?` : ''} (there: ${listWords(names, 40)}; or an index 0..${list.length - 1})`,
        );
      }
    }
    value = list[index];
    shapes = shapesFor(element, value);
    segments.push(index);
  }
  return { ok: true, segments, concrete: formatPath(segments), value, present };
}

function stepsText(steps: PathStep[]): string {
  return steps.map((st, i) => ('key' in st ? `${i === 0 ? '' : '.'}${st.key}` : st.quoted ? `[${JSON.stringify(st.select)}]` : `[${st.select}]`)).join('');
}

/** Natural keys as a person may write them: `db`, and `db#2` for a second `db`. */
function nameList(keys: (string | undefined)[]): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const k of keys) {
    if (k === undefined) continue;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    out.push(n === 1 ? k : `${k}#${n}`);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'not set';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${JSON.stringify(value)} (a ${typeof value})`;
}

