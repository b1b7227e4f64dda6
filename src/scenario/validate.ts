/**
 * Validation with human errors. A document goes through `migrate`, then the schema, then the
 * reference checks (ids unique, every reference names a node of the right kind, no call cycles).
 * Every problem is reported at once, each with a path (`nodes[2].retry.jitter`) and a sentence.
 */
import type { z } from 'zod';
import { migrate } from './migrations';
import { capProblems, describeValue, formatPath, formatProblem, MAX_PROBLEMS, type Problem } from './problem';
import { BUILTIN_KIND_SET, NODE_ID_PATTERN, scenarioSchemaOf, type FaultKind, type KindSet, type Scenario } from './schema';
import { LINK_FAULT_KINDS, NODE_ONLY_FAULT_KINDS, faultsOf, linkFaults } from './faultTargets';
import { closest } from './suggest';
import { checkComparisons } from './variants';
import { refuseReservedKeys } from './reservedKeys';

export { formatProblem, type Problem };

/** The most entries a layout may have: one per node, and a document has at most 500 nodes. */
export const MAX_LAYOUT_ENTRIES = 500;

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** Validates a document; `kinds` adds kinds defined outside (kindSet), the built-in ones by default. */
export function validateScenario(input: unknown, kinds: KindSet = BUILTIN_KIND_SET): ValidationResult {
  const reserved = refuseReservedKeys(input); if (reserved) return reserved;
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  let doc: unknown = input;
  // Without a `format` the document is most likely a current one missing the line: let the
  // schema say so alongside every other problem rather than stop here.
  if (!isObject || (input as Record<string, unknown>).format !== undefined) {
    const migrated = migrate(input);
    if (!migrated.ok) return { ok: false, problems: migrated.problems };
    doc = migrated.document;
  }

  // A layout has one entry per node (500 at most): a larger one is refused whole, before the
  // schema would judge each entry (50,000 of them took half a second).
  const tooLarge: Problem[] = [];
  const layout = isObj(doc) ? doc.layout : undefined;
  if (isObj(layout)) {
    const entries = Object.keys(layout).length;
    if (entries > MAX_LAYOUT_ENTRIES) {
      tooLarge.push({ path: 'layout', message: `must have at most ${MAX_LAYOUT_ENTRIES} entries, one per node — got ${entries.toLocaleString('en-US')}` });
      doc = { ...(doc as Record<string, unknown>), layout: undefined };
    }
  }

  const knownKeys = new Map<unknown, string[]>();
  const parsed = scenarioSchemaOf(kinds).safeParse(doc, {
    reportInput: true,
    // The raw issue still knows the schema that raised it; the finished one does not. Keep what
    // the sentences need: the keys a strict object knows (to suggest one for an unknown key), and
    // in an invalid_type issue's message, the type wanted ("int" for integers, which zod reports
    // as "number" when the value is not a number at all).
    error: (iss) => {
      const def = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown>; format?: unknown } } } | undefined)?._zod?.def;
      if (iss.code === 'unrecognized_keys' && def?.shape) knownKeys.set(iss.input, Object.keys(def.shape));
      if (iss.code === 'invalid_type') {
        const int = typeof def?.format === 'string' && def.format.includes('int');
        return iss.expected === 'number' && int ? 'int' : iss.expected;
      }
      return undefined;
    },
  });

  const problems: Problem[] = [...tooLarge];
  /**
   * Where the schema rejected a value (a whole section such as `faults` when it has too many
   * entries, or one reference): references at or under those places are not judged again. An
   * unknown key leaves its object readable, so it does not count.
   */
  const rejected = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(...explain(issue, [], knownKeys));
      if (issue.code !== 'unrecognized_keys') rejected.add(pathKey(issue.path));
    }
  }
  problems.push(...checkReferences(doc, kinds, rejected));
  if (problems.length === 0 && parsed.success) problems.push(...checkComparisons(doc, parsed.data as Scenario, (d) => validateScenario(d, kinds)));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: capProblems(dedupe(problems)) };
  return { ok: true, scenario: parsed.data as Scenario };
}

/** Parses a document that must be valid; throws with every problem listed otherwise. */
export function parseScenario(input: unknown, kinds: KindSet = BUILTIN_KIND_SET): Scenario {
  const result = validateScenario(input, kinds);
  if (!result.ok) throw new Error(`invalid scenario:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.scenario;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Schema issues → sentences

type Issue = z.core.$ZodIssue;

const PATTERN_WORDS = new Map<string, string>([[String(NODE_ID_PATTERN), 'lowercase letters, digits and dashes only']]);

function explain(issue: Issue, base: PropertyKey[], knownKeys: Map<unknown, string[]>): Problem[] {
  const segments = [...base, ...issue.path];
  const at = (message: string, extra: PropertyKey[] = []): Problem => ({ path: formatPath([...segments, ...extra]), message });
  const got = ` — got ${describeValue(issue.input)}`;

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys.get(issue.input) ?? [];
      const free = known.filter((k) => !(issue.input && Object.hasOwn(issue.input, k)));
      // The first keys of an object only, then one line counting the rest: the list is cut at MAX_PROBLEMS anyway.
      const listed = issue.keys.slice(0, issue.keys.length > MAX_PROBLEMS ? MAX_PROBLEMS - 1 : MAX_PROBLEMS).map((key) => {
        const guess = closest(key, free);
        return at(guess ? `unknown key — did you mean "${guess}"?` : `unknown key (known keys: ${known.join(', ')})`, [key]);
      });
      const rest = issue.keys.length - listed.length;
      return rest > 0 ? [...listed, at(`and ${rest.toLocaleString('en-US')} more unknown keys`)] : listed;
    }
    case 'invalid_type':
      if (issue.input === undefined) return [at('is required')];
      return [at(`must be ${expectedWords(issue.message)}${got}`)];
    case 'invalid_value':
      if (issue.input === undefined) return [at(`is required — must be ${oneOf(issue.values)}`)];
      return [at(`must be ${oneOf(issue.values)}${got}`)];
    case 'invalid_union': {
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String).join(', ');
        if (value === undefined) return [at(`is required — must be one of ${options}`)];
        return [at(`must be one of ${options} — got ${describeValue(value)}`)];
      }
      return explainUnion(issue.errors, segments, issue.input, knownKeys);
    }
    case 'too_small':
      return [at(tooSmall(issue) + got)];
    case 'too_big':
      return [at(tooBig(issue) + got)];
    case 'invalid_format': {
      if (issue.format === 'regex' && issue.pattern) {
        return [at(`must use ${PATTERN_WORDS.get(issue.pattern) ?? `the pattern ${issue.pattern}`}${got}`)];
      }
      if (issue.format === 'starts_with') {
        const prefix = (issue as { prefix?: string }).prefix ?? '';
        return [at(`must start with "${prefix}"${got}`)];
      }
      return [at(`must be a valid ${issue.format}${got}`)];
    }
    case 'not_multiple_of':
      return [at(`must be a multiple of ${issue.divisor}${got}`)];
    case 'custom':
      return [at(issue.message)];
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues.flatMap((inner) => explain(inner, segments, knownKeys));
    default:
      return [at((issue as Issue).message)];
  }
}

/**
 * A plain union (`Dist`: a number or a distribution; `seed`: a string or an integer). Branches
 * that failed only because the value is of another type are noise; if one branch got further,
 * its problems are the real ones. If none did, say which types would do.
 */
function explainUnion(
  branches: Issue[][],
  segments: PropertyKey[],
  input: unknown,
  knownKeys: Map<unknown, string[]>,
): Problem[] {
  const wrongType = (b: Issue[]) =>
    b.length === 1 && b[0]!.path.length === 0 && (b[0]!.code === 'invalid_type' || b[0]!.code === 'invalid_value');
  const further = branches.filter((b) => !wrongType(b));
  if (further.length > 0) {
    const best = further.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((issue) => explain(issue, segments, knownKeys));
  }
  const wanted = branches.map((b) => {
    const first = b[0]!;
    if (first.code === 'invalid_type') return expectedWords(first.message);
    if (first.code === 'invalid_value') return first.values.map((v) => JSON.stringify(v)).join(' or ');
    return 'something else';
  });
  const path = formatPath(segments);
  if (input === undefined) return [{ path, message: 'is required' }];
  return [{ path, message: `must be ${[...new Set(wanted)].join(' or ')} — got ${describeValue(input)}` }];
}

function expectedWords(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return expected;
  }
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return JSON.stringify(values[0]);
  // Enumerations read best bare, as SCENARIO.md writes them: none, full, equal, decorrelated.
  return `one of ${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const min = Number(issue.minimum);
  switch (issue.origin) {
    case 'string':
      return min === 1 ? 'must not be empty' : `must be at least ${min} characters long`;
    case 'array':
    case 'set':
      if (issue.exact) return `must have exactly ${min} entries`;
      return min === 1 ? 'must have at least one entry' : `must have at least ${min} entries`;
    default:
      if (min === 0 && issue.inclusive) return 'must not be negative';
      return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
  }
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  const max = Number(issue.maximum);
  switch (issue.origin) {
    case 'string':
      return `must be at most ${max} characters long`;
    case 'array':
    case 'set':
      if (issue.exact) return `must have exactly ${max} entries`;
      return `must have at most ${max} entries`;
    default:
      return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference checks. They read the document defensively (it may have shape problems too), so
// a broken reference is reported even when something else in the same document is wrong.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

const pathKey = (segments: readonly PropertyKey[]): string => segments.map(String).join('\u0000');

/** "Did you mean" is offered for this many unknown names per document, at most. */
const MAX_SUGGESTIONS = 20;

function checkReferences(doc: unknown, kinds: KindSet, rejected: ReadonlySet<string>): Problem[] {
  if (!isObj(doc)) return [];
  const problems: Problem[] = [];
  /** Whether the schema rejected the value at `segments` or a place that holds it. */
  const skip = (...segments: PropertyKey[]): boolean => {
    if (rejected.size === 0) return false;
    for (let k = 1; k <= segments.length; k++) if (rejected.has(pathKey(segments.slice(0, k)))) return true;
    return false;
  };
  let suggestionsLeft = MAX_SUGGESTIONS;
  const suggest = (word: string, candidates: () => string[]): string | undefined =>
    suggestionsLeft-- > 0 ? closest(word, candidates()) : undefined;
  const nodes = list(doc.nodes);
  /** id → kind (undefined when the kind is unknown: such references are not judged). */
  const kindOf = new Map<string, string | undefined>();
  const firstIndex = new Map<string, number>();

  nodes.forEach((node, i) => {
    if (!isObj(node)) return;
    const id = str(node.id);
    if (id === undefined) return;
    const first = firstIndex.get(id);
    if (first !== undefined) {
      problems.push({ path: `nodes[${i}].id`, message: `${describeValue(id)} is already the id of nodes[${first}]` });
      return;
    }
    firstIndex.set(id, i);
    kindOf.set(id, typeof node.kind === 'string' && kinds.has(node.kind) ? node.kind : undefined);
  });

  /** A reference at `path` to a node whose kind `accepts` takes. */
  const expectNode = (path: string, value: unknown, accepts: 'callable' | readonly string[], what: string): void => {
    const id = str(value);
    if (id === undefined) return;
    if (!kindOf.has(id)) {
      const guess = suggest(id, () =>
        [...kindOf.keys()].filter((k) => kinds.accepts(accepts, kindOf.get(k) ?? '') && NODE_ID_PATTERN.test(k)),
      );
      problems.push({ path, message: `names no node: ${describeValue(id)}${guess ? ` — did you mean "${guess}"?` : ''}` });
      return;
    }
    const kind = kindOf.get(id);
    if (kind !== undefined && !kinds.accepts(accepts, kind)) {
      problems.push({ path, message: `must name ${what} — ${describeValue(id)} is ${article(kind)} ${kind}` });
    }
  };

  const calls = new Map<string, { target: string; path: string }[]>();

  // Consistent-hash exchanges: a binding's key is its weight on the ring.
  const hashExchanges = new Set<string>();
  for (const n of nodes) if (isObj(n) && n.kind === 'exchange' && n.type === 'x-consistent-hash' && typeof n.id === 'string') hashExchanges.add(n.id);

  nodes.forEach((node, i) => {
    if (!isObj(node) || typeof node.kind !== 'string' || skip('nodes', i, 'kind')) return;
    if (node.kind === 'queue' && hashExchanges.size > 0) {
      list(node.bindings).forEach((b, j) => {
        if (isObj(b) && typeof b.exchange === 'string' && hashExchanges.has(b.exchange) && !(typeof b.key === 'string' && /^[1-9][0-9]{0,3}$/.test(b.key))) {
          problems.push({ path: `nodes[${i}].bindings[${j}].key`, message: `binds to the consistent-hash exchange "${b.exchange}": the key is the binding's weight, a whole number from 1 to 9999 (as a string, e.g. "1") — got ${describeValue(b.key)}` });
        }
      });
    }
    const descriptor = kinds.get(node.kind);
    if (!descriptor) return;
    const id = str(node.id);
    if (node.kind === 'service' && Array.isArray(node.weights)) {
      const n = typeof node.instances === 'number' ? node.instances : 1;
      if (node.weights.length !== n) problems.push({ path: `nodes[${i}].weights`, message: `must give one weight per instance — ${n} instance${n === 1 ? '' : 's'}, ${node.weights.length} weight${node.weights.length === 1 ? '' : 's'}` });
    }
    for (const ref of descriptor.refs(node)) {
      if (skip('nodes', i, ...ref.path)) continue;
      const path = formatPath(['nodes', i, ...ref.path]);
      if (ref.notSelf && id !== undefined && str(ref.id) === id) {
        problems.push({ path, message: `must name another ${descriptor.kind}, not this one` });
        continue;
      }
      expectNode(path, ref.id, ref.accepts, ref.what);
      if (ref.call && id !== undefined && str(ref.id) !== undefined) addEdge(calls, id, str(ref.id)!, path);
    }
  });

  const anyKind = kinds.names;
  list(doc.links).forEach((link, l) => {
    if (!isObj(link)) return;
    if (!skip('links', l, 'from')) expectNode(`links[${l}].from`, link.from, anyKind, 'a node');
    if (!skip('links', l, 'to')) expectNode(`links[${l}].to`, link.to, anyKind, 'a node');
    if (str(link.from) !== undefined && link.from === link.to) {
      problems.push({ path: `links[${l}].to`, message: `must differ from "from" — a link joins two nodes` });
    }
  });

  list(doc.faults).forEach((fault, f) => {
    if (!isObj(fault) || skip('faults', f, 'target')) return;
    const target = str(fault.target);
    if (target === undefined) return;
    const path = `faults[${f}].target`;
    const arrow = target.indexOf('->');
    const kind = str(fault.kind);
    if (arrow < 0) {
      expectNode(path, target, anyKind, 'a node');
      const nodeKind = kindOf.get(target);
      if (typeof fault.instance === 'number') {
        const node = nodes.find((n) => isObj(n) && n.id === target);
        const n = isObj(node) && typeof node.instances === 'number' ? node.instances : 1;
        if (nodeKind !== undefined && nodeKind !== 'service') {
          problems.push({ path: `faults[${f}].instance`, message: `only a service has instances — "${target}" is ${article(nodeKind)} ${nodeKind}` });
        } else if (nodeKind === 'service' && fault.instance >= n) {
          problems.push({ path: `faults[${f}].instance`, message: `"${target}" has ${n} instance${n === 1 ? '' : 's'} (0 to ${n - 1}) — got ${fault.instance}` });
        }
      }
      const descriptor = nodeKind === undefined ? undefined : kinds.get(nodeKind);
      const allowed = descriptor === undefined || kind === undefined ? undefined : faultsOf(descriptor);
      if (allowed && !allowed.includes(kind as FaultKind)) {
        problems.push({
          path: `faults[${f}].kind`,
          message: allowed.length
            ? `a ${nodeKind} cannot suffer a ${kind} fault — it takes ${allowed.join(', ')}`
            : `faults on ${article(nodeKind!)} ${nodeKind} are not modelled${descriptor!.noFaults ? ` — ${descriptor!.noFaults}` : ''}`,
        });
      }
      return;
    }
    if (kind !== undefined && NODE_ONLY_FAULT_KINDS.includes(kind as FaultKind)) {
      problems.push({ path: `faults[${f}].kind`, message: `a ${kind} fault needs a node target, not the link ${describeValue(target)} — links take ${LINK_FAULT_KINDS.join(', ')}` });
    }
    const from = target.slice(0, arrow);
    const to = target.slice(arrow + 2);
    const missing = [from, to].filter((end) => !kindOf.has(end));
    if (from === '' || to === '' || to.includes('->')) {
      problems.push({ path, message: `must be a node id or a link "a->b" — got ${describeValue(target)}` });
    } else if (from === to) {
      problems.push({ path, message: `must join two different nodes — got ${describeValue(target)}` });
    } else if (missing.length > 0) {
      problems.push({ path, message: `names no node: ${missing.map((m) => describeValue(m)).join(' and ')} (in the link ${describeValue(target)})` });
    } else if (kind !== undefined && !NODE_ONLY_FAULT_KINDS.includes(kind as FaultKind)) {
      const link = linkFaults(kindOf.get(from), kindOf.get(to));
      if (!link.kinds.includes(kind as FaultKind) && link.why !== null) {
        problems.push({ path: `faults[${f}].kind`, message: `the link ${describeValue(target)} cannot carry a ${kind} fault — ${link.why}` });
      }
    }
  });

  if (isObj(doc.layout) && !skip('layout')) {
    let unknown = 0;
    for (const key of Object.keys(doc.layout)) {
      if (!kindOf.has(key) && !skip('layout', key) && ++unknown <= MAX_PROBLEMS) {
        const guess = suggest(key, () => [...kindOf.keys()]);
        problems.push({
          path: formatPath(['layout', key]),
          message: `names no node${guess ? ` — did you mean "${guess}"?` : ''}`,
        });
      }
    }
    if (unknown > MAX_PROBLEMS) problems.push({ path: 'layout', message: `and ${(unknown - MAX_PROBLEMS).toLocaleString('en-US')} more keys that name no node` });
  }

  if (doc.allowCallCycles !== true) problems.push(...findCycles(calls));
  return problems;
}

function addEdge(edges: Map<string, { target: string; path: string }[]>, from: string, target: string, path: string) {
  let out = edges.get(from);
  if (!out) edges.set(from, (out = []));
  out.push({ target, path });
}

/**
 * Call cycles (through services and gateways): a request that can reach its own caller again
 * would recurse forever. Each cycle is reported once, at the call that closes it.
 */
function findCycles(edges: Map<string, { target: string; path: string }[]>): Problem[] {
  const problems: Problem[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'active');
    stack.push(node);
    for (const edge of edges.get(node) ?? []) {
      const s = state.get(edge.target);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(edge.target)), edge.target];
        problems.push({
          path: edge.path,
          message: `makes a call cycle ${cycle.join(' -> ')} (set allowCallCycles: true if that is meant)`,
        });
      } else if (s === undefined) {
        visit(edge.target);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return problems;
}
