import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, NODE_KINDS } from '../../src/scenario/schema';
import type { ScenarioInput } from '../../src/scenario/schema';
import { validateScenario } from '../../src/scenario/validate';
import { withLiveFault } from '../../src/run/live';
import { scenarioEdges } from '../../src/scenario/graph';
import { parseScenario } from '../../src/scenario/validate';
import { activeByTarget, defaultFault, faultBand, faultKindsFor, faultRows, faultTargets } from '../../src/app/faults/kinds';

/** One node of every kind, wired so every reference resolves. */
const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'every kind',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'gw' },
    { id: 'gw', kind: 'gateway', routes: [{ prefix: '/', target: 'api' }] },
    { id: 'api', kind: 'service', publishes: [{ exchange: 'events', routingKey: 'a' }] },
    { id: 'events', kind: 'exchange', type: 'fanout' },
    { id: 'jobs', kind: 'queue', bindings: [{ exchange: 'events' }] },
    { id: 'worker', kind: 'service', consumes: [{ queue: 'jobs' }] },
    { id: 'saga', kind: 'orchestrator', steps: [{ name: 'work', target: 'api' }] },
  ],
};
const scenario = parseScenario(doc);

describe('fault kinds offered by target', () => {
  const targets = [...scenario.nodes.map((n) => n.id), 'users->gw', 'api->events'];
  it('covers every node kind', () => {
    expect(new Set(scenario.nodes.map((n) => n.kind))).toEqual(new Set(NODE_KINDS));
  });
  for (const target of targets) {
    it(`${target}: offers exactly the kinds the document accepts`, () => {
      const offered = faultKindsFor(scenario, target);
      for (const kind of FAULT_KINDS) {
        const next = withLiveFault(doc, defaultFault(kind, target, 5_000), 1_000);
        const ok = validateScenario(next).ok;
        expect({ kind, ok }).toEqual({ kind, ok: offered.includes(kind) });
      }
    });
  }
  it('exchanges take none; queues take duplicate and latency', () => {
    expect(faultKindsFor(scenario, 'events')).toEqual([]);
    expect([...faultKindsFor(scenario, 'jobs')].sort()).toEqual(['duplicate', 'latency']);
  });
  it('targets: nodes that can suffer a fault, then each network link once', () => {
    const t = faultTargets(scenario, scenarioEdges(scenario)).map((x) => x.target);
    expect(t).not.toContain('events');
    expect(t).toEqual(['users', 'gw', 'api', 'jobs', 'worker', 'saga', 'users->gw', 'gw->api', 'api->events', 'saga->api', 'jobs->worker']);
  });
});

describe('the fault timeline', () => {
  const faults = parseScenario({
    ...doc,
    faults: [
      { atMs: 1000, untilMs: 3000, target: 'api', kind: 'crash' },
      { atMs: 2000, untilMs: null, target: 'api', kind: 'slow', source: 'live' },
      { atMs: 8000, untilMs: 9000, target: 'gw', kind: 'error' },
    ],
  }).faults;
  it('says which faults are active, past and still to come', () => {
    expect(faultRows(faults, 4000).map((r) => r.status)).toEqual(['past', 'active', 'future']);
    expect(faultRows(faults, 2500).map((r) => r.status)).toEqual(['active', 'active', 'future']);
    expect(faultRows(faults, 4000)[1]!.live).toBe(true);
    expect([...activeByTarget(faults, 2500)]).toEqual([['api', ['crash', 'slow']]]);
  });
  it('places bands in percent of the run, open-ended ones to the end', () => {
    expect(faultBand({ atMs: 1000, untilMs: 3000 }, 10_000)).toEqual({ left: 10, width: 20 });
    expect(faultBand({ atMs: 2000, untilMs: null }, 10_000)).toEqual({ left: 20, width: 80 });
  });
});

describe('fault strength from the toolbar', () => {
  it('each kind with a setting accepts its whole range, and the chosen value is what is injected', async () => {
    const { FAULT_PARAM } = await import('../../src/app/faults/kinds');
    for (const [kind, param] of Object.entries(FAULT_PARAM)) {
      const target = kind === 'slow' || kind === 'hang' ? 'api' : 'api->events';
      for (const value of [param!.min, param!.value, param!.max]) {
        const fault = defaultFault(kind as never, target, 5_000, value);
        expect(fault[param!.key]).toBe(value);
        const result = validateScenario(withLiveFault(doc, fault, 1_000));
        expect({ kind, value, ok: result.ok }).toEqual({ kind, value, ok: true });
      }
    }
  });
});

describe('the instance picker', () => {
  const three = parseScenario({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'api' ? { ...n, instances: 3 } : n)) });
  const threeDoc: ScenarioInput = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'api' ? { ...n, instances: 3 } : n)) };

  it('offers a choice only on a service with more than one instance, for the kinds that take one', async () => {
    const { instanceChoices } = await import('../../src/app/faults/kinds');
    expect(instanceChoices(three, 'api', 'crash')).toBe(3);
    expect(instanceChoices(three, 'api', 'latency')).toBe(3);
    expect(instanceChoices(three, 'api', 'partition')).toBe(0);
    expect(instanceChoices(three, 'worker', 'crash')).toBe(0);
    expect(instanceChoices(three, 'gw', 'error')).toBe(0);
    expect(instanceChoices(scenario, 'api', 'crash')).toBe(0);
  });

  it('a fault on one instance is valid for every kind that takes one, and is listed with its instance', async () => {
    const { INSTANCE_KINDS, onInstance } = await import('../../src/app/faults/kinds');
    for (const kind of INSTANCE_KINDS) {
      for (const instance of [0, 2]) {
        const fault = onInstance(defaultFault(kind, 'api', 5_000), instance);
        expect(fault.instance).toBe(instance);
        expect('instances' in fault).toBe(false);
        const next = withLiveFault(threeDoc, fault, 1_000);
        const result = validateScenario(next);
        expect({ kind, instance, ok: result.ok }).toEqual({ kind, instance, ok: true });
        if (result.ok) expect(faultRows(result.scenario.faults, 2_000).at(-1)!.instance).toBe(instance);
      }
    }
    // "all": the fault as it was.
    const all = defaultFault('crash', 'api', 5_000);
    expect(onInstance(all, null)).toEqual(all);
    expect(faultRows(parseScenario(withLiveFault(threeDoc, all, 1_000)).faults, 2_000).at(-1)!.instance).toBeNull();
  });
});
