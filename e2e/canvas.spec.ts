/**
 * Building on the canvas: from an empty scenario, clients → service → database by palette and
 * wiring, run, delete a node, undo, redo — each time the numbers equal those of the same document
 * written by hand. Also: a pair that allows nothing says why where the drag ends; rename; the
 * scenario's own settings (the seed); copy, paste and auto-layout; RabbitMQ definitions in and
 * out; a call's policies as resilience4j YAML and back.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunSummary } from '../src/run/types';
import { edgePoint, panel, panelOf, playToEnd, test, wire, withHook } from './helpers';

type HookWindow = { __faultline: { runToEnd(doc: unknown): Promise<unknown> } };

async function runByHand(page: Page, doc: unknown) {
  const s = (await page.evaluate((d) => (window as unknown as HookWindow).__faultline.runToEnd(d), doc)) as RunSummary;
  expect(s.traceHash, JSON.stringify(s)).toBeTruthy();
  return panelOf(s);
}

/** Right-clicks a canvas edge of a kind on its line, away from its label in the middle. */
async function rightClickEdge(page: Page, kind: string) {
  const point = await edgePoint(page, `.react-flow__edge.edge-${kind}`);
  await page.mouse.click(point.x, point.y, { button: 'right' });
}

const BY_HAND = {
  format: 'faultline/1',
  name: 'Untitled scenario',
  seed: 'faultline',
  durationMs: 60000,
  nodes: [
    { id: 'api', kind: 'service', calls: [{ target: 'db' }] },
    { id: 'db', kind: 'service' },
    { id: 'client-1', kind: 'client', target: 'api' },
  ],
};

test('build clients → service → database from nothing, run, delete, undo, redo: the numbers of the same document written by hand', async ({ page }) => {
  await page.goto(withHook());
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // A client needs somewhere to send: the palette says so rather than adding nothing.
  await page.getByRole('button', { name: 'Add a client' }).click();
  await expect(page.getByTestId('toast')).toContainText('a client needs a service or a gateway to send to');

  await page.getByRole('button', { name: 'Add a service' }).click();
  await expect(page.getByTestId('node-service-1')).toBeVisible();
  // Drag the second service from the palette onto the canvas.
  const box = (await page.locator('.react-flow').boundingBox())!;
  await page.getByTestId('palette-service').dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: box.width - 160, y: box.height - 120 } });
  await expect(page.getByTestId('node-service-2')).toBeVisible();
  await page.getByRole('button', { name: 'Add a client' }).click();
  await expect(page.getByTestId('node-client-1')).toBeVisible();
  await expect(page.getByTestId('toast')).toContainText('client-1: target: service-1');
  await page.screenshot({ path: 'test-results/canvas-build-added.png' });

  // Rename both services from their menus: every reference follows.
  await page.getByTestId('node-service-1').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByTestId('rename-input').fill('api');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId('node-api')).toBeVisible();
  await page.getByTestId('node-service-2').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByTestId('rename-input').fill('API');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByRole('alert')).toContainText('id: may hold lowercase letters, digits and dashes only');
  await page.getByTestId('rename-input').fill('db');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId('node-db')).toBeVisible();

  // Wire api → db (a call); a pair that allows nothing says why, where the drag ended.
  await wire(page, 'api', 'db');
  await expect(page.getByTestId('toast')).toContainText('Call api → db');
  await wire(page, 'db', 'client-1');
  await expect(page.getByTestId('connect-why')).toContainText('A service → a client: nothing to create. From a service: a call to a service or a gateway');
  await page.getByTestId('connect-prompt').getByRole('button', { name: 'OK' }).click();
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByTestId('toast')).toContainText('Laid out left to right');
  await page.screenshot({ path: 'test-results/canvas-build-wired.png' });

  // Run it: the numbers of the document written by hand.
  const built = await playToEnd(page);
  const byHand = await runByHand(page, BY_HAND);
  expect(built).toEqual(byHand);
  expect(built.ok).toBeGreaterThan(400);

  // Delete db: the call to it goes too, and the user is told.
  await page.getByTestId('node-db').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('toast')).toContainText('Delete db. Also: api: call to db removed');
  await expect(page.getByTestId('node-db')).toHaveCount(0);
  const withoutDb = { ...BY_HAND, nodes: [{ id: 'api', kind: 'service' }, BY_HAND.nodes[2]] };
  await expect.poll(() => panel(page)).toEqual(await runByHand(page, withoutDb));

  // Undo (keyboard) brings db and the call back; the numbers are the whole document's again.
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-db')).toBeVisible();
  await expect.poll(() => panel(page)).toEqual(byHand);
  // Redo (button) deletes it again.
  await page.getByRole('button', { name: 'Redo delete db' }).click();
  await expect(page.getByTestId('node-db')).toHaveCount(0);
  await expect.poll(() => panel(page)).toEqual(await runByHand(page, withoutDb));
  // Ctrl+Shift+Z with nothing to redo does nothing; undo all the way back to the empty canvas.
  await expect(page.getByTestId('redo')).toBeDisabled();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-db')).toBeVisible();
  // Browser history: the edits replaced the address, so Back does not step through them.
  expect(await page.evaluate(() => history.length)).toBeLessThanOrEqual(2);
});

test('quick clicks on the palette each add a node, in order; auto-layout and its undo move the boxes; quick undos take them back one by one', async ({ page }) => {
  await page.goto(withHook());
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  await page.getByRole('button', { name: 'New empty scenario' }).click();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  // Three clicks faster than the worker takes an edit in: none is lost, and the client, added
  // after the services, sends to the first of them.
  const service = page.getByRole('button', { name: 'Add a service' });
  await service.click();
  await service.click();
  await page.getByRole('button', { name: 'Add a client' }).click();
  await expect(page.getByTestId('node-service-1')).toBeVisible();
  await expect(page.getByTestId('node-service-2')).toBeVisible();
  await expect(page.getByTestId('node-client-1')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  // Auto-layout moves the boxes on screen: left to right along the edges, the client first.
  const left = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!.x;
  expect(await left('client-1')).toBeGreaterThan(await left('service-2'));
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByTestId('toast')).toContainText('Laid out left to right');
  await expect.poll(async () => (await left('client-1')) < (await left('service-1'))).toBe(true);
  // Undo puts the boxes back where they were.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await left('client-1')) > (await left('service-2'))).toBe(true);

  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await expect(page.getByTestId('node-service-1')).toBeVisible();
});

test('the scenario’s own settings: the seed is editable, and undo puts it back', async ({ page }) => {
  await page.goto(withHook('#preset=hello-faultline'));
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  /** The seed as the header's "More" menu shows it. */
  const seedShown = async (): Promise<string | null> => {
    await page.getByRole('button', { name: 'More', exact: true }).click();
    const text = await page.getByTestId('seed').textContent();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('seed')).toHaveCount(0);
    return text;
  };
  const seedBefore = await seedShown();
  await page.getByRole('button', { name: 'Scenario settings' }).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Settings · the scenario');
  await inspector.getByLabel('seed', { exact: true }).fill('workshop-2');
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect.poll(seedShown).toBe('workshop-2');
  await page.getByTestId('undo').click();
  await expect.poll(seedShown).toBe(seedBefore);
  await page.keyboard.press('Control+y');
  await expect.poll(seedShown).toBe('workshop-2');
});

test('copy and paste nodes with new ids; delete an edge from its menu', async ({ page }) => {
  await page.goto(withHook('#preset=timeout-breaker-fallback'));
  await expect(page.getByTestId('node-inventory')).toBeVisible();
  const count = await page.locator('.react-flow__node').count();
  await page.getByTestId('node-inventory').click();
  await page.keyboard.press('Control+c');
  await expect(page.getByTestId('toast')).toContainText('Copied inventory');
  await page.keyboard.press('Control+v');
  await expect(page.getByTestId('node-inventory-1')).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(count + 1);
  await page.getByRole('button', { name: /^Undo paste/ }).click();
  await expect(page.getByTestId('node-inventory-1')).toHaveCount(0);

  // The call orders → inventory, deleted from the edge's menu.
  await rightClickEdge(page, 'call');
  await page.getByTestId('menu-delete').click();
  await expect(page.getByTestId('toast')).toContainText('Delete call of orders to inventory');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 6000 });
});

test('RabbitMQ definitions: pick a vhost, every unmapped setting listed, onto the canvas; a bad file names the line; export', async ({ page }) => {
  await page.goto(withHook('#preset=hello-faultline'));
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  const before = await page.locator('.react-flow__node').count();
  await page.getByRole('button', { name: 'Import or export configuration' }).click();
  const dialog = page.getByTestId('config-dialog');

  // Malformed JSON: the line is named and nothing changes.
  await dialog.getByTestId('rabbit-text').fill('{\n  "queues": [\n    { "name": "a", }\n  ]\n}');
  await dialog.getByTestId('rabbit-read').click();
  await expect(dialog.getByTestId('config-problems')).toContainText('line 3');
  await expect(page.locator('.react-flow__node')).toHaveCount(before);

  await dialog.getByTestId('rabbit-file').setInputFiles('test/fixtures/rabbitmq/production-mixed.json');
  await dialog.getByTestId('rabbit-vhost').selectOption('billing');
  await dialog.getByTestId('rabbit-read').click();
  await expect(dialog.getByTestId('rabbit-summary')).toContainText('Vhost billing');
  await expect(dialog.getByTestId('config-notes')).toContainText('x-max-length-bytes');
  await expect(dialog.getByTestId('config-notes')).toContainText('x-delayed-message');
  await dialog.getByTestId('rabbit-import').click();
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => page.locator('.react-flow__node').count()).toBeGreaterThan(before);
  await page.screenshot({ path: 'test-results/canvas-rabbitmq-imported.png' });

  await page.getByRole('button', { name: 'Import or export configuration' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('rabbit-export').click();
  const file = await (await download).path();
  const definitions = JSON.parse(readFileSync(file, 'utf8')) as { queues: { name: string }[]; exchanges: { name: string }[] };
  expect(definitions.queues.map((q) => q.name)).toContain('Invoices.Created');
  expect(definitions.exchanges.map((e) => e.name)).toContain('billing');
  await page.getByRole('button', { name: 'Close the import and export dialog' }).click();
  // The import is one edit: undo takes it back.
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(before);
});

test('a call’s policies out as resilience4j YAML, and a pasted snippet in; a bad one names its line', async ({ page }) => {
  await page.goto(withHook('#preset=timeout-breaker-fallback'));
  await expect(page.getByTestId('node-inventory')).toBeVisible();
  await rightClickEdge(page, 'call');
  await page.getByRole('menuitem', { name: 'Inspect settings…' }).click();
  const convert = page.getByTestId('policy-convert');
  await expect(convert).toContainText('Policies of orders->inventory');
  await expect(convert.getByTestId('policy-export')).toHaveValue(/^resilience4j:\n\s+timelimiter:\n\s+instances:\n\s+inventory:\n\s+timeoutDuration: 3s/);
  // The preset's consecutive breaker has no resilience4j equivalent: said, by name.
  await expect(convert.getByTestId('config-notes')).toContainText('breaker');
  await convert.getByRole('radio', { name: /opossum/ }).check();
  await expect(convert.getByTestId('policy-export-none')).toContainText('consecutive breaker');
  await convert.getByRole('radio', { name: /resilience4j/ }).check();

  await convert.getByTestId('policy-import-text').fill('resilience4j:\n  retry:\n    instances:\n      inventory:\n        maxAttempts: [3\n');
  await convert.getByTestId('policy-import').click();
  await expect(convert.getByTestId('policy-import-problems')).toContainText('line');

  await convert.getByTestId('policy-import-text').fill(
    'resilience4j:\n  retry:\n    instances:\n      inventory:\n        maxAttempts: 4\n        waitDuration: 200ms\n        enableExponentialBackoff: true\n        exponentialBackoffMultiplier: 2\n',
  );
  await convert.getByTestId('policy-import').click();
  await expect(page.getByTestId('toast')).toContainText('Import resilience4j into orders->inventory');
  await expect(page.getByTestId('policy-export')).toHaveValue(/maxAttempts: 4/);
  await page.screenshot({ path: 'test-results/canvas-policy-yaml.png' });
});
