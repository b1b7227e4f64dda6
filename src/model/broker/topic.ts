/**
 * RabbitMQ topic matching.
 *
 * A routing key or binding key is a list of words: `""` is zero words; anything else is split on
 * every `.`, so `a..b` is `["a", "", "b"]` and an empty word is a word like any other (`*` matches
 * it). In a binding key `*` stands for exactly one word and `#` for zero or more words, anywhere
 * (`a.#.b` matches `a.b`). Matching is case-sensitive; there is no escaping.
 *
 * This is the semantics of `rabbit_db_topic_exchange` / `rabbit_exchange_type_topic`, pinned by
 * `deps/rabbit/test/routing_SUITE.erl` in rabbitmq/rabbitmq-server (see the tests).
 */

/** The words of a routing or binding key: `""` has none; otherwise split on every `.`. */
export function topicWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

const enum Kind {
  /** No wildcard: the key must equal the binding key. */
  Literal,
  /** Only `#` words: matches every key, `""` included. */
  Everything,
  /** The general case: a word-level glob with `*` (one word) and `#` (any run of words). */
  Glob,
}

/** A binding key compiled once, matched many times. */
export class TopicPattern {
  readonly bindingKey: string;
  private readonly kind: Kind;
  /** The binding's words, consecutive `#` collapsed into one (they mean the same). */
  private readonly words: readonly string[];
  /** The fewest words a key must have to match: every non-`#` word needs one. */
  private readonly minWords: number;
  /** False when there is a `#`: then the key may be longer than the pattern. */
  private readonly exactLength: boolean;

  constructor(bindingKey: string) {
    this.bindingKey = bindingKey;
    const raw = topicWords(bindingKey);
    const words: string[] = [];
    for (const w of raw) {
      if (w === '#' && words[words.length - 1] === '#') continue;
      words.push(w);
    }
    this.words = words;
    let min = 0;
    let hasHash = false;
    let hasStar = false;
    for (const w of words) {
      if (w === '#') hasHash = true;
      else {
        min++;
        if (w === '*') hasStar = true;
      }
    }
    this.minWords = min;
    this.exactLength = !hasHash;
    if (!hasHash && !hasStar) this.kind = Kind.Literal;
    else if (min === 0) this.kind = Kind.Everything;
    else this.kind = Kind.Glob;
  }

  /** Whether `routingKey` matches. */
  matches(routingKey: string): boolean {
    if (this.kind === Kind.Literal) return routingKey === this.bindingKey;
    if (this.kind === Kind.Everything) return true;
    return this.matchesWords(topicWords(routingKey));
  }

  /** Whether a key already split into words (with {@link topicWords}) matches. */
  matchesWords(key: readonly string[]): boolean {
    switch (this.kind) {
      case Kind.Everything:
        return true;
      case Kind.Literal: {
        const p = this.words;
        if (key.length !== p.length) return false;
        for (let i = 0; i < p.length; i++) if (p[i] !== key[i]) return false;
        return true;
      }
      default:
        return this.glob(key);
    }
  }

  /**
   * Word-level glob with backtracking to the last `#` only. Since `#` matches any run of words,
   * when a later mismatch happens it is enough to let the most recent `#` swallow one more word
   * (the classic wildcard argument): O(pattern × key) in the worst case, linear in practice.
   */
  private glob(key: readonly string[]): boolean {
    const p = this.words;
    if (key.length < this.minWords) return false;
    if (this.exactLength && key.length !== p.length) return false;
    let pi = 0;
    let ki = 0;
    let hashAt = -1; // index in p of the last `#` seen
    let hashFrom = 0; // index in key where that `#` started swallowing
    while (ki < key.length) {
      const w = pi < p.length ? p[pi] : undefined;
      if (w !== undefined && w !== '#' && (w === '*' || w === key[ki])) {
        pi++;
        ki++;
      } else if (w === '#') {
        hashAt = pi;
        hashFrom = ki;
        pi++;
      } else if (hashAt >= 0) {
        pi = hashAt + 1;
        hashFrom++;
        ki = hashFrom;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] === '#') pi++;
    return pi === p.length;
  }
}

/** Compiled binding keys, shared by every exchange; bounded so odd workloads cannot grow it. */
const cache = new Map<string, TopicPattern>();
const CACHE_LIMIT = 10_000;

/** The compiled form of a binding key (cached). */
export function compileTopic(bindingKey: string): TopicPattern {
  let p = cache.get(bindingKey);
  if (p === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    p = new TopicPattern(bindingKey);
    cache.set(bindingKey, p);
  }
  return p;
}

/** Whether `routingKey` matches the topic binding key `bindingKey`. */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  return compileTopic(bindingKey).matches(routingKey);
}
