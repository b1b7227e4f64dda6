/**
 * From the scenario's JSON Schema (generated from the zod schema, so it cannot drift from what
 * validation accepts) to a small tree of form fields the inspector renders: objects, enums
 * (selects), numbers, strings, booleans, nullable parts (on/off), unions with a discriminator
 * (a Dist, a breaker model, an arrival type: pick one, then its own fields) and lists.
 *
 * Pure: no React here, so the walk is tested on its own.
 */

import { getIn } from '../docPath';

type Json = Record<string, unknown>;

export type Field = (
  | { type: 'number'; integer: boolean; min?: number; max?: number; exclusiveMin?: boolean }
  | { type: 'string'; maxLength?: number; pattern?: string }
  | { type: 'enum'; options: (string | number)[] }
  | { type: 'boolean' }
  | { type: 'const'; value: unknown }
  | { type: 'object'; props: Prop[] }
  | { type: 'nullable'; inner: Field; example?: unknown }
  | { type: 'union'; options: { label: string; field: Field }[] }
  | { type: 'array'; items: Field; minItems?: number; maxItems?: number }
  /** Anything else (free-form records): edited as JSON text. */
  | { type: 'json' }
) & { description?: string };

export interface Prop {
  key: string;
  field: Field;
  required: boolean;
  /** The default the document gets when the key is left out (undefined: none). */
  default?: unknown;
  description?: string;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves a local `$ref` ("#/$defs/Name") against the root schema. */
function resolve(schema: Json, root: Json): Json {
  let s = schema;
  for (let guard = 0; typeof s.$ref === 'string' && guard < 20; guard++) {
    const name = s.$ref.replace(/^#\/\$defs\//, '');
    const target = (root.$defs as Json | undefined)?.[name];
    if (!isObj(target)) throw new Error(`unresolved $ref ${s.$ref}`);
    const { $ref: _ref, ...rest } = s;
    s = { ...target, ...rest };
  }
  return s;
}

/** The alternatives of an anyOf/oneOf, nested ones flattened, refs resolved. */
function alternatives(schema: Json, root: Json): Json[] {
  const list = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (!list) return [resolve(schema, root)];
  return list.flatMap((alt) => {
    const r = resolve(alt, root);
    return r.anyOf || r.oneOf ? alternatives(r, root) : [r];
  });
}

/** The form field of a JSON Schema node. */
export function fieldOf(schemaIn: Json, root: Json): Field {
  const schema = resolve(schemaIn, root);
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const withDesc = (f: Field): Field => (description ? { ...f, description } : f);

  if (schema.anyOf || schema.oneOf) {
    const alts = alternatives(schema, root);
    const nonNull = alts.filter((a) => a.type !== 'null');
    const inner: Field = nonNull.length === 1 ? fieldOf(nonNull[0]!, root) : { type: 'union', options: nonNull.map((a) => ({ label: branchLabel(a), field: fieldOf(a, root) })) };
    if (nonNull.length === alts.length) return withDesc(inner);
    // A part that is off by default starts from the schema's example when switched on (a queue's
    // maxLength at 0 would drop every message), else from its inner field's initial value.
    const example = Array.isArray(schema.examples) ? schema.examples.find((e) => e !== null) : undefined;
    return withDesc(example !== undefined ? { type: 'nullable', inner, example } : { type: 'nullable', inner });
  }
  if ('const' in schema) return withDesc({ type: 'const', value: schema.const });
  if (Array.isArray(schema.enum)) return withDesc({ type: 'enum', options: schema.enum as (string | number)[] });
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const f: Field = { type: 'number', integer: schema.type === 'integer' };
      if (typeof schema.minimum === 'number') f.min = schema.minimum;
      if (typeof schema.exclusiveMinimum === 'number') {
        f.min = schema.exclusiveMinimum;
        f.exclusiveMin = true;
      }
      if (typeof schema.maximum === 'number') f.max = schema.maximum;
      return withDesc(f);
    }
    case 'string': {
      const f: Field = { type: 'string' };
      if (typeof schema.maxLength === 'number') f.maxLength = schema.maxLength;
      if (typeof schema.pattern === 'string') f.pattern = schema.pattern;
      return withDesc(f);
    }
    case 'boolean':
      return withDesc({ type: 'boolean' });
    case 'array': {
      const f: Field = { type: 'array', items: isObj(schema.items) ? fieldOf(schema.items, root) : { type: 'json' } };
      if (typeof schema.minItems === 'number') f.minItems = schema.minItems;
      if (typeof schema.maxItems === 'number') f.maxItems = schema.maxItems;
      return withDesc(f);
    }
    case 'object': {
      if (!isObj(schema.properties)) return withDesc({ type: 'json' });
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const props = Object.entries(schema.properties).map(([key, sub]): Prop => {
        const s = sub as Json;
        const prop: Prop = { key, field: fieldOf(s, root), required: required.has(key) };
        if ('default' in s) prop.default = s.default;
        const d = typeof s.description === 'string' ? s.description : typeof resolve(s, root).description === 'string' ? (resolve(s, root).description as string) : undefined;
        if (d) prop.description = d;
        return prop;
      });
      return withDesc({ type: 'object', props });
    }
    default:
      return withDesc({ type: 'json' });
  }
}

/** A union branch's name: its discriminator's value (`lognormal`, `opossum`), else its type. */
function branchLabel(s: Json): string {
  if ('const' in s) return String(s.const);
  if (isObj(s.properties)) {
    for (const sub of Object.values(s.properties)) {
      if (isObj(sub) && 'const' in sub) return String(sub.const);
    }
  }
  return typeof s.type === 'string' ? s.type : 'value';
}

/** Whether a value has the shape of a field (used to tell which union branch a value is in). */
export function accepts(field: Field, value: unknown): boolean {
  switch (field.type) {
    case 'number':
      return typeof value === 'number';
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return field.options.includes(value as string | number);
    case 'boolean':
      return typeof value === 'boolean';
    case 'const':
      return value === field.value;
    case 'nullable':
      return value === null || accepts(field.inner, value);
    case 'union':
      return field.options.some((o) => accepts(o.field, value));
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObj(value) && field.props.every((p) => p.field.type !== 'const' || value[p.key] === undefined || value[p.key] === p.field.value) && field.props.filter((p) => p.field.type === 'const').every((p) => value[p.key] !== undefined);
    case 'json':
      return true;
  }
}

/** Which branch of a union a value is in (-1: none). */
export function branchOf(field: Extract<Field, { type: 'union' }>, value: unknown): number {
  return field.options.findIndex((o) => accepts(o.field, value));
}

/** A value to start from when a part is switched on or a branch chosen: required keys only. */
export function initialValue(field: Field): unknown {
  switch (field.type) {
    case 'number':
      return field.exclusiveMin ? Math.max(1, field.min ?? 1) : Math.max(field.min ?? 0, 0);
    case 'string':
      return '';
    case 'enum':
      return field.options[0];
    case 'boolean':
      return false;
    case 'const':
      return field.value;
    case 'nullable':
      return field.example !== undefined && accepts(field.inner, field.example) ? field.example : initialValue(field.inner);
    case 'union':
      return initialValue(field.options[0]!.field);
    case 'array':
      return [];
    case 'object': {
      const out: Json = {};
      for (const p of field.props) if (p.required) out[p.key] = initialValue(p.field);
      return out;
    }
    case 'json':
      return {};
  }
}

/**
 * The value to hold after switching a union to another branch: the branch's initial value, with
 * the keys of the old value that the new branch also has (and accepts) carried over — changing a
 * fault's kind keeps its target and times, a breaker's model keeps nothing it cannot use.
 */
export function switchBranch(branch: Field, old: unknown): unknown {
  const fresh = initialValue(branch);
  if (branch.type !== 'object' || !isObj(old) || !isObj(fresh)) return fresh;
  const out: Json = { ...fresh };
  for (const p of branch.props) {
    if (p.field.type === 'const') continue;
    if (old[p.key] !== undefined && accepts(p.field, old[p.key])) out[p.key] = old[p.key];
  }
  return out;
}

/** The value of a key with its default applied (what the run uses when the key is left out). */
export function effective(prop: Prop, value: unknown): unknown {
  return value === undefined ? prop.default : value;
}

/** A list of primitives as text ("408, 429, timeout"), and back. */
export function listToText(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => String(v)).join(', ') : '';
}

export function textToList(text: string): (string | number)[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (/^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t));
}

/** Whether a value can be of a schema (enough to tell a union's branches apart: consts, types). */
function fits(schemaIn: Json, root: Json, value: unknown): boolean {
  const s = resolve(schemaIn, root);
  const list = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (list) return list.some((alt) => fits(alt, root, value));
  if ('const' in s) return value === s.const;
  switch (s.type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'string':
    case 'boolean':
      return typeof value === s.type;
    case 'number':
    case 'integer':
      return typeof value === 'number';
    case 'object':
      return isObj(value) && Object.entries(isObj(s.properties) ? s.properties : {}).every(([key, sub]) => !isObj(sub) || !('const' in sub) || value[key] === sub.const);
    default:
      return true;
  }
}

/**
 * The named schema ($defs) of each element along a document path, for the document `doc`:
 * entry d names the schema of the value at `path.slice(0, d)` (undefined where it has no name of
 * its own). A union picks the branch the document's value is in, so `nodes[2]` of a service is
 * `ServiceNode` and `nodes[2].calls[0]` a `CallSpec`. Stops early where the schema has no such key.
 */
export function schemaNamesAlong(root: Json, doc: unknown, path: readonly (string | number)[]): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  let schema: Json = root;
  let value = doc;
  for (let d = 0; ; d++) {
    let name: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      if (typeof schema.$ref === 'string') {
        name = schema.$ref.replace(/^#\/\$defs\//, '');
        const target = (root.$defs as Json | undefined)?.[name];
        if (!isObj(target)) throw new Error(`unresolved $ref ${schema.$ref}`);
        schema = target;
        continue;
      }
      const list = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
      const pick = list?.find((alt) => fits(alt, root, value));
      if (!pick) break;
      schema = pick;
    }
    names.push(name);
    if (d === path.length) return names;
    const seg = path[d]!;
    const next = typeof seg === 'number' ? schema.items : isObj(schema.properties) ? schema.properties[seg] : undefined;
    if (!isObj(next)) return names;
    schema = next;
    value = getIn(value, [seg]);
  }
}
