import { describe, expect, it } from 'vitest';
import { refuseReservedKeys } from '../../src/scenario/reservedKeys';
import { validateScenario } from '../../src/scenario/validate';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { formatProblem } from '../../src/scenario/problem';

const problemsOf = (doc: unknown) => {
  const r = validateScenario(doc);
  if (r.ok) throw new Error('expected the document to be refused');
  return r.problems.map(formatProblem);
};

describe('reserved keys', () => {
  it('"__proto__" from JSON text is refused with its path, not dropped', () => {
    const text = JSON.stringify(defaultScenario).replace('"nodes":[{', '"nodes":[{"__proto__":{"polluted":true},');
    const doc = JSON.parse(text) as unknown;
    expect(problemsOf(doc)).toEqual(['nodes[0].__proto__: "__proto__" is a reserved word and cannot be used as a key']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('"constructor" and "prototype" anywhere, each named by its path, in document order', () => {
    const doc = JSON.parse(JSON.stringify(defaultScenario)) as { nodes: Record<string, unknown>[]; layout?: unknown };
    Object.defineProperty(doc.nodes[1]!, 'constructor', { value: 1, enumerable: true });
    (doc as Record<string, unknown>).layout = { prototype: { x: 0, y: 0 } };
    doc.nodes[2]!.extra = [{ deep: { constructor: {} } }];
    expect(problemsOf(doc)).toEqual([
      'nodes[1].constructor: "constructor" is a reserved word and cannot be used as a key',
      'nodes[2].extra[0].deep.constructor: "constructor" is a reserved word and cannot be used as a key',
      'layout.prototype: "prototype" is a reserved word and cannot be used as a key',
    ]);
  });

  it('values that are these words are fine: only keys are refused', () => {
    expect(refuseReservedKeys({ name: '__proto__', list: ['constructor', 'prototype'] })).toBeUndefined();
    expect(refuseReservedKeys(defaultScenario)).toBeUndefined();
    expect(refuseReservedKeys(null)).toBeUndefined();
    expect(refuseReservedKeys('constructor')).toBeUndefined();
  });

  it('lists twenty, then counts the rest', () => {
    const doc = { faults: Array.from({ length: 25 }, () => JSON.parse('{"__proto__": 1}') as unknown) };
    const r = refuseReservedKeys(doc);
    expect(r?.problems).toHaveLength(21);
    expect(r?.problems[0]).toEqual({ path: 'faults[0].__proto__', message: '"__proto__" is a reserved word and cannot be used as a key' });
    expect(r?.problems[20]).toEqual({ path: '', message: 'and 5 more reserved keys' });
  });

  it('a document nested a hundred thousand deep is walked without running out of stack', () => {
    const depth = 100_000;
    const text = `${'{"a":'.repeat(depth)}{"prototype":0}${'}'.repeat(depth)}`;
    const r = refuseReservedKeys(JSON.parse(text));
    expect(r?.problems).toHaveLength(1);
    expect(r?.problems[0]!.path.endsWith('.a.prototype')).toBe(true);
  });
});
