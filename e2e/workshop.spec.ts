/**
 * Workshop journeys: the layout at projector and laptop sizes, the shared moment (`&t=`), every
 * preset's Watch figures on screen, a lesson done from start to goal, and the embedded player.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { test } from './helpers';
import { PRESETS } from '../src/scenario/presets';

const SIZES = [
  { name: '1024×768', width: 1024, height: 768, scale: 1 },
  { name: '1280×720', width: 1280, height: 720, scale: 1 },
  { name: '1440×900', width: 1440, height: 900, scale: 1 },
  // Browser zoom 150% on a 1280×720 laptop: a CSS viewport of 853×480 at 1.5 device pixels per px.
  { name: '1280×720 at 150%', width: 853, height: 480, scale: 1.5 },
];

async function opened(page: Page, fragment: string) {
  await page.goto(`/${fragment}`);
  await expect(page.getByTestId('scenario-name')).not.toBeEmpty();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });

    test('one header row, the canvas at least half the height, the story in view', async ({ page }) => {
      await opened(page, '#preset=duplicate-delivery');
      const header = await page.locator('header.bar').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(64);
      // Nothing in the header row overlaps its neighbour or runs past the window.
      const crowded = await page.evaluate(() => {
        const out: string[] = [];
        const boxes = Array.from(document.querySelectorAll('header.bar > *, header.bar .clock > *, header.bar .meta > *'))
          .map((el) => ({ el: el as HTMLElement, r: el.getBoundingClientRect() }))
          .filter(({ r, el }) => r.width > 1 && r.height > 1 && getComputedStyle(el).position !== 'absolute');
        for (const { el, r } of boxes) if (r.right > window.innerWidth + 0.5) out.push(`past the window: ${el.className || el.tagName}`);
        for (const parent of ['header.bar', 'header.bar .clock', 'header.bar .meta']) {
          const kids = boxes.filter(({ el }) => el.parentElement === document.querySelector(parent));
          for (let i = 0; i < kids.length; i++)
            for (let j = i + 1; j < kids.length; j++) {
              const a = kids[i]!.r;
              const b = kids[j]!.r;
              if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5) out.push(`overlap: ${kids[i]!.el.className} / ${kids[j]!.el.className}`);
            }
        }
        return out;
      });
      expect(crowded).toEqual([]);
      // The palette stays one row over the canvas.
      expect((await page.locator('.palette').boundingBox())!.height).toBeLessThanOrEqual(40);
      const canvas = await page.locator('.canvas-wrap').boundingBox();
      expect(canvas!.height).toBeGreaterThanOrEqual(size.height / 2);
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(size.height);
      // The Watch notes start inside the viewport, in the side panel.
      const watch = await page.getByTestId('watch-0').boundingBox();
      expect(watch!.y + 20).toBeLessThan(size.height);
    });

    test("no two figures of a node overlap, and none is clipped", async ({ page }) => {
      // A preset that opens as itself (the retry storm opens in compare view): the figures at their largest, at the end.
      await opened(page, '#preset=timeout-breaker-fallback');
      await page.getByLabel('Seek simulated time').fill('60000');
      await expect(page.getByTestId('playback-state')).toHaveText('finished', { timeout: 30_000 });
      const problems = await page.evaluate(() => {
        const out: string[] = [];
        for (const node of Array.from(document.querySelectorAll('.react-flow__node'))) {
          const stats = Array.from(node.querySelectorAll('.stat')).map((s) => ({ r: s.getBoundingClientRect(), v: s.querySelector('.stat-value') as HTMLElement }));
          for (let i = 0; i < stats.length; i++) {
            const v = stats[i]!.v;
            if (v && v.scrollWidth > v.clientWidth + 1) out.push(`clipped: ${v.textContent}`);
            for (let j = i + 1; j < stats.length; j++) {
              const a = stats[i]!.r;
              const b = stats[j]!.r;
              const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
              if (overlap) out.push(`overlap in ${node.getAttribute('data-id')}: ${stats[i]!.v?.textContent} / ${stats[j]!.v?.textContent}`);
            }
          }
        }
        return out;
      });
      expect(problems).toEqual([]);
    });
  });
}

test('a link with &t=20 opens paused at 00:20.000, and Copy link carries the moment', async ({ page }) => {
  await page.goto('/?e2e#preset=hello-faultline&t=20&speed=2');
  await expect(page.getByTestId('clock')).toHaveText('00:20.000');
  await expect(page.getByTestId('playback-state')).toHaveText('paused');
  await expect(page.getByLabel('Speed')).toHaveValue('2');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => (window as unknown as { __faultline: { lastCopiedLink(): string | null } }).__faultline.lastCopiedLink());
  expect(link).toMatch(/#s=2\.[^&]+&t=20&speed=2$/);
  const fresh = await page.context().newPage();
  await fresh.goto(link!);
  await expect(fresh.getByTestId('clock')).toHaveText('00:20.000');
  await expect(fresh.getByTestId('playback-state')).toHaveText('paused');
  await expect(fresh.getByLabel('Speed')).toHaveValue('2');
});

test("every figure each preset's Watch notes name is on screen", async ({ page }) => {
  for (const [n, preset] of PRESETS.entries()) {
    // Each preset in a fresh page load (a query that changes), not a hash change on the same page:
    // a comparison preset starts compare view as it opens, and this test reads the figures, not that.
    await opened(page, `?p=${n}#preset=${preset.slug}`);
    await expect(page.getByTestId('scenario-name')).toHaveText(preset.title);
    for (const [i, note] of preset.watch.entries()) {
      const li = page.getByTestId(`watch-${i}`);
      for (const path of note.figures) {
        const figure = li.getByTestId(`figure-${path}`);
        await expect(figure, `${preset.slug}: ${path}`).toBeVisible();
        await expect(figure.locator('.figure-value')).not.toBeEmpty();
      }
    }
  }
});

test('a lesson: predict, run, then reach the goal with the documented setting', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await opened(page, '');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-lessons').click();
  await page.getByTestId('lesson-timeouts').click();
  await expect(page.getByTestId('step-title')).toHaveText('A dependency slows down');
  await expect(page.getByTestId('scenario-name')).toHaveText('Cascade: a slow dependency, no timeouts');
  expect(page.url()).toContain('lesson=timeouts&step=0');
  await page.getByTestId('choice-2').check();
  await page.getByTestId('question-run').click();
  await expect(page.getByTestId('question-verdict')).toHaveAttribute('data-right', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('playback-state')).toHaveText('finished');
  await page.getByTestId('step-next').click();
  await expect(page.getByTestId('step-title')).toHaveText('Stop waiting');
  expect(page.url()).toContain('lesson=timeouts&step=1');
  // The starting setting misses the goal...
  await page.getByTestId('goal-run').click();
  await expect(page.getByTestId('goal-verdict')).toHaveAttribute('data-reached', 'false', { timeout: 30_000 });
  // ...the documented one reaches it.
  await page.getByTestId('goal-hint').click();
  await page.getByTestId('goal-use-solution').click();
  await page.getByTestId('goal-run').click();
  await expect(page.getByTestId('goal-verdict')).toHaveAttribute('data-reached', 'true', { timeout: 30_000 });
});

test('embed mode is a read-only player: play, seek and the story, no editing control', async ({ page }) => {
  await opened(page, '#preset=bulkhead&embed=1');
  await expect(page.getByTestId('play')).toBeVisible();
  await expect(page.getByLabel('Seek simulated time')).toBeVisible();
  await expect(page.getByTestId('story')).toBeVisible();
  await expect(page.getByTestId('side-tab-inspect')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Presets' })).toHaveCount(0);
  await expect(page.getByLabel('Fault kind')).toHaveCount(0);
  await expect(page.getByTestId('open-file')).toHaveCount(0);
  await page.locator('.react-flow__node').first().click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toHaveCount(0);
  await page.getByTestId('more-menu').click();
  for (const id of ['open', 'save', 'lessons', 'challenges']) await expect(page.getByTestId(`menu-${id}`)).toHaveCount(0);
});

test('the Embed button gives an iframe snippet of a player link', async ({ page }) => {
  await opened(page, '#preset=bulkhead');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-embed').click();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  expect(snippet).toMatch(/^<iframe src="http:\/\/localhost:\d+\/#s=2\.[^"]+&amp;embed=1" width="960" height="600" title="Faultline: A bulkhead isolates a slow dependency"/);
});

test('presenter mode: the P key folds the bottom panel and keeps the story in view, and the link keeps it', async ({ page }) => {
  await opened(page, '#preset=bulkhead');
  await page.keyboard.press('p');
  await expect(page.locator('.app.is-present')).toHaveCount(1);
  await expect(page.locator('section.bottom')).toHaveCount(0);
  await expect(page.getByTestId('story')).toBeInViewport();
  expect(page.url()).toContain('present=1');
  await page.keyboard.press('p');
  await expect(page.locator('.app.is-present')).toHaveCount(0);
});

test('a challenge is scored and its result link reproduces it', async ({ page }) => {
  await opened(page, '');
  await page.getByTestId('more-menu').click();
  await page.getByTestId('menu-challenges').click();
  await page.getByTestId('challenge-tame-the-storm').click();
  await expect(page.getByTestId('challenge')).toBeVisible();
  await page.getByTestId('setting-nodes[api].calls[db].retry.maxAttempts').fill('1');
  await page.getByTestId('setting-nodes[users].retry.maxAttempts').fill('2');
  await page.getByTestId('challenge-run').click();
  const result = page.getByTestId('challenge-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  const score = Number(await result.getAttribute('data-score'));
  expect(score).toBeGreaterThan(100);
  expect(page.url()).toContain('challenge=tame-the-storm');
  const again = await page.context().newPage();
  await again.goto(page.url());
  await again.getByTestId('challenge-run').click();
  await expect(again.getByTestId('challenge-result')).toHaveAttribute('data-score', String(score), { timeout: 30_000 });
});
