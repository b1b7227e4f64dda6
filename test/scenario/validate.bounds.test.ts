import { describe, expect, it } from 'vitest';
import { MAX_LAYOUT_ENTRIES, validateScenario } from '../../src/scenario/validate';
import { MAX_SETTINGS } from '../../src/scenario/variants';
import { defaultScenario } from '../../src/scenario/defaultScenario';
import { closest, MAX_SUGGEST_LENGTH } from '../../src/scenario/suggest';
import { capProblems, formatPath, MAX_PROBLEMS } from '../../src/scenario/problem';

const base = () => JSON.parse(JSON.stringify(defaultScenario)) as { nodes: Record<string, unknown>[]; faults?: unknown[]; layout?: unknown };
const problemsOf = (doc: unknown) => {
  const r = validateScenario(doc);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
};

describe('validation stays bounded', () => {
  it('a 3.9 MB reference is refused once, by the schema, with the value cut; its reference is not judged again', () => {
    const doc = base();
    doc.nodes.push({ id: 'zz', kind: 'client', target: 'q'.repeat(3_900_000) });
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message.length).toBeLessThan(200);
    expect(problems[0]!.message).toMatch(/^must be at most \d+ characters long — got "q{37}\.\.\."$/);
  });

  it('lists at most a hundred problems, then counts the rest', () => {
    const doc = base();
    doc.faults = Array.from({ length: 5000 }, (_, i) => ({ kind: 'crash', target: `nowhere-${i}`, atMs: 0 }));
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)).toEqual({ path: '', message: 'and 4,900 more problems' });
    expect(capProblems([{ path: 'a', message: 'b' }])).toEqual([{ path: 'a', message: 'b' }]);
  });

  it('offers "did you mean" for the first twenty unknown names only', () => {
    const doc = base();
    const target = (doc.nodes.find((n) => n.kind === 'client') as { target: string }).target;
    doc.faults = Array.from({ length: 30 }, () => ({ kind: 'crash', target: `${target}x`, atMs: 0 }));
    const messages = problemsOf(doc).map((p) => p.message);
    expect(messages.filter((m) => m.includes('did you mean'))).toHaveLength(20);
    expect(messages).toHaveLength(30);
  });

  it('does not judge the references of a section the schema refused whole', () => {
    const doc = base();
    doc.faults = Array.from({ length: 10_001 }, () => ({ kind: 'crash', target: 'nowhere', atMs: 0 }));
    expect(problemsOf(doc)).toEqual([{ path: 'faults', message: 'must have at most 10000 entries — got a list' }]);
  });

  it('still judges a reference beside an unrelated shape problem in the same node', () => {
    const doc = base();
    const client = doc.nodes.find((n) => n.kind === 'client')!;
    client.target = 'nowhere';
    client.timeoutMs = -1;
    const paths = problemsOf(doc).map((p) => p.path);
    expect(paths.some((p) => p.endsWith('.target'))).toBe(true);
    expect(paths.some((p) => p.endsWith('.timeoutMs'))).toBe(true);
  });

  it('a layout of fifty thousand entries is refused whole, without judging each', () => {
    const doc = base();
    doc.layout = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, { x: 0, y: 0 }]));
    expect(problemsOf(doc)).toEqual([{ path: 'layout', message: `must have at most ${MAX_LAYOUT_ENTRIES} entries, one per node — got 50,000` }]);
  });

  it('five hundred unknown layout keys: a hundred listed, the rest counted', () => {
    const doc = base();
    doc.layout = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, { x: 0, y: 0 }]));
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems[MAX_PROBLEMS - 1]).toEqual({ path: 'layout.k99', message: 'names no node' });
    expect(problems[MAX_PROBLEMS]).toEqual({ path: '', message: 'and 1 more problem' });
  });

  it('an object with many unknown keys: a hundred listed, the rest counted in one line', () => {
    const doc = base();
    Object.assign(doc.nodes[0]!, Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`k${i}`, 1])));
    const problems = problemsOf(doc);
    expect(problems).toHaveLength(MAX_PROBLEMS);
    expect(problems.filter((p) => p.message.startsWith('unknown key'))).toHaveLength(MAX_PROBLEMS - 1);
    expect(problems.at(-1)).toEqual({ path: 'nodes[0]', message: 'and 801 more unknown keys' });
  });

  it('variants and changes set at most a thousand settings in all', () => {
    const doc = base() as ReturnType<typeof base> & { variants?: unknown };
    const client = doc.nodes.find((n) => n.kind === 'client')!;
    doc.variants = Array.from({ length: 11 }, (_, v) => ({ name: `v${v}`, set: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`nodes[${String(client.id)}].label`.replace('label', i % 2 ? 'label' : 'timeoutMs') + `#${i}`, 1])) }));
    expect(problemsOf(doc)).toEqual([{ path: 'variants', message: `variants and changes set 1,100 settings in all; at most ${MAX_SETTINGS.toLocaleString('en-US')}` }]);
  });

  it('long words get no suggestion; long keys and deep paths are cut in messages', () => {
    expect(closest('a'.repeat(MAX_SUGGEST_LENGTH + 1), ['a'.repeat(MAX_SUGGEST_LENGTH)])).toBeUndefined();
    expect(closest('ordrs', ['orders', 'x'.repeat(10_000)])).toBe('orders');
    expect(formatPath(['layout', 'k'.repeat(1000)])).toBe(`layout["${'k'.repeat(77)}..."]`);
    expect(formatPath(Array.from({ length: 5000 }, () => 'a')).length).toBeLessThanOrEqual(300);
  });
});
