/**
 * A runaway scenario opened in the app stops with the guardrail's sentence on screen, naming
 * what drove it, instead of the simulation worker's memory growing until the tab dies: the retry
 * storm of four hops of ten retries (its pace still rising) and a queue nobody consumes, fed at
 * 20,000 messages a second (the broker's 500,000-message limit), each played at max. The
 * worker's JavaScript heap is read over the DevTools protocol as the run goes and at its end,
 * printed and written to test-results/worker-memory.json: a measurement for the notes, not an
 * assertion, on a machine whose two cores are shared.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { encodeShareFragment } from '../src/scenario/codec';
import type { ScenarioInput } from '../src/scenario/schema';
import { test } from './helpers';

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/runaway/${name}.json`, 'utf8')) as ScenarioInput;

let messageId = 0;

/** The simulation worker's heap, in MB, read through the page's DevTools session (Target.sendMessageToTarget to the worker). */
async function workerHeap(cdp: CDPSession, sessionId: string): Promise<{ usedMB: number; totalMB: number }> {
  const id = ++messageId;
  const reply = new Promise<{ usedSize: number; totalSize: number }>((resolve) => {
    const on = (e: { sessionId: string; message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: { usedSize: number; totalSize: number } };
      if (e.sessionId === sessionId && m.id === id && m.result) {
        cdp.off('Target.receivedMessageFromTarget', on);
        resolve(m.result);
      }
    };
    cdp.on('Target.receivedMessageFromTarget', on);
  });
  await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
  const r = await reply;
  return { usedMB: Math.round(r.usedSize / 1e5) / 10, totalMB: Math.round(r.totalSize / 1e5) / 10 };
}

/** Attaches to the page's workers; resolves with the simulation worker's session once it appears. */
async function attachWorker(page: Page): Promise<{ cdp: CDPSession; session: Promise<string> }> {
  const cdp = await page.context().newCDPSession(page);
  const session = new Promise<string>((resolve) => {
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; title: string; url: string } }) => {
      if (e.targetInfo.type === 'worker' && /faultline-simulation|worker/.test(`${e.targetInfo.title} ${e.targetInfo.url}`)) resolve(e.sessionId);
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  return { cdp, session };
}

const CASES = [
  {
    name: 'retry-storm',
    stopped: /stopped: limit reached: a runaway — the pace of events kept rising, .* \(driven by service "[a-d]" retrying its calls .*\), at \d+\.\d ms\)/,
    timeout: 120_000,
  },
  {
    name: 'unbounded-queue',
    stopped: /stopped: limit reached: queue "backlog" holds more than 500,000 messages \(driven by service "orders" publishing into it, at \d+\.\d ms\)/,
    timeout: 300_000,
  },
];

const measured: Record<string, unknown> = {};

for (const c of CASES) {
  test(`${c.name}: the app stops it and shows the guardrail's sentence naming the culprit`, async ({ page }) => {
    test.setTimeout(c.timeout + 60_000);
    const { cdp, session } = await attachWorker(page);
    await page.goto(`/#${encodeShareFragment(fixture(c.name))}`);
    await expect(page.getByTestId('scenario-name')).toHaveText(fixture(c.name).name);
    const sessionId = await session;
    const samples: { usedMB: number; totalMB: number }[] = [await workerHeap(cdp, sessionId)];

    await page.getByLabel('Speed').selectOption('max');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const stopped = page.getByTestId('summary-stopped');
    const deadline = Date.now() + c.timeout;
    // The sentence is in the Summary tab, which need not be the tab on screen: wait for it to exist.
    while ((await stopped.count()) === 0 && Date.now() < deadline) {
      samples.push(await workerHeap(cdp, sessionId));
      await page.waitForTimeout(1000);
    }
    await expect(stopped).toHaveText(c.stopped, { timeout: 5_000 });
    await page.getByRole('tab', { name: 'Summary' }).click();
    await expect(stopped).toBeVisible();
    samples.push(await workerHeap(cdp, sessionId));
    const peak = Math.max(...samples.map((s) => s.usedMB));
    measured[c.name] = { samples: samples.length, peakUsedMB: peak, atStop: samples.at(-1), stoppedBy: await stopped.textContent() };
    console.log(`${c.name}: worker heap peak ${peak} MB used over ${samples.length} samples; at the stop ${JSON.stringify(samples.at(-1))}`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/worker-memory.json', `${JSON.stringify(measured, null, 2)}\n`);
  });
}
