/** What the speed control says when the run cannot keep up with the chosen speed. */
import type { Speed } from '../playback';

/** Below this share of the chosen speed, the real rate is shown. */
export const LAG_SHARE = 0.8;

function rateText(rate: number): string {
  if (rate >= 10) return `${Math.round(rate)}×`;
  if (rate >= 1) return `${Number(rate.toFixed(1))}×`;
  if (rate >= 0.01) return `${Number(rate.toFixed(2))}×`;
  return '<0.01×';
}

/**
 * "0.1× of 1×" when the measured rate (simulated ms per wall ms) falls under LAG_SHARE of the
 * chosen speed; at "max", the rate reached ("max ≈ 37×"); null when the run keeps up or nothing
 * was measured.
 */
export function lagText(realRate: number | null, speed: Speed): string | null {
  if (realRate === null || !Number.isFinite(realRate)) return null;
  if (speed === 'max') return `max ≈ ${rateText(realRate)}`;
  if (realRate >= speed * LAG_SHARE) return null;
  return `${rateText(realRate)} of ${speed}×`;
}
