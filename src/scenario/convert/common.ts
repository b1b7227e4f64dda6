/**
 * What every converter shares: the result type, the notes on settings that do not map, and
 * reading JSON and YAML text with errors that name the line and column.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { describeValue, formatPath, type Problem } from '../problem';

export type { Problem };

/** A setting of the source that has no place (or no exact place) in the target, by name. */
export interface Note {
  /** Where the setting is: `queues[orders].arguments.x-max-length-bytes`, `retry.budget`. */
  at: string;
  /** The setting's own name: `x-max-length-bytes`, `durable`, `budget`. */
  setting: string;
  /** Why it does not map, and what was done instead (if anything). */
  reason: string;
}

export type ConvertResult<T> = { ok: true; value: T; notes: Note[] } | { ok: false; problems: Problem[] };

export function fail<T>(problems: Problem[]): ConvertResult<T> {
  return { ok: false, problems };
}

/** `queue "orders": x-max-length-bytes — a byte limit is not modelled ...` */
export const formatNote = (n: Note): string => (n.at === n.setting || n.at.endsWith(n.setting) ? `${n.at} — ${n.reason}` : `${n.at}: ${n.setting} — ${n.reason}`);

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," (or the end of the list or object)',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'not a valid \\u escape',
  InvalidEscapeCharacter: 'not a valid escape',
  InvalidCharacter: 'a control character inside a string',
};

/**
 * Strict JSON. `JSON.parse` does the work; when it refuses, jsonc-parser (strict options) finds
 * where, because engines word (or omit) the position of a JSON error differently.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
    if (text.trim() === '') return { ok: false, problems: [{ path: '', message: 'the file is empty' }] };
    const first = errors[0];
    if (!first) return { ok: false, problems: [{ path: '', message: `not valid JSON (${(e as Error).message})` }] };
    const { line, column } = lineColumn(text, first.offset);
    const code = printParseErrorCode(first.error);
    return { ok: false, problems: [{ path: '', message: `line ${line}, column ${column}: not valid JSON: ${JSON_ERROR_WORDS[code] ?? code}` }] };
  }
}

/** A YAML (or JSON) text as plain data, with the line of every key and value. */
export interface YamlText {
  value: unknown;
  /** The 1-based line of the node at `path` (keys as written in the text), if known. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** YAML 1.2 (a superset of JSON); the first syntax error names its line and column. */
export function parseYamlText(text: string, lineOffset = 0): { ok: true; yaml: YamlText } | { ok: false; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.slice(0, 5).map((err) => {
        const { line, col } = lineCounter.linePos(err.pos[0]);
        const message = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', message: `line ${line + lineOffset}, column ${col}: not valid YAML: ${message}` };
      }),
    };
  }
  const lines = new Map<string, number>();
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (!node || typeof node !== 'object') return;
    const range = (node as YamlNode).range;
    if (range) lines.set(JSON.stringify(path), lineCounter.linePos(range[0]).line + lineOffset);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyRange = (pair.key as YamlNode | null)?.range;
        if (keyRange) lines.set(JSON.stringify([...path, key]), lineCounter.linePos(keyRange[0]).line + lineOffset);
        if (pair.value && typeof pair.value === 'object' && !isScalar(pair.value)) visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `not valid YAML: ${(e as Error).message}` }] };
  }
  return { ok: true, yaml: { value, lineOf: (path) => lines.get(JSON.stringify(path)) } };
}

export { describeValue, formatPath };

/** Where a problem is, as a reader of the source file would say it. */
export function problemAt(path: readonly PropertyKey[], message: string, line?: number): Problem {
  return { path: formatPath(path), message: line === undefined ? message : `${message} (line ${line})` };
}

/** The largest retry delay index used: retries 1 .. maxAttempts - 1. */
export function retryCount(maxAttempts: number): number {
  return Math.max(0, maxAttempts - 1);
}

/** `x * m^(n-1)` by repeated multiplication (this layer computes no Math.pow). */
export function geometric(x: number, m: number, n: number): number {
  let v = x;
  for (let i = 1; i < n; i++) v *= m;
  return v;
}
