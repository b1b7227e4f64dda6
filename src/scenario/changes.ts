/**
 * Timed changes (`changes: [{ atMs, set: { PATH: VALUE } }]`): a fork at a moment. The model
 * applies each setting at `atMs`, so a run with changes is the same as the original before that
 * moment and differs only after it.
 *
 * Only what the model reads live can change mid-run. Everything else is read once, when the model
 * is built (a service's instances, a call's breaker, the network's samplers, ...), and changing it
 * "at t" would really change it from 0 — so such a setting is refused with the reason, never
 * applied silently from the start. This file is the one list of what may change (the model's
 * `changes.ts` applies exactly these), and the reasons for what may not.
 */
import type { Scenario } from './schema';
import { resolvePath } from './pathCore';

/** A retry's settings that a call site reads at every attempt. */
export const LIVE_RETRY_KEYS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'multiplier', 'jitter', 'retryOn', 'honorRetryAfter'] as const;
export type LiveRetryKey = (typeof LIVE_RETRY_KEYS)[number];

/** One setting the model can change mid-run, and where it lives in the built model. */
export type LiveSetting =
  /** A service's own work: read for every request. */
  | { target: 'service'; node: number; key: 'errorRate' | 'errorStatus' | 'serviceTime' }
  /** An open client's rate: read for every gap between two requests. */
  | { target: 'arrival'; node: number; key: 'ratePerSec' }
  /** A call site's policy (a client's own, a gateway route's, a service call's): read per call or attempt. */
  | { target: 'policy'; node: number; site: number; key: 'timeoutMs' | 'optional' | `retry.${LiveRetryKey}` }
  /** A fault on the timeline: its end, and what it draws against. */
  | { target: 'fault'; fault: number; key: 'untilMs' | 'probability' | 'status' };

/** A change the model applies: at `atMs`, `setting` becomes `value` (`path` as the document wrote it). */
export interface LiveChange {
  atMs: number;
  /** Index of the change in `changes`. */
  change: number;
  path: string;
  setting: LiveSetting;
  value: unknown;
}

type Seg = string | number;

/**
 * What a setting path leads to in a running model, or the sentence saying why it cannot change
 * at `atMs`. `segments` are the resolved path's (`['nodes', 2, 'calls', 0, 'timeoutMs']`).
 */
export function classifyLiveSetting(scenario: Scenario, segments: readonly Seg[], value: unknown, atMs: number): LiveSetting | string {
  const [root, a, b, c, d] = segments;
  const fixedAtBuild = 'is read only when the model is built, so changing it at a moment would really change it from the start';
  if (root === 'durationMs' || root === 'seed') return 'is fixed before a run starts: set it on the document (or with --set) instead';
  if (root === 'network' || root === 'links') return `${fixedAtBuild} (each hop's latency sampler is made once) — add a latency fault from that moment instead`;
  if (root === 'changes' || root === 'variants' || root === 'sweep' || root === 'expect' || root === 'layout' || root === 'name' || root === 'description') {
    return 'is not a setting of the simulated system';
  }
  if (root === 'faults' && typeof a === 'number') return classifyFault(scenario, a, b, segments.length, value, atMs);
  if (root !== 'nodes' || typeof a !== 'number') return fixedAtBuild;
  const node = scenario.nodes[a]!;
  if (b === undefined) return 'replaces a whole node, which is built once — change its settings one by one';

  if (node.kind === 'service') {
    if ((b === 'errorRate' || b === 'errorStatus' || b === 'serviceTime') && segments.length === 3) return { target: 'service', node: a, key: b };
    if (b === 'serviceTime') return 'must be replaced whole (a number or a distribution), not one of its keys';
    if (b === 'calls' && typeof c === 'number') return classifyPolicy(node.calls[c]!, { node: a, site: c }, segments.slice(4), value);
    if (b === 'instances' || b === 'concurrency' || b === 'queueLimit') {
      return `${fixedAtBuild}: workers and waiting lines are set up per instance when the service starts (to take instances away mid-run, add a crash fault)`;
    }
    if (b === 'consumes' || b === 'publishes') return `${fixedAtBuild}: the broker wires consumers and publishers when the run starts`;
    return fixedAtBuild;
  }
  if (node.kind === 'gateway') {
    if (b === 'routes' && typeof c === 'number') return classifyPolicy(node.routes[c]!, { node: a, site: c }, segments.slice(4), value);
    return `${fixedAtBuild} (the gateway's routing table, auth and rate limiter are built once)`;
  }
  if (node.kind === 'client') {
    if (b === 'arrival') {
      if (c === 'ratePerSec' && d === undefined && (node.arrival.type === 'poisson' || node.arrival.type === 'constant')) return { target: 'arrival', node: a, key: 'ratePerSec' };
      return 'can change mid-run only as arrival.ratePerSec of a poisson or constant client (the kind of arrivals, users and scripts are set up when the run starts)';
    }
    const policyKeys = ['timeoutMs', 'retry', 'breaker', 'bulkhead', 'fallback', 'optional', 'policyOrder'];
    if (typeof b === 'string' && policyKeys.includes(b)) return classifyPolicy(node, { node: a, site: 0 }, segments.slice(2), value);
    return fixedAtBuild;
  }
  return `${fixedAtBuild} (the broker's ${node.kind}s are not changed mid-run)`;
}

interface PolicyLike {
  timeoutMs: number | null;
  retry: { maxAttempts: number } | null;
}

function classifyPolicy(policy: PolicyLike, where: { node: number; site: number }, rest: readonly Seg[], value: unknown): LiveSetting | string {
  const [key, sub, more] = rest;
  const layers = 'the layers of a call (retry, breaker, bulkhead, fallback, timeout) are put together when its call site is built';
  if (key === 'timeoutMs' && sub === undefined) {
    if (policy.timeoutMs === null) return `can change mid-run only where a timeout exists from the start: ${layers}, and this one has none`;
    if (value === null) return `cannot be removed mid-run (null): ${layers} — set a long timeout instead`;
    return { target: 'policy', ...where, key: 'timeoutMs' };
  }
  if (key === 'optional' && sub === undefined) return { target: 'policy', ...where, key: 'optional' };
  if (key === 'retry') {
    if (sub === undefined) return `cannot be replaced whole mid-run: ${layers} — change its keys (${LIVE_RETRY_KEYS.join(', ')}) one by one`;
    if (sub === 'budget') return 'is read only when the call site is built (the token bucket starts full then) — a retry budget cannot change mid-run';
    if (policy.retry === null || policy.retry.maxAttempts <= 1) {
      return `can change mid-run only where the call retries from the start (retry with maxAttempts > 1): ${layers}`;
    }
    if ((LIVE_RETRY_KEYS as readonly Seg[]).includes(sub) && more === undefined) return { target: 'policy', ...where, key: `retry.${sub as LiveRetryKey}` };
    return 'cannot change mid-run: only whole retry keys can';
  }
  if (key === 'breaker') return 'is read only when the call site is built (the breaker keeps its counts and state from then on) — a breaker cannot change mid-run';
  return `cannot change mid-run: ${layers}`;
}

function classifyFault(scenario: Scenario, f: number, key: Seg | undefined, length: number, value: unknown, atMs: number): LiveSetting | string {
  const fault = scenario.faults[f]!;
  if (length !== 3 || key === undefined) return 'a fault cannot be replaced whole mid-run — change untilMs, probability or status, or add a new fault that starts at that moment';
  if (key === 'untilMs') {
    if (fault.untilMs !== null && fault.untilMs <= atMs) return `cannot change at ${atMs} ms: this fault ended at ${fault.untilMs} ms — add a new fault instead`;
    if (typeof value === 'number' && value <= atMs) return `must be later than the change's atMs (${atMs} ms) — a fault cannot end in the past`;
    if (typeof value === 'number' && value <= fault.atMs) return `must be later than the fault's atMs (${fault.atMs} ms)`;
    return { target: 'fault', fault: f, key: 'untilMs' };
  }
  if (key === 'probability' && 'probability' in fault) return { target: 'fault', fault: f, key: 'probability' };
  if (key === 'status' && fault.kind === 'error') return { target: 'fault', fault: f, key: 'status' };
  return `cannot change mid-run: of a fault, only untilMs, probability and an error's status can (add a new fault from that moment instead)`;
}

/**
 * The changes of a valid scenario as the model applies them, in the order it applies them (by
 * time, then as written). Throws on a change validation would have refused.
 */
export function resolveChanges(scenario: Scenario): LiveChange[] {
  const out: LiveChange[] = [];
  scenario.changes.forEach((ch, i) => {
    for (const [path, value] of Object.entries(ch.set)) {
      const r = resolvePath(scenario, path, null);
      if (!r.ok) throw new Error(`changes[${i}]: ${r.problem.path}: ${r.problem.message}`);
      const setting = classifyLiveSetting(scenario, r.segments, value, ch.atMs);
      if (typeof setting === 'string') throw new Error(`changes[${i}]: ${path} ${setting}`);
      out.push({ atMs: ch.atMs, change: i, path, setting, value });
    }
  });
  return out.sort((x, y) => x.atMs - y.atMs || x.change - y.change);
}
