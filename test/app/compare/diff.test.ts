import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffAsSet, listDelta, settingDiff, settingPaths, shortValue } from '../../../src/app/compare/diff';
import { applySettings, variantDocument } from '../../../src/scenario/variants';
import { presetBySlug } from '../../../src/scenario/presets';
import { defaultScenario } from '../../../src/scenario/defaultScenario';
import { setSetting } from '../../../src/scenario/paths';

const storm = presetBySlug('retry-storm')!.document;

describe('settingDiff', () => {
  it('lists a variant\'s settings by their setting paths', () => {
    const b = variantDocument(storm, 'full jitter and a budget');
    if (!b.ok) throw new Error('variant');
    const paths = settingDiff(storm, b.document).map((c) => c.path);
    expect(paths).toEqual(['nodes[users].retry.jitter', 'nodes[users].retry.budget', 'nodes[api].calls[db].retry.jitter', 'nodes[api].calls[db].retry.budget']);
  });

  it('gives before and after, "not set" for what the document left out', () => {
    const b = setSetting(storm, 'nodes[api].instances', 3);
    if (!b.ok) throw new Error('set');
    const [change] = settingDiff(storm, b.document);
    expect(change).toEqual({ path: 'nodes[api].instances', before: undefined, after: 3 });
    expect(shortValue(change!.before)).toBe('(not set)');
  });

  it('leaves out variants, sweep and layout, which are not settings of a run', () => {
    const b = { ...storm, layout: { users: { x: 1, y: 2 } }, variants: [], sweep: { params: [{ path: 'seed', values: [1] }] } };
    expect(settingDiff(storm, b)).toEqual([]);
  });

  it('names a node added or removed as the nodes list changed whole', () => {
    const doc = storm as { nodes: unknown[] };
    const b = { ...doc, nodes: doc.nodes.slice(0, 2) };
    expect(settingDiff(doc, b).map((c) => c.path)).toEqual(['nodes']);
  });

  it('quotes keys that would read as an index', () => {
    const a = { nodes: [{ id: '7', kind: 'service', concurrency: 1 }] };
    const b = { nodes: [{ id: '7', kind: 'service', concurrency: 2 }] };
    expect(settingDiff(a, b)[0]!.path).toBe('nodes["7"].concurrency');
  });

  it('a key B leaves out makes its object the setting', () => {
    const a = { nodes: [{ id: 'x', retry: { maxAttempts: 3, jitter: 'none' } }] };
    const b = { nodes: [{ id: 'x', retry: { maxAttempts: 3 } }] };
    expect(settingDiff(a, b)).toEqual([{ path: 'nodes[x].retry', before: a.nodes[0]!.retry, after: b.nodes[0]!.retry }]);
  });

  it('the diff as a variant\'s set makes B from A (random settings of the default scenario)', () => {
    const candidates = [
      ['durationMs', fc.integer({ min: 1000, max: 90000 })],
      ['seed', fc.string({ minLength: 1, maxLength: 6 })],
      ['nodes[shoppers].arrival.ratePerSec', fc.integer({ min: 1, max: 200 })],
      ['nodes[checkout].concurrency', fc.integer({ min: 1, max: 64 })],
      ['nodes[inventory].errorRate', fc.double({ min: 0, max: 1, noNaN: true })],
      ['nodes[checkout].calls[payments].retry', fc.constantFrom(null, { maxAttempts: 2 }, { maxAttempts: 4, jitter: 'full' })],
    ] as const;
    const doc = defaultScenario as unknown;
    fc.assert(
      fc.property(
        fc.subarray(candidates.map((c, i) => i), { minLength: 1 }).chain((idx) => fc.tuple(fc.constant(idx), fc.tuple(...idx.map((i) => candidates[i]![1] as fc.Arbitrary<unknown>)))),
        ([idx, values]) => {
          const set = Object.fromEntries(idx.map((i, k) => [candidates[i]![0], values[k]]));
          const b = applySettings(doc, set);
          if (!b.ok) return;
          const again = applySettings(doc, diffAsSet(settingDiff(doc, b.document)));
          expect(again.ok).toBe(true);
          if (again.ok) expect(settingDiff(again.document, b.document)).toEqual([]);
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe('listDelta', () => {
  const crash = { atMs: 10000, untilMs: 20000, target: 'api', kind: 'crash', instances: 1 };
  const latency = { atMs: 30000, untilMs: 45000, target: 'users', kind: 'latency', addMs: 2000 };

  it('a fault added at a fork reads as the fault added, where the two lists shortened read the same', () => {
    const [change] = settingDiff({ faults: [crash] }, { faults: [crash, latency] });
    expect(change!.path).toBe('faults');
    expect(shortValue(change!.before)).toBe(shortValue(change!.after));
    expect(listDelta(change!.before, change!.after)).toEqual({ added: [latency], removed: [] });
  });

  it('removed elements, and the same elements reordered', () => {
    expect(listDelta([crash, latency], [latency])).toEqual({ added: [], removed: [crash] });
    expect(listDelta([crash, latency], [latency, crash])).toEqual({ added: [], removed: [] });
    expect(listDelta([1, 1, 2], [1, 2, 2])).toEqual({ added: [2], removed: [1] });
  });

  it('is null unless both are lists', () => {
    expect(listDelta(undefined, [crash])).toBeNull();
    expect(listDelta(3, 4)).toBeNull();
  });
});

describe('settingPaths', () => {
  it('lists the settings a document writes down, by setting path', () => {
    const paths = settingPaths(storm).map((p) => p.path);
    expect(paths).toContain('durationMs');
    expect(paths).toContain('seed');
    expect(paths).toContain('nodes[users].arrival.ratePerSec');
    expect(paths).toContain('nodes[api].calls[db].retry.maxAttempts');
    expect(paths).toContain('nodes[db].serviceTime');
    expect(paths).toContain('faults[0].status');
    // Names, ids and the canvas arrangement are not settings to pick.
    expect(paths.some((p) => p.endsWith('.id') || p.endsWith('.label') || p.startsWith('layout') || p.startsWith('variants'))).toBe(false);
  });

  it('every listed path resolves to its value', () => {
    for (const { path, value } of settingPaths(storm)) {
      const r = setSetting(storm, path, value);
      expect(r.ok, path).toBe(true);
      if (r.ok) expect(settingDiff(storm, r.document), path).toEqual([]);
    }
  });
});
