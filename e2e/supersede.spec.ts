/**
 * A link that is slow to decode and validate does not hold up the one opened after it: a preset
 * (or another link) opened in the same tab while the heavy link is still in the worker is what the
 * page shows, and the heavy link's document never replaces it. Asserted by order, not by time: the
 * names the header showed, in turn, and the worker that was stopped mid-decode.
 */
import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { encodeShareFragment } from '../src/scenario/codec';
import { presetBySlug } from '../src/scenario/presets';
import type { ScenarioInput } from '../src/scenario/schema';
import type { FaultlineHook } from '../src/app/e2eHooks';
import { test, withHook } from './helpers';

/**
 * Valid, and heavy to open: 300 services in a chain and 100 variants, each of which the worker
 * validates as a whole document again (about 30,000 node checks before the link opens).
 */
function heavyDocument(): ScenarioInput {
  const nodes: ScenarioInput['nodes'] = [{ id: 'users', kind: 'client', target: 's0', arrival: { type: 'poisson', ratePerSec: 10 } }];
  for (let i = 0; i < 300; i++) {
    nodes.push({ id: `s${i}`, kind: 'service', serviceTime: 1, calls: i < 299 ? [{ target: `s${i + 1}`, timeoutMs: 500, retry: { maxAttempts: 2 } }] : [] });
  }
  const variants = Array.from({ length: 100 }, (_, v) => ({ name: `variant ${v}`, set: { [`nodes[s${v}].serviceTime`]: 2 } }));
  return { format: 'faultline/1', name: 'Heavy link', seed: 'heavy', durationMs: 10_000, nodes, variants };
}

/** Records every name the header shows, in order, from now on. */
async function recordNames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { names: string[] };
    w.names = [];
    const seen = () => {
      const name = document.querySelector('[data-testid="scenario-name"]')?.textContent ?? '';
      if (w.names.at(-1) !== name) w.names.push(name);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The page's test hook (src/app/e2eHooks.ts), as far as these tests use it. */
type HookWindow = { __faultline: Pick<FaultlineHook, 'workerRestarts'> };

const names = (page: Page) => page.evaluate(() => (window as unknown as { names: string[] }).names);

test('a preset opened while a heavy link is still being decoded is what the page shows, and the heavy link never replaces it', async ({ page }) => {
  const heavy = `#${encodeShareFragment(heavyDocument())}`;
  const preset = presetBySlug('hello-faultline')!;
  await page.goto(withHook());
  await expect(page.getByTestId('scenario-name')).toHaveText('Checkout under load');
  await recordNames(page);

  await page.evaluate((hash) => {
    location.hash = hash;
  }, heavy);
  await page.evaluate(() => {
    location.hash = '#preset=hello-faultline';
  });

  await expect(page.getByTestId('scenario-name')).toHaveText(preset.document.name);
  // The heavy link's worker was stopped where it was, so its answer can never come.
  await expect.poll(() => page.evaluate(() => (window as unknown as HookWindow).__faultline.workerRestarts())).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('scenario-name')).toHaveText(preset.document.name);
  expect(await names(page)).not.toContain('Heavy link');
  expect(page.url()).toContain('#s=2.');
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('a link opened while a heavy link is still being decoded wins the same way', async ({ page }) => {
  const heavy = `#${encodeShareFragment(heavyDocument())}`;
  const next = presetBySlug('retry-storm')!.document;
  await page.goto(withHook());
  await expect(page.getByTestId('scenario-name')).toHaveText('Checkout under load');
  await recordNames(page);

  await page.evaluate(([a, b]) => {
    location.hash = a!;
    // The second change is its own task: the heavy link has been sent to the worker by then.
    setTimeout(() => {
      location.hash = b!;
    }, 0);
  }, [heavy, `#${encodeShareFragment(next)}`]);

  await expect(page.getByTestId('scenario-name')).toHaveText(next.name);
  await expect.poll(() => page.evaluate(() => (window as unknown as HookWindow).__faultline.workerRestarts())).toBe(1);
  expect(await names(page)).not.toContain('Heavy link');
});
