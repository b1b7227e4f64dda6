/**
 * resilience4j's Spring Boot configuration (`resilience4j.circuitbreaker|retry|bulkhead|
 * thread-pool-bulkhead|timelimiter.instances.<name>`, in application.yml or
 * application.properties) in and out of a call's policies.
 *
 * The rules come from resilience4j's own sources: `CommonRetryConfigurationProperties` (which
 * interval function the flags select; a `waitDuration` is needed for any of them),
 * `IntervalFunction` (`randomize` draws from `[i(1-f), i(1+f)+1)` and the exponential cap is
 * applied after randomizing; each exponential step truncates to whole ms; the default multiplier
 * is 1.5 and the default factor 0.5), the `*ConfigurationProperties` classes (`baseConfig`,
 * `configs.default`), and the aspect order Retry(CircuitBreaker(RateLimiter(TimeLimiter(
 * Bulkhead(call))))).
 *
 * A breaker maps only from and to `model: "resilience4j"`. A retry's backoff maps when the model
 * and resilience4j wait the same ranges before every retry: no jitter, full jitter (randomized
 * wait with factor 1 around half the model's delay), equal jitter (factor 1/3 around three
 * quarters of it), as long as resilience4j's cap does not cut into a randomized range.
 * Everything else is named in the notes.
 */
import { stringify as stringifyYaml } from 'yaml';
import { closest } from '../suggest';
import { DEFAULT_POLICY_ORDER, PolicySchema, type Policy, type PolicyName } from '../schema';
import { fail, geometric, isObj, parseYamlText, type ConvertResult, type Note, type Problem } from './common';
import { formatSpringDuration, parseSpringDuration } from './duration';

// ---------------------------------------------------------------------------------------------
// The properties resilience4j knows, by module

type PropType = 'int' | 'float' | 'bool' | 'duration' | 'string' | 'enum' | 'any';
interface PropSpec {
  type: PropType;
  values?: readonly string[];
  /** Why it does not map; undefined: it maps. */
  unmapped?: string;
}

const EXCEPTIONS = 'the model counts every failed call (an error status or a timeout); which exceptions count is the application\'s choice';
const OBSERVABILITY = 'observability only';

const MODULES: Record<string, { key: string; props: Record<string, PropSpec> }> = {
  circuitbreaker: {
    key: 'circuitbreaker',
    props: {
      slidingWindowType: { type: 'enum', values: ['COUNT_BASED', 'TIME_BASED'] },
      slidingWindowSize: { type: 'int' },
      minimumNumberOfCalls: { type: 'int' },
      failureRateThreshold: { type: 'float' },
      slowCallRateThreshold: { type: 'float' },
      slowCallDurationThreshold: { type: 'duration' },
      permittedNumberOfCallsInHalfOpenState: { type: 'int' },
      waitDurationInOpenState: { type: 'duration' },
      automaticTransitionFromOpenToHalfOpenEnabled: { type: 'bool' },
      baseConfig: { type: 'string' },
      maxWaitDurationInHalfOpenState: { type: 'duration', unmapped: 'the model waits in half-open until the permitted calls are recorded' },
      transitionToStateAfterWaitDuration: { type: 'any', unmapped: 'the model moves to half-open after waiting' },
      initialState: { type: 'any', unmapped: 'the model starts closed' },
      enableExponentialBackoff: { type: 'bool', unmapped: 'the model waits the same time in every open state' },
      exponentialBackoffMultiplier: { type: 'any', unmapped: 'the model waits the same time in every open state' },
      exponentialMaxWaitDurationInOpenState: { type: 'any', unmapped: 'the model waits the same time in every open state' },
      enableRandomizedWait: { type: 'bool', unmapped: 'the model waits the same time in every open state' },
      randomizedWaitFactor: { type: 'any', unmapped: 'the model waits the same time in every open state' },
      recordExceptions: { type: 'any', unmapped: EXCEPTIONS },
      ignoreExceptions: { type: 'any', unmapped: EXCEPTIONS },
      recordFailurePredicate: { type: 'any', unmapped: EXCEPTIONS },
      recordResultPredicate: { type: 'any', unmapped: EXCEPTIONS },
      ignoreExceptionPredicate: { type: 'any', unmapped: EXCEPTIONS },
      ignoreClassBindingExceptions: { type: 'any', unmapped: EXCEPTIONS },
      writableStackTraceEnabled: { type: 'any', unmapped: OBSERVABILITY },
      allowHealthIndicatorToFail: { type: 'any', unmapped: OBSERVABILITY },
      registerHealthIndicator: { type: 'any', unmapped: OBSERVABILITY },
      eventConsumerBufferSize: { type: 'any', unmapped: OBSERVABILITY },
    },
  },
  retry: {
    key: 'retry',
    props: {
      maxAttempts: { type: 'int' },
      waitDuration: { type: 'duration' },
      enableExponentialBackoff: { type: 'bool' },
      exponentialBackoffMultiplier: { type: 'float' },
      exponentialMaxWaitDuration: { type: 'duration' },
      enableRandomizedWait: { type: 'bool' },
      randomizedWaitFactor: { type: 'float' },
      baseConfig: { type: 'string' },
      retryExceptions: { type: 'any', unmapped: 'the call retries on its retryOn statuses and timeouts; which exceptions are retried is the application\'s choice' },
      ignoreExceptions: { type: 'any', unmapped: 'the call retries on its retryOn statuses and timeouts; which exceptions are retried is the application\'s choice' },
      retryExceptionPredicate: { type: 'any', unmapped: 'the call retries on its retryOn statuses and timeouts' },
      resultPredicate: { type: 'any', unmapped: 'the call retries on its retryOn statuses and timeouts' },
      intervalBiFunction: { type: 'any', unmapped: 'a Java class: the model has the backoff kinds of its retry policy' },
      consumeResultBeforeRetryAttempt: { type: 'any', unmapped: 'a Java class' },
      failAfterMaxAttempts: { type: 'any', unmapped: 'a result-predicate setting: the model retries failed calls only' },
      eventConsumerBufferSize: { type: 'any', unmapped: OBSERVABILITY },
    },
  },
  bulkhead: {
    key: 'bulkhead',
    props: {
      maxConcurrentCalls: { type: 'int' },
      maxWaitDuration: { type: 'duration' },
      baseConfig: { type: 'string' },
      writableStackTraceEnabled: { type: 'any', unmapped: OBSERVABILITY },
      fairCallHandlingStrategyEnabled: { type: 'any', unmapped: 'the model has no waiting for a permit to be fair about' },
      eventConsumerBufferSize: { type: 'any', unmapped: OBSERVABILITY },
    },
  },
  threadpoolbulkhead: {
    key: 'thread-pool-bulkhead',
    props: {
      maxThreadPoolSize: { type: 'int' },
      coreThreadPoolSize: { type: 'int' },
      queueCapacity: { type: 'int' },
      baseConfig: { type: 'string' },
      keepAliveDuration: { type: 'any', unmapped: 'threads are not modelled beyond their count' },
      contextPropagators: { type: 'any', unmapped: 'a Java class' },
      writableStackTraceEnabled: { type: 'any', unmapped: OBSERVABILITY },
      eventConsumerBufferSize: { type: 'any', unmapped: OBSERVABILITY },
    },
  },
  timelimiter: {
    key: 'timelimiter',
    props: {
      timeoutDuration: { type: 'duration' },
      cancelRunningFuture: { type: 'bool', unmapped: 'a timeout ends the caller\'s wait and the callee keeps working either way (cancelling a future does not stop a remote call)' },
      baseConfig: { type: 'string' },
      eventConsumerBufferSize: { type: 'any', unmapped: OBSERVABILITY },
    },
  },
};

const OTHER_MODULES: Record<string, string> = {
  ratelimiter: 'a call has no rate limiter in the model (the gateway has one)',
  cache: 'caching is not modelled',
};

/** Spring's relaxed binding: `max-attempts`, `max_attempts` and `maxAttempts` are one key. */
const norm = (key: string): string => key.replace(/[-_]/g, '').toLowerCase();

const PROP_BY_NORM = new Map<string, Map<string, string>>(
  Object.entries(MODULES).map(([m, spec]) => [m, new Map(Object.keys(spec.props).map((p) => [norm(p), p]))]),
);

// ---------------------------------------------------------------------------------------------
// Reading the text into property paths

interface Leaf {
  /** The property path as Spring splits it: `resilience4j`, `retry`, `instances`, `a`, `maxAttempts`. */
  path: string[];
  /** The path as written, for messages. */
  written: string;
  value: unknown;
  line?: number;
}

/** Splits a YAML key or property name on dots, keeping `[a.b]` whole. */
function splitKey(key: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of key) {
    if (ch === '[') {
      if (depth === 0 && cur !== '') {
        out.push(cur);
        cur = '';
      }
      depth++;
      if (depth === 1) continue;
    } else if (ch === ']' && depth > 0) {
      depth--;
      if (depth === 0) {
        out.push(cur);
        cur = '';
        continue;
      }
    } else if (ch === '.' && depth === 0) {
      if (cur !== '') out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function leavesOfYaml(value: unknown, lineOf: (p: (string | number)[]) => number | undefined): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: string[], raw: (string | number)[]): void => {
    if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, ...splitKey(k)], [...raw, k]);
      return;
    }
    out.push({ path, written: raw.join('.'), value: v, line: lineOf(raw) });
  };
  walk(value, [], []);
  return out;
}

/** `.properties` text: `key=value`, `key: value` or `key value`; `#` and `!` start comments. */
function leavesOfProperties(text: string): { ok: true; leaves: Leaf[] } | { ok: false; problems: Problem[] } {
  const leaves: Leaf[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const start = i + 1;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trimStart();
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*(?:[=:]\s*|\s+)(.*)$/.exec(trimmed) ?? /^([^=:\s]+)$/.exec(trimmed);
    if (!m) return { ok: false, problems: [{ path: '', message: `line ${start}: not a property line (key=value) — got ${JSON.stringify(trimmed.slice(0, 60))}` }] };
    const key = m[1]!.replace(/\[\d+\]$/, '');
    leaves.push({ path: splitKey(key), written: m[1]!, value: (m[2] ?? '').trim(), line: start });
  }
  return { ok: true, leaves };
}

/**
 * YAML (application.yml) or a properties file (application.properties). A YAML file may hold
 * several documents (`---`): they are read in order, later values winning, except those that
 * apply to a Spring profile only, which are left out (and listed).
 */
function readLeaves(text: string, notes: Note[]): { ok: true; leaves: Leaf[] } | { ok: false; problems: Problem[] } {
  const looksLikeProperties = /^\s*[A-Za-z0-9_.\-[\]]+\s*=/m.test(text) && !/^\s*[A-Za-z0-9_.\-[\]"']+\s*:\s*$/m.test(text);
  if (looksLikeProperties) return leavesOfProperties(text);
  const lines = text.split(/\r?\n/);
  const chunks: { text: string; offset: number }[] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (/^---\s*$/.test(line)) {
      chunks.push({ text: lines.slice(start, i).join('\n'), offset: start });
      start = i + 1;
    }
  });
  chunks.push({ text: lines.slice(start).join('\n'), offset: start });
  const leaves: Leaf[] = [];
  let any = false;
  for (const chunk of chunks) {
    const parsed = parseYamlText(chunk.text, chunk.offset);
    if (!parsed.ok) return parsed;
    const root = parsed.yaml.value;
    if (root === null || root === undefined) continue;
    if (!isObj(root)) return { ok: false, problems: [{ path: '', message: `line ${chunk.offset + 1}: expected YAML keys such as resilience4j.circuitbreaker.instances.<name>, or a properties file` }] };
    any = true;
    const docLeaves = leavesOfYaml(root, parsed.yaml.lineOf);
    const profile = docLeaves.find((l) => ['spring.config.activate.onprofile', 'spring.profiles'].includes(l.path.map(norm).join('.')));
    if (profile) {
      notes.push({ at: `line ${chunk.offset + 1}`, setting: 'spring.config.activate.on-profile', reason: `a document for profile ${JSON.stringify(profile.value)} only: left out` });
      continue;
    }
    leaves.push(...docLeaves);
  }
  if (!any) return { ok: false, problems: [{ path: '', message: 'the file is empty' }] };
  return { ok: true, leaves };
}

// ---------------------------------------------------------------------------------------------
// Import

interface Prop {
  value: unknown;
  written: string;
  line?: number;
}
type PropMap = Map<string, Prop>;
interface ModuleConfig {
  instances: Map<string, PropMap>;
  configs: Map<string, PropMap>;
}

export interface Resilience4jImportOptions {
  /** The instance to import when the file has several. */
  instance?: string;
}

export interface Resilience4jImport {
  instance: string;
  /** The call's policy keys (only those the file sets). */
  policy: Record<string, unknown>;
}

/** The modules a resilience4j text configures, by normalised module name; the notes of what it ignores. */
function readModules(text: string, notes: Note[]): { ok: true; modules: Map<string, ModuleConfig> } | { ok: false; problems: Problem[] } {
  const read = readLeaves(text, notes);
  if (!read.ok) return { ok: false, problems: read.problems };
  const problems: Problem[] = [];
  let leaves = read.leaves;
  if (!leaves.some((l) => norm(l.path[0] ?? '') === 'resilience4j')) {
    // A pasted block without the top key: `circuitbreaker: instances: ...`.
    leaves = leaves.map((l) => ({ ...l, path: ['resilience4j', ...l.path] }));
  }

  const modules = new Map<string, ModuleConfig>();
  for (const leaf of leaves) {
    const [top, mod, section, name, prop] = leaf.path;
    if (norm(top ?? '') !== 'resilience4j') continue;
    const m = norm(mod ?? '');
    const spec = MODULES[m];
    if (!spec) {
      const other = OTHER_MODULES[m];
      notes.push({ at: leaf.written, setting: mod ?? '', reason: other ?? 'not a resilience4j module Faultline maps' });
      continue;
    }
    const sec = norm(section ?? '');
    if ((sec !== 'instances' && sec !== 'backends' && sec !== 'configs') || name === undefined || prop === undefined) {
      notes.push({ at: leaf.written, setting: section ?? mod ?? '', reason: /aspectorder$/.test(sec) ? 'the aspect order is global: the call keeps its own policy order' : 'not an instance or config property' });
      continue;
    }
    let config = modules.get(m);
    if (!config) modules.set(m, (config = { instances: new Map(), configs: new Map() }));
    const bucket = sec === 'configs' ? config.configs : config.instances;
    let props = bucket.get(name);
    if (!props) bucket.set(name, (props = new Map()));
    const canonical = PROP_BY_NORM.get(m)!.get(norm(prop));
    if (canonical === undefined) {
      const guess = closest(prop, Object.keys(spec.props));
      notes.push({ at: leaf.written, setting: prop, reason: `not a resilience4j ${spec.key} property (Spring ignores it)${guess ? ` — did you mean "${guess}"?` : ''}` });
      continue;
    }
    if (leaf.path.length > 5 && spec.props[canonical]!.type !== 'any') {
      problems.push({ path: leaf.written, message: `must be a single value${leaf.line ? ` (line ${leaf.line})` : ''}` });
      continue;
    }
    // As in a properties file, a later line wins.
    props.set(canonical, { value: leaf.value, written: leaf.written, line: leaf.line });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, modules };
}

/** The instance names a resilience4j text configures, sorted (none for a text that does not read). */
export function resilience4jInstances(text: string): string[] {
  const read = readModules(text, []);
  if (!read.ok) return [];
  const names = new Set<string>();
  for (const c of read.modules.values()) for (const n of c.instances.keys()) names.add(n);
  return [...names].sort();
}

/** The policy of one resilience4j instance (YAML or properties text). */
export function importResilience4j(text: string, options: Resilience4jImportOptions = {}): ConvertResult<Resilience4jImport> {
  const notes: Note[] = [];
  const read = readModules(text, notes);
  if (!read.ok) return fail(read.problems);
  const modules = read.modules;
  const problems: Problem[] = [];

  // Which instance.
  const names = new Set<string>();
  for (const c of modules.values()) for (const n of c.instances.keys()) names.add(n);
  let instance = options.instance;
  if (instance === undefined) {
    if (names.size === 1) instance = [...names][0]!;
    else if (names.size === 0) return fail([{ path: 'instances', message: 'no resilience4j instances in the file (resilience4j.<module>.instances.<name>)' }]);
    else return fail([{ path: 'instances', message: `the file has several instances: ${[...names].sort().join(', ')} — choose one (--instance)` }]);
  } else if (!names.has(instance)) {
    return fail([{ path: 'instances', message: `no instance "${instance}" — the file has ${names.size ? [...names].sort().join(', ') : 'none'}` }]);
  }

  const policy: Record<string, unknown> = {};
  const typed = (m: string, props: PropMap | undefined): Map<string, unknown> => {
    const out = new Map<string, unknown>();
    for (const [key, p] of props ?? []) {
      const spec = MODULES[m]!.props[key]!;
      const v = coerce(p.value, spec);
      if (!v.ok) problems.push({ path: p.written, message: `${v.message}${p.line ? ` (line ${p.line})` : ''}` });
      else out.set(key, v.value);
    }
    return out;
  };
  const resolved = (m: string): { props: Map<string, unknown>; base: Map<string, unknown>; own: Map<string, unknown>; written: (k: string) => string } | null => {
    const config = modules.get(m);
    const own = config?.instances.get(instance!);
    if (!config || !own) {
      return null;
    }
    let baseName: string | undefined;
    const baseProp = own.get('baseConfig');
    if (baseProp !== undefined) {
      baseName = String(baseProp.value);
      if (!config.configs.has(baseName)) {
        problems.push({ path: baseProp.written, message: `names no config — resilience4j.${MODULES[m]!.key}.configs has ${[...config.configs.keys()].join(', ') || 'none'}${baseProp.line ? ` (line ${baseProp.line})` : ''}` });
        return null;
      }
    } else if (m === 'circuitbreaker' && config.configs.has(instance!)) baseName = instance;
    else if (config.configs.has('default')) baseName = 'default';
    const base = typed(m, baseName === undefined ? undefined : config.configs.get(baseName));
    const ownTyped = typed(m, own);
    base.delete('baseConfig');
    ownTyped.delete('baseConfig');
    const props = new Map([...base, ...ownTyped]);
    return { props, base, own: ownTyped, written: (k) => own.get(k)?.written ?? config.configs.get(baseName ?? '')?.get(k)?.written ?? k };
  };
  const unmappedNotes = (m: string, props: Map<string, unknown>, written: (k: string) => string) => {
    for (const key of props.keys()) {
      const reason = MODULES[m]!.props[key]!.unmapped;
      if (reason !== undefined) notes.push({ at: written(key), setting: key, reason });
    }
  };

  // Circuit breaker.
  const cb = resolved('circuitbreaker');
  if (cb) {
    const breaker: Record<string, unknown> = { model: 'resilience4j' };
    for (const key of ['slidingWindowType', 'slidingWindowSize', 'minimumNumberOfCalls', 'failureRateThreshold', 'slowCallRateThreshold', 'slowCallDurationThreshold', 'permittedNumberOfCallsInHalfOpenState', 'waitDurationInOpenState', 'automaticTransitionFromOpenToHalfOpenEnabled']) {
      if (cb.props.has(key)) breaker[key] = cb.props.get(key);
    }
    if (cb.props.get('maxWaitDurationInHalfOpenState') === 0) cb.props.delete('maxWaitDurationInHalfOpenState');
    if (cb.props.get('enableExponentialBackoff') === false) cb.props.delete('enableExponentialBackoff');
    if (cb.props.get('enableRandomizedWait') === false) cb.props.delete('enableRandomizedWait');
    unmappedNotes('circuitbreaker', cb.props, cb.written);
    policy.breaker = breaker;
  }

  // Retry.
  const rt = resolved('retry');
  if (rt) {
    const maxAttempts = (rt.props.get('maxAttempts') as number | undefined) || 3;
    // The interval: from the instance's own waitDuration (flags merged from the base config,
    // but not randomizedWaitFactor), else the base config's whole interval (as resilience4j does).
    const from = rt.own.has('waitDuration') ? rt.own : rt.base;
    const pick = <T>(k: string): T | undefined => (rt.own.has('waitDuration') ? ((rt.own.get(k) ?? (k === 'randomizedWaitFactor' ? undefined : rt.base.get(k))) as T | undefined) : (rt.base.get(k) as T | undefined));
    const wait = from.get('waitDuration') as number | undefined;
    const interval: R4jInterval = {
      waitMs: wait ?? 500,
      exponential: wait !== undefined && pick<boolean>('enableExponentialBackoff') === true,
      multiplier: pick<number>('exponentialBackoffMultiplier'),
      maxWaitMs: pick<number>('exponentialMaxWaitDuration'),
      randomized: wait !== undefined && pick<boolean>('enableRandomizedWait') === true,
      factor: pick<number>('randomizedWaitFactor'),
    };
    if (wait === undefined && (rt.props.get('enableExponentialBackoff') === true || rt.props.get('enableRandomizedWait') === true)) {
      notes.push({ at: rt.written('enableExponentialBackoff'), setting: 'waitDuration', reason: 'resilience4j applies exponential or randomized waits only with a waitDuration: it waits a fixed 500ms, and so does the import' });
    }
    const retry = retryFromInterval(interval, maxAttempts, notes, rt.written);
    policy.retry = retry;
    unmappedNotes('retry', rt.props, rt.written);
    notes.push({ at: 'retry', setting: 'retryExceptions', reason: 'resilience4j retries on exceptions; the call keeps the model\'s retryOn (408, 429, 500, 502, 503, 504 and timeouts): edit it to match what your HTTP client throws' });
  }

  // Bulkheads.
  const bh = resolved('bulkhead');
  const tp = resolved('threadpoolbulkhead');
  if (bh) {
    const wait = (bh.props.get('maxWaitDuration') as number | undefined) ?? 0;
    policy.bulkhead = { maxConcurrent: (bh.props.get('maxConcurrentCalls') as number | undefined) ?? 25, maxQueue: 0 };
    if (wait > 0) notes.push({ at: bh.written('maxWaitDuration'), setting: 'maxWaitDuration', reason: `a call that finds no permit waits up to ${formatSpringDuration(wait)} for one; the model's bulkhead rejects at once when its queue (maxQueue) is full: imported with maxQueue 0` });
    unmappedNotes('bulkhead', bh.props, bh.written);
    if (tp) notes.push({ at: 'thread-pool-bulkhead', setting: 'thread-pool-bulkhead', reason: 'both a semaphore and a thread-pool bulkhead are configured for this instance: the semaphore one is imported' });
  } else if (tp) {
    const max = tp.props.get('maxThreadPoolSize') as number | undefined;
    const core = tp.props.get('coreThreadPoolSize') as number | undefined;
    const queue = (tp.props.get('queueCapacity') as number | undefined) ?? 100;
    if (max === undefined) {
      notes.push({ at: tp.written('maxThreadPoolSize'), setting: 'maxThreadPoolSize', reason: 'the default is the number of processors of the machine running it: set it to import the bulkhead' });
    } else {
      policy.bulkhead = { maxConcurrent: max, maxQueue: queue };
      if (core !== max) {
        notes.push({ at: tp.written('coreThreadPoolSize'), setting: 'coreThreadPoolSize', reason: `${core === undefined ? 'the default (processors - 1)' : core} differs from maxThreadPoolSize: the pool runs the core threads until its queue is full; the model runs ${max} at once` });
      }
    }
    unmappedNotes('threadpoolbulkhead', tp.props, tp.written);
  }

  // Time limiter.
  const tl = resolved('timelimiter');
  if (tl) {
    if (tl.props.get('cancelRunningFuture') === true) tl.props.delete('cancelRunningFuture');
    const t = (tl.props.get('timeoutDuration') as number | undefined) ?? 1000;
    if (t > 0) policy.timeoutMs = t;
    else notes.push({ at: tl.written('timeoutDuration'), setting: 'timeoutDuration', reason: 'a zero timeout is not accepted by the model: left out' });
    unmappedNotes('timelimiter', tl.props, tl.written);
  }

  for (const [m, config] of modules) {
    if (!config.instances.has(instance) && config.configs.has('default')) {
      notes.push({ at: `resilience4j.${MODULES[m]!.key}.configs.default`, setting: 'default', reason: `no instance "${instance}" here: the default config applies only if the code also uses this ${MODULES[m]!.key} on the call — not imported` });
    }
  }
  if (problems.length > 0) return fail(problems);

  if (policy.timeoutMs !== undefined && policy.bulkhead !== undefined) {
    // resilience4j's aspects nest TimeLimiter outside Bulkhead: waiting for the bulkhead counts
    // toward the timeout.
    policy.policyOrder = ['fallback', 'retry', 'breaker', 'timeout', 'bulkhead'];
  }
  const checked = PolicySchema.safeParse(policy);
  if (!checked.success) {
    return fail(checked.error.issues.map((i) => ({ path: `policy.${i.path.join('.')}`, message: `${i.message} (the value resilience4j gives is outside what the model takes)` })));
  }
  return { ok: true, value: { instance, policy }, notes };
}

function coerce(value: unknown, spec: PropSpec): { ok: true; value: unknown } | { ok: false; message: string } {
  const got = ` — got ${JSON.stringify(value)}`;
  switch (spec.type) {
    case 'int': {
      const n = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return { ok: false, message: `must be a whole number${got}` };
      if (n < 0) return { ok: false, message: `must not be negative${got}` };
      return { ok: true, value: n };
    }
    case 'float': {
      const n = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { ok: false, message: `must be a number${got}` };
      if (n < 0) return { ok: false, message: `must not be negative${got}` };
      return { ok: true, value: n };
    }
    case 'bool': {
      const b = typeof value === 'string' ? ({ true: true, false: false } as Record<string, boolean>)[value.trim().toLowerCase()] : value;
      if (typeof b !== 'boolean') return { ok: false, message: `must be true or false${got}` };
      return { ok: true, value: b };
    }
    case 'duration': {
      const d = parseSpringDuration(value);
      return d.ok ? { ok: true, value: d.ms } : d;
    }
    case 'enum': {
      const s = typeof value === 'string' ? value.trim().toUpperCase().replace(/-/g, '_') : undefined;
      if (s === undefined || !spec.values!.includes(s)) return { ok: false, message: `must be one of ${spec.values!.join(', ')}${got}` };
      return { ok: true, value: s };
    }
    case 'string':
      return typeof value === 'string' || typeof value === 'number' ? { ok: true, value: String(value) } : { ok: false, message: `must be a name${got}` };
    default:
      return { ok: true, value };
  }
}

// ---------------------------------------------------------------------------------------------
// Backoff: resilience4j's interval functions against the model's jitter kinds

/** A resilience4j retry interval, as its properties configure it. */
export interface R4jInterval {
  waitMs: number;
  exponential: boolean;
  /** exponentialBackoffMultiplier as set (default 1.5 when unset). */
  multiplier?: number;
  /** exponentialMaxWaitDuration as set (used only with an explicit multiplier). */
  maxWaitMs?: number;
  randomized: boolean;
  /** randomizedWaitFactor as set (default 0.5 when unset). */
  factor?: number;
}

/** The wait before retry n (1-based) as [lowest, highest] ms; `capped` when a cap cuts a random range. */
export function r4jRange(iv: R4jInterval, n: number): { lo: number; hi: number; capped: boolean } {
  const m = iv.multiplier ?? 1.5;
  let i = Math.trunc(iv.waitMs);
  if (iv.exponential) for (let k = 1; k < n; k++) i = Math.trunc(i * m);
  const cap = iv.exponential && iv.multiplier !== undefined && iv.maxWaitMs !== undefined ? Math.trunc(iv.maxWaitMs) : Infinity;
  if (!iv.randomized) return { lo: Math.min(i, cap), hi: Math.min(i, cap), capped: false };
  const f = iv.factor ?? 0.5;
  // randomize(): min + random * (max - min + 1), at least 1, truncated to whole ms.
  const lo = Math.max(1, i - f * i);
  const hi = Math.max(1, i + f * i);
  return { lo: Math.min(lo, cap), hi: Math.min(hi, cap), capped: hi > cap };
}

/** The model's wait before retry n as [lowest, highest] ms (decorrelated: null, it has no fixed range). */
export function modelRange(r: RetryLike, n: number): { lo: number; hi: number } | null {
  const c = Math.min(r.maxDelayMs, geometric(r.baseDelayMs, r.multiplier, n));
  switch (r.jitter) {
    case 'none':
      return { lo: c, hi: c };
    case 'full':
      return { lo: 0, hi: c };
    case 'equal':
      return { lo: c / 2, hi: c };
    default:
      return null;
  }
}

interface RetryLike {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: 'none' | 'full' | 'equal' | 'decorrelated';
}

/**
 * How far apart the two are, retry by retry: the first retry whose range differs by more than
 * resilience4j's whole-millisecond rounding (1 ms a step), and whether a cap cuts a random range.
 */
function compareRanges(iv: R4jInterval, r: RetryLike): { n: number; r4j: [number, number]; model: [number, number] | null; capped: boolean } | null {
  for (let n = 1; n < r.maxAttempts; n++) {
    const a = r4jRange(iv, n);
    const b = modelRange(r, n);
    const tol = n + 1;
    // resilience4j's lowest is its centre minus the spread, which is never below 1 ms; 0 and 1 are the same wait.
    const lowOk = b !== null && Math.abs(a.lo - b.lo) <= tol;
    if (a.capped || b === null || !lowOk || Math.abs(a.hi - b.hi) > tol) {
      return { n, r4j: [a.lo, a.hi], model: b ? [b.lo, b.hi] : null, capped: a.capped };
    }
  }
  return null;
}

const ONE_THIRD = 1 / 3;
const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function retryFromInterval(iv: R4jInterval, maxAttempts: number, notes: Note[], written: (k: string) => string): Record<string, unknown> {
  const retry: Record<string, unknown> = { maxAttempts };
  const m = iv.exponential ? (iv.multiplier ?? 1.5) : 1;
  const f = iv.randomized ? (iv.factor ?? 0.5) : 0;
  let jitter: RetryLike['jitter'] = 'none';
  let scale = 1;
  if (f === 1) {
    jitter = 'full';
    scale = 2;
  } else if (near(f, ONE_THIRD)) {
    jitter = 'equal';
    scale = 4 / 3;
  } else if (f !== 0) {
    notes.push({ at: written('randomizedWaitFactor'), setting: 'randomizedWaitFactor', reason: `a factor of ${f} has no jitter kind in the model (full jitter is factor 1, equal jitter 1/3): imported without jitter, around the same centre` });
  }
  const base = iv.waitMs * scale;
  // The largest delay used (retries 1 .. maxAttempts - 1), so the model's cap never cuts below it.
  let top = base;
  for (let n = 2; n < maxAttempts; n++) top = Math.max(top, r4jRange({ ...iv, randomized: false, maxWaitMs: undefined }, n).hi * scale);
  const cap = iv.exponential && iv.multiplier !== undefined && iv.maxWaitMs !== undefined ? iv.maxWaitMs : undefined;
  let maxDelayMs = cap !== undefined && jitter === 'none' ? cap : Math.max(top, base);
  if (cap !== undefined && jitter !== 'none') maxDelayMs = Math.min(maxDelayMs, cap);
  Object.assign(retry, { baseDelayMs: base, maxDelayMs: Math.max(maxDelayMs, 0), multiplier: m, jitter });
  const r: RetryLike = { maxAttempts, baseDelayMs: base, maxDelayMs: retry.maxDelayMs as number, multiplier: m, jitter };
  if (jitter !== 'none' || f === 0) {
    const diff = compareRanges(iv, r);
    if (diff) {
      notes.push({
        at: written(diff.capped ? 'exponentialMaxWaitDuration' : 'waitDuration'),
        setting: diff.capped ? 'exponentialMaxWaitDuration' : 'waitDuration',
        reason: diff.capped
          ? `resilience4j caps the randomized wait after drawing it, so retry ${diff.n} waits ${diff.r4j[0]}..${diff.r4j[1]} ms with a peak at the cap; the model draws under its cap (${fmtRange(diff.model)})`
          : `before retry ${diff.n} resilience4j waits ${diff.r4j[0]}..${diff.r4j[1]} ms (whole ms at each step), the model ${fmtRange(diff.model)}`,
      });
    }
  }
  return retry;
}

const fmtRange = (r: [number, number] | null): string => (r ? `${round3(r[0])}..${round3(r[1])} ms` : 'a decorrelated draw');
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------------------------------------
// Export

export interface Resilience4jExportOptions {
  /** The instance name (the call's target id by default). */
  instance: string;
}

/** resilience4j's aspect order, outermost first. */
const R4J_ORDER: readonly PolicyName[] = ['retry', 'breaker', 'timeout', 'bulkhead'];

/** The Spring Boot YAML for a call's policy, and the notes on what it leaves out. */
export function exportResilience4j(policy: Policy, options: Resilience4jExportOptions): { value: string; object: Record<string, unknown>; notes: Note[] } {
  const name = options.instance;
  const notes: Note[] = [];
  const root: Record<string, Record<string, Record<string, Record<string, unknown>>>> = {};
  const put = (module: string, props: Record<string, unknown>) => {
    root[module] = { instances: { [name]: props } };
  };
  const duration = (ms: number, at: string, setting: string): string => {
    const whole = Math.round(ms);
    if (whole !== ms) notes.push({ at, setting, reason: `resilience4j takes whole milliseconds: ${ms} is written as ${whole}` });
    return formatSpringDuration(whole);
  };

  const b = policy.breaker;
  if (b) {
    if (b.model === 'resilience4j') {
      put('circuitbreaker', {
        slidingWindowType: b.slidingWindowType,
        slidingWindowSize: b.slidingWindowSize,
        minimumNumberOfCalls: b.minimumNumberOfCalls,
        failureRateThreshold: b.failureRateThreshold,
        slowCallRateThreshold: b.slowCallRateThreshold,
        slowCallDurationThreshold: duration(b.slowCallDurationThreshold, 'breaker', 'slowCallDurationThreshold'),
        permittedNumberOfCallsInHalfOpenState: b.permittedNumberOfCallsInHalfOpenState,
        waitDurationInOpenState: duration(b.waitDurationInOpenState, 'breaker', 'waitDurationInOpenState'),
        automaticTransitionFromOpenToHalfOpenEnabled: b.automaticTransitionFromOpenToHalfOpenEnabled,
      });
      if (b.waitDurationInOpenState < 1) notes.push({ at: 'breaker', setting: 'waitDurationInOpenState', reason: 'resilience4j needs at least 1ms' });
    } else {
      notes.push({ at: 'breaker', setting: 'model', reason: `${/^[aeiou]/.test(b.model) ? 'an' : 'a'} ${b.model} breaker has no exact resilience4j equivalent (its counting differs): not exported — use model "resilience4j"` });
    }
  }

  const r = policy.retry;
  if (r) {
    const props: Record<string, unknown> = { maxAttempts: r.maxAttempts };
    const exact = retryToInterval(r, notes);
    if (exact) {
      props.waitDuration = duration(exact.waitMs, 'retry', 'baseDelayMs');
      if (exact.exponential) {
        props.enableExponentialBackoff = true;
        props.exponentialBackoffMultiplier = exact.multiplier;
        if (exact.maxWaitMs !== undefined) props.exponentialMaxWaitDuration = duration(exact.maxWaitMs, 'retry', 'maxDelayMs');
      }
      if (exact.randomized) {
        props.enableRandomizedWait = true;
        props.randomizedWaitFactor = exact.factor;
      }
    }
    put('retry', props);
    const defaults = new Set<string | number>([408, 429, 500, 502, 503, 504, 'timeout']);
    const same = r.retryOn.length === defaults.size && r.retryOn.every((s) => defaults.has(s));
    notes.push({ at: 'retry', setting: 'retryOn', reason: `resilience4j retries on exceptions: list the ones your HTTP client throws for ${same ? 'the default statuses (408, 429, 5xx) and timeouts' : r.retryOn.join(', ')} in retryExceptions` });
    if (r.budget) notes.push({ at: 'retry', setting: 'budget', reason: 'resilience4j has no retry budget' });
    if (r.honorRetryAfter) notes.push({ at: 'retry', setting: 'honorRetryAfter', reason: 'resilience4j reads no Retry-After (an intervalBiFunction class could)' });
  }

  const bh = policy.bulkhead;
  if (bh) {
    if (bh.maxQueue === 0) put('bulkhead', { maxConcurrentCalls: bh.maxConcurrent, maxWaitDuration: '0ms' });
    else {
      put('thread-pool-bulkhead', { maxThreadPoolSize: bh.maxConcurrent, coreThreadPoolSize: bh.maxConcurrent, queueCapacity: bh.maxQueue });
      notes.push({ at: 'bulkhead', setting: 'maxQueue', reason: 'a waiting queue is a thread-pool bulkhead in resilience4j: annotate the call with @Bulkhead(type = Bulkhead.Type.THREADPOOL), which needs a CompletionStage' });
    }
  }

  if (policy.timeoutMs !== null) {
    put('timelimiter', { timeoutDuration: duration(policy.timeoutMs, 'timeoutMs', 'timeoutMs') });
  }
  if (policy.fallback) notes.push({ at: 'fallback', setting: 'fallback', reason: 'a fallback is code in resilience4j (fallbackMethod on the annotation)' });
  if (policy.optional) notes.push({ at: 'optional', setting: 'optional', reason: 'an optional call is the caller\'s code: resilience4j has no setting for it' });

  // Order: only the policies present matter.
  const order = policy.policyOrder ?? DEFAULT_POLICY_ORDER;
  const present = (p: PolicyName): boolean =>
    (p === 'retry' && !!policy.retry) || (p === 'breaker' && policy.breaker?.model === 'resilience4j') || (p === 'bulkhead' && !!policy.bulkhead) || (p === 'timeout' && policy.timeoutMs !== null);
  const ours = order.filter((p) => p !== 'fallback' && present(p));
  const theirs = R4J_ORDER.filter(present);
  if (ours.join() !== theirs.join()) {
    notes.push({ at: 'policyOrder', setting: 'policyOrder', reason: `resilience4j nests ${theirs.join(' > ')} (outermost first); this call nests ${ours.join(' > ')}: change the *AspectOrder properties (global) or the policy order` });
  }

  const object = Object.keys(root).length > 0 ? { resilience4j: root } : {};
  const value = Object.keys(root).length > 0 ? stringifyYaml(object, { lineWidth: 0 }) : '';
  return { value, object, notes };
}

/** The resilience4j interval that waits exactly what the model does, or null (with a note). */
function retryToInterval(r: Policy['retry'] & object, notes: Note[]): R4jInterval | null {
  if (r.maxAttempts <= 1) return { waitMs: r.baseDelayMs, exponential: false, randomized: false };
  if (r.jitter === 'decorrelated') {
    notes.push({ at: 'retry', setting: 'jitter', reason: 'decorrelated jitter has no resilience4j interval: the wait is not exported (resilience4j would wait 500ms)' });
    return null;
  }
  const scale = r.jitter === 'full' ? 0.5 : r.jitter === 'equal' ? 0.75 : 1;
  const flat = r.multiplier === 1 || r.baseDelayMs >= r.maxDelayMs;
  let iv: R4jInterval;
  if (flat) {
    iv = { waitMs: Math.min(r.baseDelayMs, r.maxDelayMs) * scale, exponential: false, randomized: r.jitter !== 'none' };
  } else {
    // Does the model's cap bind before the last retry?
    const binds = geometric(r.baseDelayMs, r.multiplier, r.maxAttempts - 1) > r.maxDelayMs;
    iv = { waitMs: r.baseDelayMs * scale, exponential: true, multiplier: r.multiplier, randomized: r.jitter !== 'none' };
    if (binds) iv.maxWaitMs = r.maxDelayMs * scale;
  }
  if (iv.randomized) iv.factor = r.jitter === 'full' ? 1 : ONE_THIRD;
  if (iv.exponential && r.multiplier < 1) {
    notes.push({ at: 'retry', setting: 'multiplier', reason: `resilience4j's exponential backoff grows; a multiplier of ${r.multiplier} shrinks: the wait is not exported` });
    return null;
  }
  if ((iv.exponential || iv.randomized) && Math.round(iv.waitMs) < 1) {
    notes.push({ at: 'retry', setting: 'baseDelayMs', reason: 'resilience4j\'s exponential and randomized waits need at least 1ms: the wait is not exported' });
    return null;
  }
  const rounded = { ...iv, waitMs: Math.round(iv.waitMs), maxWaitMs: iv.maxWaitMs === undefined ? undefined : Math.round(iv.maxWaitMs) };
  const diff = compareRanges(rounded, { ...r });
  if (diff?.capped) {
    notes.push({ at: 'retry', setting: 'maxDelayMs', reason: `resilience4j caps a randomized wait after drawing it, the model before: with ${r.jitter} jitter they differ from retry ${diff.n} on, so the wait is not exported` });
    return null;
  }
  if (diff) {
    notes.push({ at: 'retry', setting: 'baseDelayMs', reason: `before retry ${diff.n} resilience4j waits ${diff.r4j[0]}..${diff.r4j[1]} ms (it keeps whole ms at each step), the model ${fmtRange(diff.model)}` });
  }
  return rounded;
}
