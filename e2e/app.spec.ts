/**
 * The journeys a workshop takes: open the app, play and pause; open a broken link; check the
 * browser computes exactly what Node computes; share a link and reopen it to the same numbers.
 */
import { expect } from '@playwright/test';
import { createRun } from '../src/run/run';
import type { LoggedEvent, RunSummary } from '../src/run/types';
import { validateScenario } from '../src/scenario/validate';
import { encodeShareFragment } from '../src/scenario/codec';
import { defaultScenario } from '../src/scenario/defaultScenario';
import type { ScenarioInput } from '../src/scenario/schema';
import { numberOf, panelOf, playToEnd, test, withHook } from './helpers';

/** The page's test hook (src/app/e2eHooks.ts, on pages opened with withHook), as far as these tests use it. */
interface Hook {
  runToEnd(doc: unknown): Promise<unknown>;
  eventLogToEnd(doc: unknown, limit: number): Promise<unknown>;
  lastCopiedLink(): string | null;
}
type HookWindow = { __faultline: Hook };

/** Small, but it draws from every kind of stream: arrivals, latencies, errors, jitter, a fault. */
const small: ScenarioInput = {
  format: 'faultline/1',
  name: 'Determinism check',
  seed: 'e2e-42',
  durationMs: 20000,
  network: { latency: { dist: 'uniform', minMs: 0.5, maxMs: 2 } },
  nodes: [
    { id: 'users', kind: 'client', label: 'Users', target: 'api', arrival: { type: 'poisson', ratePerSec: 50 } },
    {
      id: 'api',
      kind: 'service',
      label: 'API',
      concurrency: 4,
      serviceTime: { dist: 'exponential', meanMs: 10 },
      calls: [{ target: 'db', timeoutMs: 80, retry: { maxAttempts: 3, baseDelayMs: 20, jitter: 'full' } }],
    },
    { id: 'db', kind: 'service', label: 'Database', serviceTime: { dist: 'lognormal', medianMs: 15, p99Ms: 150 }, errorRate: 0.05, errorStatus: 503 },
  ],
  faults: [{ atMs: 5000, untilMs: 9000, target: 'db', kind: 'slow', factor: 4 }],
};

test('the default scenario opens, plays and pauses', async ({ page }) => {
  await page.goto('/');
  for (const name of ['Shoppers', 'Checkout', 'Inventory', 'Payments']) {
    await expect(page.locator('.react-flow__node').getByText(name, { exact: true })).toBeVisible();
  }
  // No hash: the default scenario is written into the URL, so the address bar is a share link.
  await expect(page).toHaveURL(/#s=2\./);
  await expect(page.getByTestId('clock')).toHaveText('00:00.000');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(page.getByTestId('playback-state')).toHaveText('playing');
  await expect(page.getByTestId('clock')).not.toHaveText('00:00.000');
  await expect.poll(() => numberOf(page, 'summary-sent')).toBeGreaterThan(0);
  const early = await numberOf(page, 'summary-sent');
  await expect.poll(() => numberOf(page, 'summary-sent')).toBeGreaterThan(early);
  await expect(page.getByTestId('node-shoppers-sent')).not.toHaveText('0');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('playback-state')).toHaveText('paused');
  // Give the last frame in flight time to land, then nothing may move.
  await page.waitForTimeout(300);
  const clock = await page.getByTestId('clock').textContent();
  const sent = await numberOf(page, 'summary-sent');
  await page.waitForTimeout(700);
  await expect(page.getByTestId('clock')).toHaveText(clock ?? '');
  expect(await numberOf(page, 'summary-sent')).toBe(sent);

  // Seeking forward runs ahead; seeking back re-runs from the start to the same point. (The
  // slider moves in steps of durationMs / 1000 = 60 ms.)
  await page.getByLabel('Seek simulated time').fill('30000');
  await expect(page.getByTestId('clock')).toHaveText('00:30.000');
  // The slider is busy while the seek runs, and not once it has landed.
  await expect(page.getByLabel('Seek simulated time')).toHaveAttribute('aria-busy', 'false');
  const at30 = await numberOf(page, 'summary-sent');
  expect(at30).toBeGreaterThan(sent);
  await page.getByLabel('Seek simulated time').fill('12000');
  await expect(page.getByTestId('clock')).toHaveText('00:12.000');
  expect(await numberOf(page, 'summary-sent')).toBeLessThan(at30);
  await page.getByLabel('Seek simulated time').fill('30000');
  await expect(page.getByTestId('clock')).toHaveText('00:30.000');
  expect(await numberOf(page, 'summary-sent')).toBe(at30);

  // Restart goes back to zero.
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByTestId('clock')).toHaveText('00:00.000');
  await expect.poll(() => numberOf(page, 'summary-sent')).toBe(0);
});

test('a broken link shows why, and the default scenario beside it', async ({ page }) => {
  await page.goto('/#s=garbage');
  const banner = page.getByTestId('error-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('could not be opened');
  await expect(banner).toContainText('codec version');
  for (const name of ['Shoppers', 'Checkout', 'Inventory', 'Payments']) {
    await expect(page.locator('.react-flow__node').getByText(name, { exact: true })).toBeVisible();
  }
  await page.getByRole('button', { name: 'Dismiss the error' }).click();
  await expect(banner).toHaveCount(0);

  // A link that decodes but fails validation lists every problem with its path.
  const bad = { format: 'faultline/1', name: 'Broken', nodes: [{ id: 'api', kind: 'service', concurrency: -1, calls: [{ target: 'nowhere' }] }] };
  await page.goto(`/#${encodeShareFragment(bad as unknown as ScenarioInput)}`);
  await expect(banner).toBeVisible();
  await expect(banner.locator('li')).not.toHaveCount(0);
  await expect(banner).toContainText('nodes[0].concurrency');
  await expect(page.locator('.react-flow__node').getByText('Checkout', { exact: true })).toBeVisible();
});

test('the browser computes exactly what Node computes', async ({ page }) => {
  const v = validateScenario(small);
  if (!v.ok) throw new Error(`invalid test scenario: ${JSON.stringify(v.problems)}`);
  const run = createRun(v.scenario);
  run.runToEnd();
  const expected = run.summary();

  await page.goto(withHook());
  await expect(page.getByTestId('scenario-name')).toHaveText(String(defaultScenario.name));
  const inPage = (await page.evaluate((doc) => (window as unknown as HookWindow).__faultline.runToEnd(doc), small as unknown)) as RunSummary;

  if (inPage.traceHash !== expected.traceHash) {
    // Say where the two runs part: the first event that differs.
    const theirs = (await page.evaluate((doc) => (window as unknown as HookWindow).__faultline.eventLogToEnd(doc, 10_000), small as unknown)) as LoggedEvent[];
    const ours = run.eventLog(10_000);
    const at = ours.findIndex((e, i) => JSON.stringify(e) !== JSON.stringify(theirs[i]));
    // ECMA-262 leaves Math.log, exp, pow, sin... "implementation-approximated": name the ones
    // whose last bits differ between the two engines, the usual cause.
    const probe = () => {
      const out: Record<string, number[]> = { log: [], exp: [], pow: [], sin: [] };
      for (let i = 1; i <= 2000; i++) {
        const u = i / 2001;
        out.log!.push(Math.log(u));
        out.exp!.push(Math.exp(u * 10 - 5));
        out.pow!.push(Math.pow(u * 3, 1.7));
        out.sin!.push(Math.sin(u * 6));
      }
      return out;
    };
    const here = probe();
    const there = await page.evaluate(probe);
    const differ = Object.keys(here).filter((k) => here[k]!.some((x, i) => x !== there[k]![i]));
    throw new Error(
      `trace hash differs: Node ${expected.traceHash}, Chromium ${inPage.traceHash}. ` +
        `First differing event of the log tail (#${at}):\n  Node:     ${JSON.stringify(ours[at])}\n  Chromium: ${JSON.stringify(theirs[at])}\n` +
        `Math functions that round differently in the two engines: ${differ.join(', ') || 'none found'}.`,
    );
  }
  expect(inPage).toEqual(expected);
});

test('a shared link reopens to the same numbers', async ({ page, context }) => {
  await page.goto(withHook(`#${encodeShareFragment(small)}`));
  await expect(page.getByTestId('scenario-name')).toHaveText('Determinism check');
  await expect(page.locator('.react-flow__node').getByText('Database', { exact: true })).toBeVisible();
  const seen = await playToEnd(page);
  expect(seen.sent).toBeGreaterThan(0);
  // Played in slices at "max" or run straight through, the same run.
  const straight = (await page.evaluate((doc) => (window as unknown as HookWindow).__faultline.runToEnd(doc), small as unknown)) as RunSummary;
  expect(seen).toEqual(panelOf(straight));

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('toast')).toBeVisible();
  const link = await page.evaluate(() => (window as unknown as HookWindow).__faultline.lastCopiedLink());
  expect(link).toMatch(/^http:\/\/localhost:\d+\/#s=2\./);

  const other = await context.newPage();
  await other.goto(link!);
  await expect(other.getByTestId('scenario-name')).toHaveText('Determinism check');
  await expect(other.getByTestId('error-banner')).toHaveCount(0);
  expect(await playToEnd(other)).toEqual(seen);
  await expect(other.getByTestId('clock')).toHaveText('00:20.000');
});
