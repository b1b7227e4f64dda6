/**
 * Every preset opens from its share URL in the app and runs there to exactly the numbers Node
 * computes for it (and that its test in test/scenario/presets.test.ts pins).
 */
import { expect } from '@playwright/test';
import { createRun } from '../src/run/run';
import { encodeShareFragment } from '../src/scenario/codec';
import { PRESETS } from '../src/scenario/presets';
import { parseScenario } from '../src/scenario/validate';
import { numberOf, playToEnd, test } from './helpers';

for (const preset of PRESETS) {
  test(`preset "${preset.slug}" opens from its URL and runs to the numbers Node computes`, async ({ page }) => {
    const run = createRun(parseScenario(preset.document));
    run.runToEnd();
    const expected = run.summary();

    await page.goto(`/#${encodeShareFragment(preset.document)}`);
    await expect(page.getByTestId('scenario-name')).toHaveText(preset.title);
    await playToEnd(page);
    expect(await page.getByTestId('summary-trace').getAttribute('data-value')).toBe(expected.traceHash);
    expect(await numberOf(page, 'summary-sent')).toBe(expected.requests.sent);
    expect(await numberOf(page, 'summary-ok')).toBe(expected.requests.ok);
    expect(await numberOf(page, 'summary-failed')).toBe(expected.requests.failed);
  });
}
