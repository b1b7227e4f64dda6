/**
 * resilience4j's Spring Boot properties in and out of a call's policies. The fixtures are the
 * examples of resilience4j's Spring Boot documentation; the backoff cases come from
 * resilience4j-core's IntervalFunction (exponential steps truncate to whole ms, default
 * multiplier 1.5, randomize() draws from [i(1-f), i(1+f)+1), the cap is applied after
 * randomizing) and CommonRetryConfigurationProperties (which flags select which function).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportResilience4j,
  formatSpringDuration,
  importResilience4j,
  modelRange,
  parseSpringDuration,
  r4jRange,
  resilience4jInstances,
} from '../../../src/scenario/convert';
import { PolicySchema, type Policy } from '../../../src/scenario/schema';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/resilience4j/${name}`, import.meta.url), 'utf8');

function importOk(text: string, instance?: string) {
  const r = importResilience4j(text, { instance });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r;
}
const policy = (input: Record<string, unknown>): Policy => PolicySchema.parse(input);

describe('importResilience4j: the documented examples', () => {
  it('backendA: breaker, exponential retry, semaphore bulkhead and time limiter', () => {
    const r = importOk(fixture('application.yml'), 'backendA');
    expect(r.value.policy).toEqual({
      breaker: { model: 'resilience4j', slidingWindowSize: 100 },
      retry: { maxAttempts: 3, baseDelayMs: 10_000, maxDelayMs: 20_000, multiplier: 2, jitter: 'none' },
      bulkhead: { maxConcurrent: 10, maxQueue: 0 },
      timeoutMs: 2000,
      // TimeLimiter wraps Bulkhead in resilience4j's aspect order.
      policyOrder: ['fallback', 'retry', 'breaker', 'timeout', 'bulkhead'],
    });
    const settings = r.notes.map((n) => n.setting);
    expect(settings).toEqual(expect.arrayContaining(['registerHealthIndicator', 'retryExceptions', 'ignoreExceptions']));
    // cancelRunningFuture: true is resilience4j's default and changes nothing: no note.
    expect(settings).not.toContain('cancelRunningFuture');
  });

  it('backendB: a TIME_BASED breaker, a fixed wait, a bulkhead that waits for a permit', () => {
    const r = importOk(fixture('application.yml'), 'backendB');
    expect(r.value.policy).toMatchObject({
      breaker: { model: 'resilience4j', slidingWindowType: 'TIME_BASED', slidingWindowSize: 10, minimumNumberOfCalls: 20, permittedNumberOfCallsInHalfOpenState: 3, waitDurationInOpenState: 50_000, failureRateThreshold: 50 },
      retry: { maxAttempts: 3, baseDelayMs: 10_000, multiplier: 1, jitter: 'none' },
      bulkhead: { maxConcurrent: 20, maxQueue: 0 },
      timeoutMs: 1000,
    });
    const byName = new Map(r.notes.map((n) => [n.setting, n]));
    expect(byName.get('maxWaitDuration')!.reason).toContain('waits up to 10ms');
    expect(byName.get('cancelRunningFuture')!.at).toBe('resilience4j.timelimiter.instances.backendB.cancelRunningFuture');
    expect(byName.get('recordFailurePredicate')).toBeDefined();
    expect(byName.get('eventConsumerBufferSize')).toBeDefined();
  });

  it('backendC: a thread-pool bulkhead with core = max is a bulkhead with a queue', () => {
    expect(importOk(fixture('application.yml'), 'backendC').value.policy).toEqual({ bulkhead: { maxConcurrent: 1, maxQueue: 1 } });
  });

  it('several instances and no --instance: an error listing them', () => {
    const r = importResilience4j(fixture('application.yml'));
    expect(r).toEqual({ ok: false, problems: [{ path: 'instances', message: 'the file has several instances: backendA, backendB, backendC — choose one (--instance)' }] });
    expect(importResilience4j(fixture('application.yml'), { instance: 'nope' }).ok).toBe(false);
  });

  it('lists the instances a file configures, for a picker (none when the text does not read)', () => {
    expect(resilience4jInstances(fixture('application.yml'))).toEqual(['backendA', 'backendB', 'backendC']);
    expect(resilience4jInstances(fixture('application.properties'))).toEqual(['backendA']);
    expect(resilience4jInstances('retry:\n  instances:\n    inventory:\n      maxAttempts: 3\n')).toEqual(['inventory']);
    expect(resilience4jInstances('retry: [3')).toEqual([]);
  });

  it('baseConfig and configs.default are resolved as resilience4j does (instance values win)', () => {
    expect(importOk(fixture('shared-configs.yml'), 'backendA').value.policy).toEqual({
      breaker: { model: 'resilience4j', slidingWindowSize: 100, permittedNumberOfCallsInHalfOpenState: 10, waitDurationInOpenState: 5000, failureRateThreshold: 60 },
    });
    expect(importOk(fixture('shared-configs.yml'), 'backendB').value.policy).toEqual({
      breaker: { model: 'resilience4j', slidingWindowSize: 50, permittedNumberOfCallsInHalfOpenState: 10 },
    });
  });

  it('a properties file with kebab-case keys reads like the YAML', () => {
    const fromProps = importOk(fixture('application.properties'));
    expect(fromProps.value.instance).toBe('backendA');
    expect(fromProps.value.policy).toEqual(importOk(fixture('application.yml'), 'backendA').value.policy);
  });
});

describe('importResilience4j: several YAML documents', () => {
  it('reads them in order (later values win) and leaves out the ones for a Spring profile', () => {
    const yaml = [
      'resilience4j.timelimiter.instances.a.timeoutDuration: 2s',
      '---',
      'spring.config.activate.on-profile: test',
      'resilience4j.timelimiter.instances.a.timeoutDuration: 9s',
      '---',
      'resilience4j.timelimiter:',
      '  instances:',
      '    a:',
      '      timeoutDuration: 3s',
      '      cancelRunningFuture: maybe',
    ].join('\n');
    const r = importResilience4j(yaml);
    expect(r).toEqual({ ok: false, problems: [{ path: 'resilience4j.timelimiter.instances.a.cancelRunningFuture', message: 'must be true or false — got "maybe" (line 10)' }] });
    const ok = importOk(yaml.replace('maybe', 'true'));
    expect(ok.value.policy).toEqual({ timeoutMs: 3000 });
    expect(ok.notes).toEqual([{ at: 'line 3', setting: 'spring.config.activate.on-profile', reason: 'a document for profile "test" only: left out' }]);
  });
});

describe('importResilience4j: bad input names the line or the key', () => {
  it('a YAML syntax error names the line and column', () => {
    const r = importResilience4j('resilience4j:\n  retry:\n    instances:\n      a:\n        maxAttempts: [3\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/^line \d+, column \d+: not valid YAML: /);
  });

  it('a wrong value names the key path and its line', () => {
    const yaml = 'resilience4j:\n  circuitbreaker:\n    instances:\n      a:\n        slidingWindowSize: ten\n        waitDurationInOpenState: 10 seconds\n';
    const r = importResilience4j(yaml);
    expect(r).toEqual({
      ok: false,
      problems: [
        { path: 'resilience4j.circuitbreaker.instances.a.slidingWindowSize', message: 'must be a whole number — got "ten" (line 5)' },
        { path: 'resilience4j.circuitbreaker.instances.a.waitDurationInOpenState', message: 'must be a duration such as 500ms, 30s or PT30S — got "10 seconds" (line 6)' },
      ],
    });
  });

  it('an unknown key is listed with a suggestion; a baseConfig that names nothing is an error', () => {
    const r = importOk('resilience4j.retry.instances.a:\n  maxAtempts: 4\n');
    expect(r.notes[0]).toMatchObject({ setting: 'maxAtempts', reason: 'not a resilience4j retry property (Spring ignores it) — did you mean "maxAttempts"?' });
    const bad = importResilience4j('resilience4j.retry.instances.a:\n  baseConfig: shared\n');
    expect(bad.ok).toBe(false);
  });
});

describe('Spring Boot durations', () => {
  it('reads the simple and ISO-8601 forms, bare numbers as ms', () => {
    expect(['500ms', '30s', '2m', '1h', '1d', '250', 250, 'PT30S', 'PT0.5S', 'P1DT2H', '100us'].map((v) => parseSpringDuration(v))).toEqual(
      [500, 30_000, 120_000, 3_600_000, 86_400_000, 250, 250, 30_000, 500, 93_600_000, 0.1].map((ms) => ({ ok: true, ms })),
    );
    expect(parseSpringDuration('10 seconds').ok).toBe(false);
    expect(parseSpringDuration('-5s').ok).toBe(false);
    expect(parseSpringDuration('5x').ok).toBe(false);
    expect([30_000, 500, 0, 1500].map(formatSpringDuration)).toEqual(['30s', '500ms', '0ms', '1500ms']);
  });
});

describe("resilience4j's interval functions", () => {
  it('exponential backoff truncates each step to whole ms (default multiplier 1.5)', () => {
    const iv = { waitMs: 500, exponential: true, randomized: false };
    expect([1, 2, 3, 4, 5].map((n) => r4jRange(iv, n).lo)).toEqual([500, 750, 1125, 1687, 2530]);
  });

  it('the cap binds only with an explicit multiplier; a randomized wait spreads ±factor around the interval', () => {
    expect(r4jRange({ waitMs: 1000, exponential: true, maxWaitMs: 1500, randomized: false }, 3).lo).toBe(2250);
    expect(r4jRange({ waitMs: 1000, exponential: true, multiplier: 1.5, maxWaitMs: 1500, randomized: false }, 3).lo).toBe(1500);
    expect(r4jRange({ waitMs: 1000, exponential: false, randomized: true, factor: 0.5 }, 1)).toEqual({ lo: 500, hi: 1500, capped: false });
    expect(r4jRange({ waitMs: 1000, exponential: true, multiplier: 2, maxWaitMs: 1500, randomized: true, factor: 1 }, 1)).toMatchObject({ hi: 1500, capped: true });
  });

  it('full jitter is a randomized wait of factor 1 around half the delay; equal jitter factor 1/3 around three quarters', () => {
    const yaml = (f: number, w: string) => `resilience4j.retry.instances.a:\n  maxAttempts: 4\n  waitDuration: ${w}\n  enableExponentialBackoff: true\n  exponentialBackoffMultiplier: 2\n  enableRandomizedWait: true\n  randomizedWaitFactor: ${f}\n`;
    const full = importOk(yaml(1, '50ms'));
    expect(full.value.policy.retry).toEqual({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 400, multiplier: 2, jitter: 'full' });
    expect(full.notes.map((n) => n.setting)).toEqual(['retryExceptions']);
    const equal = importOk(yaml(1 / 3, '75ms'));
    expect(equal.value.policy.retry).toMatchObject({ baseDelayMs: 100, multiplier: 2, jitter: 'equal' });
    expect(equal.notes.map((n) => n.setting)).toEqual(['retryExceptions']);
    // resilience4j's default factor 0.5 has no jitter kind: imported without jitter, and said so.
    const half = importOk(yaml(0.5, '100ms'));
    expect(half.value.policy.retry).toMatchObject({ baseDelayMs: 100, jitter: 'none' });
    expect(half.notes.map((n) => n.setting)).toContain('randomizedWaitFactor');
  });

  it('exponential flags without a waitDuration do nothing in resilience4j: a fixed 500ms, with a note', () => {
    const r = importOk('resilience4j.retry.instances.a:\n  enableExponentialBackoff: true\n');
    expect(r.value.policy.retry).toEqual({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 500, multiplier: 1, jitter: 'none' });
    expect(r.notes.map((n) => n.setting)).toContain('waitDuration');
  });
});

describe('exportResilience4j', () => {
  const full = policy({
    timeoutMs: 2000,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000, multiplier: 2, jitter: 'full' },
    breaker: { model: 'resilience4j', slidingWindowSize: 20, minimumNumberOfCalls: 10, waitDurationInOpenState: 30_000 },
    bulkhead: { maxConcurrent: 10 },
    policyOrder: ['fallback', 'retry', 'breaker', 'timeout', 'bulkhead'],
  });

  it('writes the instance under each module, durations as Spring Boot strings', () => {
    const out = exportResilience4j(full, { instance: 'inventory' });
    expect(out.value).toBe(`resilience4j:
  circuitbreaker:
    instances:
      inventory:
        slidingWindowType: COUNT_BASED
        slidingWindowSize: 20
        minimumNumberOfCalls: 10
        failureRateThreshold: 50
        slowCallRateThreshold: 100
        slowCallDurationThreshold: 60s
        permittedNumberOfCallsInHalfOpenState: 10
        waitDurationInOpenState: 30s
        automaticTransitionFromOpenToHalfOpenEnabled: false
  retry:
    instances:
      inventory:
        maxAttempts: 4
        waitDuration: 50ms
        enableExponentialBackoff: true
        exponentialBackoffMultiplier: 2
        enableRandomizedWait: true
        randomizedWaitFactor: 1
  bulkhead:
    instances:
      inventory:
        maxConcurrentCalls: 10
        maxWaitDuration: 0ms
  timelimiter:
    instances:
      inventory:
        timeoutDuration: 2s
`);
    expect(out.notes.map((n) => n.setting)).toEqual(['retryOn']);
  });

  it('names what does not map: other breaker models, decorrelated jitter, budgets, fallbacks, the policy order', () => {
    const out = exportResilience4j(
      policy({
        timeoutMs: 500,
        retry: { jitter: 'decorrelated', budget: { maxTokens: 10, tokenRatio: 0.1 } },
        breaker: { model: 'consecutive' },
        bulkhead: { maxConcurrent: 4, maxQueue: 2 },
        fallback: { status: 200 },
      }),
      { instance: 'db' },
    );
    expect(out.notes.map((n) => n.setting)).toEqual(['model', 'jitter', 'retryOn', 'budget', 'maxQueue', 'fallback', 'policyOrder']);
    expect(out.object).toEqual({
      resilience4j: {
        retry: { instances: { db: { maxAttempts: 3 } } },
        'thread-pool-bulkhead': { instances: { db: { maxThreadPoolSize: 4, coreThreadPoolSize: 4, queueCapacity: 2 } } },
        timelimiter: { instances: { db: { timeoutDuration: '500ms' } } },
      },
    });
  });

  it('a cap that cuts into a randomized wait is not exported (resilience4j caps after drawing)', () => {
    const out = exportResilience4j(policy({ retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500, multiplier: 2, jitter: 'full' } }), { instance: 'x' });
    expect(out.object).toEqual({ resilience4j: { retry: { instances: { x: { maxAttempts: 6 } } } } });
    expect(out.notes.find((n) => n.setting === 'maxDelayMs')!.reason).toContain('caps a randomized wait after drawing it');
    // Without jitter the cap is exact.
    const none = exportResilience4j(policy({ retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500, multiplier: 2, jitter: 'none' } }), { instance: 'x' });
    expect(none.object).toEqual({ resilience4j: { retry: { instances: { x: { maxAttempts: 6, waitDuration: '100ms', enableExponentialBackoff: true, exponentialBackoffMultiplier: 2, exponentialMaxWaitDuration: '500ms' } } } } });
  });
});

// ---------------------------------------------------------------------------------------------
// Round trips

const arbMappablePolicy = fc
  .record({
    timeoutMs: fc.option(fc.integer({ min: 1, max: 120_000 })),
    retry: fc.option(
      fc.record({
        maxAttempts: fc.integer({ min: 1, max: 6 }),
        baseDelayMs: fc.integer({ min: 1, max: 2000 }).map((x) => x * 4),
        multiplier: fc.constantFrom(1, 2, 3),
        jitter: fc.constantFrom('none', 'full', 'equal'),
        capped: fc.boolean(),
      }),
    ),
    breaker: fc.option(
      fc.record({
        model: fc.constant('resilience4j' as const),
        slidingWindowType: fc.constantFrom('COUNT_BASED', 'TIME_BASED'),
        slidingWindowSize: fc.integer({ min: 1, max: 500 }),
        minimumNumberOfCalls: fc.integer({ min: 1, max: 500 }),
        failureRateThreshold: fc.integer({ min: 1, max: 100 }),
        slowCallRateThreshold: fc.integer({ min: 1, max: 100 }),
        slowCallDurationThreshold: fc.integer({ min: 0, max: 120 }).map((s) => s * 500),
        permittedNumberOfCallsInHalfOpenState: fc.integer({ min: 1, max: 50 }),
        waitDurationInOpenState: fc.integer({ min: 1, max: 120_000 }),
        automaticTransitionFromOpenToHalfOpenEnabled: fc.boolean(),
      }),
    ),
    bulkhead: fc.option(fc.record({ maxConcurrent: fc.integer({ min: 1, max: 200 }), maxQueue: fc.integer({ min: 0, max: 50 }) })),
  })
  .map(({ retry, ...rest }) => {
    const p: Record<string, unknown> = { ...rest };
    if (retry) {
      const { capped, ...r } = retry;
      // A cap that binds only without jitter (resilience4j caps randomized waits after drawing).
      const top = r.baseDelayMs * r.multiplier ** Math.max(0, r.maxAttempts - 2);
      p.retry = { ...r, maxDelayMs: capped && r.jitter === 'none' && r.multiplier > 1 ? Math.max(r.baseDelayMs, Math.floor(top / 2)) : top };
    }
    if (rest.timeoutMs !== null && rest.bulkhead !== null) p.policyOrder = ['fallback', 'retry', 'breaker', 'timeout', 'bulkhead'];
    return PolicySchema.parse(p);
  })
  .filter((p) => p.retry !== null || p.breaker !== null || p.bulkhead !== null || p.timeoutMs !== null);

const waits = (r: Policy['retry']) => (r ? Array.from({ length: r.maxAttempts - 1 }, (_, i) => modelRange(r, i + 1)) : []);

describe('round trips', () => {
  it('YAML → policy → YAML gives the same YAML (the exported form)', () => {
    fc.assert(
      fc.property(arbMappablePolicy, (p) => {
        const yaml = exportResilience4j(p, { instance: 'svc' }).value;
        const back = importResilience4j(yaml);
        if (!back.ok) throw new Error(JSON.stringify(back.problems));
        const again = exportResilience4j(PolicySchema.parse(back.value.policy), { instance: 'svc' });
        expect(again.value).toBe(yaml);
      }),
      { numRuns: 200 },
    );
  });

  it('policy → YAML → policy keeps the breaker, bulkhead, timeout and every retry wait', () => {
    fc.assert(
      fc.property(arbMappablePolicy, (p) => {
        const out = exportResilience4j(p, { instance: 'svc' });
        expect(out.notes.map((n) => n.setting).filter((s) => s !== 'retryOn' && s !== 'maxQueue')).toEqual([]);
        const back = importResilience4j(out.value);
        if (!back.ok) throw new Error(JSON.stringify(back.problems));
        const q = PolicySchema.parse(back.value.policy);
        expect(q.breaker).toEqual(p.breaker);
        expect(q.bulkhead).toEqual(p.bulkhead);
        expect(q.timeoutMs).toEqual(p.timeoutMs);
        expect(q.retry?.maxAttempts).toEqual(p.retry?.maxAttempts);
        expect(q.retry?.jitter).toEqual(p.retry && p.retry.maxAttempts > 1 ? p.retry.jitter : q.retry?.jitter);
        const a = waits(p.retry);
        const b = waits(q.retry);
        expect(b.length).toBe(a.length);
        a.forEach((w, i) => {
          expect(b[i]!.lo).toBeCloseTo(w!.lo, 6);
          expect(b[i]!.hi).toBeCloseTo(w!.hi, 6);
        });
      }),
      { numRuns: 200 },
    );
  });
});
