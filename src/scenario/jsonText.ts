/**
 * Reading a document's JSON text with bounded work. `JSON.parse` costs time and memory by the
 * containers (objects and arrays) it builds, and the validator then walks each of them: a 2 MB
 * file of a million nested `[]` takes a third of a second to parse before any rule could refuse
 * it, and an object of 90,000 unknown keys a second to list them. So the text is measured first,
 * in one pass that builds nothing: its length, how many containers it holds, how deep they nest
 * and how many keys each object has. Past a limit it is refused, naming the limit and
 * the line and column where the text passed it. A real scenario (500 nodes at most) is far below
 * all four.
 */

/** The most characters a document's text may have (the share link's inflated cap is the same, in bytes). */
export const MAX_DOCUMENT_CHARS = 4_000_000;
/** The most objects and arrays one document may hold (500 nodes of 40 each is 20,000). */
export const MAX_CONTAINERS = 100_000;
/** The deepest objects and arrays may nest (a scenario nests under ten). */
export const MAX_NESTING = 64;
/** The most keys one object may have (a layout has one per node, 500 at most). */
export const MAX_KEYS = 1_000;

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; error: string };

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Where character `at` of `text` is, as "line L, column C" (1-based). */
export function lineAndColumn(text: string, at: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${at - start + 1}`;
}

/**
 * Why the text is too large to parse, as the end of a sentence about it ("nests deeper than 64
 * levels of objects and arrays (at line 1, column 40,001)"), or null when it is within the limits. Strings are skipped
 * (brackets inside them are text); anything that is not JSON is left for `JSON.parse` to report.
 */
export function jsonTextTooLarge(text: string): string | null {
  if (text.length > MAX_DOCUMENT_CHARS) return `is too large (${fmt(text.length)} characters; at most ${fmt(MAX_DOCUMENT_CHARS)})`;
  let depth = 0;
  let containers = 0;
  // Per open container: whether it is an object, and its keys so far (each key is followed by a colon).
  const isObject = new Uint8Array(MAX_NESTING + 1);
  const keys = new Uint32Array(MAX_NESTING + 1);
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, stepping over escapes.
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) return `nests deeper than ${MAX_NESTING} levels of objects and arrays (at ${lineAndColumn(text, i)})`;
      if (++containers > MAX_CONTAINERS) return `holds more than ${fmt(MAX_CONTAINERS)} objects and arrays (the next at ${lineAndColumn(text, i)})`;
      isObject[depth] = c === 0x7b ? 1 : 0;
      keys[depth] = 0;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x3a && depth > 0 && isObject[depth] === 1) {
      if (++keys[depth]! > MAX_KEYS) return `has an object with more than ${fmt(MAX_KEYS)} keys (the next at ${lineAndColumn(text, i)})`;
    }
  }
  return null;
}

/**
 * `JSON.parse` within the limits above: the value, or why not as the end of a sentence about the
 * document ("is not valid JSON (…)", "holds more than 100,000 objects and arrays (…)").
 */
export function parseJsonText(text: string): JsonTextResult {
  const tooLarge = jsonTextTooLarge(text);
  if (tooLarge !== null) return { ok: false, error: tooLarge };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `is not valid JSON (${why.length > 200 ? `${why.slice(0, 197)}...` : why})` };
  }
}
