/**
 * Accessibility: axe (the WCAG 2 A and AA rules) finds no serious or critical violation on each
 * view of the app (the default view, the inspector, every dialog, presenter and embed mode, a
 * lesson step, compare view); the minor and moderate ones are printed. And the keyboard: the
 * canvas's menu opens from a focused node or edge and is walked with the arrows, edges are
 * reached with Tab, Space and the arrows still play and seek after the time slider was used.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { test, withHook } from './helpers';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

// axe reads the whole page at each view: on a loaded machine that takes a while.
test.describe.configure({ timeout: 240_000 });

/** Runs axe over the page (or the part `include` selects): serious and critical violations fail, the rest are printed. */
async function audit(page: Page, view: string, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(TAGS);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const line = (v: (typeof violations)[number]) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes
    .slice(0, 3)
    .map((n) => n.target.join(' '))
    .join(' | ')})`;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const rest = violations.filter((v) => !blocking.includes(v));
  for (const v of rest) console.log(`[axe ${view}] ${line(v)}`);
  const detail = (v: (typeof violations)[number]) => `${line(v)}\n    ${v.nodes
    .slice(0, 4)
    .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`)
    .join('\n    ')}`;
  // Soft: every view is audited, and all of what they break is listed at once.
  expect.soft(blocking.map(detail), `serious or critical axe violations in ${view}`).toEqual([]);
}

async function opened(page: Page, fragment: string) {
  await page.goto(withHook(fragment));
  await expect(page.getByTestId('scenario-name')).not.toHaveText('');
  await expect(page.getByLabel('Seek simulated time')).toBeEnabled();
}

test('axe: the default view, the inspector and the header menu', async ({ page }) => {
  await opened(page, '');
  await audit(page, 'default view');
  await page.locator('.react-flow__node').first().click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  await audit(page, 'inspector');
  await page.getByTestId('more-menu').click();
  await audit(page, 'more menu');
});

test('axe: each dialog', async ({ page }) => {
  await opened(page, '');
  const dialog = page.getByRole('dialog');
  const close = async () => {
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  };
  // Keyboard shortcuts (?), embed, lessons, challenges: from the menu.
  for (const id of ['help', 'embed', 'lessons', 'challenges']) {
    await page.getByTestId('more-menu').click();
    await page.getByTestId(`menu-${id}`).click();
    await expect(dialog).toBeVisible();
    await audit(page, `dialog ${id}`);
    await close();
  }
  await page.getByTestId('presets').click();
  await expect(dialog).toBeVisible();
  await audit(page, 'dialog presets');
  await close();
  // A fork starts from a moment of the run.
  await page.getByLabel('Seek simulated time').fill('5000');
  await page.getByTestId('compare-open').click();
  await expect(dialog).toBeVisible();
  await audit(page, 'dialog compare');
  await close();
  // "What if from here…" and "Sweep a setting…" are in the overflow menu.
  for (const id of ['fork', 'sweep']) {
    await page.getByTestId('more-menu').click();
    await expect(page.getByTestId(`menu-${id}`)).toBeEnabled();
    await page.getByTestId(`menu-${id}`).click();
    await expect(dialog).toBeVisible();
    await audit(page, `dialog ${id}`);
    await close();
  }
  await page.getByRole('button', { name: 'Import or export configuration' }).click();
  await expect(page.getByTestId('config-dialog')).toBeVisible();
  await audit(page, 'dialog import/export');
  await close();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await audit(page, 'copy link');
  // A node's context menu.
  await page.locator('.react-flow__node').first().click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await audit(page, 'context menu');
});

test('axe: presenter mode, embed mode, a lesson step, compare view', async ({ page }) => {
  await opened(page, '#preset=bulkhead&present=1');
  await audit(page, 'presenter mode');
  await opened(page, '#preset=bulkhead&embed=1');
  await audit(page, 'embed mode');
  await opened(page, '#lesson=timeouts&step=0');
  await expect(page.getByTestId('step-title')).toBeVisible();
  await audit(page, 'lesson step');
  await opened(page, '#preset=retry-storm');
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await audit(page, 'compare view');
});

test('axe in the dark colour scheme: the default view with the inspector, and compare view', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await opened(page, '');
  await page.locator('.react-flow__node').first().click();
  await expect(page.getByTestId('inspector')).toBeVisible();
  await audit(page, 'dark: inspector');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-help').click();
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await audit(page, 'dark: help');
  await page.keyboard.press('Escape');
  await page.getByTestId('compare-open').click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await audit(page, 'dark: compare dialog');
  await page.keyboard.press('Escape');
  await opened(page, '#preset=retry-storm');
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await audit(page, 'dark: compare view');
});

test('keyboard: the canvas menu opens on a focused node and edge, is walked with the arrows, and gives the focus back', async ({ page }) => {
  await opened(page, '');
  const node = page.locator('.react-flow__node').first();
  await node.focus();
  await page.keyboard.press('Shift+F10');
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  // The first item has the focus; the arrows go round the items.
  const items = menu.locator('[role="menuitem"], [role="menuitemradio"]');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(items.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(items.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(node).toBeFocused();

  // Tab reaches the edges (before the nodes: Shift+Tab from one); the menu key opens an edge's menu; Enter on
  // "Inspect settings…" opens the edge in the inspector.
  const edge = page.locator('.react-flow__edge').first();
  await expect(edge).toHaveAttribute('tabindex', '0');
  const label = await edge.getAttribute('aria-label');
  expect(label).toMatch(/→/);
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Shift+Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('react-flow__edge') ?? false);
  }
  expect(reached, 'Tab reaches an edge').toBe(true);
  const focusedEdge = page.locator('.react-flow__edge:focus');
  const edgeId = await focusedEdge.getAttribute('data-id');
  await page.keyboard.press('ContextMenu');
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute('aria-label', /→/);
  await expect(items.first()).toHaveText('Inspect settings…');
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('inspector')).toBeVisible();
  await expect(page.locator(`.react-flow__edge[data-id="${edgeId}"]`)).toBeFocused();
});

test('keyboard: Enter selects a focused edge, Delete deletes it (and Ctrl+Z brings it back)', async ({ page }) => {
  await opened(page, '');
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  expect(before).toBeGreaterThan(1);
  // A call between two services (a client's one target cannot go).
  const edge = page.locator('.react-flow__edge[data-id^="call:"]').first();
  const id = await edge.getAttribute('data-id');
  await edge.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toBeVisible();
  await edge.focus();
  await page.keyboard.press('Delete');
  await expect(page.locator(`.react-flow__edge[data-id="${id}"]`)).toHaveCount(0);
  await expect(edges).toHaveCount(before - 1);
  await page.locator('body').press('Control+z');
  await expect(edges).toHaveCount(before);
});

test('keyboard: Space and the arrows play and seek after the time slider was used, with the pointer or focused', async ({ page }) => {
  await opened(page, '');
  const slider = page.getByLabel('Seek simulated time');
  const state = page.getByTestId('playback-state');
  const clockMs = async () => Number(await slider.getAttribute('value'));
  // The pointer on the slider: a seek; then the page's keys work.
  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
  await expect.poll(clockMs).toBeGreaterThan(0);
  await expect(slider).toBeEnabled();
  const at = await clockMs();
  await page.keyboard.press('ArrowRight');
  await expect.poll(clockMs).toBeGreaterThanOrEqual(at + 900);
  await page.keyboard.press(' ');
  await expect(state).toHaveText('playing');
  await page.keyboard.press(' ');
  await expect(state).toHaveText('paused');

  // Focused from the keyboard: ← / → seek 1 s as everywhere, Space plays, End goes to the end.
  await slider.focus();
  const here = await clockMs();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(clockMs).toBeLessThanOrEqual(here - 900);
  await page.keyboard.press(' ');
  await expect(state).toHaveText('playing');
  await page.keyboard.press(' ');
  await expect(state).toHaveText('paused');
  await slider.focus();
  await page.keyboard.press('End');
  await expect(state).toHaveText('finished', { timeout: 30_000 });

  // The help lists what the slider does.
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toContainText('on the time slider');
});

/** A dot drawn on the particle layer inside a screen box, away from the boxes and labels, or null. */
async function dotIn(page: Page, area: { left: number; top: number; right: number; bottom: number }, skip: { x: number; y: number }[]) {
  return page.evaluate(
    ({ area, skip }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="particle-layer"]')!;
      const box = canvas.getBoundingClientRect();
      const dpr = canvas.width / box.width;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let cy = Math.max(box.top, area.top); cy < Math.min(box.bottom, area.bottom); cy += 2) {
        for (let cx = Math.max(box.left, area.left); cx < Math.min(box.right, area.right); cx += 2) {
          const x = Math.round((cx - box.left) * dpr);
          const y = Math.round((cy - box.top) * dpr);
          if (data[(y * canvas.width + x) * 4 + 3]! < 250) continue;
          if (skip.some((s) => Math.abs(s.x - cx) < 12 && Math.abs(s.y - cy) < 12)) continue;
          const under = document.elementFromPoint(cx, cy);
          if (under && !under.closest('.react-flow__node, .legend, .react-flow__controls, .edge-label')) return { x: cx, y: cy };
        }
      }
      return null;
    },
    { area, skip },
  );
}

test('a dead-lettered message: its popover lists its x-death (queue, reason, count, exchange, routing keys)', async ({ page }) => {
  await opened(page, '#preset=poison-message-dlq');
  const dlx = (await page.locator('.react-flow__node[data-id="dlx"]').boundingBox())!;
  const dlq = (await page.locator('.react-flow__node[data-id="invoices-dlq"]').boundingBox())!;
  const invoices = (await page.locator('.react-flow__node[data-id="invoices"]').boundingBox())!;
  // Where dead-lettered messages travel: invoices → dlx → invoices-dlq.
  const area = { left: Math.min(invoices.x, dlx.x) - 10, top: invoices.y, right: dlq.x + 10, bottom: dlq.y + dlq.height };
  const popover = page.getByTestId('message-popover');
  const xdeath = popover.getByTestId('popover-xdeath');
  let found = false;
  for (let round = 0; round < 30 && !found; round++) {
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForTimeout(700);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('playback-state')).toHaveText('paused');
    await page.waitForTimeout(200);
    const tried: { x: number; y: number }[] = [];
    for (let k = 0; k < 6 && !found; k++) {
      const spot = await dotIn(page, area, tried);
      if (!spot) break;
      tried.push(spot);
      await page.mouse.click(spot.x, spot.y);
      if (!(await popover.isVisible())) continue;
      // Its events come from the worker's log.
      await expect(popover.locator('.popover-events, p.muted').first()).toBeVisible();
      if ((await xdeath.count()) > 0) found = true;
      else {
        await page.keyboard.press('Escape');
        await expect(popover).toHaveCount(0);
      }
    }
  }
  expect(found, 'a dead-lettered message was found on its way to the DLQ').toBe(true);
  await expect(popover).toContainText(/message \d+/);
  const head = xdeath.locator('thead th');
  await expect(head).toHaveText(['queue', 'reason', 'count', 'exchange', 'routing-keys']);
  const first = xdeath.locator('tbody tr').first().locator('td');
  await expect(first).toHaveText(['invoices', 'rejected', '1', 'orders', 'order.placed']);
  await audit(page, 'message popover', '[data-testid="message-popover"]');
});
