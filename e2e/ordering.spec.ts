/**
 * Live faults on one instance, and the ordering story on the canvas: the inject form offers an
 * instance picker on a service with several instances (the fault records `instance`, the list
 * shows it); the out-of-order preset's state-machine consumer shows its counts on its node.
 */
import { expect } from '@playwright/test';
import { decodeShareFragment } from '../src/scenario/codec';
import type { ScenarioInput } from '../src/scenario/schema';
import { test, withHook } from './helpers';

function documentOf(link: string): ScenarioInput {
  const decoded = decodeShareFragment(link);
  if (!decoded.ok) throw new Error(`the link does not decode: ${decoded.error}`);
  return decoded.document as ScenarioInput;
}

test('a live crash of one instance: the picker offers each instance or all, and the fault records the one chosen', async ({ page }) => {
  await page.goto(withHook('#preset=one-slow-instance'));
  await expect(page.getByTestId('scenario-name')).toHaveText(/slow instance/i);
  await page.getByLabel('Seek simulated time').fill('3000');
  await expect(page.getByTestId('clock')).toHaveText('00:03.000');
  await page.getByTestId('side-tab-inspect').click();

  // A service with one instance: no picker.
  await page.getByLabel('Fault target').selectOption('api');
  await page.getByLabel('Fault kind').selectOption('crash');
  await expect(page.getByLabel('Fault instance')).toHaveCount(0);

  // Three instances: all, or 0, 1, 2.
  await page.getByLabel('Fault target').selectOption('search');
  await page.getByLabel('Fault kind').selectOption('crash');
  const picker = page.getByLabel('Fault instance');
  await expect(picker.locator('option')).toHaveText(['all 3', 'instance 0', 'instance 1', 'instance 2']);
  await expect(picker).toHaveValue('all');
  // A kind that cannot aim at one instance hides it.
  await page.getByLabel('Fault kind').selectOption('partition');
  await expect(page.getByLabel('Fault instance')).toHaveCount(0);
  await page.getByLabel('Fault kind').selectOption('crash');

  await page.getByLabel('Fault instance').selectOption('2');
  await page.getByLabel('Fault duration').selectOption({ label: '5 s' });
  await page.getByRole('button', { name: 'Inject the fault now' }).click();
  await expect(page.getByTestId('fault-1')).toContainText('crash');
  await expect(page.getByTestId('fault-1-instance')).toHaveText(' (instance 2)');
  const fault = documentOf(page.url()).faults![1]!;
  expect(fault).toMatchObject({ kind: 'crash', target: 'search', instance: 2, atMs: 3000, untilMs: 8000, source: 'live' });
  expect('instances' in fault).toBe(false);

  // Instance 2 is down on the canvas; the others are up.
  await page.getByLabel('Seek simulated time').fill('4000');
  await expect(page.getByTestId('instances-search').locator('[data-state]')).toHaveCount(3);
  await expect(page.getByTestId('instances-search').locator('li').nth(2)).toHaveAttribute('data-state', 'down');
  await expect(page.getByTestId('instances-search').locator('li').nth(0)).toHaveAttribute('data-state', 'up');

  // "all": the fault hits every instance (no instance key).
  // The slider moves in its own steps: close to 4 s.
  await expect(page.getByTestId('clock')).toHaveText(/^00:0(3\.9|4\.0)/);
  await page.getByLabel('Fault instance').selectOption('all');
  await page.getByRole('button', { name: 'Inject the fault now' }).click();
  await expect(page.getByTestId('fault-2')).toContainText('crash');
  await expect(page.getByTestId('fault-2-instance')).toHaveCount(0);
  const all = documentOf(page.url()).faults![2]!;
  expect(all).toMatchObject({ kind: 'crash', target: 'search', instances: 'all' });
  expect('instance' in all).toBe(false);
  expect(all.atMs).toBeGreaterThan(3900);
});

test('the right-click menu on a service with several instances aims a fault at one of them', async ({ page }) => {
  await page.goto(withHook('#preset=one-slow-instance'));
  await expect(page.getByTestId('scenario-name')).toHaveText(/slow instance/i);
  await page.getByLabel('Seek simulated time').fill('3000');
  await expect(page.getByTestId('clock')).toHaveText('00:03.000');
  await page.getByTestId('node-search').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu.getByRole('menuitemradio', { name: 'all instances' })).toHaveAttribute('aria-checked', 'true');
  await menu.getByRole('menuitemradio', { name: 'instance 1' }).click();
  await menu.getByRole('menuitemradio', { name: '5 s', exact: true }).click();
  await menu.getByRole('menuitem', { name: 'Inject hang on search instance 1 for 5 s' }).click();
  await expect(page.getByTestId('fault-1-instance')).toHaveText(' (instance 1)');
  expect(documentOf(page.url()).faults![1]).toMatchObject({ kind: 'hang', target: 'search', instance: 1, atMs: 3000, untilMs: 8000, source: 'live' });
  // A service with one instance offers no choice.
  await page.getByTestId('node-api').click({ button: 'right' });
  await expect(page.getByTestId('context-menu').getByRole('menuitemradio', { name: 'all instances' })).toHaveCount(0);
});

test('out-of-order events: the state-machine consumer shows its counts on its node (compare view: B is per-key queues)', async ({ page }) => {
  await page.goto(withHook('#preset=out-of-order-events'));
  await expect(page.getByTestId('scenario-name')).toHaveText(/Out-of-order events/);
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await page.getByLabel('Seek simulated time').fill('20000');
  await expect(page.getByTestId('clock')).toHaveText(/^00:(19\.9|20\.0)/);
  // A comparison opens in compare view, the canvas running its first variant: one queue per share
  // of the orders, so every event is applied in order.
  const node = page.getByTestId('node-projection');
  await expect(node.getByTestId('ordering-projection')).toBeVisible();
  await expect.poll(async () => Number(await node.getByTestId('stat-projection-applied').locator('.stat-value').textContent())).toBeGreaterThan(100);
  await expect(node.getByTestId('stat-projection-outOfOrder').locator('.stat-value')).toHaveText('0');
  await expect(node.getByTestId('stat-projection-stale').locator('.stat-value')).toHaveText('0');
});
