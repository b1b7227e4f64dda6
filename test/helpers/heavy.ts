/**
 * Legitimate heavy scenarios: busy, deep or long, but steady. The runaway detector must never stop
 * them (test/run/runaway.test.ts), whatever the rule.
 */
import type { ScenarioInput } from '../../src/scenario/schema';
import { STANDARD } from '../../bench/standard';

/** 5 clients -> 5 front services -> 10 mid services -> 10 stores: 30 nodes, ~10 hops per request (the stress journey lays it out and plays it). */
export function thirtyNodes(durationMs = 600_000): ScenarioInput {
  const nodes: ScenarioInput['nodes'] = [];
  for (let i = 0; i < 5; i++) {
    nodes.push({ id: `client-${i}`, kind: 'client', target: `front-${i}`, arrival: { type: 'poisson', ratePerSec: 55 }, timeoutMs: 2000 });
    nodes.push({
      id: `front-${i}`,
      kind: 'service',
      concurrency: 200,
      serviceTime: { dist: 'exponential', meanMs: 5 },
      callMode: 'parallel',
      calls: [{ target: `mid-${2 * i}`, timeoutMs: 500 }, { target: `mid-${2 * i + 1}`, timeoutMs: 500 }],
    });
  }
  for (let j = 0; j < 10; j++) {
    nodes.push({
      id: `mid-${j}`,
      kind: 'service',
      concurrency: 200,
      serviceTime: { dist: 'exponential', meanMs: 8 },
      calls: [{ target: `store-${j}`, timeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 20 } }],
    });
    nodes.push({ id: `store-${j}`, kind: 'service', concurrency: 200, serviceTime: { dist: 'lognormal', medianMs: 10, p99Ms: 80 }, errorRate: 0.02 });
  }
  return { format: 'faultline/1', name: 'Stress: 30 nodes', seed: 'stress', durationMs, network: { latency: { dist: 'uniform', minMs: 20, maxMs: 60 } }, nodes };
}

/** DESIGN.md's standard scenario (bench/standard.ts, the bench's yardstick), for `durationMs`. */
export function standardHour(durationMs = 3_600_000): ScenarioInput {
  return { ...STANDARD, durationMs };
}

/** M/M/c at a high rate, 90% busy: `ratePerSec` poisson arrivals, c servers of mean service 0.9·c/λ. */
export function busyStation(ratePerSec: number, servers: number, durationMs: number): ScenarioInput {
  return {
    format: 'faultline/1',
    name: `M/M/${servers} at ${ratePerSec}/s`,
    seed: 'busy',
    durationMs,
    network: { latency: 0 },
    nodes: [
      { id: 'load', kind: 'client', target: 'station', arrival: { type: 'poisson', ratePerSec } },
      { id: 'station', kind: 'service', concurrency: servers, queueLimit: null, serviceTime: { dist: 'exponential', meanMs: (0.9 * servers * 1000) / ratePerSec } },
    ],
  };
}
