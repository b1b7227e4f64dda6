/**
 * The journey a workshop takes: open a preset, play, crash a dependency from the context menu,
 * watch the breaker open on the canvas, share the link, reopen it in a fresh page and get the
 * same numbers and trace hash. Also: settings changed in the inspector re-run from t=0, the
 * keyboard shortcuts, stepping to the end of a request, and a dead-letter queue filling.
 * Saves the breaker-open and DLQ screenshots on the way: to test-results/, or to docs/ (the README's)
 * with UPDATE_SCREENSHOTS=1, so a test run leaves the working tree clean.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { decodeShareFragment } from '../src/scenario/codec';
import type { ScenarioInput } from '../src/scenario/schema';
import type { RunSummary } from '../src/run/types';
import { numberOf, panelOf, playToEnd, settledView, test, withHook } from './helpers';

interface Hook {
  runToEnd(doc: unknown): Promise<unknown>;
  lastCopiedLink(): string | null;
}
type HookWindow = { __faultline: Hook };

function documentOf(link: string): ScenarioInput {
  const decoded = decodeShareFragment(link);
  if (!decoded.ok) throw new Error(`the link does not decode: ${decoded.error}`);
  return decoded.document as ScenarioInput;
}

test('crash a dependency from the menu, the breaker opens, the link replays the same run', async ({ page, context }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(withHook('#preset=timeout-breaker-fallback'));
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  // The preset link becomes a share link, and the preset's notes are beside the canvas.
  await expect(page).toHaveURL(/#s=2\./);
  await expect(page.getByTestId('preset-notes')).toContainText('breakerOpens');
  await expect(page.getByTestId('breaker-orders-inventory')).toHaveAttribute('data-state', 'CLOSED');

  await page.getByLabel('Speed').selectOption('2');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => numberOf(page, 'summary-sent'), { timeout: 15_000 }).toBeGreaterThan(60);

  // Right-click inventory: only the faults a service can suffer; crash it for 15 s.
  await page.getByTestId('node-inventory').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: /^Inject crash/ })).toBeVisible();
  await menu.getByRole('menuitemradio', { name: '15 s' }).click();
  await menu.getByRole('menuitem', { name: 'Inject crash on inventory for 15 s' }).click();
  await expect(menu).toHaveCount(0);

  // Five refused calls in a row open the breaker: on the node and on the edge.
  await expect(page.getByTestId('breaker-orders-inventory')).toHaveAttribute('data-state', 'OPEN', { timeout: 15_000 });
  await expect(page.getByTestId('edge-breaker-orders-inventory')).toHaveAttribute('data-state', 'OPEN');
  await expect(page.getByTestId('fault-list')).toContainText('crash');
  await expect(page.getByTestId('fault-list')).toContainText('live · active');
  await expect(page.getByTestId('fault-bands').locator('.fault-band.is-live')).toHaveCount(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 6_000 });
  await page.screenshot({ path: `${process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results'}/breaker-open.png` });

  // The link carries the live fault, recorded at the simulated time it was injected.
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => (window as unknown as HookWindow).__faultline.lastCopiedLink());
  expect(link).toMatch(/^http:\/\/localhost:\d+\/#s=2\./);
  const doc = documentOf(link!);
  const live = doc.faults!.find((f) => f.source === 'live');
  expect(live).toMatchObject({ kind: 'crash', target: 'inventory' });
  expect(live!.untilMs! - live!.atMs).toBeCloseTo(15_000, 3);

  const seen = await playToEnd(page);
  expect(seen.sent).toBeGreaterThan(2000);
  // Played live with an injection, or run straight from the link's document: the same run.
  const straight = (await page.evaluate((d) => (window as unknown as HookWindow).__faultline.runToEnd(d), doc as unknown)) as RunSummary;
  expect(seen).toEqual(panelOf(straight));
  expect(straight.nodes.orders!.breakerOpens).toBeGreaterThan(0);

  const other = await context.newPage();
  await other.goto(link!);
  await expect(other.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  await expect(other.getByTestId('error-banner')).toHaveCount(0);
  await expect(other.getByTestId('fault-list')).toContainText('live');
  expect(await playToEnd(other)).toEqual(seen);
});

test('a settings change in the inspector re-runs from t=0 to now, and bad values are shown inline', async ({ page }) => {
  await page.goto(withHook('#preset=timeout-breaker-fallback'));
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  await page.getByLabel('Seek simulated time').fill('10020');
  await expect(page.getByTestId('clock')).toHaveText('00:10.020');

  await page.getByTestId('node-orders').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('service orders');
  await expect(inspector).toContainText('Workers per instance');
  const concurrency = inspector.getByLabel('concurrency', { exact: true });
  await expect(concurrency).toHaveValue('10');

  // Inline validation: the problem shows under the field and Apply is off.
  await concurrency.fill('0');
  await expect(inspector.getByTestId('inspector-problems')).toContainText('concurrency');
  await expect(inspector.getByRole('button', { name: 'Apply and re-run' })).toBeDisabled();

  await concurrency.fill('3');
  await expect(inspector.getByTestId('inspector-problems')).toHaveCount(0);
  const before = page.url();
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect.poll(() => page.url()).not.toBe(before);
  await expect(page.getByTestId('clock')).toHaveText('00:10.020');
  const doc = documentOf(page.url());
  expect(doc.nodes.find((n) => n.id === 'orders')).toMatchObject({ concurrency: 3 });

  // The page at 10 s equals a straight run of the new document to its end? Compare the end.
  const seen = await playToEnd(page);
  const straight = (await page.evaluate((d) => (window as unknown as HookWindow).__faultline.runToEnd(d), doc as unknown)) as RunSummary;
  expect(seen).toEqual(panelOf(straight));

  // An edge opens its call's policies: the breaker is a model to pick, with its own fields.
  await page.getByTestId('edge-orders-inventory').click();
  await expect(inspector).toContainText('call orders → inventory');
  await expect(inspector.getByLabel('breaker kind')).toHaveValue('0');
  await expect(inspector.getByLabel('failureThreshold', { exact: true })).toHaveValue('5');
});

test('keyboard: ? lists the shortcuts, Space plays, arrows seek, + and - change speed', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('scenario-name')).not.toHaveText('');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await expect(page.getByTestId('help-overlay')).toContainText('seek back / forward 1 s');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toHaveCount(0);

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('clock')).toHaveText('00:01.000');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('clock')).toHaveText('00:11.000');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('clock')).toHaveText('00:10.000');

  await expect(page.getByLabel('Speed')).toHaveValue('1');
  await page.keyboard.press('+');
  await expect(page.getByLabel('Speed')).toHaveValue('2');
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect(page.getByLabel('Speed')).toHaveValue('0.5');

  await page.keyboard.press(' ');
  await expect(page.getByTestId('playback-state')).toHaveText('playing');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('playback-state')).toHaveText('paused');
});

test('step to the end of the next request', async ({ page }) => {
  await page.goto('/#preset=timeout-breaker-fallback');
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  // The header's overflow menu holds it (and the N key).
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: /Step to the end of the next request/ }).click();
  await expect.poll(async () => (await numberOf(page, 'summary-ok')) + (await numberOf(page, 'summary-failed'))).toBe(1);
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: /Step to the end of the next request/ }).click();
  await expect.poll(async () => (await numberOf(page, 'summary-ok')) + (await numberOf(page, 'summary-failed'))).toBe(2);
  await expect(page.getByTestId('playback-state')).toHaveText('paused');
});

test('the presets open from the picker, and a poison message fills the DLQ', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await page.getByRole('button', { name: 'Presets' }).click();
  await expect(page.getByRole('dialog', { name: 'Presets' })).toContainText('Poison messages');
  await page.getByTestId('preset-poison-message-dlq').click();
  await expect(page.getByTestId('scenario-name')).toHaveText(/poison/i);
  await expect(page.getByTestId('preset-notes')).toBeVisible();
  await expect(page.getByTestId('node-invoices').getByText('dead-lettered')).toBeVisible();

  await page.getByLabel('Speed').selectOption('10');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // Poison messages are dead-lettered by invoices and pile up in the DLQ, which nobody consumes.
  await expect.poll(async () => Number((await page.getByTestId('stat-invoices-dlq').locator('.stat-value').textContent())?.replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(12);
  await expect.poll(async () => Number((await page.getByTestId('stat-invoices-dlq-depth').locator('.stat-value').textContent())?.replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(12);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results'}/dlq.png` });
});

test('click a moving dot: its request, correlation id and attempts', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('scenario-name')).not.toHaveText('');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => numberOf(page, 'summary-sent'), { timeout: 15_000 }).toBeGreaterThan(40);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(300);
  // Paused, the dots stay where they are: find one on the particle canvas, away from the boxes.
  const spot = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="particle-layer"]')!;
    const box = canvas.getBoundingClientRect();
    const dpr = canvas.width / box.width;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let y = 2; y < canvas.height - 2; y += 2) {
      for (let x = 2; x < canvas.width - 2; x += 2) {
        if (data[(y * canvas.width + x) * 4 + 3]! < 250) continue;
        const cx = box.left + x / dpr;
        const cy = box.top + y / dpr;
        const under = document.elementFromPoint(cx, cy);
        if (under && !under.closest('.react-flow__node, .legend, .react-flow__controls, .edge-label')) return { x: cx, y: cy };
      }
    }
    return null;
  });
  expect(spot).not.toBeNull();
  await page.mouse.click(spot!.x, spot!.y);
  const popover = page.getByTestId('message-popover');
  await expect(popover).toBeVisible();
  await expect(popover).toContainText(/request \d+|message \d+/);
  await expect(popover).toContainText('fate');
  await expect(popover.getByTestId('popover-attempts')).toHaveText(/^\d+$/);
  await page.keyboard.press('Escape');
  await expect(popover).toHaveCount(0);
});

test('save the scenario as JSON and open it again from the file', async ({ page }) => {
  await page.goto('/#preset=timeout-breaker-fallback');
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  await page.getByRole('button', { name: 'More' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Save the scenario as JSON' }).click()]);
  expect(download.suggestedFilename()).toBe('timeouts-and-a-breaker-stop-the-cascade.faultline.json');
  const { readFileSync } = await import('node:fs');
  const saved = JSON.parse(readFileSync((await download.path())!, 'utf8')) as ScenarioInput;
  expect(saved.name).toBe('Timeouts and a breaker stop the cascade');

  // Open the default scenario, then the saved file: back to the preset, from t=0.
  await page.goto('/');
  await expect(page.getByTestId('scenario-name')).not.toHaveText('Timeouts and a breaker stop the cascade');
  await page.getByTestId('open-file').setInputFiles({ name: 'saved.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...saved, name: 'From a file' })) });
  await expect(page.getByTestId('scenario-name')).toHaveText('From a file');
  await expect(page.getByTestId('clock')).toHaveText('00:00.000');
  await expect(page).toHaveURL(/#s=2\./);

  // A file that is not a valid scenario says why and keeps the one on screen.
  await page.getByTestId('open-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...saved, durationMs: -5 })) });
  await expect(page.getByTestId('error-banner')).toContainText('durationMs');
  await expect(page.getByTestId('scenario-name')).toHaveText('From a file');
});

/** Visible controls without an accessible name (aria-label, labelledby, a label, or their text). */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('button, select, input, textarea, [role="menuitem"], [role="menuitemradio"]'))) {
      if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || el.closest('[hidden]')) continue;
      const labelled = el
        .getAttribute('aria-labelledby')
        ?.split(/\s+/)
        .map((id: string) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
      const label = labels ? Array.from(labels).map((l) => l.textContent).join(' ') : '';
      const own = el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? '' : el.textContent;
      const name = `${el.getAttribute('aria-label') ?? ''} ${labelled ?? ''} ${label} ${own ?? ''}`.trim();
      if (name === '') out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

test('every control has an accessible name: the bar, the toolbar, the inspector, the menu, the dialogs', async ({ page }) => {
  await page.goto('/#preset=poison-message-dlq');
  await expect(page.getByTestId('scenario-name')).toHaveText(/oison/);
  expect(await unnamedControls(page)).toEqual([]);
  for (const target of ['node-invoicing', 'node-invoices', 'node-users']) {
    await page.getByTestId(target).click();
    await expect(page.getByTestId('inspector')).toBeVisible();
    expect(await unnamedControls(page), target).toEqual([]);
  }
  await page.getByTestId('edge-invoices-invoicing').click({ position: { x: 2, y: 2 } });
  await page.getByTestId('node-checkout').click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  expect(await unnamedControls(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Presets' }).click();
  expect(await unnamedControls(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'More' }).click();
  expect(await unnamedControls(page)).toEqual([]);
  await page.getByRole('menuitem', { name: /Keyboard shortcuts/ }).click();
  expect(await unnamedControls(page)).toEqual([]);
});

test('the toolbar injects a fault of a chosen strength; a fault of the timeline opens in the inspector', async ({ page }) => {
  await page.goto('/#preset=timeout-breaker-fallback');
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  await page.getByLabel('Seek simulated time').fill('3000');
  await expect(page.getByTestId('clock')).toHaveText('00:03.000');

  // The inject form is in the side panel's Inspect tab.
  await page.getByTestId('side-tab-inspect').click();
  await page.getByLabel('Fault target').selectOption('inventory');
  await page.getByLabel('Fault kind').selectOption('error');
  await page.getByLabel('Fault strength: share failing').fill('0.25');
  await page.getByLabel('Fault duration').selectOption({ label: 'until ended' });
  await page.getByRole('button', { name: 'Inject the fault now' }).click();
  await expect(page.getByTestId('fault-1')).toContainText('error');
  await expect(page.getByTestId('fault-1')).toContainText('00:03.000 → end');
  expect(documentOf(page.url()).faults![1]).toMatchObject({ kind: 'error', target: 'inventory', probability: 0.25, atMs: 3000, untilMs: null, source: 'live' });

  // Out of range: the toolbar will not inject it.
  await page.getByLabel('Fault strength: share failing').fill('3');
  await expect(page.getByRole('button', { name: 'Inject the fault now' })).toBeDisabled();

  // Edit the live fault: make it a crash; its target and start stay.
  await page.getByRole('button', { name: 'Edit error on inventory' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('fault error on inventory');
  await inspector.getByLabel('kind', { exact: true }).selectOption({ label: 'crash' });
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect(page.getByTestId('fault-1')).toContainText('crash');
  expect(documentOf(page.url()).faults![1]).toMatchObject({ kind: 'crash', target: 'inventory', atMs: 3000, untilMs: null, source: 'live' });
  await expect(page.getByTestId('clock')).toHaveText('00:03.000');

  // End it now.
  await page.getByLabel('Seek simulated time').fill('6000');
  await expect(page.getByTestId('clock')).toHaveText('00:06.000');
  await page.getByRole('button', { name: 'End crash on inventory now' }).click();
  await expect.poll(() => documentOf(page.url()).faults![1]!.untilMs).toBe(6000);
  await expect(page.getByTestId('fault-1')).toContainText('past');
});

test('a dragged box is written into the layout, so the link opens the same arrangement', async ({ page, context }) => {
  await page.goto('/#preset=timeout-breaker-fallback');
  await expect(page.getByTestId('scenario-name')).toHaveText('Timeouts and a breaker stop the cascade');
  const before = documentOf(page.url()).layout!.inventory!;
  await settledView(page);
  const box = (await page.getByTestId('node-inventory').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + 60, { steps: 5 });
  await page.mouse.move(box.x + box.width / 2, box.y + 132, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => documentOf(page.url()).layout!.inventory!.y).toBeGreaterThan(before.y + 20);
  expect(documentOf(page.url()).layout!.inventory!.x).toBeCloseTo(before.x, -1);

  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('node-inventory')).toBeVisible();
  const a = (await other.getByTestId('node-inventory').boundingBox())!;
  const b = (await other.getByTestId('node-orders').boundingBox())!;
  // Inventory now sits below orders.
  expect(a.y - b.y).toBeGreaterThan(20);
});
