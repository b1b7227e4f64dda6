/**
 * RabbitMQ definitions in and out. The fixtures in test/fixtures/rabbitmq are written from
 * RabbitMQ's documentation (docs/dlx, docs/ttl, docs/maxlength, docs/quorum-queues "poison
 * message handling", docs/exchanges "headers exchange", docs/ae); the definitions layout is the
 * one `rabbitmqctl export_definitions` writes (exchanges, queues, bindings with a vhost each).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXCHANGE_LABEL,
  exportRabbitDefinitions,
  formatNote,
  importRabbitDefinitions,
  type RabbitDefinitions,
} from '../../../src/scenario/convert';
import { NODE_ID_PATTERN } from '../../../src/scenario/schema';
import { validateScenario } from '../../../src/scenario/validate';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/rabbitmq/${name}.json`, import.meta.url), 'utf8');

function importOk(text: string | object, options = {}) {
  const r = importRabbitDefinitions(text, options);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r;
}

function valid(doc: unknown) {
  const v = validateScenario(doc);
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return v.scenario;
}

/** The three sections, each sorted, so two files compare modulo order. */
function canonical(d: Pick<RabbitDefinitions, 'exchanges' | 'queues' | 'bindings'>) {
  const sorted = <T>(xs: T[]) => [...xs].map((x) => JSON.stringify(sortDeep(x))).sort();
  return { exchanges: sorted(d.exchanges), queues: sorted(d.queues), bindings: sorted(d.bindings) };
}
function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}

describe('importRabbitDefinitions: the documented features', () => {
  it('dead-letter exchange and routing key (docs/dlx): the queue names the exchange node and keeps the key', () => {
    const r = importOk(fixture('dlx'));
    const doc = valid(r.value.document);
    const myqueue = doc.nodes.find((n) => n.label === 'myqueue' || n.id === 'myqueue');
    expect(myqueue).toMatchObject({ kind: 'queue', id: 'myqueue', deadLetter: { exchange: 'some-exchange-name', routingKey: 'some-routing-key' } });
    expect(doc.nodes.find((n) => n.id === 'some-exchange-name')).toMatchObject({ kind: 'exchange', type: 'direct', label: 'some.exchange.name' });
    expect(doc.nodes.find((n) => n.id === 'myqueue-dead')).toMatchObject({ bindings: [{ exchange: 'some-exchange-name', key: 'some-routing-key' }] });
    // The docs declare the queue non-durable: that is listed, by name.
    expect(r.notes).toEqual([expect.objectContaining({ at: 'queue "myqueue"', setting: 'durable' })]);
  });

  it('message TTL (docs/ttl) dead-lettered through the default exchange; amq.direct is predeclared', () => {
    const r = importOk(fixture('ttl'));
    const doc = valid(r.value.document);
    const byLabel = (l: string) => doc.nodes.find((n) => (n.label ?? n.id) === l)!;
    expect(byLabel('myqueue')).toMatchObject({ messageTtlMs: 60000, deadLetter: { exchange: 'amq-default', routingKey: 'myqueue.expired' } });
    expect(byLabel(DEFAULT_EXCHANGE_LABEL)).toMatchObject({ id: 'amq-default', kind: 'exchange', type: 'direct' });
    expect(byLabel('amq.direct')).toMatchObject({ id: 'amq-direct', kind: 'exchange', type: 'direct' });
    // Every queue is bound to the default exchange by its own name, as in RabbitMQ.
    expect(byLabel('myqueue.expired')).toMatchObject({ bindings: [{ exchange: 'amq-default', key: 'myqueue.expired' }] });
    expect(byLabel('myqueue')).toMatchObject({ bindings: [{ exchange: 'amq-direct', key: 'myqueue' }, { exchange: 'amq-default', key: 'myqueue' }] });

    // Export leaves the default and the amq.* exchanges out, and names the default exchange "".
    const out = exportRabbitDefinitions(doc).value;
    expect(out.exchanges).toEqual([]);
    expect(out.queues.find((q) => q.name === 'myqueue')!.arguments).toEqual({ 'x-message-ttl': 60000, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'myqueue.expired' });
    expect(out.bindings).toEqual([{ source: 'amq.direct', vhost: '/', destination: 'myqueue', destination_type: 'queue', routing_key: 'myqueue', arguments: {} }]);
    expect(canonical(out)).toEqual(canonical(JSON.parse(fixture('ttl'))));
  });

  it('max length with both overflow behaviours (docs/maxlength)', () => {
    const doc = valid(importOk(fixture('max-length')).value.document);
    expect(doc.nodes.find((n) => n.id === 'bounded-reject')).toMatchObject({ maxLength: 10, overflow: 'reject-publish', deadLetter: null });
    expect(doc.nodes.find((n) => n.id === 'bounded-drop')).toMatchObject({ maxLength: 10, overflow: 'drop-head', deadLetter: { exchange: 'dlx' } });
  });

  it('a quorum queue with a delivery limit (docs/quorum-queues)', () => {
    const doc = valid(importOk(fixture('quorum-delivery-limit')).value.document);
    expect(doc.nodes.find((n) => n.label === 'qq.orders')).toMatchObject({ id: 'qq-orders', queueType: 'quorum', deliveryLimit: 5, deadLetter: { exchange: 'orders-dlx' } });
    expect(doc.nodes.find((n) => n.label === 'qq.orders.poison')).toMatchObject({ queueType: 'quorum', deliveryLimit: null });
  });

  it('headers bindings keep x-match and the header values (docs/exchanges)', () => {
    const doc = valid(importOk(fixture('headers')).value.document);
    expect(doc.nodes.find((n) => n.id === 'pdf-reports')).toMatchObject({ bindings: [{ exchange: 'reports', key: '', arguments: { 'x-match': 'any', format: 'pdf', type: 'report' } }] });
    expect(doc.nodes.find((n) => n.id === 'every-report')).toMatchObject({ bindings: [{ exchange: 'reports', arguments: { 'x-match': 'all' } }] });
  });

  it('an alternate exchange (docs/ae): my-direct falls back to my-ae', () => {
    const r = importOk(fixture('alternate-exchange'));
    const doc = valid(r.value.document);
    expect(doc.nodes.find((n) => n.id === 'my-direct')).toMatchObject({ type: 'direct', alternateExchange: 'my-ae' });
    expect(r.notes.map(formatNote)).toEqual(['exchange "my-direct": durable — transient: the model has no broker restarts, and export declares it durable']);
  });

  it('every fixture goes out again as the same exchanges, queues and bindings (durable where the docs were not)', () => {
    for (const name of ['dlx', 'ttl', 'max-length', 'quorum-delivery-limit', 'headers', 'alternate-exchange']) {
      const original = JSON.parse(fixture(name)) as RabbitDefinitions;
      const out = exportRabbitDefinitions(valid(importOk(original).value.document));
      const durable = {
        ...original,
        exchanges: original.exchanges.map((x) => ({ ...x, durable: true })),
        queues: original.queues.map((q) => ({ ...q, durable: true })),
      };
      // The docs' explicit x-overflow: drop-head is the default, which export leaves out.
      for (const q of durable.queues) if (q.arguments?.['x-overflow'] === 'drop-head') delete q.arguments['x-overflow'];
      expect(canonical(out.value), name).toEqual(canonical(durable));
      expect(out.notes, name).toEqual([]);
    }
  });
});

describe('importRabbitDefinitions: what does not map is listed by name', () => {
  it('users, permissions, policies, byte limits, single active consumer, auto-delete, internal, plugin types, exchange-to-exchange bindings', () => {
    const r = importOk(fixture('production-mixed'), { vhost: 'billing' });
    const settings = r.notes.map((n) => n.setting);
    for (const s of ['users', 'permissions', 'global_parameters', 'policies', 'type', 'x-max-length-bytes', 'x-single-active-consumer', 'auto_delete', 'x-expires', 'internal', 'destination_type']) {
      expect(settings, s).toContain(s);
    }
    expect(r.notes.find((n) => n.setting === 'policies')!.reason).toContain('^invoices');
    // The other vhost's queue is not imported.
    expect(r.value.nodes.map((n) => n.label ?? n.id)).not.toContain('audit');
    valid(r.value.document);
  });

  it('several vhosts: an error listing them, unless one is chosen', () => {
    const r = importRabbitDefinitions(fixture('production-mixed'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toBe('the file has several vhosts: "/", "billing" — choose one (--vhost)');
    const root = importOk(fixture('production-mixed'), { vhost: '/' });
    expect(root.value.nodes.map((n) => `${n.kind}:${n.label ?? n.id}`).sort()).toEqual(['exchange:audit', 'queue:audit']);
    const none = importRabbitDefinitions(fixture('production-mixed'), { vhost: 'nope' });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.problems[0]!.message).toBe('no vhost "nope" in this file — it has "/", "billing"');
  });

  it('a queue and an exchange of the same name get distinct ids; the queue keeps the plain one', () => {
    const r = importOk(fixture('production-mixed'), { vhost: '/' });
    const queue = r.value.nodes.find((n) => n.kind === 'queue')!;
    const exchange = r.value.nodes.find((n) => n.kind === 'exchange')!;
    expect(queue.id).toBe('audit');
    expect(exchange.id).toMatch(/^audit-[0-9a-f]{8}$/);
    expect(exchange.label).toBe('audit');
    expect(queue.bindings).toEqual([{ exchange: exchange.id }]);
    // Export names them by their labels again.
    const out = exportRabbitDefinitions(valid(r.value.document)).value;
    expect(out.bindings).toEqual([{ source: 'audit', vhost: '/', destination: 'audit', destination_type: 'queue', routing_key: '', arguments: {} }]);
  });
});

describe('importRabbitDefinitions: bad input', () => {
  it('malformed JSON names the line and column', () => {
    const text = '{\n  "queues": [\n    { "name": "a" "vhost": "/" }\n  ]\n}';
    const r = importRabbitDefinitions(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ path: '', message: 'line 3, column 19: not valid JSON: expected "," (or the end of the list or object)' }]);
  });

  it('a wrong type names the key path', () => {
    const r = importRabbitDefinitions({ queues: [{ name: 'a', arguments: { 'x-message-ttl': '60s' } }], bindings: [{ source: 'x', destination: 'a', destination_type: 'queue', routing_key: '' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toContainEqual({ path: 'queues[0].arguments["x-message-ttl"]', message: 'must be a whole number, 0 or more — got "60s"' });
    }
    const missing = importRabbitDefinitions({ exchanges: [{ name: 'x' }] });
    expect(missing).toEqual({ ok: false, problems: [{ path: 'exchanges[0].type', message: 'is required' }] });
    const unknown = importRabbitDefinitions({ queues: [{ name: 'a' }], bindings: [{ source: 'nope', destination: 'a', destination_type: 'queue', routing_key: '' }] });
    expect(unknown).toEqual({ ok: false, problems: [{ path: 'bindings[0].source', message: 'names no exchange of vhost "/": "nope"' }] });
    expect(importRabbitDefinitions('[1, 2]').ok).toBe(false);
    expect(importRabbitDefinitions('{"name": "not definitions"}')).toEqual({ ok: false, problems: [{ path: '', message: 'no "exchanges", "queues" or "bindings": this is not a RabbitMQ definitions file' }] });
  });
});

describe('merging into a document', () => {
  it('a queue or exchange already there (by label or id) is replaced in place, keeping its id; the rest is added', () => {
    const into = {
      format: 'faultline/1',
      name: 'mine',
      nodes: [
        { id: 'users', kind: 'client', target: 'api' },
        { id: 'api', kind: 'service', publishes: [{ exchange: 'x1', routingKey: 'key1' }] },
        { id: 'x1', kind: 'exchange', label: 'my-direct', type: 'direct' },
        { id: 'my-ae', kind: 'service' },
      ],
    };
    const r = importOk(fixture('alternate-exchange'), { into });
    const doc = r.value.document as { nodes: { id: string; kind: string }[] };
    expect(doc.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual(['client:users', 'service:api', 'exchange:x1', 'service:my-ae', expect.stringMatching(/^exchange:my-ae-[0-9a-f]{8}$/), 'queue:routed', 'queue:unrouted']);
    const scenario = valid(doc);
    expect(scenario.nodes.find((n) => n.id === 'x1')).toMatchObject({ alternateExchange: doc.nodes[4]!.id });
  });
});

// ---------------------------------------------------------------------------------------------
// The round trip, over generated topologies

const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._: -]{0,24}$/).filter((s) => !s.startsWith('amq.'));
const key = fc.oneof(fc.constant(''), fc.stringMatching(/^[a-z*#]{1,6}(\.[a-z*#]{1,6}){0,3}$/));

const arbDefinitions = fc
  .record({
    exchanges: fc.uniqueArray(fc.record({ name, type: fc.constantFrom('direct', 'fanout', 'topic', 'headers') }), { selector: (x) => x.name, minLength: 1, maxLength: 6 }),
    queues: fc.uniqueArray(
      fc.record({
        name,
        quorum: fc.boolean(),
        dlx: fc.option(fc.nat(7)),
        dlrk: fc.option(key),
        ttl: fc.option(fc.integer({ min: 1, max: 86_400_000 })),
        maxLength: fc.option(fc.integer({ min: 0, max: 1_000_000 })),
        rejectPublish: fc.boolean(),
        deliveryLimit: fc.option(fc.integer({ min: 0, max: 1000 })),
      }),
      { selector: (q) => q.name, minLength: 1, maxLength: 6 },
    ),
    alternates: fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 3 }),
    bindings: fc.array(fc.record({ x: fc.nat(6), q: fc.nat(5), key, any: fc.boolean(), header: fc.option(fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean()))) }), { maxLength: 12 }),
  })
  .map(({ exchanges, queues, alternates, bindings }): RabbitDefinitions => {
    const vhost = '/';
    const ae = new Map<number, number>();
    for (const [a, b] of alternates) if (a < exchanges.length && b < exchanges.length && a !== b) ae.set(a, b);
    const seen = new Set<string>();
    return {
      vhosts: [{ name: vhost }],
      exchanges: exchanges.map((x, i) => ({
        name: x.name,
        vhost,
        type: x.type,
        durable: true,
        auto_delete: false,
        arguments: ae.has(i) ? { 'alternate-exchange': exchanges[ae.get(i)!]!.name } : {},
      })),
      queues: queues.map((q) => {
        const args: Record<string, unknown> = {};
        if (q.quorum) args['x-queue-type'] = 'quorum';
        if (q.dlx !== null) {
          // An index past the exchanges is the default exchange "".
          args['x-dead-letter-exchange'] = q.dlx < exchanges.length ? exchanges[q.dlx]!.name : '';
          if (q.dlrk !== null) args['x-dead-letter-routing-key'] = q.dlrk;
        }
        if (q.ttl !== null) args['x-message-ttl'] = q.ttl;
        if (q.maxLength !== null) {
          args['x-max-length'] = q.maxLength;
          if (q.rejectPublish) args['x-overflow'] = 'reject-publish';
        }
        if (q.quorum && q.deliveryLimit !== null) args['x-delivery-limit'] = q.deliveryLimit;
        return { name: q.name, vhost, durable: true, auto_delete: false, arguments: args, type: q.quorum ? 'quorum' : 'classic' };
      }),
      bindings: bindings.flatMap((b) => {
        // An index past the exchanges binds from the predeclared amq.topic.
        const source = b.x < exchanges.length ? exchanges[b.x]! : { name: 'amq.topic', type: 'topic' };
        const dest = queues[b.q % queues.length]!;
        const args: Record<string, unknown> = {};
        if (source.type === 'headers') {
          args['x-match'] = b.any ? 'any' : 'all';
          if (b.header) args[b.header[0]] = b.header[1];
        }
        const sig = JSON.stringify([source.name, dest.name, b.key, args]);
        if (seen.has(sig)) return [];
        seen.add(sig);
        return [{ source: source.name, vhost, destination: dest.name, destination_type: 'queue' as const, routing_key: b.key, arguments: args }];
      }),
    };
  });

describe('round trip: definitions → document → definitions', () => {
  it('gives back the same exchanges, queues and bindings (modulo order), with nothing unmapped', () => {
    fc.assert(
      fc.property(arbDefinitions, (defs) => {
        const r = importRabbitDefinitions(JSON.stringify(defs));
        if (!r.ok) throw new Error(JSON.stringify(r.problems));
        expect(r.notes).toEqual([]);
        const doc = valid(r.value.document);
        for (const n of doc.nodes) expect(n.id).toMatch(NODE_ID_PATTERN);
        const out = exportRabbitDefinitions(doc);
        expect(out.notes).toEqual([]);
        expect(canonical(out.value)).toEqual(canonical(defs));
      }),
      { numRuns: 150 },
    );
  });

  it('ids depend on the set of names only, not on their order', () => {
    fc.assert(
      fc.property(arbDefinitions, (defs) => {
        const reversed = { ...defs, exchanges: [...defs.exchanges].reverse(), queues: [...defs.queues].reverse() };
        const ids = (d: RabbitDefinitions) => {
          const r = importRabbitDefinitions(d);
          if (!r.ok) throw new Error('import failed');
          return Object.fromEntries(r.value.nodes.map((n) => [`${n.kind}:${n.label ?? n.id}`, n.id]));
        };
        expect(ids(reversed)).toEqual(ids(defs));
      }),
      { numRuns: 50 },
    );
  });
});
