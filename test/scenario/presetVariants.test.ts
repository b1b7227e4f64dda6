/**
 * Presets that are comparisons carry their comparison as `variants`: each variant makes a valid
 * document that runs differently from the base, and the difference the preset teaches shows in
 * the numbers.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetBySlug } from '../../src/scenario/presets';
import { validateScenario } from '../../src/scenario/validate';
import { variantDocument, variantNames } from '../../src/scenario/variants';
import { createRun } from '../../src/run/run';
import type { RunSummary } from '../../src/run/types';

function runDoc(doc: unknown): RunSummary {
  const v = validateScenario(doc);
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const run = createRun(v.scenario, { logCapacity: 16 });
  run.runToEnd();
  return run.summary();
}

/** A node's number in a summary. */
function num(s: RunSummary, node: string, key: string): number {
  const v = s.nodes[node]?.[key];
  if (typeof v !== 'number') throw new Error(`${node}.${key} is not a number`);
  return v;
}

function variantRun(slug: string, name: string): { a: RunSummary; b: RunSummary } {
  const doc = presetBySlug(slug)!.document;
  const b = variantDocument(doc, name);
  if (!b.ok) throw new Error(JSON.stringify(b.problems));
  return { a: runDoc(doc), b: runDoc(b.document) };
}

const COMPARISONS = ['retry-storm', 'opossum-vs-resilience4j', 'flapping-breaker', 'bulkhead', 'duplicate-delivery', 'thundering-herd', 'out-of-order-events'];

describe('presets that are comparisons', () => {
  it.each(COMPARISONS)('%s has variants, each a valid document', (slug) => {
    const doc = presetBySlug(slug)!.document;
    expect(validateScenario(doc).ok).toBe(true);
    const names = variantNames(doc);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const b = variantDocument(doc, name);
      expect(b.ok).toBe(true);
      if (b.ok) expect(validateScenario(b.document).ok).toBe(true);
    }
  });

  it('only the comparison presets carry variants', () => {
    const withVariants = PRESETS.filter((p) => variantNames(p.document).length > 0).map((p) => p.slug);
    expect(withVariants.sort()).toEqual([...COMPARISONS].sort());
  });

  it('retry storm: full jitter and a budget bring the amplification down', () => {
    const { a, b } = variantRun('retry-storm', 'full jitter and a budget');
    expect(a.amplification).toBeGreaterThan(5);
    expect(b.amplification).toBeLessThan(a.amplification / 2);
    // Same seed, a downstream-only change: the users send the same number of requests.
    expect(b.requests.sent).toBe(a.requests.sent);
  });

  it('flapping breaker: the calm breaker opens far less often', () => {
    const { a, b } = variantRun('flapping-breaker', 'calm breaker');
    const opens = (s: RunSummary) => num(s, 'shop', 'breakerOpens');
    expect(opens(b)).toBeLessThan(opens(a) / 4);
  });

  it('duplicate delivery: idempotent loyalty processes no duplicates', () => {
    const { a, b } = variantRun('duplicate-delivery', 'idempotent loyalty');
    const dupes = (s: RunSummary) => num(s, 'loyalty-q', 'duplicatesProcessed');
    expect(dupes(a)).toBeGreaterThan(0);
    expect(dupes(b)).toBe(0);
  });

  it('bulkhead: without it, users get failures the bulkhead prevented', () => {
    const { a, b } = variantRun('bulkhead', 'no bulkhead');
    expect(b.requests.failed).toBeGreaterThan(a.requests.failed);
  });

  it('thundering herd: full jitter lets more devices through', () => {
    const { a, b } = variantRun('thundering-herd', 'full jitter');
    const failed = (s: RunSummary) => num(s, 'devices', 'failed');
    expect(failed(b)).toBeLessThan(failed(a));
  });

  it('opossum vs resilience4j: a smaller window makes resilience4j open', () => {
    const { a, b } = variantRun('opossum-vs-resilience4j', 'resilience4j judges sooner');
    const opens = (s: RunSummary) => num(s, 'billing-jvm', 'breakerOpens');
    expect(opens(a)).toBe(0);
    expect(opens(b)).toBeGreaterThan(0);
  });
});
