import { describe, expect, it } from 'vitest';
import { createRun } from '../../src/run/run';
import { csvField, eventsJsonLines, exportFileName, seriesColumns, seriesCsv, summaryJson } from '../../src/run/export';
import { parseScenario } from '../../src/scenario/validate';
import { presetBySlug } from '../../src/scenario/presets';

function preset(slug: string, options = {}) {
  const run = createRun(parseScenario(presetBySlug(slug)!.document), { metrics: true, ...options });
  run.runToEnd();
  return run;
}

/** A tiny RFC 4180 reader: enough to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(','));
}

describe('exports', () => {
  it('the time series CSV: a header row, one row per interval, plain numbers that add up to the summary', () => {
    const run = preset('timeout-breaker-fallback');
    const samples = run.samples();
    const rows = parseCsv(seriesCsv(samples));
    expect(rows).toHaveLength(samples.length + 1);
    expect(samples).toHaveLength(60);
    const header = rows[0]!;
    expect(header.slice(0, 16)).toEqual([
      'start_ms', 'end_ms', 'sent', 'ok', 'fallback', 'failed', 'error_rate',
      'latency_mean_ms', 'latency_p50_ms', 'latency_p90_ms', 'latency_p99_ms', 'latency_max_ms',
      'in_flight', 'attempts', 'retries', 'amplification',
    ]);
    expect(header).toContain('breaker_orders->inventory');
    expect(header).toContain('attempts_to_inventory');
    expect(header).toEqual(seriesColumns(samples));
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(header.length);
      for (const cell of row) expect(cell === '' || Number.isFinite(Number(cell))).toBe(true);
    }
    const col = (name: string) => rows.slice(1).map((r) => Number(r[header.indexOf(name)]));
    const total = (name: string) => col(name).reduce((a, b) => a + b, 0);
    const s = run.summary();
    expect(total('sent')).toBe(s.requests.sent);
    expect(total('ok')).toBe(s.requests.ok);
    expect(total('failed')).toBe(s.requests.failed);
    expect(col('end_ms').at(-1)).toBe(60_000);
    // The breaker is open (1) somewhere during the slowdown, closed (0) at the end.
    expect(Math.max(...col('breaker_orders->inventory'))).toBe(1);
    expect(col('breaker_orders->inventory').at(-1)).toBe(0);
  });

  it('text cells a spreadsheet would run as a formula are escaped; numbers stay numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvField(`${lead}1+1`)).toBe(`"'${lead}1+1"`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField("it's")).toBe("it's");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(1.5e-7)).toBe('1.5e-7');
    // A node id may begin with "-": its columns' header cells are escaped, its numbers are not.
    const run = createRun(
      parseScenario({
        format: 'faultline/1',
        name: 'dash',
        durationMs: 2000,
        nodes: [
          { id: '-users', kind: 'client', target: '-api', arrival: { type: 'poisson', ratePerSec: 50 } },
          { id: '-api', kind: 'service' },
        ],
      }),
      { metrics: true },
    );
    run.runToEnd();
    const [header, ...rows] = parseCsv(seriesCsv(run.samples()));
    expect(header).toContain(`"'-api_received"`);
    expect(header!.filter((h) => /^[=+\-@]/.test(h))).toEqual([]);
    for (const row of rows) for (const cell of row) expect(cell === '' || Number.isFinite(Number(cell))).toBe(true);
  });

  it('no samples: the header alone', () => {
    expect(seriesCsv([])).toBe(`${seriesColumns([]).join(',')}\r\n`);
  });

  it('the event log as JSON lines, each line the event as the CLI writes it', () => {
    const run = createRun(parseScenario(presetBySlug('hello-faultline')!.document), { logCapacity: 500 });
    run.runToEnd();
    const events = run.eventLog();
    const text = eventsJsonLines(events);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(500);
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('the summary as the CLI prints it with --json', () => {
    const run = preset('hello-faultline');
    const s = run.summary();
    expect(JSON.parse(summaryJson(s))).toEqual(s);
  });

  it('file names are safe and say what they hold', () => {
    expect(exportFileName('Timeouts and a breaker stop the cascade', 'cascade-1', 'series', 'csv')).toBe('timeouts-and-a-breaker-stop-the-cascade-cascade-1-series.csv');
    expect(exportFileName('///', 7, 'events', 'jsonl')).toBe('run-7-events.jsonl');
  });
});
