import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckpointError, Checkpoints, capture, numberRun, restore } from '../../src/run/checkpoint';
import { createRun, restoreRun, takeCheckpoint } from '../../src/run/run';
import type { Checkpoint, FullRunOptions } from '../../src/run/run';
import type { LoggedEvent, Run } from '../../src/run/types';
import { swarmCase } from '../../src/run/swarm';
import { SimulationHost } from '../../src/run/host';
import * as checker from '../../src/run/checker';
import * as tools from '../../src/run/tools';
import { PRESETS } from '../../src/scenario/presets';
import { parseScenario, validateScenario } from '../../src/scenario/validate';
import type { Scenario } from '../../src/scenario/schema';
import { scenarioArb } from '../scenario/arbitraries';
import { arbInstances, arbSagas } from '../helpers/runArbitraries';

/** What a run shows: summary (trace hash included), the event log it holds, the time series, the node states. */
function outcome(run: Run) {
  return { summary: run.summary(), events: run.eventLog(), samples: run.samples(), totals: run.seriesTotals(), nodes: run.nodeStates() };
}

const OPTIONS: FullRunOptions = { checkpoints: true, metrics: true, recordHops: true, logCapacity: 2_000 };

/**
 * Run `s` straight to the end, and again with a checkpoint taken at each of `cuts`; up to `restores`
 * of them (spread over the run) are restored into fresh builds that run on to the end: each must end
 * exactly as the straight run. They are restored after the original has run on (a checkpoint holds
 * nothing of it). Returns how many were taken: every one (no state of any model refuses).
 */
function checkCuts(s: Scenario, cuts: number[], restores = 4): number {
  const straight = createRun(s, OPTIONS);
  straight.runToEnd();
  const want = outcome(straight);
  const run = createRun(s, OPTIONS);
  const taken: Checkpoint[] = [];
  for (const t of [...cuts].sort((a, b) => a - b)) {
    run.advanceTo(t);
    taken.push(takeCheckpoint(run));
  }
  run.runToEnd();
  expect(outcome(run)).toEqual(want);
  const step = Math.max(1, taken.length / restores);
  for (let i = 0; i < taken.length; i += step) {
    const cp = taken[Math.floor(i)]!;
    const restored = restoreRun(cp);
    expect(restored.nowMs).toBe(cp.atMs);
    restored.runToEnd();
    expect(outcome(restored)).toEqual(want);
  }
  return taken.length;
}

describe('checkpoints', () => {
  for (const p of PRESETS) {
    it(`${p.slug}: a run restored from a checkpoint ends as the straight run (hash, summary, event log, series)`, () => {
      const s = parseScenario(p.document);
      const cuts = Array.from({ length: 12 }, (_, i) => Math.round(((i + 0.5) / 12) * s.durationMs * 7) / 7);
      expect(checkCuts(s, cuts)).toBe(12);
    });
  }

  /**
   * Moments just after (`shift` > 0) or just before (< 0) the first `n` events of a straight run of
   * `s` that `match` picks: the moments a timer the model set at (or for) that event is pending.
   */
  function momentsAround(s: Scenario, match: (e: LoggedEvent) => boolean, shift: number, n = 4): number[] {
    const run = createRun(s, { keepAllEvents: true });
    run.runToEnd();
    return run
      .eventLog()
      .filter(match)
      .slice(0, n)
      .map((e) => e.t + shift);
  }

  const preset = (slug: string): Scenario => parseScenario(PRESETS.find((p) => p.slug === slug)!.document);

  it('while each model timer is pending (a rollout, a liveness restart, a publisher resend, a saga compensation retry, a consumer\'s calls), a checkpoint restores to the same end', () => {
    // A rollout: the drain and grace period after an instance deregisters, and its restart after it stops.
    const rolling = preset('rolling-deploy');
    const rollingCuts = [...momentsAround(rolling, (e) => e.kind === 'instance.deregister', 1e-3), ...momentsAround(rolling, (e) => e.kind === 'instance.stop', 1e-3)];
    expect(rollingCuts.length).toBeGreaterThanOrEqual(4);
    expect(checkCuts(rolling, rollingCuts)).toBe(rollingCuts.length);
    // A liveness probe kills a hung instance; its restart is pending.
    const hung = parseScenario({
      format: 'faultline/1',
      name: 'liveness restart',
      seed: 'liveness',
      durationMs: 20_000,
      nodes: [
        { id: 'users', kind: 'client', target: 'api', arrival: { type: 'constant', ratePerSec: 100 }, timeoutMs: 2000 },
        { id: 'api', kind: 'service', instances: 3, concurrency: 50, serviceTime: 10, livenessProbe: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3, restartMs: 2000 } },
      ],
      faults: [{ atMs: 5000, target: 'api', kind: 'hang', instance: 0 }],
    });
    const killed = momentsAround(hung, (e) => e.kind === 'instance.killed', 1e-3);
    expect(killed.length).toBeGreaterThanOrEqual(1);
    expect(checkCuts(hung, killed)).toBe(killed.length);
    // A publisher whose confirm was lost: its resend is pending.
    const dup = preset('duplicate-delivery');
    const resends = momentsAround(dup, (e) => e.kind === 'message.publish' && e.resend === true, -1e-3);
    expect(resends.length).toBeGreaterThanOrEqual(4);
    expect(checkCuts(dup, resends)).toBe(resends.length);
    // A compensation that keeps failing: the saga's next round is pending.
    const sagaDoc = PRESETS.find((p) => p.slug === 'saga-compensation')!.document;
    const stuck = parseScenario({ ...sagaDoc, faults: [...(sagaDoc.faults ?? []), { atMs: 25_000, untilMs: 32_000, target: 'orders', kind: 'error', status: 503, probability: 1 }] });
    const retries = momentsAround(stuck, (e) => e.kind === 'saga.compensateEnd' && e.ok === false, 1e-3);
    expect(retries.length).toBeGreaterThanOrEqual(4);
    expect(checkCuts(stuck, retries)).toBe(retries.length);
    // A consumer's calls in progress: cuts while its deliveries are worked on.
    const ladder = preset('retry-ladder');
    const working = momentsAround(ladder, (e) => e.kind === 'message.deliver', 1e-3, 400).filter((_, i) => i % 100 === 0);
    expect(working.length).toBe(4);
    expect(checkCuts(ladder, working)).toBe(4);
  });

  it('a checkpoint of a restored run, and the same checkpoint restored twice, go on the same', () => {
    const s = parseScenario(PRESETS.find((p) => p.slug === 'timeout-breaker-fallback')!.document);
    const straight = createRun(s, OPTIONS);
    straight.runToEnd();
    const want = outcome(straight);
    const first = createRun(s, OPTIONS);
    first.advanceTo(9_000);
    const a = takeCheckpoint(first);
    const again = restoreRun(a);
    again.advanceTo(21_500);
    const b = takeCheckpoint(again);
    for (const cp of [a, b, a, b]) {
      const r = restoreRun(cp);
      r.runToEnd();
      expect(outcome(r)).toEqual(want);
    }
  });

  it('random scenarios (every kind, policy and fault the generator draws): restored runs end as straight ones', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), (doc, fractions) => {
        const v = validateScenario(doc);
        if (!v.ok) return;
        const s = { ...v.scenario, durationMs: Math.min(v.scenario.durationMs, 8_000) };
        const opts = { ...OPTIONS, maxEvents: 60_000, maxInFlight: 20_000, maxQueueLength: 20_000 };
        const straight = createRun(s, opts);
        straight.runToEnd();
        const want = outcome(straight);
        const run = createRun(s, opts);
        for (const f of [...fractions].sort((x, y) => x - y)) {
          run.advanceTo(f * straight.nowMs);
          const r = restoreRun(takeCheckpoint(run));
          r.runToEnd();
          expect(outcome(r)).toEqual(want);
        }
      }),
      { numRuns: 30, seed: 1515 },
    );
  });

  /** A straight run of `s`, and the same run checkpointed at `cut` and restored: they end the same. */
  function restoredAt(s: Scenario, cut: number): void {
    const straight = createRun(s, OPTIONS);
    straight.runToEnd();
    const run = createRun(s, OPTIONS);
    run.advanceTo(cut);
    const restored = restoreRun(takeCheckpoint(run));
    restored.runToEnd();
    expect(outcome(restored)).toEqual(outcome(straight));
  }

  it('random instances that come and go (probes, caches, ejections, per-instance faults, rolling restarts): restored runs end as straight ones', () => {
    fc.assert(
      fc.property(arbInstances, fc.integer({ min: 1, max: 1900 }), restoredAt),
      { numRuns: 25 },
    );
  });

  it('random orchestrated sagas (failures, crashes of the orchestrator, compensation rounds): restored runs end as straight ones', () => {
    fc.assert(
      fc.property(arbSagas, fc.integer({ min: 1, max: 1900 }), restoredAt),
      { numRuns: 25 },
    );
  });

  it('swarm cases (faults, gateways, brokers, every breaker model): restored runs end as straight ones', () => {
    for (let k = 0; k < 6; k++) {
      const c = swarmCase('checkpoints', k);
      const s = { ...parseScenario(c.document), durationMs: Math.min(c.faultsUntilMs + 2_000, 30_000) };
      expect(checkCuts(s, [0.2, 0.55, 0.9].map((f) => f * s.durationMs))).toBe(3);
    }
  });

  it('what cannot be copied is refused by name: a closure made during the run, a WeakMap', () => {
    const root = { kept: [() => 1] as unknown[] };
    const structure = numberRun(root, {});
    root.kept.push(() => 2);
    expect(() => capture(root, structure)).toThrow(/no recipe to make it again, at run\.kept\.1/);
    root.kept = [new WeakMap()];
    expect(() => capture(root, structure)).toThrow(/WeakMap or WeakSet cannot be copied .*, at run\.kept\.0/);
  });

  it('a structural object keeps its identity, a copy made during the run is copied whole, frozen ones are shared', () => {
    class Box {
      items: unknown[] = [];
      count = 0;
    }
    const frozen = Object.freeze({ label: 'fixed' });
    const build = () => ({ box: new Box(), seen: new Map<string, Box>() });
    const run = build();
    const structure = numberRun(run, {});
    run.box.count = 3;
    const made = { n: 7, back: run.box, tag: frozen };
    run.box.items.push(made, made);
    run.seen.set('b', run.box);
    const data = capture(run, structure);
    run.box.count = 99; // the original goes on; the checkpoint holds nothing of it
    const fresh = build();
    const box = fresh.box;
    restore(data, numberRun(fresh, {}));
    expect(fresh.box).toBe(box);
    expect(box.count).toBe(3);
    expect(box.items).toHaveLength(2);
    expect(box.items[0]).toBe(box.items[1]);
    expect(box.items[0]).toEqual({ n: 7, back: box, tag: frozen });
    expect((box.items[0] as { tag: unknown }).tag).toBe(frozen);
    expect(fresh.seen.get('b')).toBe(box);
  });

  it('a run made without checkpoints: true cannot be checkpointed', () => {
    const run = createRun(parseScenario(PRESETS[0]!.document));
    expect(() => takeCheckpoint(run)).toThrow(CheckpointError);
  });
});

describe('the checkpoint store', () => {
  const cp = (atMs: number, events = atMs, bytes = 10) => ({ atMs, events, bytes });
  const policy = { intervalMs: 1000, minEvents: 1000, maxCount: 100, maxBytes: 1e9 };

  it('finds the latest checkpoint at or before a time', () => {
    const store = new Checkpoints(policy);
    for (const t of [3000, 1000, 2000]) store.add(cp(t));
    expect(store.times).toEqual([1000, 2000, 3000]);
    expect(store.before(999)).toBeNull();
    expect(store.before(1000)!.atMs).toBe(1000);
    expect(store.before(2999.5)!.atMs).toBe(2000);
    expect(store.before(1e9)!.atMs).toBe(3000);
    expect(store.nextMoment(2000)).toBe(3000);
    expect(store.nextMoment(2999)).toBe(3000);
  });

  it('a checkpoint is due once enough events have passed since the one before, and not too close to the one after', () => {
    const store = new Checkpoints(policy);
    expect(store.due(1000, 999)).toBe(false);
    expect(store.due(1000, 1000)).toBe(true);
    store.add(cp(1000, 1000));
    expect(store.due(1000, 1000)).toBe(false);
    expect(store.due(2000, 1500)).toBe(false);
    expect(store.due(3000, 2000)).toBe(true);
    store.add(cp(6000, 6000));
    // Seeking back and running on from 1000: a gap of 5000 events gets one in the middle, not one next to 6000.
    expect(store.due(3000, 3000)).toBe(true);
    expect(store.due(5500, 5500)).toBe(false);
  });

  it('after a big checkpoint the next waits for work in proportion to its size', () => {
    const store = new Checkpoints({ ...policy, bytesPerEvent: 10 });
    store.add(cp(1000, 1000, 50_000));
    // 50,000 bytes at 10 bytes per event: 5,000 events before the next, not the policy's 1,000.
    expect(store.due(2000, 2000)).toBe(false);
    expect(store.due(5000, 5999)).toBe(false);
    expect(store.due(6000, 6000)).toBe(true);
    // A small one keeps the policy's spacing.
    store.add(cp(6000, 6000, 100));
    expect(store.due(7000, 7000)).toBe(true);
  });

  it('a checkpoint bigger than the whole budget is not kept, and spaces the next by its size', () => {
    const store = new Checkpoints({ ...policy, maxBytes: 1_000, bytesPerEvent: 1 });
    store.add(cp(1000, 1000, 100));
    store.add(cp(2000, 2000, 20_000));
    expect(store.times).toEqual([1000]);
    expect(store.bytes).toBe(100);
    expect(store.due(3000, 3000)).toBe(false);
    expect(store.due(21_000, 21_000)).toBe(true);
  });

  it('past its count, drops the one whose neighbours are closest, and takes new ones at the spacing it then holds', () => {
    const store = new Checkpoints({ ...policy, maxCount: 4 });
    for (const t of [1000, 2000, 4000, 7000]) store.add(cp(t));
    store.add(cp(11_000));
    // 2000 sits between 1000 and 4000 (3000 apart): the closest neighbours.
    expect(store.times).toEqual([1000, 4000, 7000, 11_000]);
    expect(store.minEvents).toBe(10_000 / 3);
    expect(store.due(13_000, 13_000)).toBe(false);
    expect(store.due(15_000, 15_000)).toBe(true);
    // The first and the latest always stay.
    store.add(cp(15_000));
    expect(store.times[0]).toBe(1000);
    expect(store.times.at(-1)).toBe(15_000);
    expect(store.count).toBe(4);
  });

  it('keeps its bytes within the budget', () => {
    const store = new Checkpoints({ ...policy, maxBytes: 55 });
    for (let t = 1000; t <= 20_000; t += 1000) {
      if (store.due(t, t)) store.add(cp(t));
      expect(store.bytes).toBeLessThanOrEqual(55);
    }
    expect(store.count).toBe(5);
    expect(store.times[0]).toBe(1000);
    store.clear();
    expect(store.count).toBe(0);
    expect(store.minEvents).toBe(1000);
  });
});

describe('seeking in the worker', () => {
  const doc = PRESETS.find((p) => p.slug === 'retry-storm')!.document;

  it('a seek back restores the nearest checkpoint and shows what a run straight to that time shows', () => {
    const host = new SimulationHost({ checker, tools }, { intervalMs: 1000, minEvents: 2000, maxCount: 100, maxBytes: 1e9, bytesPerEvent: Infinity });
    host.handle({ type: 'load', document: doc });
    host.handle({ type: 'advance', toMs: 40_000, maxEvents: 1e9 });
    expect(host.checkpointTimes.length).toBeGreaterThanOrEqual(10);
    expect(host.checkpointTimes.every((t) => t % 1000 === 0)).toBe(true);
    for (const t of [13_333, 2_500, 39_999, 21_000.5]) {
      const seek = host.handle({ type: 'seek', tMs: t });
      const direct = new SimulationHost({ checker, tools });
      direct.handle({ type: 'load', document: doc });
      const want = direct.handle({ type: 'seek', tMs: t });
      if (seek.type !== 'frame' || want.type !== 'frame') throw new Error('expected frames');
      expect(seek.frame).toEqual(want.frame);
      expect(host.handle({ type: 'events', limit: 500 })).toEqual(direct.handle({ type: 'events', limit: 500 }));
    }
  });
});
