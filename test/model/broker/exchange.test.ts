import { describe, expect, it } from 'vitest';
import { Exchange, headersMatch, routeWithAlternates } from '../../../src/model/broker/exchange';

describe('fanout exchange', () => {
  // RabbitMQ docs, "Exchanges" (https://www.rabbitmq.com/docs/exchanges#fanout): routes to all
  // bound queues, the routing key is ignored.
  it('routes every key to every bound queue once, in binding order', () => {
    const x = new Exchange({ id: 'logs', type: 'fanout' });
    x.bind('b', 'ignored');
    x.bind('a');
    x.bind('b', 'other');
    expect(x.route('anything')).toEqual(['b', 'a']);
    expect(x.route('')).toEqual(['b', 'a']);
  });
});

describe('direct exchange', () => {
  // Tutorial four, "Routing" (https://www.rabbitmq.com/tutorials/tutorial-four-python): Q1 bound
  // with `orange`, Q2 with `black` and `green`; multiple bindings with the same key (`black` on
  // both queues) behave like fanout for that key.
  const x = new Exchange({ id: 'direct_logs', type: 'direct' });
  x.bind('Q1', 'orange');
  x.bind('Q2', 'black');
  x.bind('Q2', 'green');
  x.bind('Q1', 'black');
  it('routes on key equality', () => {
    expect(x.route('orange')).toEqual(['Q1']);
    expect(x.route('green')).toEqual(['Q2']);
    expect(x.route('black')).toEqual(['Q2', 'Q1']);
    expect(x.route('Orange')).toEqual([]);
    expect(x.route('orange.x')).toEqual([]);
  });
});

// rabbitmq-server deps/rabbit/src/rabbit_exchange_type_headers.erl, headers_match/2, and the
// docs (https://www.rabbitmq.com/docs/exchanges#headers).
describe('headers exchange', () => {
  it('x-match all needs every argument present and equal', () => {
    const args = { 'x-match': 'all', format: 'pdf', type: 'report' } as const;
    expect(headersMatch(args, { format: 'pdf', type: 'report', extra: 1 })).toBe(true);
    expect(headersMatch(args, { format: 'pdf' })).toBe(false);
    expect(headersMatch(args, { format: 'pdf', type: 'log' })).toBe(false);
  });

  it('x-match any needs one argument present and equal', () => {
    const args = { 'x-match': 'any', format: 'pdf', type: 'report' } as const;
    expect(headersMatch(args, { type: 'report' })).toBe(true);
    expect(headersMatch(args, { format: 'zip', type: 'log' })).toBe(false);
    expect(headersMatch(args, {})).toBe(false);
  });

  it('defaults to all when x-match is absent', () => {
    expect(headersMatch({ a: 1 }, { a: 1 })).toBe(true);
    expect(headersMatch({ a: 1, b: 2 }, { a: 1 })).toBe(false);
  });

  it('ignores x- prefixed arguments unless x-match is all-with-x / any-with-x', () => {
    expect(headersMatch({ 'x-match': 'all', 'x-trace': 'on', a: 1 }, { a: 1 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any', 'x-trace': 'on' }, { 'x-trace': 'on' })).toBe(false);
    expect(headersMatch({ 'x-match': 'any-with-x', 'x-trace': 'on' }, { 'x-trace': 'on' })).toBe(true);
    expect(headersMatch({ 'x-match': 'all-with-x', 'x-trace': 'on', a: 1 }, { a: 1 })).toBe(false);
  });

  it('with no arguments left: all matches every message, any matches none (the algorithm\'s start values)', () => {
    expect(headersMatch({}, {})).toBe(true);
    expect(headersMatch({ 'x-match': 'all', 'x-foo': 1 }, { z: 1 })).toBe(true);
    expect(headersMatch({ 'x-match': 'any' }, { z: 1 })).toBe(false);
  });

  it('compares values by type too: "1" is not 1', () => {
    expect(headersMatch({ n: 1 }, { n: '1' })).toBe(false);
    expect(headersMatch({ n: true }, { n: true })).toBe(true);
  });

  it('treats an argument with no value as "header present"', () => {
    expect(headersMatch({ n: undefined }, { n: 'anything' })).toBe(true);
    expect(headersMatch({ n: undefined }, { m: 1 })).toBe(false);
  });

  it('routes through bindings, one copy per queue, in binding order', () => {
    const x = new Exchange({ id: 'h', type: 'headers' });
    x.bind('reports', '', { 'x-match': 'all', type: 'report' });
    x.bind('pdfs', '', { 'x-match': 'any', format: 'pdf', type: 'pdf' });
    x.bind('reports', '', { format: 'pdf' });
    expect(x.route('', { type: 'report', format: 'pdf' })).toEqual(['reports', 'pdfs']);
    expect(x.route('', { format: 'pdf' })).toEqual(['pdfs', 'reports']);
    expect(x.route('', {})).toEqual([]);
  });
});

// https://www.rabbitmq.com/docs/ae: a message the exchange cannot route goes to its alternate
// exchange; AEs can chain; a message routed by the exchange itself never reaches the AE.
describe('alternate exchanges', () => {
  const xs = new Map<string, Exchange>();
  const add = (x: Exchange) => xs.set(x.id, x);
  const main = add(new Exchange({ id: 'main', type: 'direct', alternateExchange: 'ae' })).get('main')!;
  const ae = add(new Exchange({ id: 'ae', type: 'direct', alternateExchange: 'ae2' })).get('ae')!;
  const ae2 = add(new Exchange({ id: 'ae2', type: 'fanout', alternateExchange: 'main' })).get('ae2')!;
  main.bind('orders', 'order');
  ae.bind('special', 'special');
  const route = (key: string) => routeWithAlternates((id) => xs.get(id), 'main', key, undefined, () => false);

  it('routes matched messages normally', () => {
    expect(route('order')).toMatchObject({ queues: ['orders'], exchanges: ['main'] });
  });

  it('follows the alternate (and its alternate) when nothing matches', () => {
    expect(route('special')).toMatchObject({ queues: ['special'], exchanges: ['main', 'ae'] });
    ae2.bind('unrouted');
    expect(route('nope')).toMatchObject({ queues: ['unrouted'], exchanges: ['main', 'ae', 'ae2'] });
  });

  it('stops when the chain loops back, reporting no queue', () => {
    ae2.unbind('unrouted');
    expect(route('nope')).toEqual({ queues: [], exchanges: ['main', 'ae', 'ae2'], missingExchange: false });
  });

  it('reports a missing exchange', () => {
    expect(routeWithAlternates(() => undefined, 'gone', 'k', undefined, () => false)).toMatchObject({ queues: [], missingExchange: true });
  });
});
