/**
 * The client -> service model checked against queueing theory. Each case runs many independent
 * replications (different seeds) and compares the mean of their estimates with the formula,
 * within 4 standard errors of that mean — and requires the standard error itself to be small
 * (under 1.5% of the value), so the tolerance is tight as well as honest. One long run would not
 * do: successive waits are strongly correlated at high load (a single run of 10^6 customers pins
 * M/M/1's mean only to about ±3%).
 */
import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import type { RunSummary } from '../../src/run/types';
import { station } from '../helpers/scenarios';

interface Estimate {
  mean: number;
  se: number;
}

function replicate(reps: number, make: (seed: string) => Parameters<typeof createRun>[0], measure: (s: RunSummary) => number[]): Estimate[] {
  const samples: number[][] = [];
  for (let r = 0; r < reps; r++) {
    const run = createRun(make(`queueing-${r}`));
    run.runToEnd();
    const s = run.summary();
    expect(s.invariants.ok).toBe(true);
    samples.push(measure(s));
  }
  return samples[0]!.map((_, j) => {
    const xs = samples.map((row) => row[j]!);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    return { mean, se: Math.sqrt(variance / xs.length) };
  });
}

function expectAgrees(est: Estimate, theory: number) {
  expect(est.se / theory).toBeLessThan(0.015);
  expect(Math.abs(est.mean - theory)).toBeLessThan(4 * est.se);
}

const svc = (s: RunSummary) => s.nodes.station!;

describe('client -> service against queueing theory', () => {
  it('M/M/1 (λ = 900/s, mean service 1 ms): mean sojourn 10 ms, mean wait 9 ms, utilization 0.9', () => {
    const [sojourn, wait, util] = replicate(
      40,
      (seed) => station({ seed, ratePerSec: 900, servers: 1, serviceTime: { dist: 'exponential', meanMs: 1 }, durationMs: 120_000 }),
      (s) => [s.latencyMs.mean, svc(s).waitMeanMs as number, svc(s).utilization as number],
    );
    expectAgrees(sojourn!, 10);
    expectAgrees(wait!, 9);
    expect(Math.abs(util!.mean - 0.9)).toBeLessThan(0.005);
  });

  it('M/M/c (c = 4, λ = 3200/s, mean service 1 ms): mean wait from Erlang C', () => {
    const c = 4;
    const lambda = 3.2; // per ms
    const mu = 1; // per ms
    const a = lambda / mu;
    const rho = a / c;
    let sum = 0;
    let term = 1;
    for (let k = 0; k < c; k++) {
      sum += term;
      term *= a / (k + 1);
    }
    const top = term / (1 - rho); // a^c / c! / (1 - rho)
    const erlangC = top / (sum + top);
    const wq = erlangC / (c * mu - lambda);
    expect(erlangC).toBeCloseTo(0.5964, 3);
    const [wait, sojourn] = replicate(
      30,
      (seed) => station({ seed, ratePerSec: 3200, servers: c, serviceTime: { dist: 'exponential', meanMs: 1 }, durationMs: 30_000 }),
      (s) => [svc(s).waitMeanMs as number, s.latencyMs.mean],
    );
    expectAgrees(wait!, wq);
    expectAgrees(sojourn!, wq + 1 / mu);
  });

  it('M/D/1 (λ = 800/s, service exactly 1 ms): mean wait from Pollaczek–Khinchine', () => {
    const rho = 0.8;
    const d = 1;
    // P-K: Wq = λ E[S²] / (2 (1 − ρ)) = ρ d / (2 (1 − ρ)) for deterministic service.
    const wq = (rho * d) / (2 * (1 - rho));
    expect(wq).toBeCloseTo(2, 12);
    const [wait, sojourn] = replicate(
      30,
      (seed) => station({ seed, ratePerSec: 800, servers: 1, serviceTime: 1, durationMs: 60_000 }),
      (s) => [svc(s).waitMeanMs as number, s.latencyMs.mean],
    );
    expectAgrees(wait!, wq);
    expectAgrees(sojourn!, wq + d);
  });

  it("Little's law holds inside one run: mean number in the station = λ × mean time in it", () => {
    const run = createRun(station({ seed: 'little', ratePerSec: 500, servers: 2, serviceTime: { dist: 'uniform', minMs: 1, maxMs: 5 }, durationMs: 200_000 }));
    run.runToEnd();
    const s = run.summary();
    const station_ = s.nodes.station!;
    // Busy servers on average = utilization × c = λ × E[S] (the server-side Little's law).
    const busy = (station_.utilization as number) * 2;
    const lambda = s.requests.sent / s.simTimeMs; // per ms
    expect(Math.abs(busy - lambda * 3) / (lambda * 3)).toBeLessThan(0.01);
  });
});
