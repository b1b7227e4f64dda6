import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exchange } from '../../../src/model/broker/exchange';
import { TopicPattern, compileTopic, topicMatches, topicWords } from '../../../src/model/broker/topic';

// The binding table of rabbitmq/rabbitmq-server deps/rabbit/test/routing_SUITE.erl (`topic1/1`),
// the test suite of RabbitMQ's topic exchange: queue tN is bound with the key beside it.
// (t27's `args-test` bindings carry arguments, which topic routing ignores.)
const SUITE_BINDINGS: [string, string][] = [
  ['a.b.c', 't1'], ['a.*.c', 't2'], ['a.#.b', 't3'], ['a.b.b.c', 't4'], ['#', 't5'], ['#.#', 't6'],
  ['#.b', 't7'], ['*.*', 't8'], ['a.*', 't9'], ['*.b.c', 't10'], ['a.#', 't11'], ['a.#.#', 't12'],
  ['b.b.c', 't13'], ['a.b.b', 't14'], ['a.b', 't15'], ['b.c', 't16'], ['', 't17'], ['*.*.*', 't18'],
  ['vodka.martini', 't19'], ['a.b.c', 't20'], ['*.#', 't21'], ['#.*.#', 't22'], ['*.#.#', 't23'],
  ['#.#.#', 't24'], ['*', 't25'], ['#.b.#', 't26'], ['args-test', 't27'],
];

// routing_SUITE.erl's first `test_topic_expect_match` table: routing key -> queues.
const SUITE_EXPECT: [string, string[]][] = [
  ['a.b.c', ['t1', 't2', 't5', 't6', 't10', 't11', 't12', 't18', 't20', 't21', 't22', 't23', 't24', 't26']],
  ['a.b', ['t3', 't5', 't6', 't7', 't8', 't9', 't11', 't12', 't15', 't21', 't22', 't23', 't24', 't26']],
  ['a.b.b', ['t3', 't5', 't6', 't7', 't11', 't12', 't14', 't18', 't21', 't22', 't23', 't24', 't26']],
  ['', ['t5', 't6', 't17', 't24']],
  ['b.c.c', ['t5', 't6', 't18', 't21', 't22', 't23', 't24', 't26']],
  ['a.a.a.a.a', ['t5', 't6', 't11', 't12', 't21', 't22', 't23', 't24']],
  ['vodka.gin', ['t5', 't6', 't8', 't21', 't22', 't23', 't24']],
  ['vodka.martini', ['t5', 't6', 't8', 't19', 't21', 't22', 't23', 't24']],
  ['b.b.c', ['t5', 't6', 't10', 't13', 't18', 't21', 't22', 't23', 't24', 't26']],
  ['nothing.here.at.all', ['t5', 't6', 't21', 't22', 't23', 't24']],
  ['oneword', ['t5', 't6', 't21', 't22', 't23', 't24', 't25']],
  ['args-test', ['t5', 't6', 't21', 't22', 't23', 't24', 't25', 't27']],
];

// routing_SUITE.erl removes bindings 1, 5, 11, 19, 21 (and 28, the aliased args-test one) and
// checks this second table.
const SUITE_EXPECT_AFTER_REMOVAL: [string, string[]][] = [
  ['a.b.c', ['t2', 't6', 't10', 't12', 't18', 't20', 't22', 't23', 't24', 't26']],
  ['a.b', ['t3', 't6', 't7', 't8', 't9', 't12', 't15', 't22', 't23', 't24', 't26']],
  ['a.b.b', ['t3', 't6', 't7', 't12', 't14', 't18', 't22', 't23', 't24', 't26']],
  ['', ['t6', 't17', 't24']],
  ['b.c.c', ['t6', 't18', 't22', 't23', 't24', 't26']],
  ['a.a.a.a.a', ['t6', 't12', 't22', 't23', 't24']],
  ['vodka.gin', ['t6', 't8', 't22', 't23', 't24']],
  ['vodka.martini', ['t6', 't8', 't22', 't23', 't24']],
  ['b.b.c', ['t6', 't10', 't13', 't18', 't22', 't23', 't24', 't26']],
  ['nothing.here.at.all', ['t6', 't22', 't23', 't24']],
  ['oneword', ['t6', 't22', 't23', 't24', 't25']],
  ['args-test', ['t6', 't22', 't23', 't24', 't25', 't27']],
];

function suiteExchange(): Exchange {
  const x = new Exchange({ id: 'topic_matching-exchange', type: 'topic' });
  for (const [key, q] of SUITE_BINDINGS) x.bind(q, key);
  return x;
}

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('topic matching: RabbitMQ routing_SUITE.erl table', () => {
  it.each(SUITE_EXPECT)('routing key %j reaches exactly the queues the suite expects', (key, expected) => {
    expect(sorted(suiteExchange().route(key))).toEqual(sorted(expected));
  });

  it.each(SUITE_EXPECT_AFTER_REMOVAL)('after removing bindings 1, 5, 11, 19, 21: %j', (key, expected) => {
    const x = suiteExchange();
    for (const n of [1, 5, 11, 19, 21]) {
      const [bk, q] = SUITE_BINDINGS[n - 1]!;
      x.unbind(q, bk);
    }
    expect(sorted(x.route(key))).toEqual(sorted(expected));
  });

  it('gives a queue matched by several of its bindings one copy', () => {
    const x = new Exchange({ id: 'x', type: 'topic' });
    x.bind('q', '#');
    x.bind('q', 'a.*');
    x.bind('q', 'a.b');
    expect(x.route('a.b')).toEqual(['q']);
  });
});

// https://www.rabbitmq.com/tutorials/tutorial-five-python ("Topics"): Q1 is bound with
// `*.orange.*`, Q2 with `*.*.rabbit` and `lazy.#`; the tutorial lists where each key goes.
describe('topic matching: the RabbitMQ "Topics" tutorial', () => {
  const x = new Exchange({ id: 'topic_logs', type: 'topic' });
  x.bind('Q1', '*.orange.*');
  x.bind('Q2', '*.*.rabbit');
  x.bind('Q2', 'lazy.#');
  it.each([
    ['quick.orange.rabbit', ['Q1', 'Q2']],
    ['lazy.orange.elephant', ['Q1', 'Q2']],
    ['quick.orange.fox', ['Q1']],
    ['lazy.brown.fox', ['Q2']],
    // "will be delivered only once to the second queue even though it matches two bindings"
    ['lazy.pink.rabbit', ['Q2']],
    ['quick.brown.fox', []],
    ['orange', []],
    ['quick.orange.new.rabbit', []],
    ['lazy.orange.new.rabbit', ['Q2']],
  ] as [string, string[]][])('%s -> %j', (key, expected) => {
    expect(x.route(key)).toEqual(expected);
  });
});

describe('topic words (SEMANTICS.md "Broker", RabbitMQ split on every dot)', () => {
  it('reads "" as zero words and splits everything else on every dot', () => {
    expect(topicWords('')).toEqual([]);
    expect(topicWords('a..b')).toEqual(['a', '', 'b']);
    expect(topicWords('.')).toEqual(['', '']);
  });

  it('lets * match an empty word, in the middle or at an end', () => {
    expect(topicMatches('a.*.b', 'a..b')).toBe(true);
    expect(topicMatches('*.b', '.b')).toBe(true);
    expect(topicMatches('a.*', 'a.')).toBe(true);
    expect(topicMatches('*', '')).toBe(false); // "" has no word for * to match
    expect(topicMatches('a.b', 'a..b')).toBe(false);
  });

  it('lets # match zero words anywhere: a.#.b matches a.b', () => {
    expect(topicMatches('a.#.b', 'a.b')).toBe(true);
    expect(topicMatches('a.#.b', 'a.x.y.b')).toBe(true);
    expect(topicMatches('#.a', 'a')).toBe(true);
    expect(topicMatches('a.#', 'a')).toBe(true);
  });

  it('makes # match everything including "" while *.# needs at least one word', () => {
    for (const k of ['', 'a', 'a.b.c', '..']) expect(topicMatches('#', k)).toBe(true);
    expect(topicMatches('*.#', '')).toBe(false);
    expect(topicMatches('*.#', 'a')).toBe(true);
    expect(topicMatches('#.*.#', '')).toBe(false);
  });

  it('is case-sensitive and treats no other character as special', () => {
    expect(topicMatches('Order.*', 'order.placed')).toBe(false);
    expect(topicMatches('a*.b', 'ax.b')).toBe(false);
    expect(topicMatches('a*.b', 'a*.b')).toBe(true);
    expect(topicMatches('a.b#', 'a.b.c')).toBe(false);
  });

  it('caches compiled bindings', () => {
    expect(compileTopic('x.*.#')).toBe(compileTopic('x.*.#'));
  });
});

/** A straightforward recursive reference: the definition, word by word. */
function reference(pattern: readonly string[], key: readonly string[]): boolean {
  if (pattern.length === 0) return key.length === 0;
  const [p, ...rest] = pattern;
  if (p === '#') {
    for (let skip = 0; skip <= key.length; skip++) if (reference(rest, key.slice(skip))) return true;
    return false;
  }
  if (key.length === 0) return false;
  return (p === '*' || p === key[0]) && reference(rest, key.slice(1));
}

describe('topic matcher against the definition', () => {
  it('agrees with a recursive reference matcher on random keys (empty words included)', () => {
    const word = fc.constantFrom('a', 'b', '', 'ab');
    const pword = fc.constantFrom('a', 'b', '', '*', '#');
    const toKey = (ws: string[]) => (ws.length === 0 ? '' : ws.join('.'));
    fc.assert(
      fc.property(fc.array(pword, { maxLength: 6 }), fc.array(word, { maxLength: 7 }), (pws, kws) => {
        // A key of one empty word is written "" too, which means zero words: use the parsed form.
        const pattern = toKey(pws);
        const key = toKey(kws);
        const expected = reference(topicWords(pattern), topicWords(key));
        expect(new TopicPattern(pattern).matches(key)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('stays fast on patterns that make naive backtracking explode', () => {
    const p = new TopicPattern('#.a.#.a.#.a.#.a.#.a.#.b');
    const key = Array.from({ length: 400 }, () => 'a').join('.');
    expect(p.matches(key)).toBe(false);
    expect(p.matches(`${key}.b`)).toBe(true);
  });
});
