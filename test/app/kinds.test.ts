import { describe, expect, it } from 'vitest';
import { APP_KINDS, GENERIC_NODE_TYPE, appKindOf, detailOf, nodeTypeOf, nodeTypes, registerAppKind } from '../../src/app/kinds';
import { loadAutoLayout, scenarioTopology } from '../../src/app/canvas/layout';
import { NODE_KINDS } from '../../src/scenario/schema';
import { parseScenario } from '../../src/scenario/validate';
import type { Scenario } from '../../src/scenario/schema';

describe("the kinds' app parts", () => {
  it('has one entry per kind the scenario layer lists, each drawn by its own node type', () => {
    expect(Object.keys(APP_KINDS).sort()).toEqual([...NODE_KINDS].sort());
    for (const kind of NODE_KINDS) {
      expect(nodeTypeOf(kind)).toBe(kind);
      expect(nodeTypes[kind]).toBe(APP_KINDS[kind].Node);
    }
  });

  it("says a node's short fact from its kind", () => {
    const s = parseScenario({
      format: 'faultline/1',
      name: 'details',
      nodes: [
        { id: 'u', kind: 'client', target: 'g', arrival: { type: 'closed', users: 12 } },
        { id: 'g', kind: 'gateway', routes: [{ prefix: '/', target: 'a' }], rateLimit: { algorithm: 'fixed-window', limit: 10, windowMs: 1000 } },
        { id: 'a', kind: 'service', publishes: [{ exchange: 'e' }] },
        { id: 'e', kind: 'exchange', type: 'topic' },
        { id: 'q', kind: 'queue', maxLength: 40, bindings: [{ exchange: 'e', key: '#' }] },
      ],
    });
    expect(s.nodes.map(detailOf)).toEqual(['12 users', 'rate-limited', '', 'topic', 'max 40']);
  });

  it('draws a kind defined outside with the generic node and box, and with its own once registered', async () => {
    await loadAutoLayout();
    expect(nodeTypeOf('toy')).toBe(GENERIC_NODE_TYPE);
    expect(nodeTypes[GENERIC_NODE_TYPE]).toBe(appKindOf('toy').Node);
    expect(detailOf({ kind: 'toy' })).toBe('');
    const topology = scenarioTopology({ nodes: [{ id: 't', kind: 'toy' }], layout: null } as unknown as Scenario);
    expect(topology.nodes).toMatchObject([{ id: 't', kind: 'toy', label: 't' }]);

    const toy = { ...appKindOf('toy'), size: { width: 90, height: 60 }, detail: () => 'a toy' };
    registerAppKind('toy', toy);
    expect(nodeTypeOf('toy')).toBe('toy');
    expect(appKindOf('toy')).toBe(toy);
    expect(detailOf({ kind: 'toy' })).toBe('a toy');
    expect(() => registerAppKind('service', toy)).toThrow(/already/);
  });
});
