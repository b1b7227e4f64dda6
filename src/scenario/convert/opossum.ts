/**
 * opossum's options object (`new CircuitBreaker(action, options)`, nodeshift/opossum
 * `lib/circuit.js`) in and out of a call's breaker with `model: "opossum"`, whose keys are
 * opossum's own: timeout, errorThresholdPercentage, resetTimeout, rollingCountTimeout,
 * rollingCountBuckets, volumeThreshold, capacity.
 *
 * Import reads JSON, or the object literal as written in JavaScript when it has no comments or
 * functions (it is read as YAML, whose flow mappings take unquoted keys). opossum has no retry
 * and no bulkhead queue; a fallback is a function; those, and options the model does not
 * simulate (caching, coalescing, warm-up, ...), are named in the notes.
 */
import { closest } from '../suggest';
import { PolicySchema, type OpossumBreaker, type Policy } from '../schema';
import { fail, isObj, parseYamlText, type ConvertResult, type Note, type Problem } from './common';

const MAPPED = ['timeout', 'errorThresholdPercentage', 'resetTimeout', 'rollingCountTimeout', 'rollingCountBuckets', 'volumeThreshold', 'capacity'] as const;

const UNMAPPED: Record<string, string> = {
  name: 'a name for stats and events: the call is named by its target',
  group: 'a group for stats: not modelled',
  enabled: 'a disabled breaker passes every call',
  allowWarmUp: 'the warm-up window is not modelled (volumeThreshold is)',
  maxFailures: 'deprecated and unused by opossum',
  rollingPercentilesEnabled: 'latency percentiles are observability only',
  enableSnapshots: 'observability only',
  rotateBucketController: 'an EventEmitter: the model rotates buckets from the breaker\'s creation',
  errorFilter: 'a function: every failed call counts in the model',
  cache: 'caching is not modelled',
  cacheTTL: 'caching is not modelled',
  cacheSize: 'caching is not modelled',
  cacheGetKey: 'caching is not modelled',
  cacheTransport: 'caching is not modelled',
  coalesce: 'request coalescing is not modelled',
  coalesceTTL: 'request coalescing is not modelled',
  coalesceSize: 'request coalescing is not modelled',
  coalesceResetOn: 'request coalescing is not modelled',
  abortController: 'an AbortController: a timeout ends the caller\'s wait and the callee keeps working',
  autoRenewAbortController: 'an AbortController setting: not modelled',
  status: 'pre-primed statistics are not modelled',
};

export interface OpossumImport {
  /** The call's policy keys: `{ breaker: { model: "opossum", ... } }`. */
  policy: Record<string, unknown>;
}

/** The breaker of an opossum options object (JSON or a JavaScript object literal). */
export function importOpossum(input: unknown): ConvertResult<OpossumImport> {
  let data = input;
  let lineOf: (key: string) => number | undefined = () => undefined;
  if (typeof input === 'string') {
    const text = input.trim().replace(/;$/, '');
    const parsed = parseYamlText(text);
    if (!parsed.ok) return fail(parsed.problems);
    data = parsed.yaml.value;
    lineOf = (key) => parsed.yaml.lineOf([key]);
  }
  if (!isObj(data)) return fail([{ path: '', message: 'opossum options must be an object, such as { "timeout": 3000, "errorThresholdPercentage": 50, "resetTimeout": 30000 }' }]);
  const problems: Problem[] = [];
  const notes: Note[] = [];
  const at = (key: string, message: string): Problem => {
    const line = lineOf(key);
    return { path: key, message: line === undefined ? message : `${message} (line ${line})` };
  };
  const breaker: Record<string, unknown> = { model: 'opossum' };
  let disabled = false;
  for (const [key, value] of Object.entries(data)) {
    if ((MAPPED as readonly string[]).includes(key)) {
      const problem = checkValue(key, value);
      if (problem) problems.push(at(key, problem));
      else if (key === 'capacity' && typeof value === 'number' && value >= Number.MAX_SAFE_INTEGER) {
        // opossum's default: no limit.
      } else breaker[key] = value;
      continue;
    }
    if (key === 'enabled' && value === false) disabled = true;
    const reason = UNMAPPED[key];
    if (reason !== undefined) notes.push({ at: key, setting: key, reason });
    else {
      const guess = closest(key, [...MAPPED, ...Object.keys(UNMAPPED)]);
      notes.push({ at: key, setting: key, reason: `not an opossum option${guess ? ` — did you mean "${guess}"?` : ''}` });
    }
  }
  if (problems.length > 0) return fail(problems);
  const policy: Record<string, unknown> = disabled ? {} : { breaker };
  if (disabled) notes.push({ at: 'enabled', setting: 'enabled', reason: 'the breaker is disabled: imported as no breaker' });
  notes.push({ at: 'retry', setting: 'retry', reason: 'opossum has no retry: the call keeps its own retry policy' });
  const checked = PolicySchema.safeParse(policy);
  if (!checked.success) return fail(checked.error.issues.map((i) => ({ path: i.path.slice(1).join('.') || 'breaker', message: i.message })));
  return { ok: true, value: { policy }, notes };
}

function checkValue(key: string, value: unknown): string | undefined {
  const got = ` — got ${JSON.stringify(value)}`;
  if (key === 'timeout' && value === false) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number${key === 'timeout' ? ' of ms, or false' : ''}${got}`;
  if (value < 0) return `must not be negative${got}`;
  switch (key) {
    case 'errorThresholdPercentage':
      return value > 100 ? `must be at most 100${got}` : undefined;
    case 'rollingCountBuckets':
    case 'volumeThreshold':
    case 'capacity':
      if (!Number.isInteger(value)) return `must be a whole number${got}`;
      if (key !== 'volumeThreshold' && value < 1) return `must be at least 1${got}`;
      return undefined;
    case 'timeout':
    case 'rollingCountTimeout':
      return value === 0 ? `must be greater than 0${got}` : undefined;
    default:
      return undefined;
  }
}

/** opossum's options for a call's policy: only its breaker maps (and must be an opossum one). */
export function exportOpossum(policy: Policy): ConvertResult<Record<string, unknown>> {
  const b = policy.breaker;
  if (!b || b.model !== 'opossum') {
    return fail([{ path: 'breaker', message: b ? `is ${/^[aeiou]/.test(b.model) ? 'an' : 'a'} ${b.model} breaker: opossum's options describe an opossum breaker (model "opossum")` : 'the call has no breaker: opossum\'s options describe a breaker' }]);
  }
  const ob = b as OpossumBreaker;
  const options: Record<string, unknown> = {
    timeout: ob.timeout,
    errorThresholdPercentage: ob.errorThresholdPercentage,
    resetTimeout: ob.resetTimeout,
    rollingCountTimeout: ob.rollingCountTimeout,
    rollingCountBuckets: ob.rollingCountBuckets,
    volumeThreshold: ob.volumeThreshold,
  };
  if (ob.capacity !== null) options.capacity = ob.capacity;
  const notes: Note[] = [];
  if (policy.retry) notes.push({ at: 'retry', setting: 'retry', reason: 'opossum has no retry: wrap the breaker in a retry library' });
  if (policy.timeoutMs !== null) notes.push({ at: 'timeoutMs', setting: 'timeoutMs', reason: `the call's own timeout is not opossum's: opossum's is the breaker's timeout (${ob.timeout === false ? 'off' : `${ob.timeout} ms`})` });
  if (policy.bulkhead) notes.push({ at: 'bulkhead', setting: 'bulkhead', reason: 'opossum\'s capacity has no queue and counts its rejections as failures: the bulkhead is not exported' });
  if (policy.fallback) notes.push({ at: 'fallback', setting: 'fallback', reason: 'a fallback is a function in opossum: breaker.fallback(...)' });
  if (policy.optional) notes.push({ at: 'optional', setting: 'optional', reason: 'an optional call is the caller\'s code: opossum has no option for it' });
  return { ok: true, value: options, notes };
}
