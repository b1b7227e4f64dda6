/**
 * A figure a story names, by its summary path (run/expect.ts): its words and its value as the
 * panels print it. Pure, so the Watch notes' figures are checked without a page.
 */
import { metricValue } from '../../run/expect';
import type { RunSummary } from '../../run/types';
import { formatCompact, formatMs } from '../format';

/** camelCase to words: `duplicatesSkipped` → "duplicates skipped", `depthMax` → "depth max". */
export function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/Ms$/, ' ms')
    .toLowerCase()
    .replace(/ ms$/, ' (ms)');
}

/** What a path is called on screen: "payments-q · duplicates skipped", "requests · status 429", "p99 latency". */
export function figureLabel(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'nodes' && parts.length >= 3) return `${parts[1]} · ${words(parts.slice(2).join(' '))}`;
  if (parts[0] === 'requests' && parts[1] === 'byStatus') return `requests · status ${parts[2]}`;
  if (parts[0] === 'requests' && parts[1] === 'byReason') return `requests · failed by ${parts[2]}`;
  if (parts[0] === 'requests' && parts[1] === 'successRate') return 'success rate';
  if (parts[0] === 'requests') return `requests ${words(parts[1] ?? '')}`;
  if (parts[0] === 'latencyMs') return `${parts[1]} latency`;
  return words(parts.join(' '));
}

/** A value as the panels print it: shares as %, times in ms or s, counts compact (12.3k stays exact below a million). */
export function formatFigure(path: string, value: number | null): string {
  if (value === null) return '—';
  const last = path.split('.').pop() ?? '';
  if (last === 'successRate' || last === 'utilization') return `${(value * 100).toFixed(value >= 0.9995 || value === 0 ? 0 : 1)}%`;
  if (last === 'amplification') return `${value.toFixed(1)}×`;
  if (path.startsWith('latencyMs.') || /Ms$/.test(last)) return formatMs(value);
  return formatCompact(value);
}

/** The figure's value in a summary (null before the first frame, or when the run has none yet). */
export function figureValue(summary: RunSummary | null, path: string): number | null {
  if (!summary) return null;
  const m = metricValue(summary, path);
  return m.ok ? m.value : null;
}
