import { describe, expect, it } from 'vitest';
import {
  addNode,
  aimRequests,
  askProblem,
  connect,
  connectionsFor,
  copyNodes,
  deleteEdge,
  deleteNodes,
  emptyDocument,
  emptyScenarioOf,
  freeSpot,
  idProblem,
  newNode,
  parseHeaderArguments,
  pasteNodes,
  renameNode,
  uniqueId,
  whyNot,
} from '../../../src/app/editing/ops';
import type { Doc } from '../../../src/app/editing/ops';
import { validateScenario } from '../../../src/scenario/validate';
import { builtinKinds, defineKind, kindSet } from '../../../src/scenario/schema';
import { z } from 'zod';

const base = (nodes: unknown[], extra: Record<string, unknown> = {}): Doc => ({ format: 'faultline/1', name: 't', nodes, ...extra }) as Doc;

function valid(doc: unknown) {
  const r = validateScenario(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path} ${p.message}`).join('\n'));
  return r.scenario;
}

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error((r as unknown as { reason: string }).reason);
  return r as Extract<T, { ok: true }>;
}

const shop = () =>
  base(
    [
      { id: 'users', kind: 'client', target: 'gw' },
      { id: 'gw', kind: 'gateway', routes: [{ prefix: '/orders', target: 'orders' }] },
      { id: 'orders', kind: 'service', calls: [{ target: 'db' }], publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
      { id: 'db', kind: 'service' },
      { id: 'events', kind: 'exchange', type: 'topic' },
      { id: 'mail', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: 'dlx' } },
      { id: 'dlx', kind: 'exchange', type: 'fanout' },
      { id: 'worker', kind: 'service', consumes: [{ queue: 'mail' }] },
    ],
    {
      faults: [
        { atMs: 0, untilMs: 1000, target: 'db', kind: 'crash' },
        { atMs: 0, untilMs: 1000, target: 'orders->db', kind: 'partition' },
        { atMs: 0, untilMs: 1000, target: 'orders', kind: 'slow' },
      ],
      links: [{ from: 'orders', to: 'db', latency: 2 }],
      layout: { users: { x: 0, y: 0 }, db: { x: 900, y: 0 } },
      variants: [{ name: 'more workers', set: { 'nodes[db].concurrency': 16, 'nodes[orders].calls[db].timeoutMs': 100, 'nodes[orders].concurrency': 4 } }],
      expect: [{ metric: 'nodes.db.received', min: 1 }, { metric: 'latencyMs.p99', max: 500 }],
    },
  );

describe('new nodes', () => {
  it('get a unique id of their kind and every default of the schema', () => {
    const doc = base([{ id: 'service-1', kind: 'service' }]);
    expect(uniqueId(doc, 'service')).toBe('service-2');
    expect(uniqueId(doc, 'service-1')).toBe('service-2');
    const made = must(newNode(doc, 'service', 'service-2'));
    expect(made.node).toMatchObject({ id: 'service-2', kind: 'service', instances: 1, concurrency: 8, queueLimit: 100, calls: [], consumes: [] });
  });

  it('fill a required reference from the descriptor, and a required choice with its first option', () => {
    const doc = base([{ id: 'api', kind: 'service' }]);
    const client = must(newNode(doc, 'client', 'client-1'));
    expect(client.node.target).toBe('api');
    expect(client.filled).toEqual(['target: api']);
    expect(client.node.arrival).toEqual({ type: 'poisson', ratePerSec: 10 });
    const exchange = must(newNode(doc, 'exchange', 'exchange-1'));
    expect(exchange.node.type).toBe('fanout');
  });

  it('fill what a kind requires at any depth: an orchestrator gets a first step calling the first service', () => {
    const made = must(newNode(base([{ id: 'q', kind: 'queue' }, { id: 'pay', kind: 'service' }]), 'orchestrator', 'orchestrator-1'));
    expect(made.node).toMatchObject({ id: 'orchestrator-1', kind: 'orchestrator', steps: [{ name: 'step-1', target: 'pay', compensation: null }] });
    expect(made.filled).toEqual(['steps.0.name: step-1', 'steps.0.target: pay']);
    valid(base([{ id: 'pay', kind: 'service' }, made.node]));
    expect(newNode(base([{ id: 'q', kind: 'queue' }]), 'orchestrator', 'orchestrator-1')).toEqual({
      ok: false,
      reason: 'an orchestrator needs a service or a gateway to send to: add one first, then the orchestrator',
    });
  });

  it('fill a grid four wide from the top-left node when not dropped anywhere, so ten stay readable', () => {
    let doc: unknown = base([]);
    let positions: Record<string, { x: number; y: number }> = {};
    for (let i = 0; i < 10; i++) {
      const added = must(addNode(doc, 'service', null, positions));
      doc = added.doc;
      positions = added.doc.layout as typeof positions;
    }
    expect(Object.values(positions).map((p) => `${p.x},${p.y}`)).toEqual(['0,0', '420,0', '840,0', '1260,0', '0,260', '420,260', '840,260', '1260,260', '0,520', '420,520']);
    // A hole (a node deleted, or one dragged away) is filled first.
    expect(freeSpot({ a: { x: 100, y: 50 }, c: { x: 940, y: 50 } })).toEqual({ x: 520, y: 50 });
  });

  it('say why when a required reference has nothing to name', () => {
    const made = newNode(base([{ id: 'q', kind: 'queue' }]), 'client', 'client-1');
    expect(made).toEqual({ ok: false, reason: 'a client needs a service or a gateway to send to: add one first, then the client' });
  });

  it('are added where they were dropped, the others keeping their places', () => {
    const doc = base([{ id: 'api', kind: 'service' }]);
    const added = must(addNode(doc, 'service', { x: 300.4, y: 120 }, { api: { x: 0, y: 0 } }));
    expect(added.id).toBe('service-1');
    expect(added.doc.layout).toEqual({ api: { x: 0, y: 0 }, 'service-1': { x: 300, y: 120 } });
    expect(added.label).toBe('add service service-1');
    valid(added.doc);
  });

  it('come from the kind registry, so a kind defined outside is added the same way', () => {
    const cache = defineKind({
      kind: 'cache',
      schema: z.strictObject({ id: z.string(), kind: z.literal('cache'), label: z.string().optional(), hitRate: z.number().default(0.9) }),
      callable: true,
      faults: {},
      refs: () => [],
    });
    const kinds = kindSet([...builtinKinds, cache]);
    const made = must(newNode(base([]), 'cache', 'cache-1', kinds));
    expect(made.node).toEqual({ id: 'cache-1', kind: 'cache', hitRate: 0.9 });
    expect(connectionsFor(base([{ id: 'api', kind: 'service' }, made.node]), 'api', 'cache-1', kinds).map((c) => c.edge)).toEqual(['call']);
  });

  it('an empty document has the defaults and no nodes', () => {
    const r = emptyScenarioOf(emptyDocument());
    expect(r.ok && r.scenario.nodes).toEqual([]);
    expect(r.ok && r.scenario.durationMs).toBe(60000);
    const bad = emptyScenarioOf({ ...emptyDocument(), durationMs: -1 });
    expect(bad.ok).toBe(false);
  });
});

describe('wiring', () => {
  const all = () =>
    base([
      { id: 'c', kind: 'client', target: 's' },
      { id: 'g', kind: 'gateway' },
      { id: 's', kind: 'service' },
      { id: 't', kind: 'service' },
      { id: 'x', kind: 'exchange', type: 'topic' },
      { id: 'h', kind: 'exchange', type: 'headers' },
      { id: 'q', kind: 'queue' },
    ]);
  const edges = (from: string, to: string) => connectionsFor(all(), from, to).map((c) => `${c.edge}:${c.holder}`);

  it('each pair creates what the descriptors allow, held by the right node', () => {
    expect(edges('c', 'g')).toEqual(['request:c']);
    expect(edges('c', 't')).toEqual(['request:c']);
    expect(edges('g', 's')).toEqual(['route:g']);
    expect(edges('s', 't')).toEqual(['call:s']);
    expect(edges('s', 'g')).toEqual(['call:s']);
    expect(edges('s', 'x')).toEqual(['publish:s']);
    expect(edges('x', 'q')).toEqual(['binding:q']);
    expect(edges('q', 's')).toEqual(['consume:s']);
    expect(edges('q', 'x')).toEqual(['dead-letter:q']);
    expect(edges('x', 'h')).toEqual(['alternate:x']);
  });

  it('a pair that allows nothing says why, in the descriptors’ words', () => {
    expect(edges('c', 'x')).toEqual([]);
    expect(whyNot(all(), 'c', 'x')).toBe('A client → an exchange: nothing to create. From a client: a request to a service or a gateway.');
    expect(edges('s', 'c')).toEqual([]);
    expect(whyNot(all(), 's', 'c')).toContain('From a service: a call to a service or a gateway; a publish to an exchange.');
    expect(whyNot(all(), 'q', 'c')).toContain('From a queue: a dead-letter to an exchange; a consume by a service.');
    expect(whyNot(all(), 's', 's')).toBe('A node cannot be wired to itself.');
  });

  it('a wire dragged the wrong way says which way makes something', () => {
    // "s consumes q", dragged from the service to the queue.
    expect(edges('s', 'q')).toEqual([]);
    expect(whyNot(all(), 's', 'q')).toBe(
      'A service → a queue: nothing to create. From a service: a call to a service or a gateway; a publish to an exchange. Dragged the other way, from q to s, it makes a consume.',
    );
    expect(whyNot(all(), 'x', 't')).toContain('Dragged the other way, from t to x, it makes a publish.');
    expect(whyNot(all(), 'c', 'x')).not.toContain('other way');
  });

  it('asks for a route prefix, a routing key, a binding key or header arguments', () => {
    const ask = (from: string, to: string) => connectionsFor(all(), from, to)[0]!.ask?.what ?? null;
    expect(ask('g', 's')).toBe('prefix');
    expect(ask('s', 'x')).toBe('routingKey');
    expect(ask('x', 'q')).toBe('bindingKey');
    expect(ask('h', 'q')).toBe('headers');
    expect(ask('s', 't')).toBeNull();
  });

  it('writes the reference, and the result validates', () => {
    let doc: unknown = all();
    for (const [from, to, value] of [
      ['g', 's', '/s'],
      ['s', 't', ''],
      ['s', 'x', 'order.placed'],
      ['x', 'q', 'order.*'],
      ['h', 'q', 'x-match=any, region=eu, priority=5'],
      ['q', 't', ''],
    ] as const) {
      const c = connectionsFor(doc, from, to)[0]!;
      doc = must(connect(doc, c, value)).doc;
    }
    const s = valid(doc);
    const byId = new Map(s.nodes.map((n) => [n.id, n]));
    expect(byId.get('g')).toMatchObject({ routes: [{ prefix: '/s', target: 's' }] });
    expect(byId.get('s')).toMatchObject({ calls: [{ target: 't' }], publishes: [{ exchange: 'x', routingKey: 'order.placed' }] });
    expect(byId.get('q')).toMatchObject({ bindings: [{ exchange: 'x', key: 'order.*' }, { exchange: 'h', arguments: { 'x-match': 'any', region: 'eu', priority: 5 } }] });
    expect(byId.get('t')).toMatchObject({ consumes: [{ queue: 'q' }] });
  });

  it('a reference a node has one of, wired again, says it is there already', () => {
    expect(edges('c', 's')).toEqual([]);
    expect(whyNot(all(), 'c', 's')).toBe('A request from c to s is there already: nothing to add.');
    const dl = base([
      { id: 'q', kind: 'queue', deadLetter: { exchange: 'x', routingKey: 'dead' } },
      { id: 'x', kind: 'exchange', type: 'topic' },
    ]);
    expect(whyNot(dl, 'q', 'x')).toBe('A dead-letter from q to x is there already: nothing to add.');
  });

  it('an orchestrator gains a saga step per wire, named in the prompt', () => {
    const doc = base([
      { id: 'pay', kind: 'service' },
      { id: 'ship', kind: 'service' },
      { id: 'saga', kind: 'orchestrator', steps: [{ name: 'pay', target: 'pay' }] },
    ]);
    const [c, ...more] = connectionsFor(doc, 'saga', 'ship');
    expect(more).toEqual([]);
    expect(c).toMatchObject({ edge: 'call', holder: 'saga', ask: { what: 'stepName', initial: 'ship' } });
    expect(connect(doc, c!, ' ')).toEqual({ ok: false, reason: 'Step name: must not be empty' });
    const s = valid(must(connect(doc, c!, 'ship it')).doc);
    expect(s.nodes[2]).toMatchObject({ steps: [{ name: 'pay', target: 'pay' }, { name: 'ship it', target: 'ship' }] });
    expect(whyNot(doc, 'saga', 'pay')).not.toContain('Nothing starts');
  });

  it('each prompt names what is wrong with its value', () => {
    const long = 'k'.repeat(256);
    expect(connect(all(), connectionsFor(all(), 's', 'x')[0]!, long)).toEqual({ ok: false, reason: 'Routing key: must be at most 255 characters long' });
    expect(connect(all(), connectionsFor(all(), 'x', 'q')[0]!, long)).toEqual({ ok: false, reason: 'Binding key: must be at most 255 characters long' });
    expect(askProblem({ what: 'prefix', label: 'Route prefix', initial: '/', help: '' }, `/${'p'.repeat(500)}`)).toBe('must be at most 500 characters long');
    expect(askProblem({ what: 'routingKey', label: 'Routing key', initial: '', help: '' }, '')).toBeNull();
  });

  it('a client wired elsewhere says which target it left', () => {
    const c = connectionsFor(all(), 'c', 'g')[0]!;
    const r = must(connect(all(), c, ''));
    expect(r.changes).toEqual(['c no longer sends to s']);
    expect(r.label).toBe('request c → g');
  });

  it('refuses a bad prefix or bad header arguments, naming the field', () => {
    expect(connect(all(), connectionsFor(all(), 'g', 's')[0]!, 'orders')).toEqual({ ok: false, reason: 'Route prefix: must start with /' });
    expect(connect(all(), connectionsFor(all(), 'h', 'q')[0]!, 'x-match=some')).toEqual({ ok: false, reason: 'Header arguments: x-match is "all" or "any"' });
    expect(parseHeaderArguments('a').problem).toBe('"a" is not name=value');
  });
});

describe('a gateway’s clients request the paths its routes take', () => {
  const gw = (routes: unknown[], requests?: unknown[]) =>
    base([
      { id: 'users', kind: 'client', target: 'gw', ...(requests ? { requests } : {}) },
      { id: 'gw', kind: 'gateway', routes },
      { id: 'orders', kind: 'service' },
      { id: 'accounts', kind: 'service' },
    ]);

  it('a first route takes the traffic that was a 404 each', () => {
    const doc = gw([]);
    const r = must(connect(doc, connectionsFor(doc, 'gw', 'orders')[0]!, '/orders'));
    expect(valid(r.doc).nodes[0]).toMatchObject({ requests: [{ path: '/orders', weight: 1 }] });
    expect(r.changes).toEqual(['users requests /orders (no route of gw takes /: a 404 each)']);
  });

  it('a further route gets requests of its own; requests a route takes are kept', () => {
    const doc = gw([{ prefix: '/orders', target: 'orders' }], [{ path: '/orders/1', weight: 3 }]);
    const r = must(connect(doc, connectionsFor(doc, 'gw', 'accounts')[0]!, '/accounts'));
    expect(valid(r.doc).nodes[0]).toMatchObject({ requests: [{ path: '/orders/1', weight: 3 }, { path: '/accounts', weight: 1 }] });
    expect(r.changes).toEqual(['users also requests /accounts (weight 1)']);
    // A route some request already reaches changes nothing.
    const again = must(connect(r.doc, connectionsFor(r.doc, 'gw', 'orders')[0]!, '/orders'));
    expect(again.changes).toEqual([]);
  });

  it('a client added or wired to a gateway with routes requests them', () => {
    const doc = base([
      { id: 'orders', kind: 'service' },
      { id: 'gw', kind: 'gateway', routes: [{ prefix: '/orders', target: 'orders' }, { prefix: '/accounts', target: 'orders' }] },
    ]);
    const added = must(addNode({ ...doc, nodes: [doc.nodes[1], doc.nodes[0]] }, 'client', null, {}));
    expect(added.doc.nodes[2]).toMatchObject({ target: 'gw', requests: [{ path: '/orders', weight: 1 }, { path: '/accounts', weight: 1 }] });
    expect(added.changes[1]).toBe('client-1 requests /orders, /accounts (no route of gw takes /: a 404 each)');
    const direct = base([...doc.nodes, { id: 'users', kind: 'client', target: 'orders' }]);
    const wired = must(connect(direct, connectionsFor(direct, 'users', 'gw')[0]!, ''));
    expect(valid(wired.doc).nodes[2]).toMatchObject({ target: 'gw', requests: [{ path: '/orders' }, { path: '/accounts' }] });
  });

  it('leaves a client alone when it does not send to a gateway with routes, or mixes in a 404 on purpose', () => {
    const users = { id: 'users', kind: 'client', target: 'gw', requests: [{ path: '/orders', weight: 9 }, { path: '/nope', weight: 1 }] };
    const gateway = { id: 'gw', kind: 'gateway', routes: [{ prefix: '/orders', target: 'orders' }] };
    expect(aimRequests(users, gateway, null).change).toBeNull();
    expect(aimRequests(users, { id: 'gw', kind: 'gateway', routes: [] }, null).change).toBeNull();
    expect(aimRequests({ ...users, target: 'orders' }, { id: 'orders', kind: 'service' }, null).change).toBeNull();
  });
});

describe('delete', () => {
  it('takes every reference to the node with it, and says what else changed', () => {
    const r = must(deleteNodes(shop(), ['db']));
    const s = valid(r.doc);
    expect(s.nodes.map((n) => n.id)).not.toContain('db');
    expect(s.nodes.find((n) => n.id === 'orders')).toMatchObject({ calls: [] });
    expect(s.faults.map((f) => f.target)).toEqual(['orders']);
    expect(s.links).toEqual([]);
    expect(s.layout).toEqual({ users: { x: 0, y: 0 } });
    expect(s.variants[0]!.set).toEqual({ 'nodes[orders].concurrency': 4 });
    expect(s.expect.map((e) => e.metric)).toEqual(['latencyMs.p99']);
    expect(r.changes).toEqual(
      expect.arrayContaining(['orders: call to db removed', '2 faults on it removed', '1 link removed', 'variant "more workers": the setting nodes[db].concurrency removed', '1 expectation on a deleted node removed']),
    );
  });

  it('a client whose target goes, goes too; an optional reference becomes null', () => {
    const r = must(deleteNodes(shop(), ['gw', 'dlx']));
    expect(r.removed).toEqual(['gw', 'dlx', 'users']);
    expect(r.changes).toContain('client users deleted too: its target was gw');
    const s = valid(r.doc);
    expect(s.nodes.find((n) => n.id === 'mail')).toMatchObject({ deadLetter: null });
  });

  it('an exchange takes its bindings and publishes with it', () => {
    const s = valid(must(deleteNodes(shop(), ['events'])).doc);
    expect(s.nodes.find((n) => n.id === 'mail')).toMatchObject({ bindings: [] });
    expect(s.nodes.find((n) => n.id === 'orders')).toMatchObject({ publishes: [] });
  });

  it('an edge: its list entry goes; a client keeps its target and says how to change it', () => {
    const r = must(deleteEdge(shop(), ['nodes', 2, 'publishes', 0, 'exchange']));
    expect(valid(r.doc).nodes[2]).toMatchObject({ publishes: [], calls: [{ target: 'db' }] });
    expect(r.label).toBe('delete publish of orders to events');
    const consume = must(deleteEdge(shop(), ['nodes', 7, 'consumes', 0, 'queue']));
    expect(valid(consume.doc).nodes[7]).toMatchObject({ consumes: [] });
    const dl = must(deleteEdge(shop(), ['nodes', 5, 'deadLetter', 'exchange']));
    expect(valid(dl.doc).nodes[5]).toMatchObject({ deadLetter: null });
    expect(deleteEdge(shop(), ['nodes', 0, 'target'])).toEqual({ ok: false, reason: 'a client must have its target: drag a wire from users to another node to change it, or delete users' });
  });
});

describe('delete takes as little as it can', () => {
  const saga = () =>
    base([
      { id: 'pay', kind: 'service' },
      { id: 'ship', kind: 'service' },
      { id: 'saga', kind: 'orchestrator', steps: [{ name: 'pay', target: 'pay', compensation: { target: 'ship' } }] },
      { id: 'users', kind: 'client', target: 'saga' },
      { id: 'events', kind: 'exchange', type: 'topic' },
      { id: 'mail', kind: 'queue', bindings: [{ exchange: 'events', key: '#' }] },
      {
        id: 'worker',
        kind: 'service',
        consumes: [{ queue: 'mail', calls: [{ target: 'pay' }, { target: 'ship' }], publishes: [{ exchange: 'events', routingKey: 'mail.sent' }] }],
      },
    ]);

  it('a consumer’s own call or publish goes, not the consumer', () => {
    const r = must(deleteNodes(saga(), ['ship']));
    const s = valid(r.doc);
    expect(s.nodes.find((n) => n.id === 'worker')).toMatchObject({ consumes: [{ queue: 'mail', calls: [{ target: 'pay' }], publishes: [{ exchange: 'events' }] }] });
    // A saga step's compensation becomes null; the step stays.
    expect(s.nodes.find((n) => n.id === 'saga')).toMatchObject({ steps: [{ name: 'pay', target: 'pay', compensation: null }] });
  });

  it('an orchestrator that would be left without a step goes with its only step’s target, and says so', () => {
    const r = must(deleteNodes(saga(), ['pay']));
    expect(r.removed).toEqual(['pay', 'saga', 'users']);
    expect(r.changes).toContain('orchestrator saga deleted too: its steps.0.target was pay');
    const s = valid(r.doc);
    expect(s.nodes.find((n) => n.id === 'worker')).toMatchObject({ consumes: [{ queue: 'mail', calls: [{ target: 'ship' }] }] });
    expect(deleteEdge(saga(), ['nodes', 2, 'steps', 0, 'target'])).toEqual({
      ok: false,
      reason: 'an orchestrator must keep at least one of its steps: wire saga to another node first, then delete this one, or delete saga',
    });
  });
});

describe('rename', () => {
  it('updates every reference: nodes, faults (a->b too), links, layout, setting paths, metrics', () => {
    const r = must(renameNode(shop(), 'db', 'postgres'));
    const s = valid(r.doc);
    expect(s.nodes.find((n) => n.id === 'orders')).toMatchObject({ calls: [{ target: 'postgres' }] });
    expect(s.faults.map((f) => f.target)).toEqual(['postgres', 'orders->postgres', 'orders']);
    expect(s.links[0]).toMatchObject({ from: 'orders', to: 'postgres' });
    expect(s.layout).toEqual({ users: { x: 0, y: 0 }, postgres: { x: 900, y: 0 } });
    expect(Object.keys(s.variants[0]!.set)).toEqual(['nodes[postgres].concurrency', 'nodes[orders].calls[postgres].timeoutMs', 'nodes[orders].concurrency']);
    expect(s.expect[0]!.metric).toBe('nodes.postgres.received');
    expect(r.changes).toEqual(['7 references to db now name postgres']);
  });

  it('refuses an id that is taken or malformed, naming the field', () => {
    expect(renameNode(shop(), 'db', 'orders')).toEqual({ ok: false, reason: 'id: "orders" is already the id of another node' });
    expect(renameNode(shop(), 'db', 'Post Gres')).toEqual({ ok: false, reason: 'id: may hold lowercase letters, digits and dashes only' });
    expect(idProblem(shop(), '')).toBe('must not be empty');
  });

  it('renames a queue and an exchange in bindings, dead letters and consumers', () => {
    let doc: unknown = must(renameNode(shop(), 'mail', 'emails')).doc;
    doc = must(renameNode(doc, 'dlx', 'dead')).doc;
    const s = valid(doc);
    expect(s.nodes.find((n) => n.id === 'worker')).toMatchObject({ consumes: [{ queue: 'emails' }] });
    expect(s.nodes.find((n) => n.id === 'emails')).toMatchObject({ deadLetter: { exchange: 'dead' } });
  });
});

describe('copy and paste', () => {
  it('pastes with new ids, references among the copies remapped, others kept', () => {
    const doc = shop();
    const positions = { orders: { x: 100, y: 100 }, db: { x: 400, y: 100 } };
    const clip = copyNodes(doc, ['orders', 'db'], positions)!;
    const r = must(pasteNodes(doc, clip, positions));
    expect(r.ids).toEqual(['orders-1', 'db-1']);
    const s = valid(r.doc);
    expect(s.nodes.find((n) => n.id === 'orders-1')).toMatchObject({ calls: [{ target: 'db-1' }], publishes: [{ exchange: 'events' }] });
    expect(s.layout!['orders-1']).toEqual({ x: 140, y: 140 });
    expect(s.nodes).toHaveLength(10);
  });

  it('drops references to nodes gone since the copy; a node that needs one is not pasted', () => {
    const doc = shop();
    const clip = copyNodes(doc, ['users', 'orders'], {})!;
    const after = must(deleteNodes(doc, ['gw', 'db'])).doc;
    const r = must(pasteNodes(after, clip, {}));
    expect(r.ids).toEqual(['orders-1']);
    expect(r.changes).toEqual(['users not pasted: what it needs is gone', 'orders-1: call to db left out (db is gone)']);
    valid(r.doc);
  });
});
