/**
 * The distributions of SCENARIO.md, compiled into samplers over a seeded uniform stream.
 * All values are milliseconds and never negative. Logarithms and exponentials come from
 * fmath.ts, so every engine draws the same bits.
 */
import { exp, log } from './fmath';
import type { Uniform } from './random';

export type DistSpec =
  | number
  | { dist: 'constant'; ms: number }
  | { dist: 'uniform'; minMs: number; maxMs: number }
  | { dist: 'exponential'; meanMs: number }
  | { dist: 'normal'; meanMs: number; stdMs: number }
  | { dist: 'lognormal'; medianMs: number; p99Ms: number };

export type Sampler = () => number;

/** A standard normal's kept second value (Marsaglia's polar method draws two at a time). */
export interface NormalState {
  spare: number;
  has: boolean;
}

/**
 * What a sampler is made of, carried on it as `recipe`: `samplerFrom` makes the same sampler
 * again (run/checkpoint.ts rebuilds samplers made during a run this way; the state objects are
 * plain data it copies).
 */
export interface SamplerRecipe {
  readonly kind: 'sampler';
  readonly spec: DistSpec;
  readonly u: Uniform | null;
  readonly normal: NormalState | null;
}

/** z such that P(Z <= z) = 0.99 for a standard normal Z. */
export const Z99 = 2.3263478740408408;

/** A standard normal sampler (Marsaglia's polar method; the second value is kept for the next call, in `state`). */
export function standardNormal(u: Uniform, state: NormalState = { spare: 0, has: false }): Sampler {
  return () => {
    if (state.has) {
      state.has = false;
      return state.spare;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * u() - 1;
      y = 2 * u() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * log(s)) / s);
    state.spare = y * f;
    state.has = true;
    return x * f;
  };
}

/** The constant value of a spec, or null when it is random. */
export function constantOf(spec: DistSpec): number | null {
  if (typeof spec === 'number') return spec;
  if (spec.dist === 'constant') return spec.ms;
  return null;
}

/** The theoretical mean of a spec (the normal's cut at 0 ignored). */
export function meanOf(spec: DistSpec): number {
  if (typeof spec === 'number') return spec;
  switch (spec.dist) {
    case 'constant':
      return spec.ms;
    case 'uniform':
      return (spec.minMs + spec.maxMs) / 2;
    case 'exponential':
      return spec.meanMs;
    case 'normal':
      return spec.meanMs;
    case 'lognormal': {
      const sigma = log(spec.p99Ms / spec.medianMs) / Z99;
      return spec.medianMs * exp((sigma * sigma) / 2);
    }
  }
}

/**
 * Compile a spec into a sampler drawing from `u`. A constant draws nothing from the stream.
 * normal is cut at 0 (negative draws become 0); lognormal takes its median and 99th percentile:
 * mu = ln(median), sigma = ln(p99 / median) / z99.
 */
export function sampler(spec: DistSpec, u: Uniform | null): Sampler {
  const c = constantOf(spec);
  const normal = c === null && typeof spec !== 'number' && (spec.dist === 'normal' || spec.dist === 'lognormal') ? { spare: 0, has: false } : null;
  return samplerFrom({ kind: 'sampler', spec, u: c === null ? u : null, normal });
}

/** A sampler that always gives `ms` (a constant spec). */
export function constant(ms: number): Sampler {
  return samplerFrom({ kind: 'sampler', spec: ms, u: null, normal: null });
}

/** The sampler a recipe describes (its stream and normal state are used as they are, not copied). */
export function samplerFrom(recipe: SamplerRecipe): Sampler {
  return Object.assign(compile(recipe.spec, recipe.u, recipe.normal), { recipe });
}

function compile(spec: DistSpec, u: Uniform | null, normal: NormalState | null): Sampler {
  if (typeof spec === 'number') return () => spec;
  switch (spec.dist) {
    case 'constant': {
      const ms = spec.ms;
      return () => ms;
    }
    case 'uniform': {
      const draw = u!;
      const lo = spec.minMs;
      const width = spec.maxMs - spec.minMs;
      return () => lo + width * draw();
    }
    case 'exponential': {
      const draw = u!;
      const mean = spec.meanMs;
      return () => -mean * log(1 - draw());
    }
    case 'normal': {
      const mean = spec.meanMs;
      const std = spec.stdMs;
      const z = standardNormal(u!, normal!);
      return () => {
        const x = mean + std * z();
        return x > 0 ? x : 0;
      };
    }
    case 'lognormal': {
      const mu = log(spec.medianMs);
      const sigma = spec.p99Ms > spec.medianMs ? log(spec.p99Ms / spec.medianMs) / Z99 : 0;
      const z = standardNormal(u!, normal!);
      return () => exp(mu + sigma * z());
    }
  }
}
