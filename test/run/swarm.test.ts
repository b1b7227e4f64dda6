import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCase, swarmCase } from '../../src/run/swarm';
import { validateScenario } from '../../src/scenario/validate';

describe('swarm', () => {
  it('a case is a pure function of (seed, run)', () => {
    expect(swarmCase('s', 3)).toEqual(swarmCase('s', 3));
    expect(swarmCase('s', 3).document).not.toEqual(swarmCase('s', 4).document);
  });

  it('draws valid, varied scenarios: gateways, brokers, policies and every fault kind', () => {
    const kinds = new Set<string>();
    const faultKinds = new Set<string>();
    for (let k = 0; k < 60; k++) {
      const c = swarmCase('variety', k);
      const v = validateScenario(c.document);
      expect(v.ok ? [] : v.problems).toEqual([]);
      for (const n of (c.document as { nodes: { kind: string }[] }).nodes) kinds.add(n.kind);
      for (const f of (c.document as { faults: { kind: string; untilMs: number }[] }).faults) {
        faultKinds.add(f.kind);
        expect(f.untilMs).toBeLessThanOrEqual(c.faultsUntilMs);
      }
    }
    expect([...kinds].sort()).toEqual(['client', 'exchange', 'gateway', 'queue', 'service']);
    expect(faultKinds.size).toBeGreaterThanOrEqual(8);
  });

  it('runs pass every check (accounting, determinism, slicing, recovery)', () => {
    for (let k = 0; k < 8; k++) expect(checkCase(swarmCase('unit', k))).toBeNull();
  });

  it('a fault that never ends is caught by the recovery check, with the document to reproduce it', () => {
    const c = swarmCase('unit', 0);
    const doc = c.document as { nodes: { id: string; kind: string }[]; faults: unknown[] };
    const entry = doc.nodes.find((n) => n.kind === 'client') as unknown as { target: string };
    const broken = { ...c, document: { ...c.document, faults: [{ atMs: 0, untilMs: null, target: entry.target, kind: 'error', status: 503 }] } as typeof c.document };
    const failure = checkCase(broken);
    expect(failure).toMatchObject({ check: 'recovery', seed: 'unit', run: 0 });
    expect(failure!.message).toMatch(/requests failed/);
    expect(failure!.document).toBe(broken.document);
  });
});

describe('random scenarios and fault timelines (fast-check)', () => {
  it('accounting holds, the same document hashes the same, and so does the run cut into slices', () => {
    // fast-check prints the seed and path of any failure; the swarm case it names is reproduced
    // with `npm run swarm -- --seed <seed> --run <run>` and pinned in test/run/regressions.test.ts.
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.nat(1_000_000), (seed, run) => {
        const c = swarmCase(seed, run);
        // Shorter runs keep the property fast; the recovery phase is the swarm's business.
        const short = { ...c, document: { ...c.document, durationMs: c.faultsUntilMs + 1000 } };
        const failure = checkCase(short);
        expect(failure === null || failure.check === 'recovery' ? null : failure).toBeNull();
      }),
      { numRuns: 12 },
    );
  });
});
