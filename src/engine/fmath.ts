/**
 * Deterministic elementary functions. ECMAScript lets each engine approximate Math.log, Math.exp,
 * Math.pow and friends in its own way, and they do differ in the last bit (Node 20 and Chromium
 * 156 disagree on 7-10% of inputs to Math.log) — enough to change an event time and so the trace
 * hash, and in another scenario the order of two events. These versions use only +, -, *, / and
 * bit access to the float64, all of which IEEE 754 pins exactly, so every engine computes the
 * same bits. They are within two units in the last place of the exact value (log) and one (exp).
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

/**
 * The natural logarithm, carefully: x = m 2^k with m in [√½, √2), and log(m) = 2 atanh(s) for
 * s = (m - 1) / (m + 1), |s| < 0.1716, by its odd series. Used to build the table of `log`.
 */
function logSeries(x: number): number {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first.
    x *= 18014398509481984; // 2^54
    k = -54;
  }
  f64[0] = x;
  const hi = u32[1]!;
  k += ((hi >>> 20) & 0x7ff) - 1023;
  u32[1] = (hi & 0x000fffff) | 0x3ff00000;
  let m = f64[0]!;
  if (m > 2 * SQRT_HALF) {
    m /= 2;
    k += 1;
  }
  // With f = m - 1: log(m) = 2s + s R, R = 2 (s²/3 + s⁴/5 + ...); since 2s = f - s f and
  // s f = f²/2 - s f²/2, log(m) = f - (f²/2 - s (f²/2 + R)): f is exact, the bracket small.
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

/** log(c) and 1/c for c = 0.75 + i/256, i = 0..192: the table of the fast `log` (c = 1 at i = 64). */
const STEP = 1 / 256;
const LOG_C = new Float64Array(193);
const INV_C = new Float64Array(193);
for (let i = 0; i <= 192; i++) {
  const c = 0.75 + i * STEP;
  LOG_C[i] = logSeries(c);
  INV_C[i] = 1 / c;
}
/** 2^(1023 - e) for each biased exponent e of a normal double: multiplying by it is exact. */
const UNSCALE = new Float64Array(2047);
for (let e = 1; e <= 2046; e++) UNSCALE[e] = pow2(1023 - e);

/**
 * The natural logarithm: x = m 2^k with m in [0.75, 1.5); c is the table point nearest m
 * (|m - c| <= 1/512, and c = 1 exactly near 1, so logs of numbers near 1 keep their relative
 * accuracy); m = c (1 + t), t rounded once; log(x) = k ln2 + log(c) + log(1 + t), the last by
 * six terms of its series (|t| < 0.0027). No division and no write into the float's bits on the
 * way: this is the sampler's hot path.
 */
export function log(x: number): number {
  if (!(x >= 2.2250738585072014e-308) || x === Infinity) {
    if (Number.isNaN(x) || x < 0) return NaN;
    if (x === 0) return -Infinity;
    if (x === Infinity) return Infinity;
    return logSeries(x);
  }
  f64[0] = x;
  const e = (u32[1]! >>> 20) & 0x7ff;
  let k = e - 1023;
  let m = x * UNSCALE[e]!;
  if (m >= 1.5) {
    m *= 0.5;
    k += 1;
  }
  const i = Math.round((m - 0.75) * 256);
  // m and c are within a factor of two of each other, so m - c is exact (Sterbenz).
  const t = (m - (0.75 + i * STEP)) * INV_C[i]!;
  const log1pt = t * (1 + t * (-1 / 2 + t * (1 / 3 + t * (-1 / 4 + t * (1 / 5 + t * (-1 / 6))))));
  return k * LN2_HI + (LOG_C[i]! + log1pt + k * LN2_LO);
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
