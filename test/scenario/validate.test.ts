import { describe, expect, it } from 'vitest';
import { formatProblem, validateScenario, type Problem } from '../../src/scenario/validate';

/** A valid document to break in one place at a time. */
const base = () => ({
  format: 'faultline/1',
  name: 'base',
  nodes: [
    { id: 'users', kind: 'client', target: 'gw' } as Record<string, unknown>,
    { id: 'gw', kind: 'gateway', routes: [{ prefix: '/api', target: 'orders' }] } as Record<string, unknown>,
    { id: 'orders', kind: 'service', calls: [{ target: 'stock' }], publishes: [{ exchange: 'events' }] } as Record<string, unknown>,
    { id: 'stock', kind: 'service', consumes: [{ queue: 'mail' }] } as Record<string, unknown>,
    { id: 'events', kind: 'exchange', type: 'topic' } as Record<string, unknown>,
    { id: 'mail', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }] } as Record<string, unknown>,
  ],
  faults: [{ atMs: 1000, untilMs: 2000, target: 'orders->stock', kind: 'drop' }] as Record<string, unknown>[],
  layout: { users: { x: 0, y: 0 } } as Record<string, unknown>,
});

const problemsOf = (doc: unknown): Problem[] => {
  const result = validateScenario(doc);
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
};

const lines = (doc: unknown) => problemsOf(doc).map(formatProblem);

describe('validateScenario', () => {
  it('accepts the base document and applies defaults', () => {
    const result = validateScenario(base());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.durationMs).toBe(60000);
  });

  it('reports ten different mistakes as exactly ten precise problems', () => {
    const doc = base();
    doc.name = ''; // 1
    (doc as Record<string, unknown>).durationMs = -5; // 2
    doc.nodes[0]!.arrival = { type: 'poisson', ratePerSec: 0 }; // 3
    doc.nodes[1]!.routes = [{ prefix: '/api', target: 'orders', timeout: 3000 }]; // 4
    doc.nodes[2]!.calls = [{ target: 'stock', retry: { jitter: 'fulll' } }]; // 5
    doc.nodes[2]!.instances = 1.5; // 6
    doc.nodes[3]!.serviceTime = { dist: 'uniform', minMs: 20, maxMs: 10 }; // 7
    doc.nodes[4]!.kind = 'exchang'; // 8
    doc.faults[0]!.untilMs = 500; // 9
    doc.nodes[0]!.target = 'ordrs'; // 10: a reference to no node
    expect(problemsOf(doc)).toEqual([
      { path: 'name', message: 'must not be empty — got ""' },
      { path: 'durationMs', message: 'must be greater than 0 — got -5' },
      { path: 'nodes[0].arrival.ratePerSec', message: 'must be greater than 0 — got 0' },
      { path: 'nodes[1].routes[0].timeout', message: 'unknown key — did you mean "timeoutMs"?' },
      { path: 'nodes[2].instances', message: 'must be a whole number — got 1.5' },
      { path: 'nodes[2].calls[0].retry.jitter', message: 'must be one of none, full, equal, decorrelated — got "fulll"' },
      { path: 'nodes[3].serviceTime.maxMs', message: 'minMs must not be greater than maxMs' },
      { path: 'nodes[4].kind', message: 'must be one of client, gateway, service, exchange, queue, orchestrator — got "exchang"' },
      { path: 'faults[0].untilMs', message: 'must be later than atMs (or null: until the end)' },
      { path: 'nodes[0].target', message: 'names no node: "ordrs" — did you mean "orders"?' },
    ]);
  });

  it('formats a problem as "path: message"', () => {
    const doc = base();
    doc.nodes[2]!.calls = [{ target: 'stock', retry: { jitter: 'fulll' } }];
    expect(lines(doc)).toEqual(['nodes[2].calls[0].retry.jitter: must be one of none, full, equal, decorrelated — got "fulll"']);
    expect(formatProblem({ path: '', message: 'whole document' })).toBe('whole document');
  });

  it('gives one problem for an unknown node kind, not the noise of every kind', () => {
    const doc = base();
    doc.nodes[3] = { id: 'stock', kind: 'database', engine: 'pg', consumes: 12 };
    expect(problemsOf(doc)).toEqual([
      { path: 'nodes[3].kind', message: 'must be one of client, gateway, service, exchange, queue, orchestrator — got "database"' },
    ]);
    doc.nodes[3] = { id: 'stock' };
    expect(lines(doc)).toEqual(['nodes[3].kind: is required — must be one of client, gateway, service, exchange, queue, orchestrator']);
  });

  it('says what a union would take when no branch fits', () => {
    const doc = base();
    (doc as Record<string, unknown>).seed = true;
    doc.nodes[2]!.serviceTime = 'fast';
    doc.nodes[3]!.serviceTime = { dist: 'gamma', k: 2 };
    doc.nodes[3]!.instances = 'many';
    doc.faults[0] = { atMs: 0, target: 'orders', kind: 'crash', instances: 'some' };
    expect(lines(doc)).toEqual([
      'seed: must be a string or a whole number — got true',
      'nodes[2].serviceTime: must be a number or an object — got "fast"',
      'nodes[3].instances: must be a whole number — got "many"',
      'nodes[3].serviceTime.dist: must be one of constant, uniform, exponential, normal, lognormal — got "gamma"',
      'faults[0].instances: must be a whole number or "all" — got "some"',
    ]);
  });

  it('reports missing required keys and the id pattern', () => {
    const doc = base() as Record<string, unknown>;
    delete doc.name;
    (doc.nodes as Record<string, unknown>[])[5] = { id: 'Mail_Q', kind: 'queue' };
    (doc.nodes as Record<string, unknown>[])[4] = { id: 'events', kind: 'exchange' };
    expect(lines(doc)).toEqual([
      'name: is required',
      'nodes[4].type: is required — must be one of fanout, direct, topic, headers, x-consistent-hash',
      'nodes[5].id: must use lowercase letters, digits and dashes only — got "Mail_Q"',
      'nodes[3].consumes[0].queue: names no node: "mail"',
    ]);
  });

  it('reports a non-object document and an empty node list', () => {
    expect(lines([1, 2])).toEqual(['a scenario must be a JSON object — got a list']);
    expect(lines({ format: 'faultline/1', name: 'x', nodes: [] })).toEqual(['nodes: must have at least one entry — got a list']);
  });

  it('reports a missing format with everything else', () => {
    const doc = base() as Record<string, unknown>;
    delete doc.format;
    doc.durationMs = 'long';
    expect(lines(doc)).toEqual(['format: is required — must be "faultline/1"', 'durationMs: must be a number — got "long"']);
  });
});

describe('unknown keys', () => {
  it('suggests the closest known key, one problem per key', () => {
    const doc = base() as Record<string, unknown>;
    doc.durationMS = 1000;
    doc.seeds = 'x';
    const nodes = doc.nodes as Record<string, unknown>[];
    nodes[2]!.concurency = 4;
    nodes[2]!.calls = [{ target: 'stock', retry: { maxAttempt: 2, backoff: 'exp' } }];
    nodes[0]!.arival = { type: 'poisson', ratePerSec: 3 };
    expect(lines(doc)).toEqual([
      'nodes[0].arival: unknown key — did you mean "arrival"?',
      'nodes[2].calls[0].retry.maxAttempt: unknown key — did you mean "maxAttempts"?',
      'nodes[2].calls[0].retry.backoff: unknown key (known keys: maxAttempts, baseDelayMs, maxDelayMs, multiplier, jitter, retryOn, budget, honorRetryAfter)',
      'nodes[2].concurency: unknown key — did you mean "concurrency"?',
      // zod reports an object's own unknown keys after the problems inside it.
      'durationMS: unknown key — did you mean "durationMs"?',
      'seeds: unknown key — did you mean "seed"?',
    ]);
  });

  it('does not suggest a key the object already has', () => {
    const doc = base();
    doc.nodes[2]!.calls = [{ target: 'stock', timeoutMs: 100, timeout: 100 }];
    expect(lines(doc)[0]).toMatch(/^nodes\[2\]\.calls\[0\]\.timeout: unknown key \(known keys: /);
  });

  it('writes keys that are not identifiers in brackets', () => {
    const doc = base();
    doc.nodes[1]!.auth = { required: true, 'x-api-key': 'k' };
    expect(lines(doc)).toEqual(['nodes[1].auth["x-api-key"]: unknown key (known keys: required)']);
  });
});

describe('reference checks', () => {
  it('finds duplicate ids and references of the wrong kind', () => {
    const doc = base();
    doc.nodes.push({ id: 'orders', kind: 'service' });
    doc.nodes[0]!.target = 'mail';
    doc.nodes[2]!.publishes = [{ exchange: 'mail' }];
    doc.nodes[3]!.consumes = [{ queue: 'events' }];
    doc.nodes[5]!.bindings = [{ exchange: 'stock' }];
    doc.nodes[5]!.deadLetter = { exchange: 'nowhere' };
    doc.nodes[4]!.alternateExchange = 'events';
    expect(lines(doc)).toEqual([
      'nodes[6].id: "orders" is already the id of nodes[2]',
      'nodes[0].target: must name a service or a gateway — "mail" is a queue',
      'nodes[2].publishes[0].exchange: must name an exchange — "mail" is a queue',
      'nodes[3].consumes[0].queue: must name a queue — "events" is an exchange',
      'nodes[4].alternateExchange: must name another exchange, not this one',
      'nodes[5].bindings[0].exchange: must name an exchange — "stock" is a service',
      'nodes[5].deadLetter.exchange: names no node: "nowhere"',
    ]);
  });

  it('checks route and call targets, links, fault targets and layout keys', () => {
    const doc = base() as ReturnType<typeof base> & Record<string, unknown>;
    doc.nodes[1]!.routes = [{ prefix: '/api', target: 'order' }];
    doc.nodes[2]!.calls = [{ target: 'events' }];
    doc.links = [
      { from: 'orders', to: 'stok', latency: 2 },
      { from: 'stock', to: 'stock', latency: 2 },
    ];
    doc.faults = [
      { atMs: 0, target: 'payments', kind: 'crash' },
      { atMs: 0, target: 'orders->nowhere', kind: 'partition' },
      { atMs: 0, target: '->orders', kind: 'partition' },
      { atMs: 0, target: 'orders->orders', kind: 'partition' },
      { atMs: 0, target: 'orders->stock', kind: 'partition' },
      { atMs: 0, target: 'mail', kind: 'duplicate' },
    ];
    doc.layout = { users: { x: 0, y: 0 }, userz: { x: 1, y: 1 } };
    expect(lines(doc)).toEqual([
      'nodes[1].routes[0].target: names no node: "order" — did you mean "orders"?',
      'nodes[2].calls[0].target: must name a service or a gateway — "events" is an exchange',
      'links[0].to: names no node: "stok" — did you mean "stock"?',
      'links[1].to: must differ from "from" — a link joins two nodes',
      'faults[0].target: names no node: "payments"',
      'faults[1].target: names no node: "nowhere" (in the link "orders->nowhere")',
      'faults[2].target: must be a node id or a link "a->b" — got "->orders"',
      'faults[3].target: must join two different nodes — got "orders->orders"',
      'layout.userz: names no node — did you mean "users"?',
    ]);
  });

  it('finds call cycles unless allowCallCycles', () => {
    const doc = base() as ReturnType<typeof base> & Record<string, unknown>;
    doc.nodes[3]!.calls = [{ target: 'gw' }];
    expect(lines(doc)).toEqual([
      'nodes[3].calls[0].target: makes a call cycle gw -> orders -> stock -> gw (set allowCallCycles: true if that is meant)',
    ]);
    doc.allowCallCycles = true;
    expect(validateScenario(doc).ok).toBe(true);
  });

  it('finds a service calling itself', () => {
    const doc = base();
    doc.nodes[3]!.calls = [{ target: 'stock' }];
    expect(lines(doc)).toEqual([
      'nodes[3].calls[0].target: makes a call cycle stock -> stock (set allowCallCycles: true if that is meant)',
    ]);
  });

  it('reports broken references alongside shape problems', () => {
    const doc = base();
    doc.nodes[2]!.instances = 0;
    doc.nodes[0]!.target = 'nobody';
    expect(lines(doc)).toEqual(['nodes[2].instances: must be at least 1 — got 0', 'nodes[0].target: names no node: "nobody"']);
  });
});
