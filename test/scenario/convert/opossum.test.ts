/**
 * opossum's options object in and out of an opossum breaker. The options and their defaults are
 * those documented in nodeshift/opossum's lib/circuit.js (timeout 10000 or false,
 * errorThresholdPercentage 50, resetTimeout 30000, rollingCountTimeout 10000,
 * rollingCountBuckets 10, volumeThreshold 0, capacity Number.MAX_SAFE_INTEGER); the fixture is
 * the options of opossum's README example.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportOpossum, importOpossum } from '../../../src/scenario/convert';
import { PolicySchema } from '../../../src/scenario/schema';

const readme = readFileSync(new URL('../../fixtures/opossum/options.json', import.meta.url), 'utf8');

describe('importOpossum', () => {
  it("the README's options become an opossum breaker (the other keys keep opossum's defaults)", () => {
    const r = importOpossum(readme);
    expect(r).toMatchObject({ ok: true, value: { policy: { breaker: { model: 'opossum', timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 30000 } } } });
    const breaker = PolicySchema.parse(r.ok ? r.value.policy : {}).breaker;
    expect(breaker).toEqual({ model: 'opossum', timeout: 3000, errorThresholdPercentage: 50, resetTimeout: 30000, rollingCountTimeout: 10000, rollingCountBuckets: 10, volumeThreshold: 0, capacity: null });
    if (r.ok) expect(r.notes.map((n) => n.setting)).toEqual(['retry']);
  });

  it('reads the object literal as written in JavaScript, timeout false included', () => {
    const r = importOpossum('{ timeout: false, volumeThreshold: 10, capacity: 20, name: "inventory", errorFilter: null };');
    expect(r.ok && r.value.policy).toEqual({ breaker: { model: 'opossum', timeout: false, volumeThreshold: 10, capacity: 20 } });
    if (r.ok) expect(r.notes.map((n) => n.setting)).toEqual(['name', 'errorFilter', 'retry']);
  });

  it('lists options it does not simulate by name, with a suggestion for a misspelt one', () => {
    const r = importOpossum({ allowWarmUp: true, cache: true, coalesce: true, resetTimout: 5 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.notes.map((n) => n.setting)).toEqual(['allowWarmUp', 'cache', 'coalesce', 'resetTimout', 'retry']);
      expect(r.notes[3]!.reason).toBe('not an opossum option — did you mean "resetTimeout"?');
    }
    const disabled = importOpossum({ enabled: false });
    expect(disabled.ok && disabled.value.policy).toEqual({});
  });

  it('bad input names the line, or the key', () => {
    const syntax = importOpossum('{\n  "timeout": 3000,\n  "resetTimeout": 30000\n  "volumeThreshold": }');
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.problems[0]!.message).toMatch(/^line \d+, column \d+: not valid YAML/);
    expect(importOpossum('{\n  "timeout": "3s",\n  "errorThresholdPercentage": 150\n}')).toEqual({
      ok: false,
      problems: [
        { path: 'timeout', message: 'must be a number of ms, or false — got "3s" (line 2)' },
        { path: 'errorThresholdPercentage', message: 'must be at most 100 — got 150 (line 3)' },
      ],
    });
    expect(importOpossum('[1]').ok).toBe(false);
  });
});

describe('exportOpossum', () => {
  it('only an opossum breaker exports; the rest of the policy is named', () => {
    const p = PolicySchema.parse({ timeoutMs: 800, retry: {}, breaker: { model: 'opossum', timeout: 500, capacity: 8 }, fallback: {} });
    const r = exportOpossum(p);
    expect(r).toMatchObject({ ok: true, value: { timeout: 500, errorThresholdPercentage: 50, resetTimeout: 30000, rollingCountTimeout: 10000, rollingCountBuckets: 10, volumeThreshold: 0, capacity: 8 } });
    if (r.ok) expect(r.notes.map((n) => n.setting)).toEqual(['retry', 'timeoutMs', 'fallback']);
    expect(exportOpossum(PolicySchema.parse({ breaker: { model: 'consecutive' } })).ok).toBe(false);
    expect(exportOpossum(PolicySchema.parse({}))).toEqual({ ok: false, problems: [{ path: 'breaker', message: "the call has no breaker: opossum's options describe a breaker" }] });
  });

  it('round trip: options → breaker → options', () => {
    const arb = fc.record(
      {
        timeout: fc.oneof(fc.constant(false as const), fc.integer({ min: 1, max: 60_000 })),
        errorThresholdPercentage: fc.integer({ min: 0, max: 100 }),
        resetTimeout: fc.integer({ min: 0, max: 120_000 }),
        rollingCountTimeout: fc.integer({ min: 1, max: 120_000 }),
        rollingCountBuckets: fc.integer({ min: 1, max: 100 }),
        volumeThreshold: fc.integer({ min: 0, max: 1000 }),
        capacity: fc.integer({ min: 1, max: 1000 }),
      },
      { requiredKeys: ['timeout', 'errorThresholdPercentage', 'resetTimeout', 'rollingCountTimeout', 'rollingCountBuckets', 'volumeThreshold'] },
    );
    fc.assert(
      fc.property(arb, (options) => {
        const imported = importOpossum(JSON.stringify(options));
        if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
        const out = exportOpossum(PolicySchema.parse(imported.value.policy));
        expect(out.ok && out.value).toEqual(options);
      }),
    );
  });
});
