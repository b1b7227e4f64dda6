/**
 * RabbitMQ definitions (the JSON of `rabbitmqctl export_definitions` and of the management
 * API's `GET /api/definitions[/vhost]`) in and out of a scenario's exchanges and queues.
 *
 * Import keeps what the broker model simulates — exchange types and alternate exchanges; queue
 * type, dead-letter exchange and routing key, message TTL, max length and overflow, delivery
 * limit; bindings with keys and header arguments — and lists every other setting by name in the
 * notes. Export writes a file `rabbitmqctl import_definitions` accepts: durable, non-auto-delete
 * exchanges and queues in one vhost, and their bindings, in the shape RabbitMQ 3.10's own
 * `export_definitions` writes (no `internal` on exchanges, a `type` on queues).
 *
 * Names: a queue or exchange name becomes a node id (see ids.ts) and the name itself is kept as
 * the node's label when it differs; export names each node by its label, else its id.
 *
 * The default exchange (`""`) has no declaration in a definitions file, and every queue is bound
 * to it by its own name. When a queue dead-letters through it, import adds a direct exchange
 * labelled `(AMQP default)` with exactly those bindings; export leaves that exchange and its
 * bindings out and writes `""` where it is named. The predeclared `amq.*` exchanges are not in
 * an export either: import adds the ones that are bound or named (with their predeclared type),
 * and export leaves them out but keeps their bindings.
 */
import type { ExchangeNode, NodeSpec, QueueNode, Scenario } from '../schema';
import { ExchangeNodeSchema, QueueNodeSchema } from '../schema';
import { fail, formatPath, isObj, parseJsonText, type ConvertResult, type Note, type Obj, type Problem } from './common';
import { assignIds, idKey, type Named } from './ids';

// ---------------------------------------------------------------------------------------------
// The definitions format (the parts Faultline reads and writes)

export interface RabbitExchange {
  name: string;
  vhost?: string;
  type: string;
  durable?: boolean;
  auto_delete?: boolean;
  internal?: boolean;
  arguments?: Obj;
}

export interface RabbitQueue {
  name: string;
  vhost?: string;
  durable?: boolean;
  auto_delete?: boolean;
  arguments?: Obj;
  /** Written by RabbitMQ 3.10's export beside x-queue-type (and read when that argument is absent). */
  type?: string;
}

export interface RabbitBinding {
  source: string;
  vhost?: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
  arguments?: Obj;
}

export interface RabbitDefinitions {
  vhosts?: { name: string }[];
  queues: RabbitQueue[];
  exchanges: RabbitExchange[];
  bindings: RabbitBinding[];
}

/** The label of the exchange that stands for the default exchange `""`. */
export const DEFAULT_EXCHANGE_LABEL = '(AMQP default)';

/** The exchanges every vhost has from the start, and their types. */
export const PREDECLARED_EXCHANGES: Readonly<Record<string, ExchangeNode['type']>> = {
  'amq.direct': 'direct',
  'amq.fanout': 'fanout',
  'amq.topic': 'topic',
  'amq.headers': 'headers',
  'amq.match': 'headers',
  'amq.rabbitmq.trace': 'topic',
};

const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;

/** Top-level sections that carry no broker topology; non-empty ones are listed in the notes. */
const UNMAPPED_SECTIONS: Record<string, string> = {
  users: 'users are not simulated',
  permissions: 'permissions are not simulated',
  topic_permissions: 'topic permissions are not simulated',
  parameters: 'runtime parameters (shovels, federation upstreams, vhost limits) are not simulated',
  global_parameters: 'global parameters (cluster name, internal ids) are not simulated',
  policies: 'policies are not applied: set their keys as queue or exchange arguments',
  operator_policies: 'operator policies are not applied: set their keys as queue arguments',
};
const IGNORED_SECTIONS = new Set(['rabbit_version', 'rabbitmq_version', 'product_name', 'product_version', 'vhosts', 'queues', 'exchanges', 'bindings']);

const QUEUE_ARGUMENT_REASONS: Record<string, string> = {
  'x-max-length-bytes': 'a byte limit is not modelled (messages have no size)',
  'x-expires': 'queue expiry is not modelled',
  'x-max-priority': 'priorities are not modelled',
  'x-single-active-consumer': 'single active consumer is not modelled (messages go round-robin to every consumer)',
  'x-queue-mode': 'lazy mode is not modelled (it changes memory use, not routing)',
  'x-queue-master-locator': 'replica placement is not modelled',
  'x-queue-leader-locator': 'replica placement is not modelled',
  'x-quorum-initial-group-size': 'replication is not modelled',
  'x-quorum-target-group-size': 'replication is not modelled',
  'x-dead-letter-strategy': 'at-least-once dead-lettering is not modelled (dead letters are at-most-once)',
  'x-queue-version': 'the classic queue storage version is not modelled',
  'x-max-age': 'stream retention is not modelled',
  'x-stream-max-segment-size-bytes': 'streams are not modelled',
  'x-max-in-memory-length': 'memory limits are not modelled',
  'x-max-in-memory-bytes': 'memory limits are not modelled',
};

// ---------------------------------------------------------------------------------------------
// Import

export interface RabbitImportOptions {
  /** The vhost to import when the file has several. */
  vhost?: string;
  /**
   * A document to merge into: a queue or exchange whose name (label, else id) is already there
   * replaces that node and keeps its id; the others are added with ids the document does not use.
   */
  into?: unknown;
  /** The name of a new document (when there is no `into`). */
  name?: string;
}

export interface RabbitImport {
  vhost: string;
  /** The imported exchange and queue nodes (a fragment: only keys that differ from the defaults). */
  nodes: (ExchangeInput | QueueInput)[];
  /** `into` with the nodes merged, or a new document holding just them. */
  document: Obj;
}

type ExchangeInput = { id: string; kind: 'exchange'; label?: string; type: ExchangeNode['type']; alternateExchange?: string };
type QueueInput = {
  id: string;
  kind: 'queue';
  label?: string;
  queueType?: 'quorum';
  bindings?: { exchange: string; key?: string; arguments?: Record<string, string | number | boolean> }[];
  messageTtlMs?: number;
  maxLength?: number;
  overflow?: 'reject-publish';
  deadLetter?: { exchange: string; routingKey?: string };
  deliveryLimit?: number;
};

const MAX_LABEL = 120;
const MAX_COUNT = 1_000_000;

/** Reads a definitions file (text or parsed JSON) into exchange and queue nodes. */
export function importRabbitDefinitions(input: unknown, options: RabbitImportOptions = {}): ConvertResult<RabbitImport> {
  let data = input;
  if (typeof input === 'string') {
    const parsed = parseJsonText(input);
    if (!parsed.ok) return fail(parsed.problems);
    data = parsed.value;
  }
  if (!isObj(data)) return fail([{ path: '', message: 'a definitions file must be a JSON object with "exchanges", "queues" and "bindings"' }]);

  const problems: Problem[] = [];
  const notes: Note[] = [];
  const exchanges = entries(data, 'exchanges', problems, { name: 'string', type: 'string' });
  const queues = entries(data, 'queues', problems, { name: 'string' });
  const bindings = entries(data, 'bindings', problems, { source: 'string', destination: 'string', destination_type: 'string' });
  if (problems.length > 0) return fail(problems);
  if (data.exchanges === undefined && data.queues === undefined && data.bindings === undefined) {
    return fail([{ path: '', message: 'no "exchanges", "queues" or "bindings": this is not a RabbitMQ definitions file' }]);
  }

  // Which vhost.
  const inUse = new Set<string>();
  for (const e of [...exchanges, ...queues, ...bindings]) if (typeof e.value.vhost === 'string') inUse.add(e.value.vhost);
  let vhost: string;
  if (options.vhost !== undefined) {
    const listed = new Set([...inUse, ...list(data.vhosts).flatMap((v) => (isObj(v) && typeof v.name === 'string' ? [v.name] : []))]);
    if (inUse.size > 0 && !listed.has(options.vhost)) {
      return fail([{ path: 'vhost', message: `no vhost "${options.vhost}" in this file — it has ${[...listed].sort().map((v) => JSON.stringify(v)).join(', ')}` }]);
    }
    vhost = options.vhost;
  } else if (inUse.size > 1) {
    return fail([{ path: 'vhost', message: `the file has several vhosts: ${[...inUse].sort().map((v) => JSON.stringify(v)).join(', ')} — choose one (--vhost)` }]);
  } else {
    vhost = [...inUse][0] ?? '/';
  }
  const here = <T extends { value: Obj }>(e: T) => e.value.vhost === undefined || e.value.vhost === vhost;

  for (const [section, reason] of Object.entries(UNMAPPED_SECTIONS)) {
    const v = data[section];
    const nonEmpty = Array.isArray(v) ? v.length > 0 : isObj(v) ? Object.keys(v).length > 0 : false;
    if (!nonEmpty) continue;
    if (section === 'policies' || section === 'operator_policies') {
      for (const p of list(v)) {
        if (!isObj(p) || (p.vhost !== undefined && p.vhost !== vhost)) continue;
        const keys = isObj(p.definition) ? Object.keys(p.definition).join(', ') : '';
        notes.push({ at: `policy "${String(p.name)}"`, setting: section === 'policies' ? 'policies' : 'operator_policies', reason: `${reason} (pattern ${JSON.stringify(p.pattern)}, keys ${keys || 'none'})` });
      }
    } else {
      notes.push({ at: section, setting: section, reason });
    }
  }
  for (const key of Object.keys(data)) {
    if (!IGNORED_SECTIONS.has(key) && !(key in UNMAPPED_SECTIONS)) notes.push({ at: key, setting: key, reason: 'not a section of a RabbitMQ definitions file that Faultline knows' });
  }

  // Exchanges Faultline can simulate, by name.
  const exchangeTypes = new Map<string, ExchangeNode['type']>();
  const declared = exchanges.filter(here);
  for (const { value: x, index } of declared) {
    const name = x.name as string;
    if (name === '' || name in PREDECLARED_EXCHANGES) {
      notes.push({ at: `exchange "${name}"`, setting: 'name', reason: 'a predeclared exchange: not redeclared' });
      continue;
    }
    const type = x.type as string;
    if (!(EXCHANGE_TYPES as readonly string[]).includes(type)) {
      notes.push({ at: `exchange "${name}"`, setting: 'type', reason: `type ${JSON.stringify(type)} is not simulated (only direct, fanout, topic, headers): the exchange and its bindings are left out` });
      continue;
    }
    if (exchangeTypes.has(name)) {
      problems.push({ path: formatPath(['exchanges', index, 'name']), message: `exchange "${name}" is declared twice` });
      continue;
    }
    exchangeTypes.set(name, type as ExchangeNode['type']);
  }
  const queueList = queues.filter(here);
  const queueNames = new Set<string>();
  for (const { value: q, index } of queueList) {
    const name = q.name as string;
    if (queueNames.has(name)) problems.push({ path: formatPath(['queues', index, 'name']), message: `queue "${name}" is declared twice` });
    queueNames.add(name);
  }
  if (problems.length > 0) return fail(problems);

  // Exchanges named but not declared: the predeclared ones come in; others are reported.
  let needDefault = false;
  const resolveExchange = (name: string, at: string, setting: string): string | null => {
    if (name === '') {
      needDefault = true;
      return '';
    }
    if (exchangeTypes.has(name)) return name;
    const pre = PREDECLARED_EXCHANGES[name];
    if (pre) {
      exchangeTypes.set(name, pre);
      return name;
    }
    notes.push({ at, setting, reason: `names exchange "${name}", which this vhost does not declare (or whose type is not simulated): left out` });
    return null;
  };

  // Queues.
  const queueSpecs: { name: string; spec: Omit<QueueInput, 'id' | 'kind'>; dlx?: string }[] = [];
  for (const { value: q, index } of queueList) {
    const name = q.name as string;
    const at = `queue "${name}"`;
    const where = (key: string) => formatPath(['queues', index, 'arguments', key]);
    flagNotes(q, at, notes);
    if (q.exclusive === true) notes.push({ at, setting: 'exclusive', reason: 'exclusive queues are not modelled' });
    if (q.arguments !== undefined && !isObj(q.arguments)) {
      problems.push({ path: formatPath(['queues', index, 'arguments']), message: 'must be an object' });
      continue;
    }
    const args: Obj = { ...(isObj(q.arguments) ? q.arguments : {}) };
    const spec: Omit<QueueInput, 'id' | 'kind'> = {};
    const typeArg = args['x-queue-type'] ?? q.type;
    delete args['x-queue-type'];
    if (typeArg !== undefined && typeArg !== 'classic' && typeArg !== 'quorum') {
      if (typeArg === 'stream') notes.push({ at, setting: 'x-queue-type', reason: 'stream queues are not modelled: imported as a classic queue' });
      else problems.push({ path: where('x-queue-type'), message: `must be "classic", "quorum" or "stream" — got ${JSON.stringify(typeArg)}` });
    }
    const quorum = typeArg === 'quorum';
    if (quorum) spec.queueType = 'quorum';

    let dlx: string | undefined;
    if ('x-dead-letter-exchange' in args) {
      const v = args['x-dead-letter-exchange'];
      delete args['x-dead-letter-exchange'];
      if (typeof v !== 'string') problems.push({ path: where('x-dead-letter-exchange'), message: `must be an exchange name (a string) — got ${JSON.stringify(v)}` });
      else {
        const resolved = resolveExchange(v, at, 'x-dead-letter-exchange');
        if (resolved !== null) dlx = resolved;
      }
    }
    if ('x-dead-letter-routing-key' in args) {
      const v = args['x-dead-letter-routing-key'];
      delete args['x-dead-letter-routing-key'];
      if (typeof v !== 'string') problems.push({ path: where('x-dead-letter-routing-key'), message: `must be a string — got ${JSON.stringify(v)}` });
      else if (dlx === undefined) notes.push({ at, setting: 'x-dead-letter-routing-key', reason: 'has no effect without x-dead-letter-exchange' });
      else if (v.length > 255) problems.push({ path: where('x-dead-letter-routing-key'), message: 'must be at most 255 characters long' });
      else spec.deadLetter = { exchange: dlx, routingKey: v };
    }
    if (dlx !== undefined && spec.deadLetter === undefined) spec.deadLetter = { exchange: dlx };

    const whole = (key: string): number | undefined => {
      if (!(key in args)) return undefined;
      const v = args[key];
      delete args[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        problems.push({ path: where(key), message: `must be a whole number, 0 or more — got ${JSON.stringify(v)}` });
        return undefined;
      }
      return v;
    };
    const ttl = whole('x-message-ttl');
    if (ttl === 0) notes.push({ at, setting: 'x-message-ttl', reason: 'a TTL of 0 (expire unless a consumer takes the message at once) is not accepted by the scenario format: left out' });
    else if (ttl !== undefined) spec.messageTtlMs = ttl;
    const maxLength = whole('x-max-length');
    if (maxLength !== undefined && maxLength > MAX_COUNT) notes.push({ at, setting: 'x-max-length', reason: `${maxLength} is above the model's limit of ${MAX_COUNT}: left out` });
    else if (maxLength !== undefined) spec.maxLength = maxLength;
    if ('x-overflow' in args) {
      const v = args['x-overflow'];
      delete args['x-overflow'];
      if (v === 'reject-publish') spec.overflow = 'reject-publish';
      else if (v === 'reject-publish-dlx') {
        spec.overflow = 'reject-publish';
        notes.push({ at, setting: 'x-overflow', reason: 'reject-publish-dlx is imported as reject-publish: refused messages are not dead-lettered' });
      } else if (v !== 'drop-head') problems.push({ path: where('x-overflow'), message: `must be one of drop-head, reject-publish, reject-publish-dlx — got ${JSON.stringify(v)}` });
    }
    const limit = whole('x-delivery-limit');
    if (limit !== undefined) {
      if (!quorum) notes.push({ at, setting: 'x-delivery-limit', reason: 'only quorum queues honour a delivery limit: left out' });
      else if (limit > MAX_COUNT) notes.push({ at, setting: 'x-delivery-limit', reason: `${limit} is above the model's limit of ${MAX_COUNT}: left out` });
      else spec.deliveryLimit = limit;
    }
    for (const key of Object.keys(args)) {
      notes.push({ at, setting: key, reason: QUEUE_ARGUMENT_REASONS[key] ?? 'not modelled' });
    }
    queueSpecs.push({ name, spec, dlx });
  }

  // Exchanges: alternate exchanges.
  const exchangeSpecs = new Map<string, { alternate?: string }>();
  for (const { value: x } of declared) {
    const name = x.name as string;
    if (!exchangeTypes.has(name) || exchangeSpecs.has(name)) continue;
    const at = `exchange "${name}"`;
    flagNotes(x, at, notes);
    if (x.internal === true) notes.push({ at, setting: 'internal', reason: 'internal exchanges are not modelled (publishers may publish to it in the simulation)' });
    const args: Obj = { ...(isObj(x.arguments) ? x.arguments : {}) };
    const spec: { alternate?: string } = {};
    if ('alternate-exchange' in args) {
      const v = args['alternate-exchange'];
      delete args['alternate-exchange'];
      if (typeof v !== 'string' || v === '') notes.push({ at, setting: 'alternate-exchange', reason: `${JSON.stringify(v)} does not name an exchange: left out` });
      else if (v === name) notes.push({ at, setting: 'alternate-exchange', reason: 'names the exchange itself: left out' });
      else {
        const resolved = resolveExchange(v, at, 'alternate-exchange');
        if (resolved !== null) spec.alternate = resolved;
      }
    }
    for (const key of Object.keys(args)) notes.push({ at, setting: key, reason: 'not modelled' });
    exchangeSpecs.set(name, spec);
  }

  // Bindings.
  const bound = new Map<string, NonNullable<QueueInput['bindings']>>();
  const seen = new Set<string>();
  for (const { value: b, index } of bindings.filter(here)) {
    const at = `binding ${JSON.stringify(b.source)} -> ${JSON.stringify(b.destination)}`;
    if (b.destination_type === 'exchange') {
      notes.push({ at, setting: 'destination_type', reason: 'exchange-to-exchange bindings are not modelled: left out' });
      continue;
    }
    if (b.destination_type !== 'queue') {
      problems.push({ path: formatPath(['bindings', index, 'destination_type']), message: `must be "queue" or "exchange" — got ${JSON.stringify(b.destination_type)}` });
      continue;
    }
    const source = b.source as string;
    const dest = b.destination as string;
    if (!queueNames.has(dest)) {
      problems.push({ path: formatPath(['bindings', index, 'destination']), message: `names no queue of vhost "${vhost}": "${dest}"` });
      continue;
    }
    if (source === '') {
      notes.push({ at, setting: 'source', reason: 'the default exchange binds every queue by its name by itself: left out' });
      continue;
    }
    if (!exchangeTypes.has(source) && !(source in PREDECLARED_EXCHANGES)) {
      const known = declared.some((d) => d.value.name === source);
      if (known) notes.push({ at, setting: 'source', reason: 'its exchange is left out (type not simulated): left out' });
      else problems.push({ path: formatPath(['bindings', index, 'source']), message: `names no exchange of vhost "${vhost}": "${source}"` });
      continue;
    }
    resolveExchange(source, at, 'source');
    const key = b.routing_key === undefined ? '' : b.routing_key;
    if (typeof key !== 'string' || key.length > 255) {
      problems.push({ path: formatPath(['bindings', index, 'routing_key']), message: `must be a string of at most 255 characters — got ${JSON.stringify(key).slice(0, 60)}` });
      continue;
    }
    const args = bindingArguments(b.arguments, exchangeTypes.get(source)!, at, notes, formatPath(['bindings', index, 'arguments']), problems);
    if (args === null) continue;
    const sig = JSON.stringify([source, dest, key, sortKeys(args ?? {})]);
    if (seen.has(sig)) continue;
    seen.add(sig);
    const entry: NonNullable<QueueInput['bindings']>[number] = { exchange: source };
    if (key !== '') entry.key = key;
    if (args && Object.keys(args).length > 0) entry.arguments = args;
    const listFor = bound.get(dest);
    if (listFor) listFor.push(entry);
    else bound.set(dest, [entry]);
  }
  if (problems.length > 0) return fail(problems);

  // Ids, reusing the ids of a document merged into.
  const into = options.into;
  const intoNodes = isObj(into) && Array.isArray(into.nodes) ? into.nodes.filter(isObj) : [];
  const existing = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of intoNodes) {
    if (typeof n.id !== 'string') continue;
    taken.add(n.id);
    if (n.kind === 'exchange' || n.kind === 'queue') existing.set(idKey(n.kind, typeof n.label === 'string' ? n.label : n.id), n.id);
  }
  const names: Named[] = [];
  if (needDefault) {
    const label = DEFAULT_EXCHANGE_LABEL;
    if (!existing.has(idKey('exchange', label))) names.push({ kind: 'exchange', name: label, slug: 'amq-default' });
  }
  for (const name of exchangeTypes.keys()) if (!existing.has(idKey('exchange', name))) names.push({ kind: 'exchange', name });
  for (const q of queueSpecs) if (!existing.has(idKey('queue', q.name))) names.push({ kind: 'queue', name: q.name });
  const fresh = assignIds(names, taken);
  const idOf = (kind: 'exchange' | 'queue', name: string): string => {
    const key = idKey(kind, kind === 'exchange' && name === '' ? DEFAULT_EXCHANGE_LABEL : name);
    return existing.get(key) ?? fresh.get(key)!;
  };
  const labelFor = (name: string, id: string, at: string): string | undefined => {
    if (name === id) return undefined;
    if (name.length > MAX_LABEL) {
      notes.push({ at, setting: 'name', reason: `longer than ${MAX_LABEL} characters: the label keeps the first ${MAX_LABEL}, and export will use that` });
      return name.slice(0, MAX_LABEL);
    }
    return name;
  };

  const nodes: (ExchangeInput | QueueInput)[] = [];
  if (needDefault) nodes.push({ id: idOf('exchange', ''), kind: 'exchange', label: DEFAULT_EXCHANGE_LABEL, type: 'direct' });
  for (const [name, type] of exchangeTypes) {
    const id = idOf('exchange', name);
    const node: ExchangeInput = { id, kind: 'exchange', type };
    const label = labelFor(name, id, `exchange "${name}"`);
    if (label !== undefined) node.label = label;
    const ae = exchangeSpecs.get(name)?.alternate;
    if (ae !== undefined) node.alternateExchange = idOf('exchange', ae);
    nodes.push(node);
  }
  for (const { name, spec } of queueSpecs) {
    const id = idOf('queue', name);
    const node: QueueInput = { id, kind: 'queue' };
    const label = labelFor(name, id, `queue "${name}"`);
    if (label !== undefined) node.label = label;
    if (spec.queueType) node.queueType = spec.queueType;
    const bs = (bound.get(name) ?? []).map((b) => ({ ...b, exchange: idOf('exchange', b.exchange) }));
    if (needDefault) bs.push({ exchange: idOf('exchange', ''), key: name });
    if (bs.length > 0) node.bindings = bs;
    if (spec.messageTtlMs !== undefined) node.messageTtlMs = spec.messageTtlMs;
    if (spec.maxLength !== undefined) node.maxLength = spec.maxLength;
    if (spec.overflow) node.overflow = spec.overflow;
    if (spec.deadLetter) node.deadLetter = { ...spec.deadLetter, exchange: idOf('exchange', spec.deadLetter.exchange) };
    if (spec.deliveryLimit !== undefined) node.deliveryLimit = spec.deliveryLimit;
    nodes.push(node);
  }
  for (const n of nodes) {
    const schema = n.kind === 'exchange' ? ExchangeNodeSchema : QueueNodeSchema;
    const checked = schema.safeParse(n);
    if (!checked.success) {
      for (const issue of checked.error.issues) problems.push({ path: `${n.kind} "${n.label ?? n.id}"${issue.path.length ? `.${issue.path.join('.')}` : ''}`, message: issue.message });
    }
  }
  if (problems.length > 0) return fail(problems);

  let document: Obj;
  if (isObj(into)) {
    const replaced = new Map(nodes.map((n) => [n.id, n]));
    const kept = (Array.isArray(into.nodes) ? into.nodes : []).map((n: unknown) => (isObj(n) && typeof n.id === 'string' && replaced.has(n.id) ? replaced.get(n.id)! : n));
    const keptIds = new Set(kept.flatMap((n: unknown) => (isObj(n) && typeof n.id === 'string' ? [n.id] : [])));
    document = { ...into, nodes: [...kept, ...nodes.filter((n) => !keptIds.has(n.id))] };
  } else {
    if (nodes.length === 0) return fail([{ path: '', message: `vhost "${vhost}" has no exchanges or queues to import` }]);
    document = {
      format: 'faultline/1',
      name: options.name ?? `RabbitMQ definitions (vhost ${vhost})`,
      description: `Exchanges, queues and bindings of vhost \`${vhost}\`, imported from RabbitMQ definitions. Add a client, a service that publishes and one that consumes to drive messages through them.`,
      nodes,
    };
  }
  return { ok: true, value: { vhost, nodes, document }, notes };
}

type Entry = { value: Obj; index: number };

/** The entries of a section, each checked for the string keys it must have. */
function entries(data: Obj, section: string, problems: Problem[], required: Record<string, 'string'>): Entry[] {
  const v = data[section];
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push({ path: section, message: 'must be a list' });
    return [];
  }
  const out: Entry[] = [];
  v.forEach((item, index) => {
    if (!isObj(item)) {
      problems.push({ path: formatPath([section, index]), message: 'must be an object' });
      return;
    }
    let ok = true;
    for (const key of Object.keys(required)) {
      if (typeof item[key] !== 'string') {
        problems.push({ path: formatPath([section, index, key]), message: item[key] === undefined ? 'is required' : `must be a string — got ${JSON.stringify(item[key])}` });
        ok = false;
      }
    }
    if (typeof item.vhost !== 'string' && item.vhost !== undefined) {
      problems.push({ path: formatPath([section, index, 'vhost']), message: 'must be a string' });
      ok = false;
    }
    if (ok) out.push({ value: item, index });
  });
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** durable and auto_delete: the simulation has no restarts and no connections closing. */
function flagNotes(entity: Obj, at: string, notes: Note[]): void {
  if (entity.durable === false) notes.push({ at, setting: 'durable', reason: 'transient: the model has no broker restarts, and export declares it durable' });
  if (entity.auto_delete === true) notes.push({ at, setting: 'auto_delete', reason: 'auto-delete is not modelled, and export declares it not auto-delete' });
}

/** Binding arguments: scalars are kept (headers exchanges match on them); others are noted. */
function bindingArguments(
  raw: unknown,
  type: ExchangeNode['type'],
  at: string,
  notes: Note[],
  path: string,
  problems: Problem[],
): Record<string, string | number | boolean> | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (!isObj(raw)) {
    problems.push({ path, message: 'must be an object' });
    return null;
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'x-match') {
      if (v === 'all' || v === 'any') out[k] = v;
      else if (v === 'all-with-x' || v === 'any-with-x') {
        out[k] = v === 'all-with-x' ? 'all' : 'any';
        notes.push({ at, setting: 'x-match', reason: `${v} is imported as ${out[k]}: the scenario's headers bindings do not compare x- headers` });
      } else problems.push({ path: `${path}["x-match"]`, message: `must be one of all, any, all-with-x, any-with-x — got ${JSON.stringify(v)}` });
      continue;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else notes.push({ at, setting: k, reason: `a ${Array.isArray(v) ? 'list' : v === null ? 'void' : 'table'} value is not modelled in binding arguments: left out` });
  }
  if (type !== 'headers' && Object.keys(out).length > 0) {
    notes.push({ at, setting: 'arguments', reason: `a ${type} exchange ignores binding arguments: kept as written` });
  }
  return out;
}

function sortKeys(o: Obj): Obj {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

// ---------------------------------------------------------------------------------------------
// Export

export interface RabbitExportOptions {
  /** The vhost to declare everything in (default `/`). */
  vhost?: string;
}

/** The exchanges, queues and bindings of a (validated) scenario as a definitions file. */
export function exportRabbitDefinitions(scenario: Scenario, options: RabbitExportOptions = {}): { value: RabbitDefinitions; notes: Note[] } {
  const vhost = options.vhost ?? '/';
  const notes: Note[] = [];
  const byId = new Map<string, NodeSpec>(scenario.nodes.map((n) => [n.id, n]));
  const nameOf = (id: string): string => {
    const n = byId.get(id);
    return n ? (n.label ?? n.id) : id;
  };
  const isDefault = (id: string) => {
    const n = byId.get(id);
    return n?.kind === 'exchange' && n.label === DEFAULT_EXCHANGE_LABEL;
  };
  const exchangeName = (id: string): string => (isDefault(id) ? '' : nameOf(id));

  const exchanges: RabbitExchange[] = [];
  const queues: RabbitQueue[] = [];
  const bindings: RabbitBinding[] = [];
  const names = { exchange: new Set<string>(), queue: new Set<string>() };

  for (const n of scenario.nodes) {
    if (n.kind !== 'exchange') continue;
    const name = nameOf(n.id);
    const at = `exchange "${name}"`;
    if (isDefault(n.id)) {
      if (n.type !== 'direct') notes.push({ at, setting: 'type', reason: 'stands for the default exchange, which is direct: its type is not exported' });
      continue;
    }
    const pre = PREDECLARED_EXCHANGES[name];
    if (pre !== undefined) {
      if (pre !== n.type) notes.push({ at, setting: 'type', reason: `every vhost has ${name} as a ${pre} exchange: not exported as ${n.type}` });
      continue;
    }
    if (name.startsWith('amq.')) notes.push({ at, setting: 'name', reason: 'RabbitMQ refuses to declare exchanges whose name starts with "amq."' });
    if (names.exchange.has(name)) notes.push({ at, setting: 'name', reason: 'another exchange exports under the same name' });
    names.exchange.add(name);
    const args: Obj = {};
    if (n.alternateExchange !== null) {
      if (isDefault(n.alternateExchange)) notes.push({ at, setting: 'alternateExchange', reason: 'the default exchange cannot be an alternate exchange: left out' });
      else args['alternate-exchange'] = nameOf(n.alternateExchange);
    }
    exchanges.push({ name, vhost, type: n.type, durable: true, auto_delete: false, arguments: args });
  }

  for (const n of scenario.nodes) {
    if (n.kind !== 'queue') continue;
    const q: QueueNode = n;
    const name = nameOf(q.id);
    const at = `queue "${name}"`;
    if (name.startsWith('amq.')) notes.push({ at, setting: 'name', reason: 'RabbitMQ refuses to declare queues whose name starts with "amq."' });
    if (names.queue.has(name)) notes.push({ at, setting: 'name', reason: 'another queue exports under the same name' });
    names.queue.add(name);
    const quorum = q.queueType === 'quorum';
    const args: Obj = {};
    if (quorum) args['x-queue-type'] = 'quorum';
    if (q.deadLetter) {
      args['x-dead-letter-exchange'] = exchangeName(q.deadLetter.exchange);
      if (q.deadLetter.routingKey !== null) args['x-dead-letter-routing-key'] = q.deadLetter.routingKey;
    }
    if (q.messageTtlMs !== null) {
      const ttl = Math.ceil(q.messageTtlMs);
      if (ttl !== q.messageTtlMs) notes.push({ at, setting: 'messageTtlMs', reason: `RabbitMQ takes whole milliseconds: exported as ${ttl}` });
      args['x-message-ttl'] = ttl;
    }
    if (q.maxLength !== null) args['x-max-length'] = q.maxLength;
    if (q.overflow !== 'drop-head') {
      if (q.maxLength === null) notes.push({ at, setting: 'overflow', reason: 'has no effect without maxLength' });
      args['x-overflow'] = q.overflow;
    }
    if (q.deliveryLimit !== null) {
      if (quorum) args['x-delivery-limit'] = q.deliveryLimit;
      else notes.push({ at, setting: 'deliveryLimit', reason: 'only quorum queues have a delivery limit (set queueType to quorum): left out' });
    }
    queues.push({ name, vhost, durable: true, auto_delete: false, arguments: args, type: quorum ? 'quorum' : 'classic' });

    for (const b of q.bindings) {
      const source = exchangeName(b.exchange);
      if (source === '') {
        if (b.key !== name || (b.arguments && Object.keys(b.arguments).length > 0)) {
          notes.push({ at, setting: 'bindings', reason: `the default exchange routes by queue name only: the binding with key ${JSON.stringify(b.key)} cannot be declared` });
        }
        continue;
      }
      bindings.push({ source, vhost, destination: name, destination_type: 'queue', routing_key: b.key, arguments: { ...(b.arguments ?? {}) } });
    }
  }
  return { value: { vhosts: [{ name: vhost }], exchanges, queues, bindings }, notes };
}
