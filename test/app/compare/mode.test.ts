/**
 * Names compare view makes up (a fork's variant, a sweep cell's) fit the schema, and a fork or a
 * sweep started in compare view starts from B, named as such.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NAME, canvasDocument, fitName, forkMomentOf, forkProblems, settingsName, withVariant } from '../../../src/app/compare/mode';
import { useCompareFlags } from '../../../src/app/compare/request';
import { useCompare } from '../../../src/app/compare/state';
import { presetBySlug } from '../../../src/scenario/presets';
import { variantDocument } from '../../../src/scenario/variants';
import { validateScenario } from '../../../src/scenario/validate';

const opossum = presetBySlug('opossum-vs-resilience4j')!.document;

describe('settingsName', () => {
  it('is path = value, as it reads, when that fits', () => {
    expect(settingsName('sweep: ', [['nodes[api].calls[db].retry.maxAttempts', '1'], ['nodes[users].retry.maxAttempts', '3']])).toBe(
      'sweep: nodes[api].calls[db].retry.maxAttempts = 1, nodes[users].retry.maxAttempts = 3',
    );
  });

  it('shortens long paths from the front and keeps the values, so two cells still differ, and the document stays valid', () => {
    const p1 = 'nodes[billing-jvm].calls[ledger].breaker.failureRateThreshold';
    const p2 = 'nodes[billing-jvm].calls[ledger].breaker.slidingWindowSize';
    const one = settingsName('sweep: ', [[p1, '50'], [p2, '100']]);
    const two = settingsName('sweep: ', [[p1, '50'], [p2, '150']]);
    expect(`sweep: ${p1} = 50, ${p2} = 100`.length).toBeGreaterThan(MAX_NAME);
    expect(one.length).toBeLessThanOrEqual(MAX_NAME);
    expect(one).toMatch(/^sweep: …[^,]*failureRateThreshold = 50, …[^,]*slidingWindowSize = 100$/);
    expect(two).not.toBe(one);
    const doc = withVariant(opossum, one, { [p1]: 50, [p2]: 100 });
    const v = validateScenario(doc);
    expect(v.ok ? [] : v.problems).toEqual([]);
    expect(variantDocument(doc, one).ok).toBe(true);
  });

  it('cuts what still does not fit', () => {
    expect(fitName('x'.repeat(200))).toHaveLength(MAX_NAME);
    expect(settingsName('from 00:20.000: ', [['a'.repeat(30), 'v'.repeat(150)]])).toHaveLength(MAX_NAME);
  });
});

describe('canvasDocument', () => {
  afterEach(() => {
    useCompareFlags.setState({ active: false });
    useCompare.setState({ base: null, variant: '' });
  });

  it('outside compare view: the document, its variants kept', () => {
    expect(canvasDocument(opossum)).toBe(opossum);
  });

  it('in compare view: B\'s document without variants, named "<A> · <B>"', () => {
    const variant = 'resilience4j judges sooner';
    const b = variantDocument(opossum, variant);
    if (!b.ok) throw new Error('variant');
    useCompare.setState({ base: opossum, variant });
    useCompareFlags.setState({ active: true });
    const a = canvasDocument(b.document) as { name: string; variants?: unknown };
    expect(a.name).toBe(`${(opossum as { name: string }).name} · ${variant}`);
    expect(a.variants).toBeUndefined();
  });
});

describe('forkProblems', () => {
  const storm = presetBySlug('retry-storm')!.document;
  const fork = (path: string, value: unknown) => {
    const v = validateScenario(withVariant(storm, 'fork', { changes: [{ atMs: 20000, set: { [path]: value } }] }));
    if (v.ok) throw new Error('expected problems');
    return forkProblems(v.problems);
  };

  it('names a problem by the setting path typed, not by where the fork sits in the document', () => {
    expect(fork('nodes[api].concurency', 8)).toEqual([{ path: 'nodes[api].concurency', message: expect.stringMatching(/^names nothing: .*did you mean "concurrency"\?/) }]);
    expect(fork('nodes[api].serviceTime', 'abc')).toEqual([{ path: 'nodes[api].serviceTime', message: 'must be a number or an object — got "abc"' }]);
    expect(fork('nodes[api].concurrency', 8)[0]).toMatchObject({ path: 'nodes[api].concurrency', message: expect.stringContaining('changing it at a moment would really change it from the start') });
  });

  it('leaves other problems as they are', () => {
    const other = [{ path: 'variants[0].name', message: 'must be at most 120 characters long' }];
    expect(forkProblems(other)).toEqual(other);
  });
});

describe('forkMomentOf', () => {
  const storm = presetBySlug('retry-storm')!.document as { faults: unknown[] };
  const latency = { kind: 'latency', target: 'users', add: 2000, atMs: 30000, untilMs: 45000 };

  it('a fork at a setting, or a fault from a moment, forks at that moment', () => {
    const setting = withVariant(storm, 'f', { changes: [{ atMs: 20000, set: { 'nodes[api].calls[db].retry.maxAttempts': 1 } }] });
    expect(forkMomentOf(setting, 'f')).toBe(20000);
    const fault = withVariant(storm, 'g', { faults: [...storm.faults, latency] });
    expect(forkMomentOf(fault, 'g')).toBe(30000);
  });

  it('a variant of settings, or one that changes more than what starts at one moment, is no fork', () => {
    expect(forkMomentOf(storm, 'full jitter and a budget')).toBeNull();
    expect(forkMomentOf(storm, 'no such variant')).toBeNull();
    expect(forkMomentOf(withVariant(storm, 'h', { faults: [latency] }), 'h')).toBeNull(); // removes the outage
    const two = withVariant(storm, 'i', { changes: [{ atMs: 1000, set: { 'nodes[db].errorRate': 0 } }, { atMs: 2000, set: { 'nodes[db].errorRate': 1 } }] });
    expect(forkMomentOf(two, 'i')).toBeNull();
    const edited = withVariant(storm, 'j', { changes: [{ atMs: 20000, set: { 'nodes[db].errorRate': 0 } }], 'nodes[api].concurrency': 8 });
    expect(forkMomentOf(edited, 'j')).toBeNull();
  });
});
