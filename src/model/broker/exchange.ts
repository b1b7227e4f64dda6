/**
 * Exchanges: which queues a published message goes to.
 *
 * `fanout` (every bound queue, key ignored), `direct` (binding key equals routing key), `topic`
 * (see topic.ts) and `headers` (the `x-match` rules of `rabbit_exchange_type_headers.erl`).
 * A queue matched by several bindings gets one copy; queues come back in binding declaration
 * order (the first binding of each queue counts), so runs are reproducible.
 *
 * The alternate exchange is followed by {@link routeWithAlternates}: when an exchange matches no
 * queue, the message goes to its alternate exchange with the same routing key, whose own
 * alternate is tried in turn (a chain that loops back stops).
 */
import { compileTopic, topicWords } from './topic';
import type { TopicPattern } from './topic';
import { HashRing, hashKeyOf } from './ordering';

export type ExchangeType = 'fanout' | 'direct' | 'topic' | 'headers' | 'x-consistent-hash';

/** A header or binding-argument value (the scalar AMQP field types the scenario allows). */
export type HeaderValue = string | number | boolean;
export type Headers = Readonly<Record<string, HeaderValue>>;

/** The `exchange` node of SCENARIO.md (the keys this module reads). */
export interface ExchangeConfig {
  id: string;
  type: ExchangeType;
  alternateExchange?: string | null;
  /** `x-consistent-hash` only: hash this header instead of the routing key (the plugin's `hash-header`). */
  hashHeader?: string | null;
}

/** A queue's binding, as in SCENARIO.md: `{ exchange, key, arguments }`. */
export interface BindingConfig {
  exchange: string;
  key?: string;
  /** Headers exchanges: `x-match` (`all`, the default, or `any`) and the header values to match. */
  arguments?: Readonly<Record<string, HeaderValue | undefined>>;
}

/** The name of RabbitMQ's default exchange: it routes to the queue named by the routing key. */
export const DEFAULT_EXCHANGE = '';

interface Binding {
  readonly queue: string;
  readonly key: string;
  readonly topic: TopicPattern | null;
  readonly args: Readonly<Record<string, HeaderValue | undefined>> | null;
}

/** The most routing keys whose answers an exchange remembers (topic exchanges). */
const ROUTE_CACHE_LIMIT = 4096;

export class Exchange {
  readonly id: string;
  readonly type: ExchangeType;
  readonly alternateExchange: string | null;
  private readonly bindingList: Binding[] = [];
  /** Direct exchanges: binding key → queues, declaration order, no repeats. */
  private readonly direct = new Map<string, string[]>();
  /** Fanout exchanges: every bound queue once. */
  private fanout: string[] = [];
  /** Topic exchanges: routing key → queues; cleared whenever a binding changes. */
  private readonly topicCache = new Map<string, readonly string[]>();
  /** Consistent-hash exchanges: the ring (ordering.ts), built on first use after a binding change. */
  private ring: HashRing | null = null;
  private readonly hashHeader: string | null;

  constructor(config: ExchangeConfig) {
    this.id = config.id;
    this.type = config.type;
    this.alternateExchange = config.alternateExchange ?? null;
    this.hashHeader = config.hashHeader ?? null;
  }

  /** The bindings, in declaration order. */
  get bindings(): readonly { queue: string; key: string; arguments: Binding['args'] }[] {
    return this.bindingList.map((b) => ({ queue: b.queue, key: b.key, arguments: b.args }));
  }

  /** Bind `queue` with a binding key (and, for headers exchanges, arguments). Idempotent, as in AMQP. */
  bind(queue: string, key = '', args?: BindingConfig['arguments']): void {
    const argsKey = args ? canonical(args) : '';
    if (this.bindingList.some((b) => b.queue === queue && b.key === key && (b.args ? canonical(b.args) : '') === argsKey)) return;
    this.bindingList.push({
      queue,
      key,
      topic: this.type === 'topic' ? compileTopic(key) : null,
      args: args ?? null,
    });
    this.reindex();
  }

  /** Remove one binding (same queue, key and arguments). */
  unbind(queue: string, key = '', args?: BindingConfig['arguments']): void {
    const argsKey = args ? canonical(args) : '';
    const i = this.bindingList.findIndex((b) => b.queue === queue && b.key === key && (b.args ? canonical(b.args) : '') === argsKey);
    if (i >= 0) {
      this.bindingList.splice(i, 1);
      this.reindex();
    }
  }

  /** The queues this exchange alone routes to (no alternate exchange), one each, in binding order. */
  route(routingKey: string, headers?: Headers): readonly string[] {
    switch (this.type) {
      case 'fanout':
        return this.fanout;
      case 'direct':
        return this.direct.get(routingKey) ?? NONE;
      case 'topic': {
        const hit = this.topicCache.get(routingKey);
        if (hit !== undefined) return hit;
        const words = topicWords(routingKey);
        const out = unique(this.bindingList, (b) => (b.topic as TopicPattern).matchesWords(words));
        if (this.topicCache.size >= ROUTE_CACHE_LIMIT) this.topicCache.clear();
        this.topicCache.set(routingKey, out);
        return out;
      }
      case 'headers': {
        const h = headers ?? {};
        return unique(this.bindingList, (b) => headersMatch(b.args ?? {}, h));
      }
      case 'x-consistent-hash': {
        const key = hashKeyOf(routingKey, headers, this.hashHeader);
        this.ring ??= new HashRing(this.bindingList);
        const q = key === null ? null : this.ring.pick(key);
        return q === null ? NONE : [q];
      }
    }
  }

  private reindex(): void {
    this.ring = null;
    this.topicCache.clear();
    this.direct.clear();
    this.fanout = unique(this.bindingList, () => true);
    if (this.type === 'direct') {
      for (const b of this.bindingList) {
        let qs = this.direct.get(b.key);
        if (qs === undefined) this.direct.set(b.key, (qs = []));
        if (!qs.includes(b.queue)) qs.push(b.queue);
      }
    }
  }
}

const NONE: readonly string[] = Object.freeze([]);

function unique(bindings: readonly Binding[], keep: (b: Binding) => boolean): string[] {
  const out: string[] = [];
  for (const b of bindings) if (keep(b) && !out.includes(b.queue)) out.push(b.queue);
  return out;
}

function canonical(args: Readonly<Record<string, HeaderValue | undefined>>): string {
  return JSON.stringify(Object.keys(args).sort().map((k) => [k, args[k]]));
}

/**
 * Headers-exchange matching, as `rabbit_exchange_type_headers:headers_match/2`:
 * - `x-match` is `all` (also when missing or unknown) or `any`; `all-with-x` / `any-with-x`
 *   also compare `x-` arguments.
 * - Otherwise binding arguments whose name starts with `x-` are ignored.
 * - `all`: every remaining argument must be present with an equal value (so no arguments at all
 *   matches every message); `any`: at least one must (so no arguments matches nothing).
 * - An argument whose value is `undefined` asks only that the header be present (AMQP's "void").
 */
export function headersMatch(args: Readonly<Record<string, HeaderValue | undefined>>, headers: Headers): boolean {
  const mode = args['x-match'];
  const any = mode === 'any' || mode === 'any-with-x';
  const withX = mode === 'all-with-x' || mode === 'any-with-x';
  let all = true;
  let some = false;
  for (const name of Object.keys(args)) {
    if (name === 'x-match') continue;
    if (!withX && name.startsWith('x-')) continue;
    const want = args[name];
    const ok = Object.prototype.hasOwnProperty.call(headers, name) && (want === undefined || headers[name] === want);
    if (ok) some = true;
    else all = false;
  }
  return any ? some : all;
}

/** What routing a message through an exchange and its alternates found. */
export interface RouteResult {
  /** Destination queues, one each, in order. */
  queues: string[];
  /** The exchanges that were consulted, the published one first. */
  exchanges: string[];
  /** True when an exchange in the chain was missing (the rest of the chain is skipped). */
  missingExchange: boolean;
}

/**
 * Route through `exchangeId`; when it matches nothing, through its alternate exchange with the
 * same key, and so on. A chain that comes back to an exchange already tried stops there.
 * `exchangeId === DEFAULT_EXCHANGE` routes to the queue named by the key when `hasQueue` says
 * it exists.
 */
export function routeWithAlternates(
  lookup: (id: string) => Exchange | undefined,
  exchangeId: string,
  routingKey: string,
  headers: Headers | undefined,
  hasQueue: (id: string) => boolean,
): RouteResult {
  const tried: string[] = [];
  let id: string | null = exchangeId;
  while (id !== null && !tried.includes(id)) {
    tried.push(id);
    if (id === DEFAULT_EXCHANGE) {
      return { queues: hasQueue(routingKey) ? [routingKey] : [], exchanges: tried, missingExchange: false };
    }
    const x = lookup(id);
    if (x === undefined) return { queues: [], exchanges: tried, missingExchange: true };
    const qs = x.route(routingKey, headers);
    if (qs.length > 0) return { queues: qs.slice(), exchanges: tried, missingExchange: false };
    id = x.alternateExchange;
  }
  return { queues: [], exchanges: tried, missingExchange: false };
}
