import { describe, expect, it, vi } from 'vitest';
import { keepSpread, layoutSpread, loadAutoLayout, needsAutoLayout, scenarioTopology } from '../../src/app/canvas/layout';
import { parseScenario } from '../../src/scenario/validate';

const doc = {
  format: 'faultline/1',
  name: 'layout',
  nodes: [
    { id: 'users', kind: 'client', target: 'api' },
    { id: 'api', kind: 'service', calls: [{ target: 'db' }] },
    { id: 'db', kind: 'service' },
  ],
};

describe('scenarioTopology', () => {
  it("places a node where the document's layout puts it, spread by one factor for the whole layout", () => {
    const layout = { users: { x: 0, y: 0 }, api: { x: 500, y: 40 }, db: { x: 900, y: 300 } };
    const t = scenarioTopology(parseScenario({ ...doc, layout }));
    expect(t.layoutScale).toBeGreaterThanOrEqual(1);
    expect(t.nodes.find((n) => n.id === 'db')!.position).toEqual({ x: 900 * t.layoutScale, y: 300 * t.layoutScale });
  });

  it('needs the automatic layout only for a document that leaves a node unplaced', () => {
    const all = { users: { x: 0, y: 0 }, api: { x: 500, y: 40 }, db: { x: 900, y: 300 } };
    expect(needsAutoLayout(parseScenario({ ...doc, layout: all }))).toBe(false);
    expect(needsAutoLayout(parseScenario(doc))).toBe(true);
    expect(needsAutoLayout({ ...doc, layout: { users: { x: 0, y: 0 } } })).toBe(true);
    // A document not validated yet is read defensively.
    expect(needsAutoLayout(null)).toBe(false);
    expect(needsAutoLayout({ nodes: 'none' })).toBe(false);
    expect(needsAutoLayout({ nodes: [{ id: 'a' }], layout: { a: { x: 1, y: 2 } } })).toBe(false);
  });

  it('says so when a document needs the automatic layout before it is loaded', async () => {
    vi.resetModules();
    const fresh = await import('../../src/app/canvas/layout');
    expect(() => fresh.scenarioTopology(parseScenario(doc))).toThrow(/loadAutoLayout/);
  });

  it('lays out a document without a layout left to right, in the order requests travel', async () => {
    await loadAutoLayout();
    const t = scenarioTopology(parseScenario(doc));
    const x = (id: string) => t.nodes.find((n) => n.id === id)!.position.x;
    expect(x('users')).toBeLessThan(x('api'));
    expect(x('api')).toBeLessThan(x('db'));
    expect(t.edges.map((e) => e.id)).toEqual(['request:users->api', 'call:api->db']);
  });
});

describe('the automatic layout of a broker', () => {
  const broker = (deadLetterTo: string) =>
    parseScenario({
      format: 'faultline/1',
      name: 'dlq',
      nodes: [
        { id: 'users', kind: 'client', target: 'orders' },
        { id: 'orders', kind: 'service', publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
        { id: 'events', kind: 'exchange', type: 'topic' },
        { id: 'invoices', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: deadLetterTo, routingKey: 'dead' } },
        { id: 'invoicing', kind: 'service', consumes: [{ queue: 'invoices' }] },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
        { id: 'parked', kind: 'queue', bindings: [{ exchange: 'events', key: 'dead' }] },
      ],
    });

  it('reads on from a queue to its dead-letter exchange and queue, not before the client', async () => {
    await loadAutoLayout();
    const t = scenarioTopology(broker('dlx'));
    const x = (id: string) => t.nodes.find((n) => n.id === id)!.position.x;
    expect(x('users')).toBeLessThan(x('orders'));
    expect(x('events')).toBeLessThan(x('invoices'));
    expect(x('invoices')).toBeLessThan(x('dlx'));
    expect(x('dlx')).toBeLessThan(x('dlq'));
  });

  it('keeps a queue that dead-letters through the exchange feeding it after that exchange', async () => {
    await loadAutoLayout();
    const t = scenarioTopology(broker('events'));
    const x = (id: string) => t.nodes.find((n) => n.id === id)!.position.x;
    expect(x('orders')).toBeLessThan(x('events'));
    expect(x('events')).toBeLessThan(x('invoices'));
    expect(x('events')).toBeLessThan(x('parked'));
  });
});

describe('layoutSpread', () => {
  it('leaves the automatic layout as it is once it is written into the document (Layout, then any edit)', async () => {
    await loadAutoLayout();
    const shop = parseScenario({
      format: 'faultline/1',
      name: 'shop',
      nodes: [
        { id: 'users', kind: 'client', target: 'gw' },
        { id: 'gw', kind: 'gateway', routes: [{ prefix: '/orders', target: 'orders' }] },
        { id: 'orders', kind: 'service', calls: [{ target: 'stock' }], publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
        { id: 'stock', kind: 'service' },
        { id: 'events', kind: 'exchange', type: 'topic' },
        { id: 'invoices', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: 'dlx' } },
        { id: 'invoicing', kind: 'service', consumes: [{ queue: 'invoices' }] },
        { id: 'dlx', kind: 'exchange', type: 'fanout' },
        { id: 'dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
      ],
    });
    const placed = scenarioTopology(shop);
    const points = placed.nodes.map((n) => ({ x: n.position.x, y: n.position.y, kind: n.kind }));
    expect(layoutSpread(points)).toBe(1);
    const written = scenarioTopology({ ...shop, layout: Object.fromEntries(placed.nodes.map((n) => [n.id, n.position])) });
    expect(written.layoutScale).toBe(1);
    expect(written.nodes.map((n) => n.position)).toEqual(placed.nodes.map((n) => n.position));
  });

  it('asks the box on the left for its width and the box above for its height', () => {
    // An exchange (200 wide) 330 left of a service: clear; the service 330 left of the exchange is not.
    expect(layoutSpread([{ x: 0, y: 0, kind: 'exchange' }, { x: 330, y: 0, kind: 'service' }])).toBe(1);
    expect(layoutSpread([{ x: 0, y: 0, kind: 'service' }, { x: 330, y: 0, kind: 'exchange' }])).toBe(1.18);
  });
});

describe('keepSpread: a box put against another moves clear, the layout does not spread', () => {
  type P = { id: string; x: number; y: number; kind: string };
  const row: P[] = [
    { id: 'users', x: 0, y: 0, kind: 'client' },
    { id: 'api', x: 420, y: 0, kind: 'service' },
    { id: 'db', x: 840, y: 0, kind: 'service' },
  ];
  const after = (points: P[], moved: Map<string, { x: number; y: number }>) => points.map((p) => ({ ...p, ...(moved.get(p.id) ?? {}) }));

  it('a box dropped 40 units off another moves just clear of it; the spread stays 1', () => {
    const dropped = [...row, { id: 'copy', x: 460, y: 40, kind: 'service' }];
    // Left where it was dropped, every box would be spread 5.75 times.
    expect(layoutSpread(dropped)).toBeGreaterThan(5);
    const moved = keepSpread(dropped, new Set(['copy']), 1);
    const placed = after(dropped, moved);
    expect(layoutSpread(placed)).toBe(1);
    // The nearest clear place: one box height and the gap below api.
    expect(moved.get('copy')).toEqual({ x: 460, y: 230 });
  });

  it('a box clear of the others stays where it was put; a layout spread more keeps its spread', () => {
    expect(keepSpread([...row, { id: 'far', x: 0, y: 600, kind: 'queue' }], new Set(['far']), 1).get('far')).toEqual({ x: 0, y: 600 });
    const small = row.map((p, i) => ({ ...p, x: i * 100 }));
    const scale = layoutSpread(small);
    const moved = keepSpread([...small, { id: 'q', x: 110, y: 10, kind: 'queue' }], new Set(['q']), scale);
    expect(layoutSpread(after([...small, { id: 'q', x: 110, y: 10, kind: 'queue' }], moved))).toBeLessThanOrEqual(scale);
  });

  it('moved boxes keep their arrangement (one offset for all)', () => {
    const copies: P[] = row.map((p) => ({ ...p, id: `${p.id}-1`, x: p.x + 40, y: p.y + 40 }));
    const moved = keepSpread([...row, ...copies], new Set(copies.map((c) => c.id)), 1);
    const placed = after([...row, ...copies], moved);
    expect(layoutSpread(placed)).toBe(1);
    const dx = moved.get('users-1')!.x - 40;
    const dy = moved.get('users-1')!.y - 40;
    expect(copies.map((c) => moved.get(c.id))).toEqual(copies.map((c) => ({ x: c.x + dx, y: c.y + dy })));
  });
});
