/**
 * Editing the document on the canvas, as pure functions of the document (the input as given,
 * before defaults): add a node of a kind, wire two nodes, delete nodes or an edge with every
 * reference to them, rename a node with every reference updated, copy and paste nodes.
 *
 * Nothing here names a kind's references by hand: what a node refers to, what it may refer to,
 * and which way the canvas draws it come from the kinds' descriptors (scenario/kinds/). The only
 * table is how a new reference is written into a node (CONNECTORS: a client's `target`, a
 * service's `calls` entry...), and the descriptors' `refs` then say whether that reference may
 * name the other node and which way its edge points.
 *
 * Loaded lazily (it carries zod through the kinds' schemas), the first time something is edited.
 */
import { BUILTIN_KIND_SET, NODE_ID_PATTERN, SCENARIO_FORMAT } from '../../scenario/schema';
import type { EdgeKind, KindRef, KindSet, Scenario } from '../../scenario/schema';
import { validateScenario } from '../../scenario/validate';
import type { Problem } from '../../scenario/validate';
import { matchRoute } from '../../scenario/routes';

export type Obj = Record<string, unknown>;
export interface DocNode extends Obj {
  id: string;
  kind: string;
}
export interface Doc extends Obj {
  nodes: DocNode[];
}
export type Point = { x: number; y: number };
export type Positions = Record<string, Point>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);
const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

/** The document's nodes (a document that is not an object has none). */
export function nodesOf(doc: unknown): DocNode[] {
  return isObj(doc) && Array.isArray(doc.nodes) ? (doc.nodes.filter((n) => isObj(n) && typeof n.id === 'string' && typeof n.kind === 'string') as DocNode[]) : [];
}

function asDoc(doc: unknown): Doc {
  const d = isObj(doc) ? clone(doc) : {};
  return { ...d, nodes: Array.isArray(d.nodes) ? (d.nodes as DocNode[]) : [] };
}

// --- the empty document -------------------------------------------------------------------------

/** A document with no nodes yet: what "New" opens. */
export function emptyDocument(name = 'Untitled scenario'): Doc {
  return { format: SCENARIO_FORMAT, name, seed: 'faultline', durationMs: 60000, nodes: [] };
}

/**
 * A document without nodes, with the defaults applied. Validation asks for a node (a run needs
 * one), so the rest of the document is checked with a stand-in node that is then left out.
 */
export function emptyScenarioOf(doc: unknown, kinds: KindSet = BUILTIN_KIND_SET): { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] } {
  if (!isObj(doc)) return { ok: false, problems: [{ path: '', message: 'a scenario must be a JSON object' }] };
  const { layout: _layout, faults: _faults, ...rest } = doc;
  const result = validateScenario({ ...rest, nodes: [{ id: 'stand-in', kind: 'service' }] }, kinds);
  if (!result.ok) return result;
  return { ok: true, scenario: { ...result.scenario, nodes: [], faults: [], layout: {} } };
}

// --- ids ----------------------------------------------------------------------------------------

/** `base-1`, `base-2`…: the first the document does not use (`taken` adds ids about to be used). */
export function uniqueId(doc: unknown, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...nodesOf(doc).map((n) => n.id), ...taken]);
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-\d+$/, '')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'node';
  for (let n = 1; ; n++) {
    const id = `${stem}-${n}`;
    if (!used.has(id)) return id;
  }
}

/** Why `id` cannot be a new id for a node of `doc` (null: it can). */
export function idProblem(doc: unknown, id: string, except?: string): string | null {
  if (id === '') return 'must not be empty';
  if (id.length > 64) return 'must be at most 64 characters long';
  if (!NODE_ID_PATTERN.test(id)) return 'may hold lowercase letters, digits and dashes only';
  if (id !== except && nodesOf(doc).some((n) => n.id === id)) return `"${id}" is already the id of another node`;
  return null;
}

// --- adding a node ------------------------------------------------------------------------------

export type Outcome = { ok: true; doc: Doc; label: string; changes: string[] } | { ok: false; reason: string };

/** One issue of a failed parse, as zod reports it (the parts newNode reads). */
interface ParseIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
  origin?: string;
  minimum?: number | bigint;
}

/** `steps[0].name` → "step-1": a name for a required text of a new list entry (else the key). */
function nameFor(path: readonly (string | number)[]): string {
  const key = String(path.at(-1));
  const list = path.at(-3);
  const index = path.at(-2);
  if (typeof index === 'number' && typeof list === 'string') return `${list.replace(/s$/, '')}-${index + 1}`;
  return key;
}

/**
 * A new node of `kind` with the schema's defaults: a minimal node parsed through the kind's
 * schema. What the schema requires is filled in, at any depth: a required reference names the
 * first node it may name (a client's target, an orchestrator step's target: the first service or
 * gateway), a required choice takes its first option (an exchange's type), a list that needs an
 * entry gets one (an orchestrator's first step), a required text a name ("step-1").
 */
export function newNode(doc: unknown, kind: string, id: string, kinds: KindSet = BUILTIN_KIND_SET): { ok: true; node: DocNode; filled: string[] } | { ok: false; reason: string } {
  const descriptor = kinds.get(kind);
  if (!descriptor) return { ok: false, reason: `"${kind}" is not a kind this app knows` };
  let node: Obj = { id, kind };
  const filled: string[] = [];
  for (let round = 0; round < 32; round++) {
    const parsed = descriptor.schema.safeParse(node);
    if (parsed.success) return { ok: true, node: parsed.data as DocNode, filled };
    const issues = parsed.error.issues as unknown as ParseIssue[];
    const pathOf = (i: ParseIssue) => i.path.map((k) => (typeof k === 'number' ? k : String(k)));
    // What is missing (nothing there yet), or a list short of the entries it needs.
    const issue = issues.find((i) => getPath(node, pathOf(i)) === undefined || (i.code === 'too_small' && i.origin === 'array'));
    if (!issue) return { ok: false, reason: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    const path = pathOf(issue);
    const where = path.join('.');
    if (issue.code === 'too_small' && issue.origin === 'array') {
      node = setPath(node, path, [...(getPath(node, path) as unknown[]), undefined]) as Obj;
      continue;
    }
    const ref = descriptor.refs(setPath(node, path, '\u0000') as Obj).find((r) => JSON.stringify(r.path) === JSON.stringify(path));
    if (ref) {
      const other = nodesOf(doc).find((n) => n.id !== id && kinds.accepts(ref.accepts, n.kind));
      if (!other) return { ok: false, reason: `${article(kind)} needs ${ref.what} to send to: add one first, then the ${kind}` };
      node = setPath(node, path, other.id) as Obj;
      filled.push(`${where}: ${other.id}`);
      continue;
    }
    let value: unknown;
    if (issue.values !== undefined && issue.values.length > 0) {
      value = issue.values[0];
      filled.push(`${where}: ${String(value)}`);
    } else if (issue.expected === 'array') value = [];
    else if (issue.expected === 'object') value = {};
    else if (issue.expected === 'string') {
      value = nameFor(path);
      filled.push(`${where}: ${String(value)}`);
    } else return { ok: false, reason: `${where}: ${issue.message}` };
    node = setPath(node, path, value) as Obj;
  }
  return { ok: false, reason: `a ${kind} could not be made from its schema` };
}

/**
 * Adds a node of `kind` at `at` (layout units; null: the first free spot beside the others). `positions` are where
 * the canvas shows the other nodes now: they are written into the layout too, so the new node
 * lands where it was dropped and nothing else moves.
 */
export function addNode(doc: unknown, kind: string, at: Point | null, positions: Positions, kinds: KindSet = BUILTIN_KIND_SET): Outcome & { id?: string } {
  const d = asDoc(doc);
  const id = uniqueId(d, kind);
  const made = newNode(d, kind, id, kinds);
  if (!made.ok) return made;
  // A client sent to a gateway requests the paths its routes take (not "/", a 404 each).
  const aimed = made.node.kind === 'client' ? aimRequests(made.node, d.nodes.find((n) => n.id === made.node.target), null) : { node: made.node, change: null };
  d.nodes = [...d.nodes, aimed.node];
  const layout: Positions = {};
  for (const n of d.nodes) if (positions[n.id]) layout[n.id] = roundPoint(positions[n.id]!);
  layout[id] = roundPoint(at ?? freeSpot(positions));
  d.layout = layout;
  const changes = made.filled.length > 0 ? [`${id}: ${made.filled.join(', ')} (change it in the inspector or by wiring)`] : [];
  if (aimed.change) changes.push(aimed.change);
  return { ok: true, doc: d, id, label: `add ${kind} ${id}`, changes };
}

const roundPoint = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });

/** A new node's room in the grid freeSpot fills (layout units), and how many go in one row. */
export const SPOT = { x: 420, y: 260, columns: 4 } as const;

/**
 * The first free cell of a grid four boxes wide, from the top-left node on, row by row: nodes
 * added one after another stay a block the canvas can show at a readable zoom, not a row that
 * outgrows it (ten services in a row were a few pixels each at 1024 px, the last off screen).
 */
export function freeSpot(positions: Positions): Point {
  const ps = Object.values(positions);
  if (ps.length === 0) return { x: 0, y: 0 };
  const x0 = Math.min(...ps.map((p) => p.x));
  const y0 = Math.min(...ps.map((p) => p.y));
  const taken = (c: Point) => ps.some((p) => Math.abs(p.x - c.x) < SPOT.x * 0.75 && Math.abs(p.y - c.y) < SPOT.y * 0.75);
  for (let row = 0; ; row++) {
    for (let col = 0; col < SPOT.columns; col++) {
      const cell = { x: x0 + col * SPOT.x, y: y0 + row * SPOT.y };
      if (!taken(cell)) return cell;
    }
  }
}

// --- wiring -------------------------------------------------------------------------------------

/** What a connection asks the user for: a route's prefix, a routing key, a binding's key or header arguments. */
export type Ask = { what: 'prefix' | 'routingKey' | 'bindingKey' | 'headers' | 'stepName'; label: string; initial: string; help: string } | null;

interface Connector {
  /** The edge the new reference draws (checked against the descriptor's refs). */
  edge: EdgeKind;
  /** The node written into: the one holding the reference. */
  write(holder: DocNode, other: DocNode, value: string, doc: Doc): DocNode;
  ask?(holder: DocNode, other: DocNode): Ask;
  /** A reference that replaces the one the node had (a client has one target). */
  replaces?(holder: DocNode): string | null;
}

const push = (list: unknown, item: Obj): Obj[] => [...(Array.isArray(list) ? (list as Obj[]) : []), item];

/**
 * How a new reference is written into a node of each kind. Whether the pair allows it, and
 * which way it points, is the descriptors' to say (see `connectionsFor`).
 */
const CONNECTORS: Record<string, Connector[]> = {
  client: [
    {
      edge: 'request',
      write: (n, o) => ({ ...n, target: o.id }),
      replaces: (n) => (typeof n.target === 'string' ? n.target : null),
    },
  ],
  gateway: [
    {
      edge: 'route',
      write: (n, o, prefix) => ({ ...n, routes: push(n.routes, { prefix, target: o.id }) }),
      ask: (_n, o) => ({ what: 'prefix', label: 'Route prefix', initial: `/${o.id}`, help: 'Requests whose path starts with it go to this target (starts with /).' }),
    },
  ],
  service: [
    { edge: 'call', write: (n, o) => ({ ...n, calls: push(n.calls, { target: o.id }) }) },
    {
      edge: 'publish',
      write: (n, o, routingKey) => ({ ...n, publishes: push(n.publishes, { exchange: o.id, routingKey }) }),
      ask: (_n, o) => (o.type === 'fanout' ? null : { what: 'routingKey', label: 'Routing key', initial: `${_n.id}.done`, help: `The key each message is published with; ${o.id} (${String(o.type)}) routes by it.` }),
    },
    { edge: 'consume', write: (n, o) => ({ ...n, consumes: push(n.consumes, { queue: o.id }) }) },
  ],
  queue: [
    {
      edge: 'binding',
      write: (n, o, value) => ({ ...n, bindings: push(n.bindings, o.type === 'headers' ? { exchange: o.id, arguments: parseHeaderArguments(value).value ?? {} } : { exchange: o.id, key: value }) }),
      ask: (n, o) =>
        o.type === 'fanout'
          ? null
          : o.type === 'headers'
            ? { what: 'headers', label: 'Header arguments', initial: 'x-match=all', help: 'name=value pairs, comma separated; x-match=all or any.' }
            : { what: 'bindingKey', label: 'Binding key', initial: o.type === 'topic' ? '#' : n.id, help: o.type === 'topic' ? 'Words split on ".": * is one word, # is zero or more.' : 'Messages published with exactly this key reach the queue.' },
    },
    {
      edge: 'dead-letter',
      write: (n, o) => ({ ...n, deadLetter: { exchange: o.id, routingKey: null } }),
      replaces: (n) => (isObj(n.deadLetter) && typeof n.deadLetter.exchange === 'string' ? n.deadLetter.exchange : null),
    },
  ],
  orchestrator: [
    {
      edge: 'call',
      write: (n, o, name) => ({ ...n, steps: push(n.steps, { name, target: o.id }) }),
      ask: (_n, o) => ({ what: 'stepName', label: 'Step name', initial: o.id, help: 'The saga runs its steps in order; when one fails, the compensations of those before it run (set them in the inspector).' }),
    },
  ],
  exchange: [
    {
      edge: 'alternate',
      write: (n, o) => ({ ...n, alternateExchange: o.id }),
      replaces: (n) => (typeof n.alternateExchange === 'string' ? n.alternateExchange : null),
    },
  ],
};

/** `x-match=all, region=eu, priority=5` → the binding's arguments (numbers and booleans typed). */
export function parseHeaderArguments(text: string): { value: Record<string, string | number | boolean> | null; problem: string | null } {
  const out: Record<string, string | number | boolean> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { value: null, problem: `"${part}" is not name=value` };
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (name === 'x-match' && raw !== 'all' && raw !== 'any') return { value: null, problem: 'x-match is "all" or "any"' };
    out[name] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return { value: out, problem: null };
}

/** One thing a drag from `source` to `target` can create. */
export interface Connection {
  edge: EdgeKind;
  /** The node whose document holds the reference. */
  holder: string;
  other: string;
  ask: Ask;
  /** The id the holder referred to before (a client's target), which this replaces. */
  replaces: string | null;
  /** The ends of the drag (the edge drawn points from `from` to `to`). */
  from: string;
  to: string;
  /** "a call from api to db". */
  describe: string;
}

/** The reference a written node gained (the descriptor's refs after, minus before). */
function newRef(kinds: KindSet, before: DocNode, after: DocNode, otherId: string): KindRef | undefined {
  const descriptor = kinds.get(after.kind);
  if (!descriptor) return undefined;
  const had = new Set(descriptor.refs(before).map((r) => `${JSON.stringify(r.path)}=${String(r.id)}`));
  return descriptor.refs(after).find((r) => r.id === otherId && !had.has(`${JSON.stringify(r.path)}=${String(r.id)}`));
}

/** What a drag from `sourceId` to `targetId` may create, read from the descriptors; empty: nothing. */
export function connectionsFor(doc: unknown, sourceId: string, targetId: string, kinds: KindSet = BUILTIN_KIND_SET): Connection[] {
  const d = asDoc(doc);
  const source = d.nodes.find((n) => n.id === sourceId);
  const target = d.nodes.find((n) => n.id === targetId);
  if (!source || !target || sourceId === targetId) return [];
  const out: Connection[] = [];
  // The source holds a reference drawn forward, or the target one drawn in reverse.
  for (const [holder, other, reverse] of [
    [source, target, false],
    [target, source, true],
  ] as const) {
    for (const c of CONNECTORS[holder.kind] ?? []) {
      const written = c.write(holder, other, '', d);
      const ref = newRef(kinds, holder, written, other.id);
      if (!ref?.edge || ref.edge.kind !== c.edge || Boolean(ref.edge.reverse) !== reverse) continue;
      if (!kinds.accepts(ref.accepts, other.kind)) continue;
      out.push({
        edge: c.edge,
        holder: holder.id,
        other: other.id,
        ask: c.ask?.(holder, other) ?? null,
        replaces: c.replaces?.(holder) ?? null,
        from: sourceId,
        to: targetId,
        describe: `${article(c.edge)} from ${sourceId} to ${targetId}`,
      });
    }
  }
  return out;
}

/**
 * A reference a node has only one of (a client's target, a queue's dead-letter exchange, an
 * exchange's alternate) that already names the other node: wiring the pair again adds nothing.
 */
function alreadyThere(kinds: KindSet, d: Doc, source: DocNode, target: DocNode): string | null {
  for (const [holder, other, reverse] of [
    [source, target, false],
    [target, source, true],
  ] as const) {
    for (const c of CONNECTORS[holder.kind] ?? []) {
      if (!c.replaces || c.replaces(holder) !== other.id) continue;
      const ref = (kinds.get(holder.kind)?.refs(holder) ?? []).find((r) => r.id === other.id && r.edge?.kind === c.edge && Boolean(r.edge.reverse) === reverse);
      if (ref) return `${article(c.edge)[0]!.toUpperCase()}${article(c.edge).slice(1)} from ${source.id} to ${target.id} is there already: nothing to add.`;
    }
  }
  return null;
}

/**
 * Why a drag from a node of one kind to one of another creates nothing: what may start at the
 * source, in the descriptors' words.
 */
export function whyNot(doc: unknown, sourceId: string, targetId: string, kinds: KindSet = BUILTIN_KIND_SET): string {
  const nodes = nodesOf(doc);
  const source = nodes.find((n) => n.id === sourceId);
  const target = nodes.find((n) => n.id === targetId);
  if (!source || !target) return 'Drop the wire on another node.';
  if (sourceId === targetId) return 'A node cannot be wired to itself.';
  const there = alreadyThere(kinds, asDoc(doc), source, target);
  if (there) return there;
  const offers: string[] = [];
  // References the source kind holds (drawn forward), and those other kinds hold drawn towards it.
  for (const c of CONNECTORS[source.kind] ?? []) {
    const ref = newRef(kinds, source, c.write(source, target, '', asDoc(doc)), target.id);
    if (ref?.edge && !ref.edge.reverse) offers.push(`${article(c.edge)} to ${ref.what}`);
  }
  for (const kind of kinds.names) {
    for (const c of CONNECTORS[kind] ?? []) {
      const holder: DocNode = { id: '\u0000holder', kind };
      const ref = newRef(kinds, holder, c.write(holder, source, '', asDoc(doc)), source.id);
      if (ref?.edge?.reverse && kinds.accepts(ref.accepts, source.kind)) offers.push(`${article(c.edge)} by ${article(kind)}`);
    }
  }
  const from = offers.length > 0 ? `From ${article(source.kind)}: ${[...new Set(offers)].join('; ')}.` : `Nothing starts at ${article(source.kind)}.`;
  // A wire dragged the wrong way (from the service to the queue it should consume): say which way makes it.
  const back = connectionsFor(doc, targetId, sourceId, kinds).map((c) => article(c.edge));
  const other = back.length > 0 ? ` Dragged the other way, from ${targetId} to ${sourceId}, it makes ${[...new Set(back)].join(' or ')}.` : '';
  return `${article(source.kind)[0]!.toUpperCase()}${article(source.kind).slice(1)} → ${article(target.kind)}: nothing to create. ${from}${other}`;
}

/** What is wrong with the value a prompt asked for, in the schema's limits (null: nothing). */
export function askProblem(ask: NonNullable<Ask>, value: string): string | null {
  switch (ask.what) {
    case 'prefix':
      if (!value.startsWith('/')) return 'must start with /';
      return value.length > 500 ? 'must be at most 500 characters long' : null;
    case 'routingKey':
    case 'bindingKey':
      return value.length > 255 ? 'must be at most 255 characters long' : null;
    case 'headers':
      return parseHeaderArguments(value).problem;
    case 'stepName':
      if (value.trim() === '') return 'must not be empty';
      return value.length > 64 ? 'must be at most 64 characters long' : null;
  }
}

/** Writes a connection into the document, with the value asked for (prefix, key, header arguments, step name). */
export function connect(doc: unknown, connection: Connection, value: string): Outcome {
  const d = asDoc(doc);
  const i = d.nodes.findIndex((n) => n.id === connection.holder);
  const other = d.nodes.find((n) => n.id === connection.other);
  const c = CONNECTORS[d.nodes[i]?.kind ?? '']?.find((x) => x.edge === connection.edge);
  if (i < 0 || !other || !c) return { ok: false, reason: 'one of the two nodes is gone' };
  if (connection.ask) {
    const problem = askProblem(connection.ask, value);
    if (problem) return { ok: false, reason: `${connection.ask.label}: ${problem}` };
  }
  d.nodes[i] = c.write(d.nodes[i]!, other, value, d);
  const { from, to } = connection;
  const changes = connection.replaces && connection.replaces !== connection.other ? [`${connection.holder} no longer ${connection.edge === 'request' ? 'sends to' : 'uses'} ${connection.replaces}`] : [];
  // The clients of a gateway request the paths its routes take: a new route gets their traffic,
  // a client wired to a gateway stops requesting a path no route takes.
  const aimed = (n: DocNode, gateway: DocNode | undefined, added: string | null): DocNode => {
    const r = aimRequests(n, gateway, added);
    if (r.change) changes.push(r.change);
    return r.node;
  };
  if (connection.edge === 'route') {
    const gateway = d.nodes[i]!;
    d.nodes = d.nodes.map((n) => (n.kind === 'client' && n.target === gateway.id ? aimed(n, gateway, value) : n));
  } else if (connection.edge === 'request') d.nodes[i] = aimed(d.nodes[i]!, other, null);
  return { ok: true, doc: d, label: `${connection.edge} ${from} → ${to}${value ? ` (${value})` : ''}`, changes };
}

// --- a client's paths and its gateway's routes --------------------------------------------------

type Request = { path: string; weight?: number };

/**
 * Points a client's requests at the routes of the gateway it sends to, so that users → gateway →
 * orders sends users' traffic to orders (a client requests "/" until told otherwise, and a gateway
 * answers a path no route takes with a 404). A client none of whose requests a route takes
 * requests each route's prefix instead; else a route just `added` that no request reaches gets a
 * request of its own (weight 1). Requests some route takes are left as they are (and so is a mix
 * with paths that 404: that may be meant). The client as it was when nothing needs to change (not
 * sent to a gateway, or the gateway has no routes yet); `change` says what did.
 */
export function aimRequests(client: DocNode, gateway: DocNode | undefined, added: string | null): { node: DocNode; change: string | null } {
  const unchanged = { node: client, change: null };
  if (gateway?.kind !== 'gateway' || !Array.isArray(gateway.routes)) return unchanged;
  const prefixes = [...new Set((gateway.routes as unknown[]).flatMap((r) => (isObj(r) && typeof r.prefix === 'string' ? [r.prefix] : [])))];
  if (prefixes.length === 0) return unchanged;
  const requests: Request[] = Array.isArray(client.requests) ? (client.requests as unknown[]).filter((r): r is Request => isObj(r) && typeof r.path === 'string') : [{ path: '/', weight: 1 }];
  const routeOf = (path: string) => matchRoute(prefixes, path);
  const reached = new Set(requests.flatMap((r) => (routeOf(r.path) >= 0 ? [prefixes[routeOf(r.path)]] : [])));
  if (reached.size === 0) {
    return {
      node: { ...client, requests: prefixes.map((path) => ({ path, weight: 1 })) },
      change: `${client.id} requests ${prefixes.join(', ')} (no route of ${gateway.id} takes ${requests.map((r) => r.path).join(', ') || 'what it requested'}: a 404 each)`,
    };
  }
  if (added !== null && prefixes.includes(added) && !reached.has(added)) {
    return { node: { ...client, requests: [...requests, { path: added, weight: 1 }] }, change: `${client.id} also requests ${added} (weight 1)` };
  }
  return unchanged;
}

// --- deleting -----------------------------------------------------------------------------------

/**
 * Takes a reference out of its node, as little of the node as it can: from the reference up, the
 * first part whose removal leaves a node its kind's schema accepts — the list entry holding it (a
 * call, a route, a binding, a consumer's own call — not the whole consumer), or a setting that may
 * be null (a dead-letter exchange, a saga step's compensation). Null: the node cannot lose it (a
 * client's target, an orchestrator's only step) — the node goes with the node it names.
 */
function dropRef(kinds: KindSet, node: DocNode, path: readonly (string | number)[]): DocNode | null {
  const schema = kinds.get(node.kind)?.schema;
  const accepted = (n: unknown) => schema?.safeParse(n).success ?? false;
  // A node that is not valid as it is: the innermost list entry, else nothing to judge by.
  const strict = accepted(node);
  for (let k = path.length - 1; k >= 0; k--) {
    const step = path[k]!;
    const holder = path.slice(0, k);
    let candidate: unknown;
    if (typeof step === 'number') {
      const list = getPath(node, holder);
      if (!Array.isArray(list)) return node;
      candidate = setPath(node, holder, list.filter((_, j) => j !== step));
      if (!strict || accepted(candidate)) return candidate as DocNode;
    } else if (strict) {
      candidate = setPath(node, [...holder, step], null);
      if (accepted(candidate)) return candidate as DocNode;
    }
  }
  return null;
}

function getPath(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const s of path) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[s] : undefined;
  return cur;
}

function setPath(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(v)) {
    const copy = [...v];
    copy[head as number] = setPath(copy[head as number], rest, value);
    return copy;
  }
  const obj = isObj(v) ? { ...v } : {};
  obj[head as string] = setPath(obj[head as string], rest, value);
  return obj;
}

/** The words for a reference a node loses: "call to db", "binding to events". */
function refWords(ref: KindRef): string {
  return `${ref.edge?.kind ?? ref.path.filter((s) => typeof s === 'string').join('.')} ${ref.edge?.reverse ? 'from' : 'to'} ${String(ref.id)}`;
}

const linkEnds = (target: unknown): string[] => (typeof target === 'string' ? target.split('->') : []);
const SETTING_REF = (id: string) => new RegExp(`(nodes|calls|consumes|publishes)\\[${id.replace(/[-]/g, '\\-')}(#\\d+)?\\]`);

/** Removes the entries of a setting map (`variants[].set`, `changes[].set`) whose path names a gone node. */
function pruneSettings(d: Doc, gone: ReadonlySet<string>, changes: string[]): void {
  const names = (path: string) => [...gone].some((id) => SETTING_REF(id).test(path));
  const fromSet = (where: string, set: unknown): Obj => {
    if (!isObj(set)) return {};
    const kept: Obj = {};
    for (const [path, value] of Object.entries(set)) {
      if (names(path)) changes.push(`${where}: the setting ${path} removed`);
      else kept[path] = value;
    }
    return kept;
  };
  if (Array.isArray(d.variants)) d.variants = (d.variants as Obj[]).map((v) => (isObj(v) ? { ...v, set: fromSet(`variant "${String(v.name)}"`, v.set) } : v));
  if (Array.isArray(d.changes)) {
    d.changes = (d.changes as Obj[])
      .map((c) => (isObj(c) ? { ...c, set: fromSet(`the change at ${String(c.atMs)} ms`, c.set) } : c))
      .filter((c) => !isObj(c) || Object.keys(c.set as Obj).length > 0);
  }
  if (isObj(d.sweep) && Array.isArray(d.sweep.params)) {
    const params = (d.sweep.params as Obj[]).filter((p) => !(isObj(p) && typeof p.path === 'string' && names(p.path)));
    if (params.length < (d.sweep.params as Obj[]).length) {
      changes.push(params.length === 0 ? 'the sweep removed (its settings named a deleted node)' : 'a sweep setting naming a deleted node removed');
      d.sweep = params.length === 0 ? null : { ...d.sweep, params };
    }
  }
  if (Array.isArray(d.expect)) {
    const kept = (d.expect as Obj[]).filter((e) => !(isObj(e) && typeof e.metric === 'string' && [...gone].some((id) => e.metric === `nodes.${id}` || (e.metric as string).startsWith(`nodes.${id}.`))));
    if (kept.length < d.expect.length) changes.push(`${d.expect.length - kept.length} expectation${d.expect.length - kept.length === 1 ? '' : 's'} on a deleted node removed`);
    d.expect = kept;
  }
}

/**
 * Deletes nodes, and every reference to them: list entries naming them (calls, routes, publishes,
 * consumes, bindings) go, an optional setting naming them becomes null, and a node that cannot
 * live without the reference (a client whose target is gone) goes too. Faults, links, layout
 * positions and settings paths naming a deleted node go as well. `changes` says what else changed.
 */
export function deleteNodes(doc: unknown, ids: readonly string[], kinds: KindSet = BUILTIN_KIND_SET): Outcome & { removed?: string[] } {
  const d = asDoc(doc);
  const gone = new Set(ids.filter((id) => d.nodes.some((n) => n.id === id)));
  if (gone.size === 0) return { ok: false, reason: 'nothing to delete' };
  const changes: string[] = [];
  // A node lost because its reference could not go: repeat until nothing more goes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of d.nodes) {
      if (gone.has(n.id)) continue;
      const refs = kinds.get(n.kind)?.refs(n) ?? [];
      if (refs.some((r) => typeof r.id === 'string' && gone.has(r.id) && dropRef(kinds, n, r.path) === null)) {
        const why = refs.find((r) => typeof r.id === 'string' && gone.has(r.id))!;
        gone.add(n.id);
        changes.push(`${n.kind} ${n.id} deleted too: its ${why.path.join('.')} was ${String(why.id)}`);
        changed = true;
      }
    }
  }
  d.nodes = d.nodes
    .filter((n) => !gone.has(n.id))
    .map((n) => {
      // Drop from the last reference to the first, so list indices stay right.
      const refs = (kinds.get(n.kind)?.refs(n) ?? []).filter((r) => typeof r.id === 'string' && gone.has(r.id)).reverse();
      let out = n;
      for (const r of refs) {
        out = dropRef(kinds, out, r.path) ?? out;
        changes.push(`${n.id}: ${refWords(r)} removed`);
      }
      return out;
    });
  if (Array.isArray(d.faults)) {
    const kept = (d.faults as Obj[]).filter((f) => !(isObj(f) && (gone.has(f.target as string) || linkEnds(f.target).some((e) => gone.has(e)))));
    if (kept.length < d.faults.length) changes.push(`${d.faults.length - kept.length} fault${d.faults.length - kept.length === 1 ? '' : 's'} on it removed`);
    d.faults = kept;
  }
  if (Array.isArray(d.links)) {
    const kept = (d.links as Obj[]).filter((l) => !(isObj(l) && (gone.has(l.from as string) || gone.has(l.to as string))));
    if (kept.length < d.links.length) changes.push(`${d.links.length - kept.length} link${d.links.length - kept.length === 1 ? '' : 's'} removed`);
    d.links = kept;
  }
  if (isObj(d.layout)) d.layout = Object.fromEntries(Object.entries(d.layout).filter(([id]) => !gone.has(id)));
  pruneSettings(d, gone, changes);
  const names = [...gone];
  return { ok: true, doc: d, label: `delete ${names.join(', ')}`, changes, removed: names };
}

/**
 * Deletes the reference an edge draws (`path`: `nodes[2].calls[0].target`): the list entry
 * holding it, or an optional setting (null). A reference the node cannot lose (a client's
 * target) says so.
 */
export function deleteEdge(doc: unknown, path: readonly (string | number)[], kinds: KindSet = BUILTIN_KIND_SET): Outcome {
  const d = asDoc(doc);
  const i = path[1];
  const node = typeof i === 'number' ? d.nodes[i] : undefined;
  if (path[0] !== 'nodes' || !node) return { ok: false, reason: 'this edge is not in the document any more' };
  const refPath = path.slice(2);
  const ref = (kinds.get(node.kind)?.refs(node) ?? []).find((r) => JSON.stringify(r.path) === JSON.stringify(refPath));
  if (!ref) return { ok: false, reason: 'this edge is not in the document any more' };
  const dropped = dropRef(kinds, node, refPath);
  if (!dropped) {
    const at = refPath.findIndex((s) => typeof s === 'number');
    // A list that may not be empty (an orchestrator's steps): another entry first.
    if (at > 0) {
      const list = refPath.slice(0, at).join('.');
      return { ok: false, reason: `${article(node.kind)} must keep at least one of its ${list}: wire ${node.id} to another node first, then delete this one, or delete ${node.id}` };
    }
    return { ok: false, reason: `${article(node.kind)} must have its ${refPath.join('.')}: drag a wire from ${node.id} to another node to change it, or delete ${node.id}` };
  }
  d.nodes[i as number] = dropped;
  return { ok: true, doc: d, label: `delete ${refWords(ref).replace(/ (to|from) /, ` of ${node.id} $1 `)}`, changes: [] };
}

// --- renaming -----------------------------------------------------------------------------------

/** Every reference to `from` made to name `to` instead (the nodes' references, faults, links, layout, setting paths). */
function renameRefs(d: Doc, from: string, to: string, kinds: KindSet): number {
  let count = 0;
  d.nodes = d.nodes.map((n) => {
    let out = n;
    for (const r of kinds.get(n.kind)?.refs(n) ?? []) {
      if (r.id !== from) continue;
      out = setPath(out, r.path, to) as DocNode;
      count++;
    }
    return out;
  });
  if (Array.isArray(d.faults)) {
    d.faults = (d.faults as Obj[]).map((f) => {
      if (!isObj(f) || typeof f.target !== 'string') return f;
      const ends = f.target.split('->');
      if (!ends.includes(from)) return f;
      count++;
      return { ...f, target: ends.map((e) => (e === from ? to : e)).join('->') };
    });
  }
  if (Array.isArray(d.links)) {
    d.links = (d.links as Obj[]).map((l) => {
      if (!isObj(l) || (l.from !== from && l.to !== from)) return l;
      count++;
      return { ...l, from: l.from === from ? to : l.from, to: l.to === from ? to : l.to };
    });
  }
  if (isObj(d.layout) && d.layout[from] !== undefined) d.layout = Object.fromEntries(Object.entries(d.layout).map(([k, v]) => [k === from ? to : k, v]));
  const pattern = new RegExp(SETTING_REF(from).source, 'g');
  const renamePath = (p: string) => {
    const next = p.replace(pattern, (_m, list: string, nth: string | undefined) => `${list}[${to}${nth ?? ''}]`);
    if (next !== p) count++;
    return next;
  };
  const renameSet = (set: unknown) => (isObj(set) ? Object.fromEntries(Object.entries(set).map(([k, v]) => [renamePath(k), v])) : set);
  if (Array.isArray(d.variants)) d.variants = (d.variants as Obj[]).map((v) => (isObj(v) ? { ...v, set: renameSet(v.set) } : v));
  if (Array.isArray(d.changes)) d.changes = (d.changes as Obj[]).map((c) => (isObj(c) ? { ...c, set: renameSet(c.set) } : c));
  if (isObj(d.sweep) && Array.isArray(d.sweep.params)) d.sweep = { ...d.sweep, params: (d.sweep.params as Obj[]).map((p) => (isObj(p) && typeof p.path === 'string' ? { ...p, path: renamePath(p.path) } : p)) };
  if (Array.isArray(d.expect)) {
    d.expect = (d.expect as Obj[]).map((e) => {
      if (!isObj(e) || typeof e.metric !== 'string' || !(e.metric === `nodes.${from}` || e.metric.startsWith(`nodes.${from}.`))) return e;
      count++;
      return { ...e, metric: `nodes.${to}${e.metric.slice(`nodes.${from}`.length)}` };
    });
  }
  return count;
}

/** Renames a node's id, with every reference to it updated. */
export function renameNode(doc: unknown, from: string, to: string, kinds: KindSet = BUILTIN_KIND_SET): Outcome {
  const d = asDoc(doc);
  const i = d.nodes.findIndex((n) => n.id === from);
  if (i < 0) return { ok: false, reason: `there is no node "${from}"` };
  if (to === from) return { ok: false, reason: 'id: that is already its id' };
  const problem = idProblem(d, to, from);
  if (problem) return { ok: false, reason: `id: ${problem}` };
  d.nodes[i] = { ...d.nodes[i]!, id: to };
  const count = renameRefs(d, from, to, kinds);
  return { ok: true, doc: d, label: `rename ${from} to ${to}`, changes: count > 0 ? [`${count} reference${count === 1 ? '' : 's'} to ${from} now name ${to}`] : [] };
}

// --- copy and paste -----------------------------------------------------------------------------

/** What copy puts aside: the nodes as the document has them, and where they were. */
export interface Clip {
  nodes: DocNode[];
  positions: Positions;
}

export function copyNodes(doc: unknown, ids: readonly string[], positions: Positions): Clip | null {
  const wanted = new Set(ids);
  const nodes = nodesOf(doc).filter((n) => wanted.has(n.id));
  if (nodes.length === 0) return null;
  return { nodes: clone(nodes), positions: Object.fromEntries(nodes.flatMap((n) => (positions[n.id] ? [[n.id, positions[n.id]!]] : []))) };
}

/**
 * Pastes copied nodes with new ids: references among them name the copies; references to other
 * nodes stay when that node still exists, and go (as a delete would take them) when it does not.
 * The copies land `offset` from where the originals were.
 */
export function pasteNodes(doc: unknown, clip: Clip, positions: Positions, offset: Point = { x: 40, y: 40 }, kinds: KindSet = BUILTIN_KIND_SET): Outcome & { ids?: string[] } {
  const d = asDoc(doc);
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = uniqueId(d, n.id, taken);
    taken.add(id);
    ids.set(n.id, id);
  }
  const existing = new Set(d.nodes.map((n) => n.id));
  const changes: string[] = [];
  const pasted: DocNode[] = [];
  for (const original of clip.nodes) {
    let n: DocNode = { ...clone(original), id: ids.get(original.id)! };
    const refs = (kinds.get(n.kind)?.refs(n) ?? []).reverse();
    let lost = false;
    for (const r of refs) {
      if (typeof r.id !== 'string') continue;
      const renamed = ids.get(r.id);
      if (renamed) n = setPath(n, r.path, renamed) as DocNode;
      else if (!existing.has(r.id)) {
        const dropped = dropRef(kinds, n, r.path);
        if (dropped === null) lost = true;
        else {
          n = dropped;
          changes.push(`${n.id}: ${refWords(r)} left out (${r.id} is gone)`);
        }
      }
    }
    if (lost) changes.push(`${original.id} not pasted: what it needs is gone`);
    else pasted.push(n);
  }
  if (pasted.length === 0) return { ok: false, reason: changes.join('; ') || 'nothing to paste' };
  d.nodes = [...d.nodes, ...pasted];
  const layout: Positions = {};
  for (const [id, p] of Object.entries(positions)) if (existing.has(id)) layout[id] = roundPoint(p);
  for (const original of clip.nodes) {
    const id = ids.get(original.id)!;
    const p = clip.positions[original.id];
    if (pasted.some((n) => n.id === id)) layout[id] = roundPoint(p ? { x: p.x + offset.x, y: p.y + offset.y } : freeSpot(layout));
  }
  d.layout = layout;
  const newIds = pasted.map((n) => n.id);
  return { ok: true, doc: d, label: `paste ${newIds.join(', ')}`, changes, ids: newIds };
}
