import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_KINDS, BUILTIN_KIND_SET, NODE_KINDS } from '../../src/scenario/schema';
import { BUILTIN_SHAPES, KIND_SHAPES } from '../../src/scenario/kinds/shapes';
import { scenarioEdges } from '../../src/scenario/graph';
import { faultKindsFor } from '../../src/scenario/faultTargets';
import { PRESETS } from '../../src/scenario/presets';
import { parseScenario } from '../../src/scenario/validate';

describe("the kinds' shapes (their place in the graph, without the schemas)", () => {
  it('are exactly the descriptors without their schemas, one per kind', () => {
    expect(Object.keys(KIND_SHAPES).sort()).toEqual([...NODE_KINDS].sort());
    for (const kind of NODE_KINDS) {
      const { schema, ...shape } = BUILTIN_KINDS[kind];
      expect(schema).toBeDefined();
      expect(shape).toEqual(KIND_SHAPES[kind]);
      expect(shape.refs).toBe(KIND_SHAPES[kind].refs);
      expect(BUILTIN_SHAPES.get(kind)).toBe(KIND_SHAPES[kind]);
    }
    expect(BUILTIN_SHAPES.get('toString')).toBeUndefined();
    expect(BUILTIN_SHAPES.get('nope')).toBeUndefined();
  });

  it('give every preset the same graph and fault table as the descriptors', () => {
    for (const p of PRESETS) {
      const s = parseScenario(p.document);
      expect(scenarioEdges(s), p.slug).toEqual(scenarioEdges(s, BUILTIN_KIND_SET));
      for (const n of s.nodes) expect(faultKindsFor(BUILTIN_SHAPES, s.nodes, n.id)).toEqual(faultKindsFor(BUILTIN_KIND_SET, s.nodes, n.id));
    }
  });

  it('import no zod, directly or through another module of the scenario', () => {
    const seen = new Set<string>();
    const visit = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const text = readFileSync(new URL(path, import.meta.url), 'utf8');
      for (const [, what, from] of text.matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)) {
        if (what) continue; // types vanish at run time
        expect(from, `${path} imports ${from}`).not.toBe('zod');
        if (from!.startsWith('.')) visit(new URL(`${from}.ts`, new URL(path, import.meta.url)).href);
      }
    };
    visit(new URL('../../src/scenario/kinds/shapes.ts', import.meta.url).href);
    visit(new URL('../../src/scenario/graph.ts', import.meta.url).href);
    visit(new URL('../../src/scenario/faultTargets.ts', import.meta.url).href);
    expect(seen.size).toBeGreaterThan(8);
  });
});
