/**
 * What the app exports, as text: the run summary (JSON, as the CLI's --json), the time series
 * (CSV: a header row, one row per interval, numbers unformatted so a spreadsheet reads them), and
 * the event log (JSON lines, as the CLI's --events). Pure builders; the app downloads the text.
 */
import type { Scenario } from '../scenario/schema';
import type { MetricSample } from './metrics';
import { createRun } from './run';
import type { LoggedEvent, RunSummary } from './types';

/** The summary exactly as `sim --json` prints it. */
export function summaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** One JSON object per line, in log order, as `sim --events` writes them. */
export function eventsJsonLines(events: readonly LoggedEvent[]): string {
  let out = '';
  for (const e of events) out += `${JSON.stringify(e)}\n`;
  return out;
}

/** Breaker states as numbers in the CSV (plot them, average them): closed 0, half-open 0.5, open 1. */
export const BREAKER_LEVEL = { CLOSED: 0, HALF_OPEN: 0.5, OPEN: 1 } as const;

interface Column {
  name: string;
  value: (s: MetricSample) => number | string;
}

/** The CSV's columns for these samples: fixed ones first, then one per reason, target, breaker, queue and node seen. */
export function seriesColumns(samples: readonly MetricSample[]): string[] {
  return columns(samples).map((c) => c.name);
}

function columns(samples: readonly MetricSample[]): Column[] {
  const keys = (pick: (s: MetricSample) => object) => {
    const set = new Set<string>();
    for (const s of samples) for (const k of Object.keys(pick(s))) set.add(k);
    return [...set];
  };
  const cols: Column[] = [
    { name: 'start_ms', value: (s) => s.startMs },
    { name: 'end_ms', value: (s) => s.endMs },
    { name: 'sent', value: (s) => s.sent },
    { name: 'ok', value: (s) => s.ok },
    { name: 'fallback', value: (s) => s.fallback },
    { name: 'failed', value: (s) => s.failed },
    { name: 'error_rate', value: (s) => s.errorRate },
    { name: 'latency_mean_ms', value: (s) => s.latency.mean },
    { name: 'latency_p50_ms', value: (s) => s.latency.p50 },
    { name: 'latency_p90_ms', value: (s) => s.latency.p90 },
    { name: 'latency_p99_ms', value: (s) => s.latency.p99 },
    { name: 'latency_max_ms', value: (s) => s.latency.max },
    { name: 'in_flight', value: (s) => s.inFlight },
    { name: 'attempts', value: (s) => s.attempts },
    { name: 'retries', value: (s) => s.retries },
    { name: 'amplification', value: (s) => s.amplification },
  ];
  for (const r of keys((s) => s.failedBy)) cols.push({ name: `failed_${r}`, value: (s) => s.failedBy[r] ?? 0 });
  for (const t of keys((s) => s.attemptsTo)) cols.push({ name: `attempts_to_${t}`, value: (s) => s.attemptsTo[t] ?? 0 });
  for (const b of keys((s) => s.breakers)) {
    cols.push({ name: `breaker_${b}`, value: (s) => (s.breakers[b] ? BREAKER_LEVEL[s.breakers[b]] : '') });
    cols.push({ name: `breaker_opens_${b}`, value: (s) => s.breakerOpens[b] ?? 0 });
  }
  for (const q of keys((s) => s.queues)) {
    cols.push({ name: `queue_${q}_depth`, value: (s) => s.queues[q]?.depth ?? '' });
    cols.push({ name: `queue_${q}_unacked`, value: (s) => s.queues[q]?.unacked ?? '' });
    cols.push({ name: `queue_${q}_dead_lettered`, value: (s) => s.queues[q]?.deadLettered ?? 0 });
  }
  for (const n of keys((s) => s.nodes)) {
    cols.push({ name: `${n}_received`, value: (s) => s.nodes[n]?.received ?? 0 });
    cols.push({ name: `${n}_ok`, value: (s) => s.nodes[n]?.ok ?? 0 });
    cols.push({ name: `${n}_failed`, value: (s) => s.nodes[n]?.failed ?? 0 });
  }
  return cols;
}

/**
 * A CSV field: quoted only when it must be (RFC 4180). A text cell that a spreadsheet would
 * read as a formula (it begins with = + - @, a tab or a carriage return: a node id may begin
 * with "-") gets a leading apostrophe, inside quotes, as OWASP's CSV-injection advice has it, so
 * it shows as the text it is. Numbers are written as numbers, negative ones included.
 */
export function csvField(v: number | string): string {
  if (typeof v === 'number') return String(v);
  const formula = /^[=+\-@\t\r]/.test(v);
  const s = formula ? `'${v}` : v;
  return formula || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const field = csvField;

/** The time series as CSV: a header row, then one row per interval; lines end with \r\n (RFC 4180). */
export function seriesCsv(samples: readonly MetricSample[]): string {
  const cols = columns(samples);
  const lines = [cols.map((c) => field(c.name)).join(',')];
  for (const s of samples) lines.push(cols.map((c) => field(c.value(s))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for an export: the scenario's name made safe, the seed, what it holds. */
export function exportFileName(scenarioName: string, seed: string | number, what: string, ext: string): string {
  const safe = (x: string) =>
    x
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'run';
  return `${safe(scenarioName)}-${safe(String(seed))}-${what}.${ext}`;
}

/** Most events one event-log export holds (about 150 bytes a line). */
export const MAX_EXPORT_EVENTS = 300_000;

/**
 * Every event of `scenario`'s run up to `untilMs`, as JSON lines: the document is run again
 * keeping all events (the app's own run keeps only a ring), at most `maxEvents` lines.
 */
export function eventLogJsonLines(scenario: Scenario, untilMs: number, maxEvents = MAX_EXPORT_EVENTS): { text: string; events: number; truncated: boolean } {
  const run = createRun(scenario, { keepAllEvents: true, logCapacity: 1 });
  const parts: string[] = [];
  let n = 0;
  let truncated = false;
  for (;;) {
    const before = run.events;
    const t = run.nowMs;
    run.advanceTo(untilMs, 250_000);
    const batch = run.drainEvents();
    const room = maxEvents - n;
    if (batch.length > room) truncated = true;
    const take = batch.length > room ? batch.slice(0, room) : batch;
    parts.push(eventsJsonLines(take));
    n += take.length;
    if (truncated || run.finished || (run.events === before && run.nowMs === t)) break;
  }
  return { text: parts.join(''), events: n, truncated };
}
