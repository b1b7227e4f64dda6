import { describe, expect, it, vi } from 'vitest';
import { loadAutoLayout, needsAutoLayout, scenarioTopology } from '../../src/app/canvas/layout';
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
