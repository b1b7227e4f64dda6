import { describe, expect, it } from 'vitest';
import { Z99, meanOf, sampler, samplerFrom } from '../../src/engine/dist';
import type { SamplerRecipe } from '../../src/engine/dist';
import type { DistSpec } from '../../src/engine/dist';
import { createStream, streamFrom } from '../../src/engine/random';
import type { Stream } from '../../src/engine/random';

const N = 400_000;

function moments(spec: DistSpec, seed = 'dist-test') {
  const s = sampler(spec, createStream(seed, 'test', JSON.stringify(spec)));
  let sum = 0;
  let sum2 = 0;
  let min = Infinity;
  let max = -Infinity;
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const x = s();
    xs[i] = x;
    sum += x;
    sum2 += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / N;
  const variance = sum2 / N - mean * mean;
  xs.sort();
  return { mean, variance, min, max, quantile: (p: number) => xs[Math.floor(p * (N - 1))]! };
}

/** Tolerance for a sample mean: 5 standard errors. */
const tol = (sd: number) => (5 * sd) / Math.sqrt(N);

describe('distributions', () => {
  it('a bare number and constant are constants', () => {
    expect(sampler(7, () => 0.5)()).toBe(7);
    expect(sampler({ dist: 'constant', ms: 3 }, () => 0.5)()).toBe(3);
  });

  it('uniform: mean (a+b)/2, variance (b-a)^2/12, inside its bounds', () => {
    const m = moments({ dist: 'uniform', minMs: 5, maxMs: 15 });
    expect(Math.abs(m.mean - 10)).toBeLessThan(tol(Math.sqrt(100 / 12)));
    expect(m.variance).toBeCloseTo(100 / 12, 1);
    expect(m.min).toBeGreaterThanOrEqual(5);
    expect(m.max).toBeLessThan(15);
  });

  it('exponential: mean m, variance m^2', () => {
    const m = moments({ dist: 'exponential', meanMs: 20 });
    expect(Math.abs(m.mean - 20)).toBeLessThan(tol(20));
    expect(Math.abs(m.variance - 400) / 400).toBeLessThan(0.03);
    expect(m.min).toBeGreaterThanOrEqual(0);
  });

  it('normal: mean and variance when far from 0; never negative when cut', () => {
    const m = moments({ dist: 'normal', meanMs: 20, stdMs: 5 });
    expect(Math.abs(m.mean - 20)).toBeLessThan(tol(5));
    expect(Math.abs(m.variance - 25) / 25).toBeLessThan(0.02);
    const cut = moments({ dist: 'normal', meanMs: 1, stdMs: 5 });
    expect(cut.min).toBe(0);
    // Cut at 0: P(X = 0) = P(Z < -0.2) = 0.4207.
    expect(Math.abs(cut.quantile(0.41))).toBe(0);
    expect(cut.quantile(0.43)).toBeGreaterThan(0);
  });

  it('lognormal: the median and p99 it was given, mean exp(mu + sigma^2/2)', () => {
    const spec: DistSpec = { dist: 'lognormal', medianMs: 20, p99Ms: 200 };
    const m = moments(spec);
    expect(Math.abs(m.quantile(0.5) - 20) / 20).toBeLessThan(0.01);
    expect(Math.abs(m.quantile(0.99) - 200) / 200).toBeLessThan(0.03);
    const sigma = Math.log(10) / Z99;
    const mean = 20 * Math.exp((sigma * sigma) / 2);
    expect(meanOf(spec)).toBeCloseTo(mean, 9);
    const sd = Math.sqrt((Math.exp(sigma * sigma) - 1) * mean * mean);
    expect(Math.abs(m.mean - mean)).toBeLessThan(tol(sd));
  });

  it('meanOf agrees with the formulas', () => {
    expect(meanOf(4)).toBe(4);
    expect(meanOf({ dist: 'uniform', minMs: 2, maxMs: 6 })).toBe(4);
    expect(meanOf({ dist: 'exponential', meanMs: 9 })).toBe(9);
  });

  it('a sampler made again from copies of its recipe and state draws what the original draws from there on (a normal keeps its spare)', () => {
    for (const spec of [{ dist: 'lognormal', medianMs: 10, p99Ms: 90 }, { dist: 'normal', meanMs: 5, stdMs: 2 }, { dist: 'exponential', meanMs: 3 }, 4] as DistSpec[]) {
      const s = sampler(spec, createStream('copy', 'x', JSON.stringify(spec)));
      for (let i = 0; i < 3; i++) s(); // an odd count leaves a normal's spare pending
      const r = (s as unknown as { recipe: SamplerRecipe }).recipe;
      const u = r.u === null ? null : streamFrom({ ...(r.u as Stream).recipe.state });
      const again = samplerFrom({ ...r, u, normal: r.normal && { ...r.normal } });
      expect(Array.from({ length: 200 }, again)).toEqual(Array.from({ length: 200 }, s));
    }
  });
});
