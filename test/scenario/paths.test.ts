/**
 * Setting paths (SCENARIO.md "Comparing runs"): each example path of the contract, natural keys
 * and `#n`, indexes, keys the schema knows but the document omits, errors that list what exists,
 * and a property over random documents and random paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getSetting, parseAssignment, parseSettingPath, parseValueList, resolveSetting, setSetting, ValueListError } from '../../src/scenario/paths';
import { withSettings } from '../../src/scenario/variants';
import { parseScenario, validateScenario } from '../../src/scenario/validate';
import { scenarioArb } from './arbitraries';

/** A document with one of each place the contract's examples name. */
const doc = {
  format: 'faultline/1',
  name: 'paths',
  seed: 'p',
  durationMs: 10_000,
  nodes: [
    { id: 'users', kind: 'client', target: 'gw' },
    { id: 'gw', kind: 'gateway', routes: [{ prefix: '/api/orders', target: 'api', timeoutMs: 3000 }] },
    {
      id: 'api',
      kind: 'service',
      concurrency: 8,
      calls: [
        { target: 'db', retry: { maxAttempts: 3, jitter: 'none' } },
        { target: 'db', timeoutMs: 50 },
      ],
      publishes: [{ exchange: 'events', routingKey: 'order.placed' }],
    },
    { id: 'db', kind: 'service' },
    { id: 'worker', kind: 'service', consumes: [{ queue: 'notifications', prefetch: 10 }] },
    { id: 'events', kind: 'exchange', type: 'topic' },
    { id: 'notifications', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], maxLength: 100 },
  ],
  faults: [{ id: 'f1', atMs: 1000, untilMs: 2000, target: 'db', kind: 'error', probability: 0.5 }],
};

describe('setting paths', () => {
  it('name every example of the contract', () => {
    const cases: [string, unknown, string][] = [
      ['durationMs', 10_000, 'durationMs'],
      ['seed', 'p', 'seed'],
      ['nodes[api].concurrency', 8, 'nodes[2].concurrency'],
      ['nodes[api].calls[db].retry.jitter', 'none', 'nodes[2].calls[0].retry.jitter'],
      ['nodes[gw].routes[/api/orders].timeoutMs', 3000, 'nodes[1].routes[0].timeoutMs'],
      ['nodes[worker].consumes[notifications].prefetch', 10, 'nodes[4].consumes[0].prefetch'],
      ['nodes[notifications].maxLength', 100, 'nodes[6].maxLength'],
      ['nodes[api].publishes[events].routingKey', 'order.placed', 'nodes[2].publishes[0].routingKey'],
      ['faults[f1].untilMs', 2000, 'faults[0].untilMs'],
      ['faults[0].untilMs', 2000, 'faults[0].untilMs'],
      ['nodes[api].calls[db#2].timeoutMs', 50, 'nodes[2].calls[1].timeoutMs'],
      ['nodes["api"].calls[1].timeoutMs', 50, 'nodes[2].calls[1].timeoutMs'],
    ];
    for (const [path, value, concrete] of cases) {
      const r = resolveSetting(doc, path);
      expect(r, path).toMatchObject({ ok: true, value, concrete, present: true });
    }
  });

  it('a key the schema knows but the document omits can be read (undefined) and set', () => {
    expect(getSetting(doc, 'network.latency')).toEqual({ ok: true, value: undefined, present: false });
    expect(getSetting(doc, 'nodes[api].calls[db#2].breaker')).toEqual({ ok: true, value: undefined, present: false });
    const breaker = { model: 'consecutive', failureThreshold: 3 };
    const r = withSettings(doc, { 'nodes[api].calls[db#2].breaker': breaker, 'network.latency': 2 }, validateScenario);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.nodes[2]).toMatchObject({ calls: [{}, { breaker: { model: 'consecutive', failureThreshold: 3, resetTimeoutMs: 30000 } }] });
    expect(r.scenario.network.latency).toBe(2);
  });

  it('a key inside an omitted object creates it, and the schema fills in the rest', () => {
    const r = withSettings(doc, [['nodes[db].calls', []], ['nodes[api].calls[db#2].retry.maxAttempts', 5]], validateScenario);
    expect(r.ok && r.scenario.nodes[2]!.kind === 'service' && r.scenario.nodes[2]!.calls[1]!.retry).toMatchObject({ maxAttempts: 5, jitter: 'full' });
  });

  it('set never changes the document it is given', () => {
    const before = JSON.stringify(doc);
    const r = setSetting(doc, 'nodes[api].calls[db].retry.jitter', 'full');
    expect(r.ok).toBe(true);
    expect(JSON.stringify(doc)).toBe(before);
    if (r.ok) expect(getSetting(r.document, 'nodes[api].calls[db].retry.jitter')).toMatchObject({ value: 'full' });
  });

  it('a path that names nothing lists the keys that do exist there', () => {
    const typo = resolveSetting(doc, 'nodes[api].concurency');
    expect(typo.ok).toBe(false);
    if (typo.ok) return;
    expect(typo.problem.path).toBe('nodes[api].concurency');
    expect(typo.problem.message).toContain('did you mean "concurrency"?');
    expect(typo.problem.message).toContain('keys there: id, kind, label, instances, loadBalancer, concurrency, queueLimit');

    const node = resolveSetting(doc, 'nodes[apii].concurrency');
    expect(!node.ok && node.problem.message).toBe(
      'names nothing: no element of nodes has id "apii" — did you mean "api"? (there: users, gw, api, db, worker, events, notifications; or an index 0..6)',
    );
    const call = resolveSetting(doc, 'nodes[api].calls[cache].timeoutMs');
    expect(!call.ok && call.problem.message).toContain('no element of nodes[api].calls has target "cache" (there: db, db#2; or an index 0..1)');
    const third = resolveSetting(doc, 'nodes[api].calls[db#3]');
    expect(!third.ok && third.problem.message).toContain('has 2 elements with target "db", not 3');
    const index = resolveSetting(doc, 'faults[4]');
    expect(!index.ok && index.problem.message).toContain('faults has elements 0..0 only');
    const inside = resolveSetting(doc, 'durationMs.x');
    expect(!inside.ok && inside.problem.message).toContain('durationMs is 10000 (a number), which has no keys');
    const breaker = resolveSetting(doc, 'nodes[api].calls[db].breaker.failureTreshold');
    expect(!breaker.ok && breaker.problem.message).toContain('did you mean "failureThreshold"?');
  });

  it('a value that fails validation names the setting path', () => {
    const r = withSettings(doc, { 'nodes[api].calls[db].retry.jitter': 'fulll', 'nodes[api].concurrency': 0 }, validateScenario);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: 'nodes[api].concurrency', message: 'must be at least 1 — got 0' },
      { path: 'nodes[api].calls[db].retry.jitter', message: 'must be one of none, full, equal, decorrelated — got "fulll"' },
    ]);
    const whole = withSettings(doc, { 'nodes[api].calls[db#2].breaker': { failureThreshold: 3 } }, validateScenario);
    expect(!whole.ok && whole.problems).toEqual([{ path: 'nodes[api].calls[db#2].breaker.model', message: 'is required — must be one of consecutive, opossum, resilience4j' }]);
  });

  it('bad path syntax is a problem with the reason', () => {
    expect(() => parseSettingPath('nodes[api')).toThrow('unclosed [');
    expect(() => parseSettingPath('nodes[api]x')).toThrow('needs a "." or "["');
    expect(() => parseSettingPath('a..b')).toThrow('empty key');
    expect(resolveSetting(doc, '')).toMatchObject({ ok: false, problem: { message: 'is not a setting path: it is empty' } });
  });

  it('command-line values: JSON or a bare string, lists split at top-level commas', () => {
    expect(parseAssignment('nodes[api].calls[db].retry.jitter=full')).toEqual({ ok: true, path: 'nodes[api].calls[db].retry.jitter', value: 'full' });
    expect(parseAssignment('nodes[gw].routes[/a=b].timeoutMs=30')).toEqual({ ok: true, path: 'nodes[gw].routes[/a=b].timeoutMs', value: 30 });
    expect(parseAssignment('x={"dist":"constant","ms":5}')).toMatchObject({ value: { dist: 'constant', ms: 5 } });
    expect(parseAssignment('no-equals').ok).toBe(false);
    expect(parseValueList('1,2,3')).toEqual([1, 2, 3]);
    expect(parseValueList('none,full')).toEqual(['none', 'full']);
    expect(parseValueList('{"dist":"uniform","minMs":1,"maxMs":2},7,null')).toEqual([{ dist: 'uniform', minMs: 1, maxMs: 2 }, 7, null]);
    expect(parseValueList('[1,[2,3]]')).toEqual([1, [2, 3]]);
  });

  it('values as a person types them: spaces after the commas are not part of a bare word', () => {
    expect(parseValueList('none, full')).toEqual(['none', 'full']);
    expect(parseValueList(' 1 , 2 ,3 ')).toEqual([1, 2, 3]);
    expect(parseValueList('"a, b", " c"')).toEqual(['a, b', ' c']);
    expect(parseAssignment('nodes[users].retry.jitter= full ')).toMatchObject({ value: 'full' });
  });

  it('no value, or an empty one between commas, is an error naming it rather than a value ""', () => {
    expect(() => parseValueList('')).toThrow(ValueListError);
    expect(() => parseValueList('  ')).toThrow('no values: give at least one, separated by commas');
    expect(() => parseValueList('[]')).toThrow('no values: the list [] is empty');
    expect(() => parseValueList('1,,2')).toThrow('value 2 is empty');
    expect(() => parseValueList('1, 2,')).toThrow('value 3 is empty');
    expect(() => parseValueList(' , ')).toThrow('value 1 is empty');
  });
});

// ---------------------------------------------------------------------------------------------
// The property: every place of a random document, written as a setting path the way a person
// would (natural keys, #n for repeats), reads back its value; setting that value changes nothing.

const NATURAL: Record<string, string> = { nodes: 'id', calls: 'target', routes: 'prefix', consumes: 'queue', publishes: 'exchange', faults: 'id', bindings: 'exchange', requests: 'path' };

function places(value: unknown, path: string, parentKey: string, out: [string, unknown][]): void {
  if (path !== '') out.push([path, value]);
  if (Array.isArray(value)) {
    const seen = new Map<string, number>();
    value.forEach((el, i) => {
      const key = NATURAL[parentKey] && el && typeof el === 'object' ? (el as Record<string, unknown>)[NATURAL[parentKey]!] : undefined;
      let sel = String(i);
      if (typeof key === 'string' && !/^\d+$/.test(key) && !key.includes(']')) {
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        sel = n === 1 ? key : `${key}#${n}`;
      }
      places(el, `${path}[${sel}]`, '', out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = /^[A-Za-z_$][\w$]*$/.test(k) ? (path === '' ? k : `${path}.${k}`) : `${path}[${JSON.stringify(k)}]`;
      places(v, child, k, out);
    }
  }
}

describe('setting paths over random documents', () => {
  it('every place reads back its value, and setting it to that value gives the same scenario', () => {
    const arb = scenarioArb.chain((input) => {
      const scenario = parseScenario(input);
      const all: [string, unknown][] = [];
      places(scenario, '', '', all);
      return fc.tuple(fc.constant(input), fc.constant(scenario), fc.constantFrom(...all));
    });
    fc.assert(
      fc.property(arb, ([input, scenario, [path, value]]) => {
        const before = JSON.stringify(input);
        const got = getSetting(scenario, path);
        expect(got, path).toEqual({ ok: true, value, present: true });
        // Set on the scenario (a valid document itself): nothing changes.
        const same = withSettings(scenario, { [path]: value }, validateScenario);
        expect(same.ok ? same.scenario : same.problems, path).toEqual(scenario);
        // On the document as written (defaults left out), the same path names the same place,
        // unless it passes through a list the document leaves out (then it says so).
        const onInput = resolveSetting(input, path);
        const parent = path.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
        const parentWritten = parent === '' || parent === path || (getSetting(input, parent) as { present?: boolean }).present === true;
        if (onInput.ok && parentWritten) {
          const r = withSettings(input, { [path]: value }, validateScenario);
          expect(r.ok && r.scenario, path).toEqual(scenario);
        } else if (!onInput.ok) {
          expect(onInput.problem.message, path).toMatch(/is not set, so it has no element/);
        }
        expect(JSON.stringify(input)).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it('a misspelt last key is an error that lists the keys there', () => {
    const arb = scenarioArb.chain((input) => {
      const scenario = parseScenario(input);
      const all: [string, unknown][] = [];
      places(scenario, '', '', all);
      const objects = all.filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0);
      return fc.tuple(fc.constant(scenario), fc.constantFrom(...objects));
    });
    fc.assert(
      fc.property(arb, ([scenario, [path, value]]) => {
        const r = resolveSetting(scenario, `${path}.zzNoSuchKey`);
        // Only a headers binding's arguments and the layout take any key.
        if (r.ok) expect(path).toMatch(/(\.arguments|^layout)$/);
        else {
          expect(r.problem.path).toBe(`${path}.zzNoSuchKey`);
          // Every key the place holds is among those listed.
          for (const k of Object.keys(value as object)) expect(r.problem.message).toMatch(new RegExp(`[ (]${k}[,)]`));
        }
      }),
      { numRuns: 100 },
    );
  });
});
