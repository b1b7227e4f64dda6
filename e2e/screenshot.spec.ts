/**
 * The README screenshot: the default scenario, playing, dots in flight, light scheme, the
 * 1440 x 900 viewport of the config. Saved to test-results/ on every run (so a test run leaves
 * the working tree clean); `UPDATE_SCREENSHOTS=1 npx playwright test e2e/screenshot.spec.ts`
 * writes docs/screenshot.png itself.
 */
import { expect } from '@playwright/test';
import { test } from './helpers';

test('README screenshot', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.locator('.react-flow__node').getByText('Checkout', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // A few seconds in: the counts are non-trivial and dots are on every edge.
  await expect.poll(async () => Number(await page.getByTestId('summary-sent').getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThan(120);
  await page.screenshot({ path: process.env.UPDATE_SCREENSHOTS ? 'docs/screenshot.png' : 'test-results/screenshot.png' });
});
