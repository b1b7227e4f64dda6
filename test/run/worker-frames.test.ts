import { describe, expect, it } from 'vitest';
import { SimulationHost } from '../../src/run/host';
import * as checker from '../../src/run/checker';
import * as tools from '../../src/run/tools';
import { createRun } from '../../src/run/run';
import { parseScenario } from '../../src/scenario/validate';
import type { ScenarioInput } from '../../src/scenario/schema';
import type { Frame, WorkerMessage } from '../../src/run/protocol';

const doc: ScenarioInput = {
  format: 'faultline/1',
  name: 'frames',
  seed: 'frames',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'api', arrival: { type: 'poisson', ratePerSec: 80 } },
    { id: 'api', kind: 'service', concurrency: 4, serviceTime: { dist: 'exponential', meanMs: 10 }, calls: [{ target: 'db', timeoutMs: 200 }] },
    { id: 'db', kind: 'service', serviceTime: { dist: 'exponential', meanMs: 5 }, errorRate: 0.05 },
  ],
};

function frameOf(m: WorkerMessage): Frame {
  if (m.type !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(m).slice(0, 300)}`);
  return m.frame;
}

describe("the worker's frames and the run summary", () => {
  it('an advance with panels: false leaves the summary and node states out; refresh answers them for the run as it stands, running nothing', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    const lean = frameOf(host.handle({ type: 'advance', toMs: 3_000, maxEvents: 1e9, panels: false }));
    expect(lean.simTimeMs).toBe(3_000);
    expect(lean.summary).toBeUndefined();
    expect(lean.nodes).toBeUndefined();
    expect(lean.events).toBeGreaterThan(300);

    const refreshed = frameOf(host.handle({ type: 'refresh' }));
    expect(refreshed.simTimeMs).toBe(3_000);
    expect(refreshed.events).toBe(lean.events);
    expect(refreshed.hops).toEqual([]);
    const fresh = createRun(parseScenario(doc));
    fresh.advanceTo(3_000);
    expect(refreshed.summary).toEqual(fresh.summary());
    expect(refreshed.nodes).toEqual(fresh.nodeStates());
    expect(refreshed.nodes?.api?.received).toBeGreaterThan(100);
  });

  it('every other frame carries the summary: a plain advance, a step, a seek, a restart', () => {
    const host = new SimulationHost({ checker, tools });
    expect(host.handle({ type: 'load', document: doc }).type).toBe('loaded');
    expect(frameOf(host.handle({ type: 'advance', toMs: 1_000 })).summary?.simTimeMs).toBe(1_000);
    expect(frameOf(host.handle({ type: 'step' })).summary).toBeDefined();
    expect(frameOf(host.handle({ type: 'seek', tMs: 500 })).summary?.simTimeMs).toBe(500);
    expect(frameOf(host.handle({ type: 'restart' })).summary?.simTimeMs).toBe(0);
  });

  it('the frame that finishes the run carries the summary even when asked without it', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    const end = frameOf(host.handle({ type: 'advance', toMs: 10_000, maxEvents: 1e9, panels: false }));
    expect(end.finished).toBe(true);
    expect(end.nodes).toBeDefined();
    const fresh = createRun(parseScenario(doc));
    fresh.runToEnd();
    expect(end.summary).toEqual(fresh.summary());
  });

  it('leaving summaries out changes nothing the run computes: the same trace hash in small lean slices', () => {
    const host = new SimulationHost({ checker, tools });
    host.handle({ type: 'load', document: doc });
    let frame = frameOf(host.handle({ type: 'advance', toMs: 0, panels: false }));
    for (let t = 16; !frame.finished; t += 16) {
      frame = frameOf(host.handle({ type: 'advance', toMs: t, maxEvents: 50, panels: false }));
      if (!frame.finished) expect(frame.summary ?? frame.nodes).toBeUndefined();
    }
    const fresh = createRun(parseScenario(doc));
    fresh.runToEnd();
    expect(frame.summary?.traceHash).toBe(fresh.summary().traceHash);
  });

  it('refresh before a load is an error naming the missing load', () => {
    const host = new SimulationHost({ checker, tools });
    const m = host.handle({ type: 'refresh' });
    expect(m.type === 'error' && m.message).toContain('send "load" first');
  });
});
