/**
 * Compare runs in the browser: a preset that is a comparison opens as A and B on the same seed
 * and clock; a fork at a moment agrees with the original before it and differs after; a sweep
 * draws its heatmap, opens a cell in compare view, asks before a very large sweep and cancels;
 * edits to B are listed as a diff and carried by the link; an Apply shows before → after (until
 * the comparison closes); the browser's numbers are the command line's (the built `faultline sim
 * --variant` and `faultline sweep`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { encodeShareFragment } from '../src/scenario/codec';
import { presetBySlug } from '../src/scenario/presets';
import type { ScenarioInput } from '../src/scenario/schema';
import type { MetricSample, RunSummary } from '../src/run/types';
import { test, withHook } from './helpers';

interface CompareHook {
  __faultline: { compare(): { a: MetricSample[]; b: MetricSample[]; aSummary: RunSummary | null; bSummary: RunSummary | null; variant: string } | null };
}

const compareOf = (page: Page) => page.evaluate(() => (window as unknown as CompareHook).__faultline.compare());

/** The retry storm without its variants, `durationMs` 40 s (so the seek slider lands on 20 s exactly). */
function stormLink(over: Partial<ScenarioInput> = {}): string {
  const { variants: _v, ...doc } = presetBySlug('retry-storm')!.document;
  return withHook(`#${encodeShareFragment({ ...doc, durationMs: 40000, ...over } as ScenarioInput)}`);
}

/** Plays at "max" until B (the canvas) is finished and A has caught up with it. */
async function playToEndAtMax(page: Page) {
  await page.getByLabel('Speed').selectOption('max');
  if ((await page.getByTestId('playback-state').textContent()) !== 'playing') await page.getByTestId('play').click();
  await expect(page.getByTestId('playback-state')).toHaveText('finished', { timeout: 60_000 });
  await expect.poll(async () => (await compareOf(page))?.aSummary?.simTimeMs, { timeout: 60_000 }).toBe((await compareOf(page))?.bSummary?.simTimeMs);
}

test('the retry-storm comparison: both runs play on one clock, and A amplifies more than B', async ({ page }) => {
  await page.goto(withHook('#preset=retry-storm'));
  const strip = page.getByTestId('compare-strip');
  await expect(strip).toBeVisible();
  await expect(page.getByTestId('compare-variant')).toHaveValue('full jitter and a budget');
  // B's settings, listed by setting path.
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[users].retry.jitter');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[api].calls[db].retry.budget');
  // The link carries the document with its variants and which one is B.
  await expect.poll(() => page.url()).toContain('&compare=full%20jitter%20and%20a%20budget');

  await page.getByLabel('Speed').selectOption('10');
  await page.getByTestId('play').click();
  await expect.poll(async () => (await compareOf(page))?.a.length ?? 0, { timeout: 20_000 }).toBeGreaterThan(3);
  // B plays on the same clock; its worker may report a panel tick behind A's on a loaded machine.
  await expect.poll(async () => (await compareOf(page))?.b.length ?? 0, { timeout: 20_000 }).toBeGreaterThan(3);
  await playToEndAtMax(page);

  const done = (await compareOf(page))!;
  expect(done.aSummary!.simTimeMs).toBe(60000);
  expect(done.bSummary!.simTimeMs).toBe(60000);
  // Same seed, a downstream change only: the users sent the same requests in both.
  expect(done.bSummary!.requests.sent).toBe(done.aSummary!.requests.sent);
  const amp = page.getByTestId('delta-amplification');
  const a = Number(await amp.getAttribute('data-a'));
  const b = Number(await amp.getAttribute('data-b'));
  expect(a).toBeGreaterThan(b);
  expect(a).toBe(done.aSummary!.amplification);
  await expect(amp).toHaveAttribute('data-winner', 'b');
  // A's figures sit beside B's on the canvas.
  await expect(page.getByTestId('a-figures-db')).toContainText('ok');

  // The link reopens the same comparison.
  const link = page.url();
  const again = await page.context().newPage();
  await again.goto(link);
  await expect(again.getByTestId('compare-variant')).toHaveValue('full jitter and a budget');
  await again.close();

  // Another variant as B; then Close goes back to A (its variants kept in the link).
  await page.getByTestId('compare-variant').selectOption('two attempts per layer');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[users].retry.maxAttempts');
  await page.getByTestId('compare-close').click();
  await expect(page.getByTestId('compare-strip')).toHaveCount(0);
  await expect(page.getByTestId('tab-charts')).toBeVisible();
  // A opens where the two runs were, not back at 00:00.
  await expect(page.getByTestId('clock')).toHaveText('01:00.000');
  await expect(page.getByTestId('playback-state')).toHaveText('finished');
});

test('a new variant edited in the inspector is listed as a diff, and an Apply shows before → after', async ({ page }) => {
  await page.goto(stormLink());
  await expect(page.getByTestId('scenario-name')).toHaveText('Retry storm');
  const entries = await page.evaluate(() => history.length);
  await page.getByLabel('Seek simulated time').fill('20000');
  await expect(page.getByTestId('clock')).toHaveText('00:20.000');
  await page.getByTestId('compare-open').click();
  await page.getByTestId('compare-new').check();
  await page.getByLabel('Name of the new variant').fill('fewer api attempts');
  await page.getByTestId('compare-start').click();
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await expect(page.getByTestId('compare-diff')).toContainText('B changes 0 settings');

  await page.getByTestId('node-api').click();
  const inspector = page.getByTestId('inspector');
  const concurrency = inspector.getByLabel('concurrency', { exact: true });
  await concurrency.fill('8');
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[api].concurrency');
  await expect(page.getByTestId('compare-diff')).toContainText('B changes 1 setting');
  const note = page.getByTestId('apply-note');
  await expect(note).toContainText('Applied at 00:');
  await expect(note).toContainText('→');
  await note.getByRole('button', { name: 'Dismiss the before and after note' }).click();
  await expect(note).toHaveCount(0);
  // The link holds the variant with the edit, and B by name.
  await expect.poll(() => page.url()).toContain('&compare=fewer%20api%20attempts');
  // Opening the comparison and the edit replaced the address, they did not push: Back leaves the app.
  expect(await page.evaluate(() => history.length)).toBe(entries);

  // The note is about B: closing the comparison (back to A) takes it away.
  await concurrency.fill('6');
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect(note).toContainText('Applied at 00:');
  await page.getByTestId('compare-close').click();
  await expect(page.getByTestId('compare-strip')).toHaveCount(0);
  await expect(note).toHaveCount(0);
});

test('fork at 20 s: the charts agree before 20 s and differ after; a setting the model reads once is refused', async ({ page }) => {
  await page.goto(stormLink());
  await expect(page.getByTestId('scenario-name')).toHaveText('Retry storm');
  await page.getByLabel('Seek simulated time').fill('20000');
  await expect(page.getByTestId('clock')).toHaveText('00:20.000');

  // Refused: concurrency is set up when the service starts.
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-fork').click();
  await page.getByTestId('fork-path').fill('nodes[api].concurrency');
  await page.getByTestId('fork-value').fill('8');
  await page.getByTestId('fork-go').click();
  const problems = page.getByTestId('compare-problems');
  await expect(problems).toContainText('nodes[api].concurrency');
  await expect(problems).toContainText('changing it at a moment would really change it from the start');
  await expect(page.getByTestId('compare-strip')).toHaveCount(0);

  // A setting the model reads at every attempt.
  await page.getByTestId('fork-path').fill('nodes[api].calls[db].retry.maxAttempts');
  await page.getByTestId('fork-value').fill('1');
  await page.getByTestId('fork-go').click();
  await expect(page.getByTestId('compare-strip')).toContainText('fork at 00:20.000');
  await expect(page.getByTestId('clock')).toHaveText('00:20.000');
  await expect(page.getByTestId('compare-diff')).toContainText('changes');
  await playToEndAtMax(page);
  await expect.poll(async () => (await compareOf(page))?.a.length ?? 0).toBe(40);

  const { a, b } = (await compareOf(page))!;
  expect(b.length).toBe(a.length);
  const key = (s: MetricSample) => JSON.stringify([s.sent, s.ok, s.failed, s.attempts, s.retries, s.latency]);
  const before = a.filter((s) => s.endMs <= 20000);
  expect(before.length).toBe(20);
  before.forEach((s, i) => expect(key(b[i]!), `interval ${i}`).toBe(key(s)));
  const after = a.map((s, i) => [s, b[i]!] as const).filter(([s]) => s.startMs >= 20000);
  expect(after.some(([x, y]) => key(x) !== key(y))).toBe(true);
  // With one attempt from 20 s, api calls db less during the outage.
  const attempts = (list: MetricSample[]) => list.filter((s) => s.startMs >= 20000).reduce((n, s) => n + s.attempts, 0);
  expect(attempts(b)).toBeLessThan(attempts(a));
});

test('a 3 × 3 sweep draws its heatmap, a cell opens in compare view, and CSV exports it', async ({ page }) => {
  await page.goto(stormLink({ durationMs: 20000 }));
  await expect(page.getByTestId('scenario-name')).toHaveText('Retry storm');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-sweep').click();
  await page.getByTestId('sweep-p1').fill('nodes[api].calls[db].retry.maxAttempts');
  await page.getByTestId('sweep-v1').fill('1, 2, 3');
  await page.getByTestId('sweep-p2').fill('nodes[users].retry.maxAttempts');
  await page.getByTestId('sweep-v2').fill('1, 2, 3');
  await page.getByTestId('sweep-metric').fill('amplification');
  await page.getByTestId('sweep-start').click();
  const progress = page.getByTestId('sweep-progress');
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('data-done', '9');
  const cells = page.locator('[data-testid^=heatmap-cell-]');
  await expect(cells).toHaveCount(9);
  const mean = async (x: number, y: number) => Number(await page.getByTestId(`heatmap-cell-${x}-${y}`).getAttribute('data-mean'));
  // More attempts at either layer, more amplification; 3 × 3 is the storm.
  expect(await mean(2, 2)).toBeGreaterThan(await mean(0, 0));
  expect(await mean(0, 0)).toBeCloseTo(1, 1);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/sweep.*\.csv$/);

  // The cell with one attempt at each layer, against the document (three at each).
  await page.getByTestId('heatmap-cell-0-0').click();
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await expect(page.getByTestId('compare-variant')).toHaveValue(/^sweep: /);
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[api].calls[db].retry.maxAttempts');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[users].retry.maxAttempts');
});

test('a sweep cancels, and a sweep of more than 1,000 runs shows its estimate and asks first', async ({ page }) => {
  await page.goto(stormLink());
  await expect(page.getByTestId('scenario-name')).toHaveText('Retry storm');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-sweep').click();
  await page.getByTestId('sweep-p1').fill('nodes[db].serviceTime');
  await page.getByTestId('sweep-v1').fill('1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11');
  await page.getByTestId('sweep-p2').fill('nodes[api].concurrency');
  await page.getByTestId('sweep-v2').fill('8, 16, 24, 32, 40, 48, 56, 64, 72, 80');
  await page.getByTestId('sweep-seeds').fill('10');
  await page.getByTestId('sweep-start').click();
  const confirm = page.getByTestId('sweep-confirm');
  await expect(confirm).toContainText('1,100 runs', { timeout: 30_000 });
  await expect(confirm).toContainText('about');
  await page.getByTestId('sweep-confirm-no').click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('sweep-progress')).toHaveCount(0);

  // 40 runs, cancelled once a few are back.
  await page.getByTestId('sweep-seeds').fill('1');
  await page.getByTestId('sweep-v1').fill('1, 2, 3, 4, 5, 6, 7, 8');
  await page.getByTestId('sweep-v2').fill('8, 16, 32, 48, 64');
  await page.getByTestId('sweep-start').click();
  const progress = page.getByTestId('sweep-progress');
  await expect(progress).toHaveAttribute('data-total', '40');
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByTestId('sweep-cancel').click();
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  const stopped = Number(await progress.getAttribute('data-done'));
  expect(stopped).toBeLessThan(40);
  await page.waitForTimeout(1500);
  expect(Number(await progress.getAttribute('data-done'))).toBe(stopped);

  // A path that names nothing is refused with what exists there.
  await page.getByTestId('sweep-p2').fill('nodes[api].concurency');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('compare-problems')).toContainText('concurrency');

  // A value the setting cannot take, or none, is refused before anything runs, naming it.
  await page.getByTestId('sweep-p2').fill('nodes[api].concurrency');
  await page.getByTestId('sweep-v2').fill('8, many');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('compare-problems')).toContainText('second setting, value 2 ("many")');
  await page.getByTestId('sweep-v2').fill('8,,16');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('compare-problems')).toContainText('second setting values: value 2 is empty');
  // Too many runs to hold: refused with its size, before its rows are made or one run is timed.
  await page.getByTestId('sweep-v2').fill('8, 16, 24, 32, 40, 48, 56, 64, 72, 80');
  await page.getByTestId('sweep-seeds').fill('10000');
  await page.getByTestId('sweep-v1').fill('1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('compare-problems')).toContainText('the sweep: makes 1,300,000 runs (13 values × 10 values × 10,000 seeds); at most 1,000,000');
  await expect(page.getByTestId('sweep-confirm')).toHaveCount(0);
  await expect(progress).toHaveAttribute('data-state', 'cancelled');
  await expect(progress).toHaveAttribute('data-total', '40');
});

test('compare view: Shift+→ pressed past the end finishes both runs; a link with &t= opens the comparison there', async ({ page }) => {
  await page.goto(withHook('#preset=retry-storm'));
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await expect(page.getByLabel('Seek simulated time')).toBeEnabled();
  await page.getByLabel('Seek simulated time').fill('10000');
  await expect(page.getByTestId('clock')).not.toHaveText('00:00.000');
  await page.locator('body').click({ position: { x: 2, y: 200 } });
  // Six presses in a row, faster than the two runs seek: they add up (from where the seek under
  // way is going, not from the clock on screen) past the end (60 s).
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('playback-state')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('clock')).toHaveText('01:00.000');
  await expect.poll(async () => (await compareOf(page))?.aSummary?.simTimeMs, { timeout: 60_000 }).toBe(60000);

  const other = await page.context().newPage();
  await other.goto(withHook('#preset=retry-storm&t=60'));
  await expect(other.getByTestId('compare-strip')).toBeVisible();
  await expect(other.getByTestId('playback-state')).toHaveText('finished', { timeout: 60_000 });
  await expect(other.getByTestId('clock')).toHaveText('01:00.000');
  await other.close();
});

test('switching quickly by hash from one comparison preset to another shows the last one asked for', async ({ page }) => {
  await page.goto(withHook('#preset=retry-storm'));
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await expect(page.getByLabel('Seek simulated time')).toBeEnabled();
  // Three comparisons asked for in a row, each before the one before has opened.
  for (const slug of ['bulkhead', 'thundering-herd', 'flapping-breaker']) {
    await page.evaluate((s) => {
      location.hash = `preset=${s}`;
    }, slug);
    await page.waitForTimeout(50);
  }
  const last = presetBySlug('flapping-breaker')!;
  const firstVariant = (last.document.variants as { name: string }[])[0]!.name;
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await expect(page.getByTestId('scenario-name')).toHaveText(last.document.name!, { timeout: 30_000 });
  await expect(page.getByTestId('compare-variant')).toHaveValue(firstVariant);
  // It stays so: no stale start writes another comparison's link or document afterwards.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('scenario-name')).toHaveText(last.document.name!);
  await expect(page.getByTestId('compare-variant')).toHaveValue(firstVariant);
  await expect.poll(() => page.url()).toContain(`&compare=${encodeURIComponent(firstVariant)}`);
  const a = await compareOf(page);
  expect(a?.variant).toBe(firstVariant);
});

/** The built command line (`npm run build` makes dist-cli/faultline.mjs beside the app), run on a document written to a file. */
function faultline(doc: unknown, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'faultline-e2e-')), 'scenario.json');
  writeFileSync(file, JSON.stringify(doc));
  const r = spawnSync(process.execPath, ['dist-cli/faultline.mjs', args[0]!, file, ...args.slice(1)], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the browser and CI on the same numbers: B is `faultline sim --variant`, a sweep cell is `faultline sweep`\'s row', async ({ page }) => {
  // A comparison preset: A is `sim`, B is `sim --variant`, trace hash and figures alike.
  const preset = presetBySlug('retry-storm')!.document;
  const variant = 'full jitter and a budget';
  const cliA = faultline(preset, 'sim', '--json');
  const cliB = faultline(preset, 'sim', '--variant', variant, '--json');
  expect(cliA.code, cliA.stderr).toBe(0);
  expect(cliB.code, cliB.stderr).toBe(0);
  const a = JSON.parse(cliA.stdout) as RunSummary;
  const b = JSON.parse(cliB.stdout) as RunSummary;
  expect(b.traceHash).not.toBe(a.traceHash);

  await page.goto(withHook('#preset=retry-storm'));
  await expect(page.getByTestId('compare-variant')).toHaveValue(variant);
  await playToEndAtMax(page);
  const shown = (await compareOf(page))!;
  const figures = (s: RunSummary) => ({ traceHash: s.traceHash, events: s.events, requests: s.requests, latencyMs: s.latencyMs, amplification: s.amplification });
  expect(figures(shown.bSummary!)).toEqual(figures(b));
  expect(figures(shown.aSummary!)).toEqual(figures(a));
  const amp = page.getByTestId('delta-amplification');
  await expect(amp).toHaveAttribute('data-a', String(a.amplification));
  await expect(amp).toHaveAttribute('data-b', String(b.amplification));
  await expect(page.getByTestId('delta-successRate')).toHaveAttribute('data-b', String(b.requests.successRate));

  // A 2 × 2 sweep of the document without its variants: each cell's value and the CSV's rows are
  // `faultline sweep`'s, and the cell opened in compare view runs B with the row's trace hash.
  const { variants: _v, ...plain } = preset;
  const doc = { ...plain, durationMs: 20000 };
  const cliSweep = faultline(doc, 'sweep', '--json', '--jobs', '1', '--param', 'nodes[api].calls[db].retry.maxAttempts=1, 3', '--param', 'nodes[users].retry.jitter=none, full', '--metric', 'requests.successRate');
  expect(cliSweep.code, cliSweep.stderr).toBe(0);
  const rows = cliSweep.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(rows).toHaveLength(4);

  await page.goto(stormLink({ durationMs: 20000 }));
  await expect(page.getByTestId('compare-strip')).toHaveCount(0);
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-sweep').click();
  await page.getByTestId('sweep-p1').fill('nodes[api].calls[db].retry.maxAttempts');
  await page.getByTestId('sweep-v1').fill('1, 3');
  await page.getByTestId('sweep-p2').fill('nodes[users].retry.jitter');
  await page.getByTestId('sweep-v2').fill('none, full');
  await page.getByTestId('sweep-seeds').fill('1');
  await page.getByTestId('sweep-metric').fill('requests.successRate');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // Rows come first param slowest: row 2 is (3, none), the cell x 1, y 0.
  for (const [i, row] of rows.entries()) {
    const cell = page.getByTestId(`heatmap-cell-${Math.floor(i / 2)}-${i % 2}`);
    await expect(cell).toHaveAttribute('data-mean', String(row['requests.successRate']));
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sweep-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  expect(csv.slice(1).map((line) => line.split(',').slice(3, 5))).toEqual(rows.map((r) => [r.traceHash, String(r['requests.successRate'])]));

  await page.getByTestId('heatmap-cell-0-1').click();
  await expect(page.getByTestId('compare-variant')).toHaveValue(/^sweep: /);
  await playToEndAtMax(page);
  const cell = (await compareOf(page))!;
  expect(cell.bSummary!.traceHash).toBe(rows[1]!.traceHash);
  expect(cell.bSummary!.requests.successRate).toBe(rows[1]!['requests.successRate']);
});

test('from compare view, a sweep over long setting paths opens its cell, and a fork starts from B, named as such', async ({ page }) => {
  await page.goto(withHook('#preset=opossum-vs-resilience4j'));
  await expect(page.getByTestId('compare-variant')).toHaveValue('resilience4j judges sooner');
  await expect(page.getByLabel('Seek simulated time')).toBeEnabled();
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-sweep').click();
  // Two paths of 61 and 58 characters: "sweep: <path> = 5, <path> = 10" is longer than a name may be.
  await page.getByTestId('sweep-p1').fill('nodes[billing-jvm].calls[ledger].breaker.minimumNumberOfCalls');
  await page.getByTestId('sweep-v1').fill('5, 100');
  await page.getByTestId('sweep-p2').fill('nodes[billing-jvm].calls[ledger].breaker.slidingWindowSize');
  await page.getByTestId('sweep-v2').fill('10, 100');
  await page.getByTestId('sweep-seeds').fill('1');
  await page.getByTestId('sweep-metric').fill('requests.successRate');
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-progress')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.getByTestId('heatmap-cell-1-0').click();
  await expect(page.getByTestId('compare-problems')).toHaveCount(0);
  await expect(page.getByTestId('compare-variant')).toHaveValue(/^sweep: ….*minimumNumberOfCalls = 100, ….*slidingWindowSize = 10$/);
  // The sweep was of B (the variant on screen): A is B's document, named for it.
  await expect(page.getByTestId('compare-strip').locator('.compare-name')).toHaveAttribute('title', 'opossum defaults vs resilience4j defaults · resilience4j judges sooner');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[billing-jvm].calls[ledger].breaker.minimumNumberOfCalls 5 → 100');

  // A fault from 30 s: the diff lists the fault added, not two lists that read the same.
  await page.getByLabel('Seek simulated time').fill('30000');
  await expect(page.getByLabel('Seek simulated time')).toHaveAttribute('aria-busy', 'false');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-fork').click();
  await page.getByTestId('fork-mode-fault').check();
  await page.getByTestId('fork-target').selectOption({ index: 0 });
  await page.getByTestId('fork-go').click();
  await expect(page.getByTestId('compare-strip')).toContainText('fork at 00:');
  const list = page.getByTestId('compare-diff-list');
  await expect(list).toContainText('faults');
  await expect(list).toContainText('+ {"kind":"latency"');
  await expect(list.locator('.compare-before')).toHaveCount(0);
});

test('a fork keeps its moment: reopened from its link it still says where it parts from A, and another variant chosen after it does not', async ({ page }) => {
  await page.goto(stormLink({ variants: presetBySlug('retry-storm')!.document.variants } as Partial<ScenarioInput>));
  await expect(page.getByTestId('scenario-name')).toHaveText('Retry storm');
  await page.getByLabel('Seek simulated time').fill('20000');
  await expect(page.getByTestId('clock')).toHaveText('00:20.000');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-fork').click();
  await page.getByTestId('fork-path').fill('nodes[api].calls[db].retry.maxAttempts');
  await page.getByTestId('fork-value').fill('1');
  await page.getByTestId('fork-go').click();
  const strip = page.getByTestId('compare-strip');
  await expect(strip).toContainText('fork at 00:20.000');
  const fork = await page.getByTestId('compare-variant').inputValue();

  const again = await page.context().newPage();
  await again.goto(page.url());
  await expect(again.getByTestId('compare-variant')).toHaveValue(fork);
  await expect(again.getByTestId('compare-strip')).toContainText('fork at 00:20.000');
  await expect(again.locator('.compare-fork-mark').first()).toBeVisible();
  await again.close();

  // A variant of settings is no fork: the mark goes; the fork chosen again brings it back.
  await page.getByTestId('compare-variant').selectOption('two attempts per layer');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[users].retry.maxAttempts');
  await expect(strip.locator('.compare-fork')).toHaveCount(0);
  await page.getByTestId('compare-variant').selectOption(fork);
  await expect(strip).toContainText('fork at 00:20.000');
});

test('another variant chosen while playing goes on playing, both runs on one clock', async ({ page }) => {
  await page.goto(withHook('#preset=retry-storm'));
  await expect(page.getByTestId('compare-variant')).toHaveValue('full jitter and a budget');
  await page.getByLabel('Speed').selectOption('2');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('playback-state')).toHaveText('playing');
  await expect.poll(async () => (await compareOf(page))?.aSummary?.simTimeMs ?? 0, { timeout: 20_000 }).toBeGreaterThan(1000);
  await page.getByTestId('compare-variant').selectOption('two attempts per layer');
  await expect(page.getByTestId('compare-diff')).toContainText('nodes[users].retry.maxAttempts');
  const switched = (await compareOf(page))!.bSummary!.simTimeMs;
  await expect(page.getByTestId('playback-state')).toHaveText('playing');
  // Both go on from where they were: B on the canvas, A beside it.
  await expect.poll(async () => (await compareOf(page))?.bSummary?.simTimeMs ?? 0, { timeout: 20_000 }).toBeGreaterThan(switched + 1000);
  await expect.poll(async () => (await compareOf(page))?.aSummary?.simTimeMs ?? 0, { timeout: 20_000 }).toBeGreaterThan(switched + 1000);
  expect((await compareOf(page))!.variant).toBe('two attempts per layer');
});
