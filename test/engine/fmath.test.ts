import { describe, expect, it } from 'vitest';
import { exp, log, pow2, powInt } from '../../src/engine/fmath';
import { createStream } from '../../src/engine/random';

/** Distance in units in the last place. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const f = new Float64Array([a, b]);
  const i = new BigInt64Array(f.buffer);
  const d = i[0]! - i[1]!;
  return Number(d < 0n ? -d : d);
}

describe('deterministic math', () => {
  it('log agrees with Math.log to within 2 ulp across the range it is used on', () => {
    const u = createStream('fmath', 'log', 'inputs');
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      // (0, 1] for the samplers, and wide magnitudes for ratios.
      const x = i % 2 ? 1 - u() : Math.exp((u() - 0.5) * 1400);
      worst = Math.max(worst, ulps(log(x), Math.log(x)));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('exp agrees with Math.exp to within 1 ulp', () => {
    const u = createStream('fmath', 'exp', 'inputs');
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 ? (u() - 0.5) * 20 : (u() - 0.5) * 1400;
      worst = Math.max(worst, ulps(exp(x), Math.exp(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('special values', () => {
    expect(log(1)).toBe(0);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(5e-324)).toBeCloseTo(-744.4400719213812, 12);
    expect(exp(0)).toBe(1);
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
    expect(exp(-740)).toBeGreaterThan(0);
  });

  it('pins exact bits, so a different result on another engine shows up here too', () => {
    // These are this implementation's bits (exp(1) is one ulp above the correctly rounded e);
    // the e2e test checks the same bits come out in Chromium.
    expect(log(0.1)).toBe(-2.3025850929940455);
    expect(log(10)).toBe(2.302585092994046);
    expect(log(1 - 0.123456789)).toBe(-0.13176927634943322);
    expect(exp(1)).toBe(2.7182818284590455);
    expect(exp(-2.5)).toBe(0.0820849986238988);
    expect(exp(3.3)).toBe(27.112638920657883);
  });

  it('powers of two and whole powers are exact', () => {
    expect(pow2(0)).toBe(1);
    expect(pow2(10)).toBe(1024);
    expect(pow2(-1074)).toBe(5e-324);
    expect(pow2(-1022)).toBe(2.2250738585072014e-308);
    expect(pow2(1024)).toBe(Infinity);
    expect(powInt(2, 10)).toBe(1024);
    expect(powInt(1.5, 3)).toBe(3.375);
    expect(powInt(10, -2)).toBe(0.01);
    expect(() => powInt(2, 0.5)).toThrow(RangeError);
  });
});
