import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/jsonSchema';
import { validateScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import { accepts, branchOf, fieldOf, initialValue, schemaNamesAlong, textToList } from '../../src/app/inspector/schemaForm';
import { getIn, isUnder, pathOf, pathString, setIn } from '../../src/app/docPath';
import type { Field } from '../../src/app/inspector/schemaForm';

const root = scenarioJsonSchema();
const defs = root.$defs as Record<string, Record<string, unknown>>;
const service = fieldOf(defs.ServiceNode!, root);

function prop(f: Field, key: string) {
  if (f.type !== 'object') throw new Error(`not an object: ${f.type}`);
  const p = f.props.find((x) => x.key === key);
  if (!p) throw new Error(`no ${key}`);
  return p;
}

describe('the schema walk', () => {
  it('numbers keep integer-ness, bounds, defaults and the description as help', () => {
    const c = prop(service, 'concurrency');
    expect(c.field).toMatchObject({ type: 'number', integer: true, min: 1, max: 100000 });
    expect(c.default).toBe(8);
    expect(c.description).toMatch(/Workers per instance/);
  });
  it('enums become selects; nullable parts wrap their inner field', () => {
    expect(prop(service, 'loadBalancer').field).toEqual({ type: 'enum', options: ['round-robin', 'random', 'least-outstanding', 'weighted-round-robin', 'consistent-hash', 'least-latency'] });
    expect(prop(service, 'queueLimit').field).toMatchObject({ type: 'nullable', inner: { type: 'number', integer: true } });
  });
  it("a part switched on starts from the schema's example when it has one: a queue's maxLength at 1000, not 0 (which drops every message)", () => {
    const queue = fieldOf(defs.QueueNode!, root);
    const maxLength = prop(queue, 'maxLength').field;
    expect(maxLength).toMatchObject({ type: 'nullable', inner: { type: 'number', integer: true, min: 0 }, example: 1000 });
    expect(initialValue(maxLength)).toBe(1000);
    // Without an example, the inner field's own start.
    expect(initialValue(prop(service, 'queueLimit').field)).toBe(0);
  });
  it('a Dist is a union of a bare number and the distributions, named by their discriminator', () => {
    const dist = prop(service, 'serviceTime').field;
    if (dist.type !== 'union') throw new Error(dist.type);
    expect(dist.options.map((o) => o.label)).toEqual(['number', 'constant', 'uniform', 'exponential', 'normal', 'lognormal']);
    expect(branchOf(dist, 12)).toBe(0);
    expect(branchOf(dist, { dist: 'lognormal', medianMs: 20, p99Ms: 200 })).toBe(5);
    expect(initialValue(dist.options[2]!.field)).toEqual({ dist: 'uniform', minMs: 0, maxMs: 0 });
  });
  it('a call carries its policies: a nullable breaker union by model, retryOn a list', () => {
    const call = fieldOf(defs.CallSpec!, root);
    const breaker = prop(call, 'breaker').field;
    expect(breaker.type).toBe('nullable');
    if (breaker.type !== 'nullable' || breaker.inner.type !== 'union') throw new Error('breaker');
    expect(breaker.inner.options.map((o) => o.label)).toEqual(['consecutive', 'opossum', 'resilience4j']);
    expect(accepts(breaker.inner.options[1]!.field, { model: 'opossum' })).toBe(true);
    expect(accepts(breaker.inner.options[0]!.field, { model: 'opossum' })).toBe(false);
    const retry = prop(call, 'retry').field;
    if (retry.type !== 'nullable') throw new Error('retry');
    expect(prop(retry.inner, 'retryOn').field.type).toBe('array');
  });
  it('a part switched on starts valid: initial values of every breaker model pass validation', () => {
    const call = fieldOf(defs.CallSpec!, root);
    const breaker = prop(call, 'breaker').field;
    if (breaker.type !== 'nullable' || breaker.inner.type !== 'union') throw new Error('breaker');
    for (const option of breaker.inner.options) {
      const doc: ScenarioInput = {
        format: 'faultline/1',
        name: 'x',
        nodes: [
          { id: 'a', kind: 'service', calls: [{ target: 'b', breaker: initialValue(option.field) as never }] },
          { id: 'b', kind: 'service' },
        ],
      };
      expect(validateScenario(doc).ok).toBe(true);
    }
  });
});

describe('paths and edits', () => {
  it('writes paths as validation does and tells what is under a node', () => {
    expect(pathString(['nodes', 1, 'calls', 0, 'retry'])).toBe('nodes[1].calls[0].retry');
    expect(isUnder('nodes[1].calls[0].retry.jitter', 'nodes[1]')).toBe(true);
    expect(isUnder('nodes[10].id', 'nodes[1]')).toBe(false);
  });
  it('setIn copies along the path and removes a key set to undefined', () => {
    const doc = { nodes: [{ id: 'a', concurrency: 4 }, { id: 'b' }] };
    const next = setIn(doc, ['nodes', 0, 'concurrency'], 9) as typeof doc;
    expect(next.nodes[0]).toEqual({ id: 'a', concurrency: 9 });
    expect(doc.nodes[0]!.concurrency).toBe(4);
    expect(next.nodes[1]).toBe(doc.nodes[1]);
    expect(setIn(doc, ['nodes', 0, 'concurrency'], undefined)).toEqual({ nodes: [{ id: 'a' }, { id: 'b' }] });
    expect(getIn(next, ['nodes', 0, 'concurrency'])).toBe(9);
  });
  it('lists of statuses read from text', () => {
    expect(textToList('408, 429 ,timeout,')).toEqual([408, 429, 'timeout']);
  });
});

describe('switching a union branch', () => {
  it("a fault's kind changes, its target and times stay; keys the new kind lacks go", async () => {
    const { switchBranch } = await import('../../src/app/inspector/schemaForm');
    const fault = fieldOf(defs.Fault!, root);
    if (fault.type !== 'union') throw new Error(fault.type);
    expect(fault.options.map((o) => o.label)).toEqual(['latency', 'error', 'crash', 'hang', 'slow', 'partition', 'drop', 'duplicate', 'reorder', 'rolling-restart']);
    const old = { atMs: 5000, untilMs: 9000, target: 'db', kind: 'error', status: 503, probability: 0.5, source: 'live' };
    const crash = switchBranch(fault.options[2]!.field, old);
    expect(crash).toEqual({ atMs: 5000, untilMs: 9000, target: 'db', kind: 'crash', source: 'live' });
    const drop = switchBranch(fault.options[6]!.field, old);
    expect(drop).toMatchObject({ kind: 'drop', probability: 0.5, target: 'db' });
  });
});

describe('document paths and the schemas along them', () => {
  it('reads a path written by pathString back', () => {
    expect(pathOf('nodes[2].calls[10].target')).toEqual(['nodes', 2, 'calls', 10, 'target']);
    expect(pathString(pathOf('nodes[2].deadLetter.exchange'))).toBe('nodes[2].deadLetter.exchange');
  });
  it("names each element's schema, picking a union's branch by the document's value", () => {
    const doc = { nodes: [{ id: 'c', kind: 'client', target: 's' }, { id: 's', kind: 'service', calls: [{ target: 'c' }] }, { id: 'q', kind: 'queue', deadLetter: { exchange: 'x' } }] };
    expect(schemaNamesAlong(root, doc, ['nodes', 1, 'calls', 0])).toEqual([undefined, undefined, 'ServiceNode', undefined, 'CallSpec']);
    expect(schemaNamesAlong(root, doc, ['nodes', 0])).toEqual([undefined, undefined, 'ClientNode']);
    expect(schemaNamesAlong(root, doc, ['nodes', 2, 'deadLetter'])).toEqual([undefined, undefined, 'QueueNode', undefined]);
    expect(schemaNamesAlong(root, doc, ['nodes', 0, 'nowhere', 3])).toEqual([undefined, undefined, 'ClientNode']);
  });
});
