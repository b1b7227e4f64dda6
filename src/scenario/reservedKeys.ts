/**
 * Keys no document may hold, anywhere: `__proto__`, `constructor` and `prototype`. JSON.parse
 * keeps `"__proto__"` as an ordinary key, but code that copies objects key by key (a spread, a
 * merge of settings, a record lookup) may read it as the prototype and drop it silently, or worse.
 * They are refused before anything else reads the document, each with its path.
 */
import { formatPath, type Problem } from './problem';

export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Most reserved keys listed one by one; the rest are counted in a last problem. */
const MAX_LISTED = 20;

/** Where a value sits: its key and its parent's place (so a path costs nothing until it is needed). */
interface Place {
  key: PropertyKey;
  parent: Place | undefined;
}

function pathOf(place: Place | undefined): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (let p = place; p; p = p.parent) out.push(p.key);
  return out.reverse();
}

/**
 * A refusal naming every reserved key found in `input`, or undefined. The walk uses its own
 * stack, so a document nested a million deep costs time in proportion to its size, no more.
 */
export function refuseReservedKeys(input: unknown): { ok: false; problems: Problem[] } | undefined {
  const problems: Problem[] = [];
  let found = 0;
  const stack: { value: unknown; place: Place | undefined }[] = [{ value: input, place: undefined }];
  while (stack.length > 0) {
    const { value, place } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], place: { key: i, parent: place } });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const at: Place = { key, parent: place };
      if (RESERVED_KEYS.includes(key)) {
        found++;
        if (found <= MAX_LISTED) {
          problems.push({ path: formatPath(pathOf(at)), message: `"${key}" is a reserved word and cannot be used as a key` });
        }
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], place: at });
    }
  }
  if (found === 0) return undefined;
  if (found > MAX_LISTED) problems.push({ path: '', message: `and ${found - MAX_LISTED} more reserved keys` });
  return { ok: false, problems };
}
