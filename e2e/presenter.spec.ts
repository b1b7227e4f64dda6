/**
 * Presenter mode at a projector's 1024×768: every preset's canvas is fitted with its node text at
 * least 14 px on screen (the CSS font size times the canvas zoom), no two node figures overlap,
 * every figure lies inside its node's box, and the story is in view.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { PRESETS } from '../src/scenario/presets';
import { overlap, test, type Box } from './helpers';

test.use({ viewport: { width: 1024, height: 768 } });

/** The canvas as drawn: the zoom, the smallest node text on screen, the node and figure boxes. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
    const zoom = Number(/scale\(([\d.e-]+)\)/.exec(viewport?.style.transform ?? '')?.[1] ?? 'NaN');
    const box = (el: Element, what: string) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, what };
    };
    let minPx = Infinity;
    let minText = '';
    const nodes = Array.from(document.querySelectorAll('.react-flow__node'));
    const figures: (ReturnType<typeof box> & { node: number })[] = [];
    nodes.forEach((node, i) => {
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const text = walker.currentNode.textContent?.trim() ?? '';
        const el = walker.currentNode.parentElement;
        if (!text || !el || el.getClientRects().length === 0) continue;
        const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
        if (px < minPx) {
          minPx = px;
          minText = `"${text}" in ${node.getAttribute('data-id')}`;
        }
      }
      for (const f of Array.from(node.querySelectorAll('.lod-head, .lod-figure'))) figures.push({ ...box(f, `${node.getAttribute('data-id')}: ${f.textContent}`), node: i });
    });
    const story = document.querySelector('.story-title, .lesson-title');
    return {
      zoom,
      minPx,
      minText,
      detail: nodes.map((n) => n.querySelector('[data-detail]')?.getAttribute('data-detail') ?? 'normal'),
      nodes: nodes.map((n) => box(n, n.getAttribute('data-id') ?? '')),
      figures,
      canvas: box(document.querySelector('.canvas-wrap')!, 'canvas'),
      story: story ? box(story, 'story') : null,
    };
  });
}

const inside = (a: Box, b: Box) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.w <= b.x + b.w + 1 && a.y + a.h <= b.y + b.h + 1;

for (const preset of PRESETS) {
  test(`presenter mode at 1024×768: "${preset.slug}" reads from the back row`, async ({ page }) => {
    await page.goto(`/#preset=${preset.slug}&present=1`);
    await expect(page.getByTestId('scenario-name')).toHaveText(preset.title);
    await expect(page.locator('[data-detail="presenter"]').first()).toBeVisible();
    await expect(page.locator('.canvas-wrap[data-fit="presenter"]')).toHaveCount(1);
    // The view is fitted once the boxes are measured at this level of detail: wait for it to settle.
    let last = NaN;
    await expect
      .poll(async () => {
        const { zoom } = await measure(page);
        const settled = zoom === last;
        last = zoom;
        return settled;
      })
      .toBe(true);
    const m = await measure(page);

    expect(m.detail.every((d) => d === 'presenter'), 'every node at the presenter level of detail').toBe(true);
    expect(m.minPx, `smallest node text on screen: ${m.minText}`).toBeGreaterThanOrEqual(14);
    for (const n of m.nodes) expect(inside(n, m.canvas), `${n.what} inside the canvas`).toBe(true);
    for (let i = 0; i < m.nodes.length; i++) {
      for (let j = i + 1; j < m.nodes.length; j++) expect(overlap(m.nodes[i]!, m.nodes[j]!), `${m.nodes[i]!.what} and ${m.nodes[j]!.what} overlap`).toBe(false);
    }
    expect(m.figures.length).toBeGreaterThanOrEqual(m.nodes.length);
    for (const f of m.figures) expect(inside(f, m.nodes[f.node]!), `${f.what} inside its node`).toBe(true);
    for (let i = 0; i < m.figures.length; i++) {
      for (let j = i + 1; j < m.figures.length; j++) expect(overlap(m.figures[i]!, m.figures[j]!), `${m.figures[i]!.what} and ${m.figures[j]!.what} overlap`).toBe(false);
    }
    expect(m.story, 'the story title').not.toBeNull();
    expect(m.story!.y + m.story!.h).toBeLessThanOrEqual(768);
    expect(m.story!.y).toBeGreaterThanOrEqual(m.canvas.y + m.canvas.h - 1);
    await expect(page.getByTestId('story')).toBeInViewport();
  });
}

test('presenter mode turns on and off with its key, the canvas refitted each way', async ({ page }) => {
  await page.goto('/#preset=duplicate-delivery');
  await expect(page.locator('[data-detail="presenter"]')).toHaveCount(0);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('p');
  await expect(page.locator('.app.is-present')).toBeVisible();
  await expect(page.locator('[data-detail="presenter"]')).toHaveCount(7);
  await expect(page.locator('.canvas-wrap[data-fit="presenter"]')).toHaveCount(1);
  await expect.poll(async () => (await measure(page)).minPx).toBeGreaterThanOrEqual(14);
  await page.keyboard.press('p');
  await expect(page.locator('.app.is-present')).toHaveCount(0);
  await expect(page.locator('[data-detail="presenter"]')).toHaveCount(0);
  await expect(page.locator('.canvas-wrap[data-fit="normal"]')).toHaveCount(1);
});

test("presenter mode keeps a lesson's step in view under the canvas", async ({ page }) => {
  await page.goto('/#lesson=timeouts&step=0&present=1');
  await expect(page.getByTestId('step-title')).toHaveText('A dependency slows down');
  await expect(page.locator('.canvas-wrap[data-fit="presenter"]')).toHaveCount(1);
  await expect(page.getByTestId('step-title')).toBeInViewport();
  await expect.poll(async () => (await measure(page)).minPx).toBeGreaterThanOrEqual(14);
});
