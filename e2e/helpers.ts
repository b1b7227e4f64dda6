/**
 * What the journeys share: a `test` that fails on any Content-Security-Policy violation, reading
 * the summary panel, and playing a run to its end.
 */
import { expect, test as base } from '@playwright/test';
import type { Page } from '@playwright/test';

/**
 * Playwright's `test`, with every page of the test's context watched for Content-Security-Policy
 * violations (the page's `securitypolicyviolation` events, and Chromium's console reports, which
 * include the worker's): a journey that triggers one fails, naming it.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const seen: string[] = [];
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      context.on('console', (message) => {
        if (/securitypolicyviolation|Content Security Policy/i.test(message.text())) seen.push(message.text());
      });
      await use(seen);
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
import type { RunSummary } from '../src/run/types';

/** A number the page shows, read from its exact `data-value`. */
export async function numberOf(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-value'));
}

/** What the summary panel shows. */
export async function panel(page: Page) {
  return {
    traceHash: await page.getByTestId('summary-trace').getAttribute('data-value'),
    sent: await numberOf(page, 'summary-sent'),
    ok: await numberOf(page, 'summary-ok'),
    failed: await numberOf(page, 'summary-failed'),
    events: await numberOf(page, 'summary-events'),
    p50: await numberOf(page, 'summary-p50'),
    p99: await numberOf(page, 'summary-p99'),
  };
}

/** The same figures from a run summary computed in Node. */
export function panelOf(s: RunSummary) {
  return { traceHash: s.traceHash, sent: s.requests.sent, ok: s.requests.ok, failed: s.requests.failed, events: s.events, p50: s.latencyMs.p50, p99: s.latencyMs.p99 };
}

/** Plays at "max" until the run is finished; returns what the summary panel shows. */
export async function playToEnd(page: Page) {
  await page.getByLabel('Speed').selectOption('max');
  // A link with a moment (&t=) seeks there as it opens: Play is decided once that seek has landed
  // (it may have reached the end, where the button says "Play again from the start").
  await expect(page.getByTestId('play')).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByLabel('Seek simulated time')).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
  const play = page.getByRole('button', { name: 'Play', exact: true });
  if (await play.isVisible()) await play.click();
  await expect(page.getByTestId('playback-state')).toHaveText('finished', { timeout: 60_000 });
  return panel(page);
}

/**
 * A page address with the test hook (`window.__faultline`, src/app/e2eHooks.ts) installed: the
 * app loads it only when its address asks with `?e2e`. `fragment` is "" or starts with "#".
 */
export function withHook(fragment = ''): string {
  return `/?e2e${fragment}`;
}

/**
 * Waits until the canvas's view has stopped moving (a fit animates for a moment after a load or a
 * resize): its transform the same over a few frames. Drag a node only then, or the drag is
 * measured against a view still on its way.
 */
export async function settledView(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      new Promise<boolean>((resolve) => {
        const read = () => document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
        const first = read();
        setTimeout(() => resolve(first !== '' && read() === first), 400);
      }),
    undefined,
    { timeout: 10_000 },
  );
}

/** A point `share` of the way along a canvas edge's line (`edge`: a selector for its element), in page coordinates. */
export async function edgePoint(page: Page, edge: string, share = 0.3): Promise<{ x: number; y: number }> {
  return page
    .locator(`${edge} path.react-flow__edge-path`)
    .first()
    .evaluate((path: SVGPathElement, at: number) => {
      const p = path.getPointAtLength(path.getTotalLength() * at);
      const m = path.getScreenCTM()!;
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    }, share);
}

/** Drags a wire from a node's right handle onto the middle of another node's box. */
export async function wire(page: Page, from: string, to: string): Promise<void> {
  await settledView(page);
  await page.getByTestId(`node-${from}`).hover();
  const handle = (await page.locator(`.react-flow__node[data-id="${from}"] .node-handle-source`).boundingBox())!;
  const target = (await page.getByTestId(`node-${to}`).boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** A box on screen, named for the failure message. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  what: string;
}

/** Whether two boxes overlap by more than half a pixel both ways. */
export const overlap = (a: Box, b: Box) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
