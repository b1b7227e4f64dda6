/**
 * The figures presets' Watch notes name, on the canvas itself (from the live node states), equal
 * at the end of the run to what Node computes for the same document: a consumer's messages
 * processed, duplicates skipped and duplicate side effects; the gateway's spoofed headers and
 * 401s; the bulkhead's rejections and the fallbacks on their edge; utilization and queue max.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { createRun } from '../src/run/run';
import type { RunSummary } from '../src/run/types';
import { encodeShareFragment } from '../src/scenario/codec';
import { presetBySlug } from '../src/scenario/presets';
import { parseScenario } from '../src/scenario/validate';
import { formatCompact } from '../src/app/format';
import { numberOf, playToEnd, test } from './helpers';

/** Opens a preset's document (its share link: the document alone, no comparison), plays it to the end; the summary Node computes for it. */
async function runPreset(page: Page, slug: string, view = ''): Promise<RunSummary> {
  const preset = presetBySlug(slug)!;
  const run = createRun(parseScenario(preset.document));
  run.runToEnd();
  await page.goto(`/#${encodeShareFragment(preset.document)}${view}`);
  await expect(page.getByTestId('scenario-name')).toHaveText(preset.title);
  await playToEnd(page);
  return run.summary();
}

const n = (s: RunSummary, node: string, key: string) => Number(s.nodes[node]![key]);

test('a consuming service shows its messages processed, duplicates skipped and duplicate side effects, not "0 ok"', async ({ page }) => {
  const s = await runPreset(page, 'crash-before-ack');
  const node = page.getByTestId('node-fulfilment');
  expect(n(s, 'fulfilment', 'duplicateSideEffects')).toBeGreaterThan(0);
  expect(await numberOf(page, 'stat-fulfilment-dup-effects')).toBe(n(s, 'fulfilment', 'duplicateSideEffects'));
  expect(await numberOf(page, 'stat-fulfilment-dup-skipped')).toBe(n(s, 'shipping-q', 'duplicatesSkipped') + n(s, 'invoice-q', 'duplicatesSkipped'));
  expect(await numberOf(page, 'stat-fulfilment-dup-skipped')).toBeGreaterThan(0);
  expect(await numberOf(page, 'stat-fulfilment-processed')).toBeGreaterThan(0);
  await expect(node).toContainText('consumer, 1 of 2 idempotent');
  await expect(node.locator('.stat-label', { hasText: /^ok$/ })).toHaveCount(0);
});

test("the gateway shows the spoofed X-User-Id headers it stripped and its 401s", async ({ page }) => {
  const s = await runPreset(page, 'user-id-spoofing');
  expect(n(s, 'edge', 'spoofAttempts')).toBeGreaterThan(0);
  expect(await numberOf(page, 'stat-edge-spoof')).toBe(n(s, 'edge', 'spoofAttempts'));
  expect(await numberOf(page, 'stat-edge-stripped')).toBe(n(s, 'edge', 'spoofStripped'));
  await expect(page.getByTestId('stat-edge-401').locator('.stat-value')).toHaveText(formatCompact(n(s, 'edge', 'unauthorized')));
});

test('the bulkhead rejections and fallbacks show on their edge', async ({ page }) => {
  const s = await runPreset(page, 'bulkhead');
  const rejected = n(s, 'page', 'bulkheadRejected');
  const fallbacks = n(s, 'page', 'fallbacks');
  expect(rejected).toBeGreaterThan(0);
  await expect(page.getByTestId('edge-guards-page-recs')).toHaveText(`${formatCompact(rejected)} bulkhead-rejected · ${formatCompact(fallbacks)} fallbacks`);
  // The page's other call, to pricing, has neither.
  await expect(page.getByTestId('edge-guards-page-pricing')).toHaveCount(0);
});

test('a service shows its utilization and the longest waiting line so far', async ({ page }) => {
  const s = await runPreset(page, 'cascade-no-timeouts');
  expect(await numberOf(page, 'stat-orders-util')).toBe(n(s, 'orders', 'utilization'));
  expect(await numberOf(page, 'stat-orders-queue-max')).toBe(n(s, 'orders', 'queueMax'));
  expect(n(s, 'orders', 'queueMax')).toBeGreaterThan(0);
});

test('in presenter mode the consuming service leads with the same figures', async ({ page }) => {
  const s = await runPreset(page, 'crash-before-ack', '&present=1');
  await expect(page.getByTestId('fig-fulfilment-processed')).toBeVisible();
  await expect(page.getByTestId('fig-fulfilment-dup-effects').locator('.lod-value')).toHaveText(formatCompact(n(s, 'fulfilment', 'duplicateSideEffects')));
});
