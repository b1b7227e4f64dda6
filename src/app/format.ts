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

/**
 * Short enough for a node box: exact below 10,000 ("1,259"), then 12.3k, 123k, 2.29M, 1.23G,
 * so node figures never run together or clip. The exact count is in the summary and the titles.
 */
export function formatCompact(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return integer.format(n);
  if (a < 999_500) return a < 99_950 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n / 1000)}k`;
  if (a < 999_500_000) return a < 9_995_000 ? `${(n / 1_000_000).toFixed(2)}M` : a < 99_950_000 ? `${(n / 1_000_000).toFixed(1)}M` : `${Math.round(n / 1_000_000)}M`;
  return `${(n / 1_000_000_000).toFixed(2)}G`;
}
