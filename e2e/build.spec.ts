/**
 * A workshop builds the course's architecture from nothing, by mouse and keyboard, at the sizes
 * of a projector and a laptop: a gateway routing to a service that calls another and publishes to
 * a topic exchange, a queue bound to it and consumed, a dead-letter exchange and its queue. Every
 * prompt is filled as a student would (a bad value first), nodes are renamed from their menus, an
 * exchange's type and a consumer's failures are set in the inspector. Played to its end, the run
 * equals the same document written by hand, requests reach the service instead of a 404 each, and
 * every message the consumer rejects is parked in the dead-letter queue.
 *
 * Also: copy and paste at keyboard speed selects the copies and moves no other box; a box dragged
 * against another moves only itself; a wire the pair already has says so; an orchestrator is added
 * and wired step by step.
 */
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { RunSummary } from '../src/run/types';
import { encodeShareFragment } from '../src/scenario/codec';
import type { ScenarioInput } from '../src/scenario/schema';
import { edgePoint, panelOf, playToEnd, settledView, test, wire, withHook } from './helpers';

type HookWindow = { __faultline: { runToEnd(doc: unknown): Promise<unknown>; summary(): RunSummary | null } };

/** The course's shop, as a person would write it: what the canvas must build. */
const SHOP = {
  format: 'faultline/1',
  name: 'Untitled scenario',
  seed: 'faultline',
  durationMs: 60000,
  nodes: [
    { id: 'gateway', kind: 'gateway', routes: [{ prefix: '/orders', target: 'orders' }] },
    { id: 'users', kind: 'client', target: 'gateway', requests: [{ path: '/orders', weight: 1 }] },
    { id: 'orders', kind: 'service', calls: [{ target: 'inventory' }], publishes: [{ exchange: 'events', routingKey: 'order.placed' }] },
    { id: 'inventory', kind: 'service' },
    { id: 'events', kind: 'exchange', type: 'topic' },
    { id: 'invoices', kind: 'queue', bindings: [{ exchange: 'events', key: 'order.*' }], deadLetter: { exchange: 'dlx' } },
    { id: 'invoicing', kind: 'service', consumes: [{ queue: 'invoices', errorRate: 0.05, onError: 'dead-letter' }] },
    { id: 'dlx', kind: 'exchange', type: 'fanout' },
    { id: 'invoices-dlq', kind: 'queue', bindings: [{ exchange: 'dlx' }] },
  ],
};

/** Clicks "Add a <kind>" and renames the node it made from its right-click menu. */
async function add(page: Page, kind: string, made: string, as: string) {
  await page.getByRole('button', { name: `Add a ${kind}` }).click();
  await expect(page.getByTestId(`node-${made}`)).toBeVisible();
  await settledView(page);
  await page.getByTestId(`node-${made}`).click({ button: 'right' });
  // The menu fits the window at any size: its last items are on screen.
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByTestId('rename-input').fill(as);
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId(`node-${as}`)).toBeVisible();
}

/** Fills the prompt a wire opened, pressing Enter. */
async function answer(page: Page, value: string) {
  await page.getByTestId('connect-value').fill(value);
  await page.getByTestId('connect-value').press('Enter');
}

for (const size of [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
]) {
  test(`at ${size.width}×${size.height}: the course's shop built from nothing runs as the same document written by hand`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize(size);
    await page.goto(withHook());
    await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
    await page.getByRole('button', { name: 'New empty scenario' }).click();
    await expect(page.getByTestId('canvas-empty')).toBeVisible();

    await add(page, 'gateway', 'gateway-1', 'gateway');
    await add(page, 'client', 'client-1', 'users');
    await add(page, 'service', 'service-1', 'orders');
    // A route asks for its prefix; a prefix without its slash is named as the problem.
    await wire(page, 'gateway', 'orders');
    await expect(page.getByTestId('connect-value')).toHaveValue('/orders');
    await answer(page, 'orders');
    await expect(page.getByTestId('connect-problem')).toHaveText('Route prefix: must start with /');
    await answer(page, '/orders');
    // The client asked for "/", which no route takes: it now requests the route.
    await expect(page.getByTestId('toast')).toContainText('users requests /orders (no route of gateway takes /: a 404 each)');
    // The client already sends to the gateway: wiring it again says so.
    await wire(page, 'users', 'gateway');
    await expect(page.getByTestId('connect-why')).toHaveText('A request from users to gateway is there already: nothing to add.');
    await page.getByTestId('connect-prompt').getByRole('button', { name: 'OK' }).click();

    await add(page, 'service', 'service-1', 'inventory');
    await wire(page, 'orders', 'inventory');
    await expect(page.getByTestId('toast')).toContainText('Call orders → inventory');

    // The exchange is a fanout until the inspector makes it a topic exchange.
    await add(page, 'exchange', 'exchange-1', 'events');
    await page.getByTestId('node-events').click();
    const inspector = page.getByTestId('inspector');
    await inspector.getByLabel('type', { exact: true }).selectOption('topic');
    await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect(page.getByTestId('node-events')).toContainText('topic');
    await wire(page, 'orders', 'events');
    await expect(page.getByTestId('connect-prompt')).toContainText('Routing key');
    await answer(page, 'order.placed');
    await expect(page.getByTestId('toast')).toContainText('Publish orders → events (order.placed)');

    await add(page, 'queue', 'queue-1', 'invoices');
    await wire(page, 'events', 'invoices');
    await expect(page.getByTestId('connect-prompt')).toContainText('Binding key');
    await answer(page, 'order.*');
    await add(page, 'service', 'service-1', 'invoicing');
    await wire(page, 'invoices', 'invoicing');
    await expect(page.getByTestId('toast')).toContainText('Consume invoices → invoicing');

    await add(page, 'exchange', 'exchange-1', 'dlx');
    await add(page, 'queue', 'queue-1', 'invoices-dlq');
    await wire(page, 'invoices', 'dlx');
    await expect(page.getByTestId('toast')).toContainText('Dead-letter invoices → dlx');
    await wire(page, 'dlx', 'invoices-dlq');
    await expect(page.getByTestId('toast')).toContainText('Binding dlx → invoices-dlq');

    // One message in twenty fails and is dead-lettered: set on the consume edge.
    await settledView(page);
    const consume = await edgePoint(page, '.react-flow__edge.edge-consume', 0.5);
    await page.mouse.click(consume.x, consume.y);
    await expect(inspector).toContainText('consume invoices → invoicing');
    await inspector.getByLabel('errorRate', { exact: true }).fill('0.05');
    await inspector.getByLabel('onError', { exact: true }).selectOption('dead-letter');
    await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect(inspector.getByRole('button', { name: 'Apply and re-run' })).toBeDisabled();

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await expect(page.getByTestId('toast')).toContainText('Laid out left to right');
    await settledView(page);
    await page.screenshot({ path: `test-results/build-shop-${size.width}.png` });

    const built = await playToEnd(page);
    const byHand = (await page.evaluate((d) => (window as unknown as HookWindow).__faultline.runToEnd(d), SHOP)) as RunSummary;
    expect(built).toEqual(panelOf(byHand));
    const s = (await page.evaluate(() => (window as unknown as HookWindow).__faultline.summary()))!;
    // Every request reaches orders (none is a 404), and each one's event reaches the queue.
    expect(s.requests.byReason['not-found'] ?? 0).toBe(0);
    expect(s.requests.ok).toBe(s.requests.sent);
    const queue = (id: string) => s.nodes[id] as unknown as { published: number; acked: number; deadLettered: number; depthEnd: number };
    expect(queue('invoices').published).toBe(s.requests.ok);
    expect(queue('invoices').deadLettered).toBeGreaterThan(0);
    expect(queue('invoices').acked + queue('invoices').deadLettered).toBe(queue('invoices').published);
    expect(queue('invoices-dlq').depthEnd).toBe(queue('invoices').deadLettered);
  });
}

test('copy and paste at keyboard speed: the copies are pasted, selected and placed clear; no other box moves; Delete takes the copies', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(withHook(`#${encodeShareFragment(SHOP as unknown as ScenarioInput)}`));
  await expect(page.getByTestId('node-invoices-dlq')).toBeVisible();
  await settledView(page);
  /** How far apart two boxes are on screen, in widths of a box: the same at any zoom, unless the layout spread. */
  const apart = async (a: string, b: string) => {
    const p = (await page.getByTestId(`node-${a}`).boundingBox())!;
    const q = (await page.getByTestId(`node-${b}`).boundingBox())!;
    return Math.hypot(q.x - p.x, q.y - p.y) / p.width;
  };
  const group = ['invoices', 'invoicing', 'dlx', 'invoices-dlq'];
  for (const id of group) await page.getByTestId(`node-${id}`).click({ modifiers: ['Control'] });
  const spanBefore = await apart('users', 'invoicing');
  // Ctrl+V right after Ctrl+C pastes what was just copied.
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node')).toHaveCount(SHOP.nodes.length + group.length);
  // The copies are the selection now.
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(group.length);
  for (const id of group) await expect(page.locator(`.react-flow__node[data-id="${id}-1"]`)).toHaveClass(/selected/);
  await settledView(page);
  // The other boxes kept their places (a copy 40 units off its original spread them apart), and
  // the refit shows every box.
  expect(Math.abs((await apart('users', 'invoicing')) - spanBefore)).toBeLessThan(0.05);
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  for (const n of [...SHOP.nodes.map((x) => x.id), ...group.map((id) => `${id}-1`)]) {
    const b = (await page.getByTestId(`node-${n}`).boundingBox())!;
    expect(b.x, n).toBeGreaterThanOrEqual(canvas.x);
    expect(b.x + b.width, n).toBeLessThanOrEqual(canvas.x + canvas.width);
  }
  await page.screenshot({ path: 'test-results/build-pasted.png' });
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('toast')).toContainText('Delete invoices-1, invoicing-1, dlx-1, invoices-dlq-1');
  await expect(page.locator('.react-flow__node')).toHaveCount(SHOP.nodes.length);
  for (const id of group) await expect(page.getByTestId(`node-${id}`)).toBeVisible();
});

test('RabbitMQ definitions imported into a laid-out scenario land below its boxes, not on them, and export back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(withHook('#preset=poison-message-dlq'));
  await expect(page.getByTestId('node-invoices-dlq')).toBeVisible();
  const before = await page.locator('.react-flow__node').count();
  await page.getByRole('button', { name: 'Import or export configuration' }).click();
  const dialog = page.getByTestId('config-dialog');
  await dialog.getByTestId('rabbit-file').setInputFiles('test/fixtures/rabbitmq/dlx.json');
  await dialog.getByTestId('rabbit-read').click();
  await expect(dialog.getByTestId('rabbit-summary')).toContainText('2 exchanges and 2 queues');
  await dialog.getByTestId('rabbit-import').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 4);
  await settledView(page);
  const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { id: n.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  for (const a of boxes) {
    for (const b of boxes) {
      if (a.id >= b.id) continue;
      const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;
      expect(overlap, `${a.id} and ${b.id} overlap`).toBe(false);
    }
  }
  await page.screenshot({ path: 'test-results/build-rabbitmq-into-preset.png' });

  // Out again: the imported queue keeps its dead-letter exchange and its binding.
  await page.getByRole('button', { name: 'Import or export configuration' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('rabbit-export').click();
  const definitions = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    queues: { name: string; arguments: Record<string, unknown> }[];
    bindings: { source: string; destination: string; routing_key: string }[];
  };
  expect(definitions.queues.find((q) => q.name === 'myqueue')?.arguments).toMatchObject({ 'x-dead-letter-exchange': 'some.exchange.name', 'x-dead-letter-routing-key': 'some-routing-key' });
  expect(definitions.bindings).toContainEqual(expect.objectContaining({ source: 'some.exchange.name', destination: 'myqueue.dead', routing_key: 'some-routing-key' }));
  await page.getByRole('button', { name: 'Close the import and export dialog' }).click();
  // The import is one edit.
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(before);
});

test('resilience4j for a call built on the canvas: nothing to export says so; a file with several instances asks which, and its settings come back out', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(withHook(`#${encodeShareFragment(SHOP as unknown as ScenarioInput)}`));
  await expect(page.getByTestId('node-inventory')).toBeVisible();
  await settledView(page);
  const call = await edgePoint(page, '.react-flow__edge.edge-call');
  await page.mouse.click(call.x, call.y);
  const convert = page.getByTestId('policy-convert');
  await expect(convert).toContainText('Policies of orders->inventory');
  // A call without policies: said, not an empty file to download.
  await expect(convert.getByTestId('policy-export-none')).toHaveText('No resilience4j options for this call: it has no timeout, retry, breaker or bulkhead yet.');

  // resilience4j's own example has backendA, backendB and backendC: the picker chooses.
  await convert.getByTestId('policy-import-text').fill(readFileSync('test/fixtures/resilience4j/application.yml', 'utf8'));
  await expect(convert.getByTestId('policy-instance')).toHaveValue('backendA');
  await convert.getByTestId('policy-instance').selectOption('backendB');
  await convert.getByTestId('policy-import').click();
  await expect(page.getByTestId('toast')).toContainText('Import resilience4j into orders->inventory');
  await expect(convert.getByTestId('policy-import-done')).toBeVisible();
  const out = convert.getByTestId('policy-export');
  await expect(out).toHaveValue(/inventory:\n\s+slidingWindowType: TIME_BASED\n\s+slidingWindowSize: 10\n/);
  // A bulkhead that waits for a permit does not map: imported without the wait, and said so.
  await expect(out).toHaveValue(/maxConcurrentCalls: 20\n\s+maxWaitDuration: 0ms/);
  await expect(convert.locator('.policy-import [data-testid="config-notes"]')).toContainText('maxWaitDuration');
  await expect(out).toHaveValue(/timeoutDuration: 1s/);
});

test('the inspector edits one field of a part the document leaves out (a client’s arrival), keeping the rest of its default', async ({ page }) => {
  await page.goto(withHook(`#${encodeShareFragment(SHOP as unknown as ScenarioInput)}`));
  await expect(page.getByTestId('node-users')).toContainText('10.0/s');
  await page.getByTestId('node-users').click();
  const inspector = page.getByTestId('inspector');
  await inspector.getByLabel('ratePerSec', { exact: true }).fill('50');
  await expect(inspector.getByTestId('inspector-problems')).toHaveCount(0);
  await inspector.getByRole('button', { name: 'Apply and re-run' }).click();
  await expect(page.getByTestId('node-users')).toContainText('50.0/s poisson');
});

test('a wire dropped at the bottom right of the canvas opens its prompt whole inside the canvas, and the page does not scroll', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const doc = { ...SHOP, nodes: SHOP.nodes.map((n) => (n.id === 'dlx' ? { ...n, type: 'topic' } : n)) };
  await page.goto(withHook(`#${encodeShareFragment(doc as unknown as ScenarioInput)}`));
  await expect(page.getByTestId('node-invoices-dlq')).toBeVisible();
  await settledView(page);
  // Pan the view until the dead-letter queue sits on the canvas's bottom edge.
  const canvas = (await page.locator('.canvas-wrap').boundingBox())!;
  const dlq = (await page.getByTestId('node-invoices-dlq').boundingBox())!;
  await page.mouse.move(canvas.x + 300, canvas.y + 200);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 300 + (canvas.x + canvas.width - 110 - (dlq.x + dlq.width / 2)), canvas.y + 200 + (canvas.y + canvas.height - 70 - (dlq.y + dlq.height / 2)), { steps: 8 });
  await page.mouse.up();
  await wire(page, 'dlx', 'invoices-dlq');
  const prompt = page.getByTestId('connect-prompt');
  await expect(prompt).toContainText('Binding key');
  await expect(page.getByTestId('connect-value')).toBeFocused();
  expect(await page.evaluate(() => [window.scrollX, window.scrollY, document.scrollingElement?.scrollTop ?? 0])).toEqual([0, 0, 0]);
  const box = (await prompt.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
  expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  await expect(page.getByTestId('edit-bar')).toBeInViewport();
  await answer(page, 'dead.#');
  await expect(page.getByTestId('toast')).toContainText('Binding dlx → invoices-dlq (dead.#)');
});

test('Layout ranks the boxes at the size they are drawn: a gateway and a service with breaker chips in one rank do not overlap', async ({ page }) => {
  const breaker = { model: 'consecutive' };
  const ranks = {
    format: 'faultline/1',
    name: 'ranks',
    nodes: [
      { id: 'users', kind: 'client', target: 'gw' },
      { id: 'batch', kind: 'client', target: 'billing' },
      { id: 'gw', kind: 'gateway', routes: [{ prefix: '/', target: 'orders' }] },
      { id: 'billing', kind: 'service', calls: [{ target: 'orders', breaker }, { target: 'ledger', breaker }] },
      { id: 'orders', kind: 'service', calls: [{ target: 'ledger', breaker }] },
      { id: 'ledger', kind: 'service' },
    ],
    layout: { users: { x: 0, y: 0 }, batch: { x: 0, y: 300 }, gw: { x: 420, y: 0 }, billing: { x: 420, y: 300 }, orders: { x: 840, y: 0 }, ledger: { x: 1260, y: 0 } },
  };
  await page.goto(withHook(`#${encodeShareFragment(ranks as unknown as ScenarioInput)}`));
  await expect(page.getByTestId('node-billing')).toBeVisible();
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByTestId('toast')).toContainText('Laid out left to right');
  await settledView(page);
  const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { id: n.getAttribute('data-id') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  const x = (id: string) => boxes.find((b) => b.id === id)!.x;
  // Left to right: the clients, then the gateway and billing side by side in one rank.
  expect(x('gw')).toBeGreaterThan(x('users'));
  expect(Math.abs(x('gw') - x('billing'))).toBeLessThan(2);
  for (const a of boxes) {
    for (const b of boxes) {
      if (a.id >= b.id) continue;
      const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;
      expect(overlap, `${a.id} and ${b.id} overlap`).toBe(false);
    }
  }
});

test('Delete after the undo of an add does nothing and says nothing; after the redo it deletes the node', async ({ page }) => {
  await page.goto(withHook('#preset=hello-faultline'));
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);
  const before = await page.locator('.react-flow__node').count();
  await page.getByRole('button', { name: 'Add a service' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(before);
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 8000 });
  await page.keyboard.press('Delete');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(before);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('toast')).toContainText('Delete service-1');
  await expect(page.locator('.react-flow__node')).toHaveCount(before);
});
