/** Number and time formatting for the panels: short, exact where it matters. */

/** Simulated time as mm:ss.mmm (minutes keep counting past 59). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const minutes = Math.floor(total / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** 12.3 ms, 1.24 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** A share as a percentage; "—" when nothing was counted yet. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const p = (100 * part) / whole;
  if (p === 100 || p === 0) return `${p}%`;
  return `${p >= 99.95 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A rate per second with two significant digits or so. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec <= 0) return '0/s';
  if (perSec >= 100) return `${integer.format(perSec)}/s`;
  return `${perSec.toFixed(1)}/s`;
}

/** Exact below a million, then 1.23M: node boxes have room for about seven characters. */
export function formatCompact(n: number): string {
  if (Math.abs(n) < 1_000_000) return integer.format(n);
  if (Math.abs(n) < 1_000_000_000) return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}G`;
}
