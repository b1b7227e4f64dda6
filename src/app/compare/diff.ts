/**
 * The settings two documents differ in, by setting path (SCENARIO.md "Comparing runs"): what the
 * compare view lists as B's diff from A, and the `set` of the variant that makes B from A. Pure.
 *
 * Lists are walked element by element when their natural keys (a node's id, a call's target, ...)
 * are the same in both, in the same order; otherwise the whole list is one setting (a node added
 * or removed is the `nodes` list changed). `variants`, `sweep` and `layout` are not settings of a
 * run and are left out.
 */

import { NATURAL_KEYS } from '../../scenario/pathCore';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One changed setting: its path, and its value in A and in B (undefined: left out). */
export interface SettingChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Top-level keys that are not settings of a run. */
const NOT_SETTINGS = new Set(['variants', 'sweep', 'layout', '$schema']);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A property step of a path: bare when it reads as a name, quoted otherwise. */
function keyStep(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** A bracket step choosing an element by its natural key (quoted when it would read as an index or breaks the brackets). */
function selectStep(path: string, key: string): string {
  const plain = !/^\d+$/.test(key) && !/[\]"]/.test(key) && key.trim() === key && key !== '';
  return `${path}[${plain ? key : JSON.stringify(key)}]`;
}

/** The selectors of a list's elements (`db`, `db#2`, ...), or null when some element has no natural key. */
function selectors(list: unknown[], keyOf: (el: Obj) => unknown): string[] | null {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const el of list) {
    const key = isObj(el) ? keyOf(el) : undefined;
    if (typeof key !== 'string' && typeof key !== 'number') return null;
    const text = String(key);
    const n = (seen.get(text) ?? 0) + 1;
    seen.set(text, n);
    out.push(n === 1 ? text : `${text}#${n}`);
  }
  return out;
}

function walk(a: unknown, b: unknown, path: string, listName: string | null, out: SettingChange[]): void {
  if (deepEqual(a, b)) return;
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    // A key B leaves out cannot be set back to "left out": the object it was in is the setting.
    const removed = [...keys].some((k) => a[k] !== undefined && b[k] === undefined);
    if (removed && path !== '') {
      out.push({ path, before: a, after: b });
      return;
    }
    for (const k of keys) {
      if (path === '' && NOT_SETTINGS.has(k)) continue;
      if (a[k] !== undefined && b[k] === undefined) out.push({ path: keyStep(path, k), before: a[k], after: null });
      else walk(a[k], b[k], keyStep(path, k), k, out);
    }
    return;
  }
  const keyOf = listName === null ? undefined : NATURAL_KEYS[listName];
  if (Array.isArray(a) && Array.isArray(b) && keyOf) {
    const sa = selectors(a, keyOf);
    const sb = selectors(b, keyOf);
    if (sa && sb && sa.length === sb.length && sa.every((s, i) => s === sb[i])) {
      sa.forEach((s, i) => walk(a[i], b[i], selectStep(path, s), null, out));
      return;
    }
  }
  out.push({ path, before: a, after: b });
}

/** Every setting B changes from A, in document order. */
export function settingDiff(a: unknown, b: unknown): SettingChange[] {
  const out: SettingChange[] = [];
  walk(a, b, '', null, out);
  return out;
}

/** The `set` of a variant that makes B from A. */
export function diffAsSet(changes: readonly SettingChange[]): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const c of changes) set[c.path] = c.after === undefined ? null : c.after;
  return set;
}

/**
 * A list B changes whole (`faults` with a fault added, `nodes` with a node removed), as the diff
 * list reads it: the elements B adds and those it removes, by value (shortened JSON of two long
 * lists that start alike reads the same before and after). Null when the two are not both lists.
 * Neither added nor removed: the same elements in another order.
 */
export function listDelta(before: unknown, after: unknown): { added: unknown[]; removed: unknown[] } | null {
  if (!Array.isArray(before) || !Array.isArray(after)) return null;
  const left = [...before];
  const added: unknown[] = [];
  for (const el of after) {
    const i = left.findIndex((x) => deepEqual(x, el));
    if (i >= 0) left.splice(i, 1);
    else added.push(el);
  }
  return { added, removed: left };
}

/** A value as it reads in the diff list: JSON, shortened. */
export function shortValue(v: unknown, max = 60): string {
  if (v === undefined) return '(not set)';
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Keys that name or place things rather than set them: left out of the setting pickers. */
const NOT_PICKED = new Set(['id', 'kind', 'label', 'name', 'description', 'format', 'source', 'target', 'prefix', 'queue', 'exchange', 'from', 'to', 'path']);

/**
 * Every setting the document writes down, by setting path, with its value: the pickers of the
 * fork and sweep dialogs offer these (a distribution is one setting; lists of plain values too).
 */
export function settingPaths(doc: unknown): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [];
  const visit = (v: unknown, path: string, listName: string | null) => {
    if (isObj(v)) {
      if ('dist' in v) {
        out.push({ path, value: v });
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        if (path === '' && (NOT_SETTINGS.has(k) || k === 'changes')) continue;
        if (NOT_PICKED.has(k) && !isObj(x)) continue;
        visit(x, keyStep(path, k), k);
      }
      return;
    }
    if (Array.isArray(v)) {
      const keyOf = listName === null ? undefined : NATURAL_KEYS[listName];
      const sel = keyOf ? selectors(v, keyOf) : null;
      if (sel) v.forEach((x, i) => visit(x, selectStep(path, sel[i]!), null));
      else if (v.every((x) => !isObj(x) && !Array.isArray(x))) out.push({ path, value: v });
      else v.forEach((x, i) => visit(x, `${path}[${i}]`, null));
      return;
    }
    if (path !== '') out.push({ path, value: v });
  };
  visit(doc, '', null);
  return out;
}
