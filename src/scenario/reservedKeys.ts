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

/**
 * A refusal naming every reserved key found in `input`, or undefined. The walk keeps its own
 * stack, and only containers go on it (a place is two array slots: its key and its parent's
 * place), so a document nested a million deep costs time in proportion to its size, no more.
 */
export function refuseReservedKeys(input: unknown): { ok: false; problems: Problem[] } | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const problems: Problem[] = [];
  let found = 0;
  const placeKey: PropertyKey[] = [''];
  const placeParent: number[] = [-1];
  const stackValue: object[] = [input];
  const stackPlace: number[] = [0];
  const pathOf = (place: number, key: string): string => {
    const out: PropertyKey[] = [key];
    for (let p = place; p > 0; p = placeParent[p]!) out.push(placeKey[p]!);
    return formatPath(out.reverse());
  };
  const visit = (child: unknown, key: PropertyKey, parent: number) => {
    if (typeof child !== 'object' || child === null) return;
    placeKey.push(key);
    placeParent.push(parent);
    stackValue.push(child);
    stackPlace.push(placeKey.length - 1);
  };
  while (stackValue.length > 0) {
    const value = stackValue.pop()!;
    const place = stackPlace.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) visit(value[i], i, place);
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (RESERVED_KEYS.includes(key)) {
        if (++found <= MAX_LISTED) problems.push({ path: pathOf(place, key), message: `"${key}" is a reserved word and cannot be used as a key` });
        continue;
      }
      visit((value as Record<string, unknown>)[key], key, place);
    }
  }
  if (found === 0) return undefined;
  if (found > MAX_LISTED) problems.push({ path: '', message: `and ${found - MAX_LISTED} more reserved keys` });
  return { ok: false, problems };
}
