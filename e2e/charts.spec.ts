/**
 * Charts, exports, the event log and the waterfall with real runs: the charts draw paths with
 * points after playing, each export downloads a file whose content matches what the page shows,
 * and a retried request's waterfall shows its attempts and backoff waits.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import type { Download, Page } from '@playwright/test';
import { encodeShareFragment } from '../src/scenario/codec';
import { presetBySlug } from '../src/scenario/presets';
import { parseScenario } from '../src/scenario/validate';
import { createRun } from '../src/run/run';
import { numberOf, playToEnd, test } from './helpers';

function presetUrl(slug: string): string {
  const p = presetBySlug(slug);
  if (!p) throw new Error(`no preset ${slug}`);
  return `/#${encodeShareFragment(p.document)}`;
}

/** Points in an SVG path: one per command letter. */
function points(d: string | null): number {
  return (d ?? '').match(/[MLHVCSQTAZ]/gi)?.length ?? 0;
}

async function saved(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const d = download as Download;
  const path = await d.path();
  const bytes = readFileSync(path);
  return { name: d.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

test('charts draw the run: throughput, latency, errors, amplification, breakers, queues', async ({ page }) => {
  await page.goto(presetUrl('retry-storm'));
  await expect(page.getByTestId('charts')).toBeVisible();
  await playToEnd(page);
  const sent = await numberOf(page, 'summary-sent');
  expect(sent).toBeGreaterThan(1000);

  // 60 one-second samples: the stacked areas and the lines have a point per interval or more.
  const throughput = page.getByTestId('chart-throughput').locator('path.chart-area');
  await expect(throughput.first()).toBeVisible();
  expect(points(await throughput.first().getAttribute('d'))).toBeGreaterThan(60);
  const p99 = page.getByTestId('chart-latency').locator('path[data-series="p99"]');
  expect(points(await p99.getAttribute('d'))).toBeGreaterThan(50);
  const amp = page.getByTestId('chart-amplification').locator('path.chart-line');
  await expect(amp).not.toHaveCount(0);
  expect(points(await amp.first().getAttribute('d'))).toBeGreaterThan(60);
  expect(points(await page.getByTestId('chart-errors').locator('path.chart-line').getAttribute('d'))).toBeGreaterThan(60);
  // The outage is drawn as a fault band, and the cursor stands at the end of the run.
  await expect(page.getByTestId('chart-throughput').locator('.chart-fault-band')).toHaveCount(1);
  await expect(page.getByTestId('chart-throughput').getByTestId('chart-cursor')).toHaveCount(1);
  // The headline: db got about five calls per user request over the run, nine at the peak.
  expect(await numberOf(page, 'summary-amplification')).toBeGreaterThan(3);
  // No breaker and no queue in this scenario: those charts are left out.
  await expect(page.getByTestId('chart-breakers')).toHaveCount(0);
  await expect(page.getByTestId('chart-queues')).toHaveCount(0);

  // A preset with breakers and one with queues draw those too.
  await page.goto(presetUrl('timeout-breaker-fallback'));
  await playToEnd(page);
  await expect(page.getByTestId('chart-breakers').locator('rect.breaker-OPEN').first()).toBeVisible();
  await page.goto(presetUrl('poison-message-dlq'));
  await playToEnd(page);
  const queue = page.getByTestId('chart-queues').locator('path.chart-line');
  await expect(queue).not.toHaveCount(0);
  expect(points(await queue.first().getAttribute('d'))).toBeGreaterThan(50);
  expect(await numberOf(page, 'summary-dead-lettered')).toBeGreaterThan(0);
  await expect(page.getByTestId('summary-invariants')).toHaveAttribute('data-value', 'true');
});

test('exports download the summary, the time series, the event log and the charts', async ({ page }) => {
  await page.goto(presetUrl('timeout-breaker-fallback'));
  await playToEnd(page);
  const trace = await page.getByTestId('summary-trace').getAttribute('data-value');
  const sent = await numberOf(page, 'summary-sent');
  const events = await numberOf(page, 'summary-events');

  const summary = await saved(page, () => page.getByTestId('export-summary').click());
  expect(summary.name).toMatch(/-summary\.json$/);
  const s = JSON.parse(summary.text);
  expect(s.traceHash).toBe(trace);
  expect(s.requests.sent).toBe(sent);

  const csv = await saved(page, () => page.getByTestId('export-series').click());
  expect(csv.name).toMatch(/-series\.csv$/);
  const rows = csv.text.trimEnd().split('\r\n').map((l) => l.split(','));
  const header = rows[0]!;
  expect(header.slice(0, 6)).toEqual(['start_ms', 'end_ms', 'sent', 'ok', 'fallback', 'failed']);
  expect(rows).toHaveLength(61);
  const col = (name: string) => rows.slice(1).map((r) => Number(r[header.indexOf(name)]));
  expect(col('sent').reduce((a, b) => a + b, 0)).toBe(sent);
  expect(col('end_ms').at(-1)).toBe(60000);

  const log = await saved(page, () => page.getByTestId('export-events').click());
  expect(log.name).toMatch(/-events\.jsonl$/);
  const lines = log.text.trimEnd().split('\n');
  // Every event of the run, as Node logs them (the kernel's event count is another number: one
  // kernel event may log several).
  const node = createRun(parseScenario(presetBySlug('timeout-breaker-fallback')!.document), { keepAllEvents: true });
  node.runToEnd();
  expect(node.summary().events).toBe(events);
  expect(lines).toEqual(node.eventLog().map((e) => JSON.stringify(e)));
  const first = JSON.parse(lines[0]!);
  expect(first).toHaveProperty('t');
  expect(first).toHaveProperty('kind');
  expect(lines.filter((l) => JSON.parse(l).kind === 'request.start')).toHaveLength(sent);

  const chart = page.getByTestId('chart-latency');
  await chart.hover();
  const svg = await saved(page, () => chart.getByRole('button', { name: /as SVG/ }).click());
  expect(svg.name).toMatch(/-chart-latency\.svg$/);
  expect(svg.text).toContain('<svg');
  expect(svg.text).toContain('Latency percentiles');
  expect(points(/<path[^>]*d="([^"]+)"/.exec(svg.text.slice(svg.text.indexOf('p99') - 2000))?.[1] ?? '')).toBeGreaterThan(0);
  const png = await saved(page, () => chart.getByRole('button', { name: /as PNG/ }).click());
  expect(png.name).toMatch(/-chart-latency\.png$/);
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.bytes.length).toBeGreaterThan(5000);
});

test('the event log filters, and a retried request opens as a waterfall of attempts and backoff waits', async ({ page }) => {
  await page.goto(presetUrl('retry-storm'));
  // (The slider moves in steps of 60 ms.)
  await page.getByLabel('Seek simulated time').fill('18000');
  await expect(page.getByTestId('clock')).toHaveText('00:18.000');
  await page.getByTestId('tab-events').click();
  const log = page.getByTestId('event-log');
  await log.getByLabel('Filter by kind').selectOption('retry.');
  // The table follows each filter once the worker answers.
  const column = (n: number) => log.locator(`tbody tr td:nth-child(${n})`).allTextContents();
  const all = async (n: number, value: string) => {
    const cells = await column(n);
    return cells.length > 0 && cells.every((c) => c === value);
  };
  await expect.poll(() => all(2, 'retry.scheduled')).toBe(true);
  await log.getByLabel('Filter by node').selectOption('users');
  await expect.poll(() => all(3, 'users')).toBe(true);

  // A user retry: its request went through three client attempts, each with api's three to db.
  await log.locator('tbody tr').first().getByRole('button').click();
  const wf = page.getByTestId('waterfall');
  await expect(wf.getByTestId('waterfall-head')).toContainText('c-');
  await expect(wf.locator('g[data-kind="backoff"]').first()).toBeVisible();
  expect(await wf.locator('g[data-kind="attempt"]').count()).toBeGreaterThanOrEqual(4);

  // By correlation id in the event log: only that request's events.
  const id = ((await wf.getByTestId('waterfall-head').locator('strong').textContent()) ?? '').trim();
  await page.getByTestId('tab-events').click();
  await log.getByLabel('Filter by kind').selectOption('');
  await log.getByLabel('Filter by node').selectOption('');
  await log.getByLabel('Filter by correlation id').fill(id);
  await expect.poll(() => all(4, id)).toBe(true);
  // Its start, its three client attempts and its end are all there.
  const kinds = await column(2);
  expect(kinds.filter((k) => k === 'request.start')).toHaveLength(1);
  expect(kinds.filter((k) => k === 'attempt.start').length).toBeGreaterThanOrEqual(4);
});
