import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../src/app/inspector/Inspector';
import { loadAutoLayout, scenarioTopology } from '../../src/app/canvas/layout';
import { parseScenario } from '../../src/scenario/validate';
import { PRESETS } from '../../src/scenario/presets';
import type { ScenarioInput } from '../../src/scenario/schema';

const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'inspect',
  nodes: [
    { id: 'users', kind: 'client', target: 'gw' },
    { id: 'gw', kind: 'gateway', routes: [{ prefix: '/a', target: 'api' }, { prefix: '/b', target: 'api' }] },
    { id: 'api', kind: 'service', calls: [{ target: 'db' }, { target: 'db', optional: true }], publishes: [{ exchange: 'ev', routingKey: 'x' }] },
    { id: 'db', kind: 'service' },
    { id: 'ev', kind: 'exchange', type: 'fanout', alternateExchange: 'lost' },
    { id: 'jobs', kind: 'queue', bindings: [{ exchange: 'ev' }], deadLetter: { exchange: 'dlx' } },
    { id: 'worker', kind: 'service', consumes: [{ queue: 'jobs', prefetch: 3 }] },
    { id: 'lost', kind: 'exchange', type: 'fanout' },
    { id: 'dlx', kind: 'exchange', type: 'fanout' },
  ],
};
await loadAutoLayout(); // the document places no node
const topology = scenarioTopology(parseScenario(doc));
const edge = (id: string) => subjectOf({ type: 'edge', id }, doc, topology);

describe('what the inspector edits for a selection', () => {
  it('a node: its entry in nodes, with the schema named for its kind', () => {
    expect(subjectOf({ type: 'node', id: 'api' }, doc, topology)).toMatchObject({ path: ['nodes', 2], def: 'ServiceNode' });
    expect(subjectOf({ type: 'node', id: 'jobs' }, doc, topology)).toMatchObject({ path: ['nodes', 5], def: 'QueueNode' });
    expect(subjectOf({ type: 'node', id: 'nope' }, doc, topology)).toBeNull();
  });
  it('an edge: the call, route, publish, binding or consume it draws; the second of two to the same target too', () => {
    expect(edge('call:api->db')).toMatchObject({ path: ['nodes', 2, 'calls', 0], def: 'CallSpec' });
    expect(edge('call:api->db#1')).toMatchObject({ path: ['nodes', 2, 'calls', 1], def: 'CallSpec' });
    expect(edge('route:gw->api#1')).toMatchObject({ path: ['nodes', 1, 'routes', 1], def: 'RouteSpec' });
    expect(edge('publish:api->ev')).toMatchObject({ path: ['nodes', 2, 'publishes', 0], def: 'PublishSpec' });
    expect(edge('binding:ev->jobs')).toMatchObject({ path: ['nodes', 5, 'bindings', 0], def: 'Binding' });
    expect(edge('consume:jobs->worker')).toMatchObject({ path: ['nodes', 6, 'consumes', 0], def: 'ConsumeSpec' });
    expect(edge('request:users->gw')).toMatchObject({ path: ['nodes', 0], def: 'ClientNode' });
  });
  it("an edge whose reference has no schema of its own opens the nearest element that has one: the node", () => {
    expect(edge('dead-letter:jobs->dlx')).toMatchObject({ path: ['nodes', 5], def: 'QueueNode', title: 'queue jobs (dead-letter)' });
    expect(edge('alternate:ev->lost')).toMatchObject({ path: ['nodes', 4], def: 'ExchangeNode', title: 'exchange ev (alternate)' });
  });
  it('a node of a kind without a descriptor opens nothing', () => {
    const odd = { ...doc, nodes: [...doc.nodes, { id: 'toy', kind: 'toy' }] };
    expect(subjectOf({ type: 'node', id: 'toy' }, odd, topology)).toBeNull();
  });
  it('every edge of every preset opens something', () => {
    for (const p of PRESETS) {
      const t = scenarioTopology(parseScenario(p.document));
      for (const e of t.edges) expect(subjectOf({ type: 'edge', id: e.id }, p.document, t), `${p.slug} ${e.id}`).not.toBeNull();
    }
  });
});
