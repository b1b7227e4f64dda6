import { describe, expect, it } from 'vitest';
import { SimulationHost } from '../../src/run/host';
import * as checker from '../../src/run/checker';
import * as tools from '../../src/run/tools';
import { createRun } from '../../src/run/run';
import { parseScenario } from '../../src/scenario/validate';
import { decodeShareFragment } from '../../src/scenario/codec';
import type { ScenarioInput } from '../../src/scenario/schema';
import type { WorkerMessage } from '../../src/run/protocol';

const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'edits',
  seed: 'edits',
  durationMs: 20_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 } },
    {
      id: 'api',
      kind: 'service',
      concurrency: 4,
      serviceTime: { dist: 'exponential', meanMs: 10 },
      calls: [{ target: 'db', timeoutMs: 200, breaker: { model: 'consecutive', failureThreshold: 3, resetTimeoutMs: 5000 } }],
    },
    { id: 'db', kind: 'service', serviceTime: { dist: 'exponential', meanMs: 5 } },
  ],
};

function edited(m: WorkerMessage): Extract<WorkerMessage, { type: 'edited' }> {
  if (m.type !== 'edited') throw new Error(`expected edited, got ${JSON.stringify(m).slice(0, 300)}`);
  return m;
}

function frameOf(m: WorkerMessage) {
  if (m.type !== 'frame') throw new Error(`expected a frame, got ${m.type}`);
  const { summary, nodes } = m.frame;
  if (!summary || !nodes) throw new Error('expected a frame with its run summary and node states');
  return { ...m.frame, summary, nodes };
}

describe('the worker edits the document live', () => {
  it('inject records the fault at the current time and the run equals a fresh run of the new document', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    host.handle({ type: 'advance', toMs: 5_000, maxEvents: 1e9 });
    const m = edited(host.handle({ type: 'inject', fault: { kind: 'crash', target: 'db', durationMs: 4_000 } }));
    expect(m.frame.simTimeMs).toBe(5_000);
    const faults = (m.document as ScenarioInput).faults!;
    expect(faults.at(-1)).toMatchObject({ kind: 'crash', target: 'db', atMs: 5000, untilMs: 9000, source: 'live' });
    // The share fragment carries the fault.
    const decoded = decodeShareFragment(m.share);
    expect(decoded.ok && (decoded.document as ScenarioInput).faults!.length).toBe(1);

    const end = frameOf(host.handle({ type: 'advance', toMs: 20_000, maxEvents: 1e9 }));
    const fresh = createRun(parseScenario(m.document));
    fresh.runToEnd();
    expect(end.summary).toEqual(fresh.summary());
    // The crash opened api's breaker towards db.
    expect(end.summary.nodes.api!.breakerOpens).toBeGreaterThan(0);
  });

  it('endFault ends a fault now; an open breaker shows in the node state during the crash', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    host.handle({ type: 'advance', toMs: 2_000, maxEvents: 1e9 });
    edited(host.handle({ type: 'inject', fault: { kind: 'crash', target: 'db' } }));
    const during = frameOf(host.handle({ type: 'advance', toMs: 3_000, maxEvents: 1e9 }));
    expect(during.nodes.api!.calls[0]).toMatchObject({ target: 'db', breaker: 'OPEN' });
    const m = edited(host.handle({ type: 'endFault', index: 0 }));
    expect((m.document as ScenarioInput).faults![0]).toMatchObject({ atMs: 2000, untilMs: 3000 });
  });

  it('setDocument re-runs a changed setting to now; an invalid one is refused and the run kept', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    host.handle({ type: 'advance', toMs: 4_000, maxEvents: 1e9 });
    const bad = host.handle({ type: 'setDocument', document: { ...doc, durationMs: -1 } });
    expect(bad.type).toBe('invalid');
    expect(frameOf(host.handle({ type: 'advance', toMs: 4_000 })).simTimeMs).toBe(4_000);
    const changed = { ...doc, seed: 'other' };
    const m = edited(host.handle({ type: 'setDocument', document: changed }));
    expect(m.frame.simTimeMs).toBe(4_000);
    const fresh = createRun(parseScenario(changed));
    fresh.advanceTo(4_000);
    expect(m.frame.summary).toEqual(fresh.summary());
  });

  it('stepRequest stops right after a request ends; events filter by request id', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    const f = frameOf(host.handle({ type: 'stepRequest' }));
    expect(f.summary.requests.ok + f.summary.requests.failed).toBe(1);
    const all = host.handle({ type: 'events', limit: 1 });
    expect(all.type === 'events' && all.events[0]!.kind).toBe('request.end');
    const id = all.type === 'events' ? (all.events[0]!.requestId as number) : -1;
    const mine = host.handle({ type: 'events', requestId: id });
    if (mine.type !== 'events') throw new Error(mine.type);
    expect(mine.events.length).toBeGreaterThan(2);
    expect(mine.events.every((e) => e.requestId === id)).toBe(true);
    expect(mine.events[0]!.kind).toBe('request.start');
  });
});

describe('a broker message\'s story', () => {
  it('a queued copy\'s events include its publish, joined through the route that carries both ids', async () => {
    const { presetBySlug } = await import('../../src/scenario/presets');
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: presetBySlug('poison-message-dlq')!.document });
    host.handle({ type: 'advance', toMs: 5_000, maxEvents: 1e9 });
    const all = host.handle({ type: 'events', limit: 10_000 });
    if (all.type !== 'events') throw new Error(all.type);
    const ack = all.events.find((e) => e.kind === 'message.ack')!;
    const byCopy = host.handle({ type: 'events', messageId: ack.messageId as number });
    if (byCopy.type !== 'events') throw new Error(byCopy.type);
    // In log order (the broker logs a delivery made during routing before the route itself).
    expect(byCopy.events.map((e) => e.kind).sort()).toEqual(['message.ack', 'message.deliver', 'message.publish', 'message.route']);
    const eventId = byCopy.events.find((e) => e.kind === 'message.publish')!.eventId as number;
    const byPublish = host.handle({ type: 'events', eventId });
    if (byPublish.type !== 'events') throw new Error(byPublish.type);
    expect(byPublish.events).toEqual(byCopy.events);
  });
});

describe('setLayout', () => {
  it('moves boxes without touching the run: the link carries the layout, the run goes on, and a fresh run of the new document hashes the same', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    const before = frameOf(host.handle({ type: 'advance', toMs: 3_000, maxEvents: 1e9 }));
    const layout = { users: { x: 0, y: 0 }, api: { x: 500, y: 40 }, db: { x: 900, y: 300 } };
    const m = edited(host.handle({ type: 'setLayout', layout }));
    expect(m.frame.events).toBe(before.events);
    expect(m.scenario.layout).toEqual(layout);
    expect(decodeShareFragment(m.share)).toMatchObject({ ok: true, document: { layout } });
    const end = frameOf(host.handle({ type: 'advance', toMs: 20_000, maxEvents: 1e9 }));
    const fresh = createRun(parseScenario(m.document));
    fresh.runToEnd();
    expect(end.summary.traceHash).toBe(fresh.summary().traceHash);
    const plain = createRun(parseScenario(doc));
    plain.runToEnd();
    expect(plain.summary().traceHash).toBe(fresh.summary().traceHash);
    expect(host.handle({ type: 'setLayout', layout: { nobody: { x: 1, y: 1 } } }).type).toBe('invalid');
  });
});
