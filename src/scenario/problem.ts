/** One thing wrong with a document: where (`nodes[2].retry.jitter`) and what, in a sentence. */
export interface Problem {
  /** The place in the document, e.g. `nodes[2].retry.jitter`; "" for the document itself. */
  path: string;
  /** A human sentence without the path, e.g. `must be one of none, full — got "fulll"`. */
  message: string;
}

/** `path: message`, or the message alone for the document itself. */
export function formatProblem(p: Problem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Longest key written whole in a path (ids are at most 64 characters). */
const MAX_KEY_CHARS = 80;
/** Longest path written whole: deeper paths keep their start and end. */
const MAX_PATH_CHARS = 300;

/** The most problems listed for one document; the rest are counted (`and 1,234 more problems`). */
export const MAX_PROBLEMS = 100;

/**
 * At most MAX_PROBLEMS problems, and a last one counting the rest: a document with fifty
 * thousand mistakes gets a readable answer, quickly.
 */
export function capProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { path: '', message: `and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}` }];
}

/** Joins path segments the way a reader would write them: `nodes[2].retry`, `layout["my-node"]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  const whole = joinPath(segments);
  return whole.length > MAX_PATH_CHARS ? `${whole.slice(0, 150)}...${whole.slice(-147)}` : whole;
}

function joinPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const whole = String(seg);
      // A key is part of a sentence: a long one is cut, as values are.
      const key = whole.length > MAX_KEY_CHARS ? `${whole.slice(0, MAX_KEY_CHARS - 3)}...` : whole;
      if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** A value as it appears in a message: strings quoted, long ones cut, objects named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const cut = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}
