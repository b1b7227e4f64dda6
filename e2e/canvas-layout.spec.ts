/**
 * What covers what on the page, at 1024×768, 1280×720 and 1440×900, for every preset: the legend
 * (and the edit bar) never cover a node once the view is fitted; the fault bands' labels on the
 * charts never overprint each other; a name cut short on a node, an edge or the header ends in an
 * ellipsis and has its whole text on hover.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { PRESETS } from '../src/scenario/presets';
import { overlap, test } from './helpers';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
];


/** The nodes, the legend and the edit bar as drawn; and every cut-short text with whether it ends in an ellipsis and has its text on hover. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element, what: string) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, what };
    };
    const nodes = Array.from(document.querySelectorAll('.react-flow__node')).map((n) => box(n, n.getAttribute('data-id') ?? ''));
    const covers = Array.from(document.querySelectorAll('.canvas-wrap .legend, .canvas-wrap .edit-bar .palette, .canvas-wrap .edit-bar .edit-tools')).map((el) => box(el, el.className));
    const cut: { text: string; ellipsis: boolean; hover: boolean }[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node *, .edge-label *, .bar .scenario-name'))) {
      if (el.children.length > 0 && el.querySelector('*:not(strong)') !== null) continue;
      if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
      const text = el.textContent?.trim() ?? '';
      const titled = el.closest('[title]');
      cut.push({ text, ellipsis: getComputedStyle(el).textOverflow === 'ellipsis', hover: titled !== null && (titled.getAttribute('title') ?? '').includes(text.replace(/^→ /, '')) });
    }
    return { nodes, covers, cut };
  });
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height}, for every preset: no overlay covers a node, a cut name has an ellipsis and its text on hover`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.setViewportSize(size);
    for (const preset of PRESETS) {
      await page.goto(`/#preset=${preset.slug}`);
      await expect(page.getByTestId('scenario-name')).toHaveText(preset.title);
      await expect(page.locator('.canvas-wrap[data-fit="normal"]')).toHaveCount(1);
      const m = await layout(page);
      expect(m.nodes.length, preset.slug).toBeGreaterThan(0);
      for (const c of m.covers) for (const n of m.nodes) expect(overlap(c, n), `${preset.slug}: ${c.what} covers node ${n.what}`).toBe(false);
      for (const c of m.cut) {
        expect(c.ellipsis, `${preset.slug}: "${c.text}" is cut without an ellipsis`).toBe(true);
        expect(c.hover, `${preset.slug}: "${c.text}" has no hover text`).toBe(true);
      }
      // The loop reloads the page: leave a comparison the preset opened.
      await page.goto('about:blank');
    }
  });

  test(`at ${size.width}×${size.height}, the fault bands' labels on the charts never overprint`, async ({ page }) => {
    await page.setViewportSize(size);
    for (const slug of ['crash-before-ack', 'dual-write-vs-outbox']) {
      await page.goto(`/#preset=${slug}`);
      await expect(page.getByTestId('scenario-name')).not.toBeEmpty();
      const charts = page.locator('svg.chart-svg');
      if (!(await charts.first().isVisible())) await page.getByTestId('tab-charts').click();
      await expect(charts.locator('.chart-fault').first()).toBeAttached();
      // The canvas got shorter: the view is fitted again, the legend still clear of the nodes.
      await expect(page.locator('.canvas-wrap[data-fit="normal"]')).toHaveCount(1);
      const m = await layout(page);
      for (const c of m.covers) for (const n of m.nodes) expect(overlap(c, n), `${slug} with the charts open: ${c.what} covers node ${n.what}`).toBe(false);
      const labels = await charts.evaluateAll((svgs) =>
        svgs.map((svg) =>
          Array.from(svg.querySelectorAll<SVGTextElement>('.chart-fault-label')).map((t) => {
            const r = t.getBoundingClientRect();
            return { x: r.x, y: r.y, w: r.width, h: r.height, what: t.textContent ?? '' };
          }),
        ),
      );
      expect(labels.flat().length, slug).toBeGreaterThan(0);
      for (const chart of labels) {
        for (let i = 0; i < chart.length; i++) {
          for (let j = i + 1; j < chart.length; j++) expect(overlap(chart[i]!, chart[j]!), `${slug}: "${chart[i]!.what}" and "${chart[j]!.what}" overprint`).toBe(false);
        }
      }
    }
  });
}
