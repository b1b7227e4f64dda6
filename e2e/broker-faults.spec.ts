/**
 * Faults on a broker's edges, as a user injects them: open a broker preset, right-click its edges.
 * An edge inside the broker (a binding) offers no fault and says why; a consume link offers the
 * network faults but no error, and says why. A partition on the consume link stops deliveries —
 * the queue's depth climbs on the canvas, and the edge names the fault — and a duplicate fault
 * moves the summary's "duplicates processed". Saves 1280×720 screenshots (test-results/) of the menu
 * and of the canvas with the partition on.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { edgePoint, numberOf, playToEnd, settledView, test, withHook } from './helpers';

/** Right-clicks an edge on its line, a third of the way along (its label sits in the middle). */
async function rightClickEdge(page: Page, id: string): Promise<void> {
  const point = await edgePoint(page, `.react-flow__edge[data-id="${id}"]`, 1 / 3);
  await page.mouse.click(point.x, point.y, { button: 'right' });
}

/** Seeks to `ms`: the slider lands within a step of it (a few ms). */
async function seek(page: Page, ms: number): Promise<void> {
  await page.getByLabel('Seek simulated time').fill(String(ms));
  const clockMs = async () => {
    const [m, sec] = ((await page.getByTestId('clock').textContent()) ?? '').split(':');
    return Number(m) * 60_000 + Number(sec) * 1000;
  };
  await expect.poll(async () => Math.abs((await clockMs()) - ms)).toBeLessThan(50);
  await expect(page.getByLabel('Seek simulated time')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
}

/** The queue depth the canvas shows on a queue's box. */
async function depth(page: Page, queue: string): Promise<number> {
  return Number((await page.getByTestId(`stat-${queue}-depth`).locator('.stat-value').textContent())?.replace(/[^\d]/g, ''));
}

test('faults on broker edges from the right-click menu: refused with a sentence, or moving the run', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(withHook('#preset=topic-vs-fanout'));
  await expect(page.getByTestId('scenario-name')).toHaveText('Topic vs fanout routing of order.placed');
  await settledView(page);
  const menu = page.getByTestId('context-menu');

  // Without a fault, notifier keeps up: nothing waits in email at 12 s.
  await seek(page, 12_000);
  expect(await depth(page, 'email')).toBe(0);
  await seek(page, 2_000);

  // A binding routes inside the broker: no fault to inject, and the menu says why.
  await rightClickEdge(page, 'binding:events->email');
  await expect(menu).toBeVisible();
  await expect(menu.locator('[data-testid^="inject-"]')).toHaveCount(0);
  await expect(menu.getByTestId('menu-fault-note')).toContainText('inside the broker');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  // The consume link: the network faults, no error — and the sentence that says why.
  await rightClickEdge(page, 'consume:email->notifier');
  await expect(menu).toBeVisible();
  for (const kind of ['latency', 'partition', 'drop', 'duplicate', 'reorder']) await expect(menu.getByTestId(`inject-${kind}`)).toBeVisible();
  await expect(menu.getByTestId('inject-error')).toHaveCount(0);
  await expect(menu.getByTestId('inject-partition')).toContainText('held until it heals');
  await expect(menu.getByTestId('menu-fault-note')).toContainText('carries no status for an error to set');
  await page.screenshot({ path: 'test-results/broker-fault-menu.png' });
  await expect(menu.getByRole('menuitemradio', { name: '15 s' })).toHaveAttribute('aria-checked', 'true');
  await menu.getByRole('menuitem', { name: 'Inject partition on email->notifier for 15 s' }).click();
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('fault-list')).toContainText('partition');

  // Deliveries stop while it lasts: email's depth climbs on the canvas, and the edge names the fault.
  await seek(page, 12_000);
  expect(await depth(page, 'email')).toBeGreaterThan(50);
  await expect(page.getByTestId('edge-email-notifier')).toContainText('⚡ partition');
  await page.screenshot({ path: 'test-results/broker-fault-partition.png' });

  // After it heals the held deliveries cross and the backlog drains.
  await seek(page, 25_000);
  expect(await depth(page, 'email')).toBe(0);
  await expect(page.getByTestId('edge-email-notifier')).not.toContainText('partition');

  // A duplicate on the same link: notifier is not idempotent, so the summary's duplicates move.
  expect(await numberOf(page, 'summary-duplicates')).toBe(0);
  await rightClickEdge(page, 'consume:email->notifier');
  await menu.getByRole('menuitemradio', { name: '5 s', exact: true }).click();
  await menu.getByRole('menuitem', { name: 'Inject duplicate on email->notifier for 5 s' }).click();
  await expect(page.getByTestId('fault-list')).toContainText('duplicate');
  await playToEnd(page);
  expect(await numberOf(page, 'summary-duplicates')).toBeGreaterThan(10);
  await expect(page.getByTestId('summary-invariants')).toHaveAttribute('data-value', 'true');
});
