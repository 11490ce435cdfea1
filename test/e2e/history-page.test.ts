import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, keepScreenshot } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { assertReported } from '../helpers/report.js';
import { webUiUrl } from '../helpers/web-ui.js';

const RECORDS = 5_000;
const FAILED_EVERY = 50;

/**
 * The History page over a history far bigger than a screen: `headroom watch --ui` on a data
 * directory holding 5,000 deliveries, the page in real Chromium.
 */
describe('the History page with a long history', { skip: chromiumMissing }, () => {
  let watcher: CliProcess;
  let browser: Browser;
  let url: string;
  const requests: { limit: number; before?: unknown; outcome?: string }[] = [];
  const now = Date.now();
  const createdAt = (i: number) => now - (RECORDS - i) * 60_000;

  before(async () => {
    const home = await tempHome();
    const lines = Array.from({ length: RECORDS }, (_, i) => {
      const outcome = i % FAILED_EVERY === 0 ? 'failed' : 'delivered';
      return JSON.stringify(deliveryRecord(`d-${String(i).padStart(5, '0')}`, createdAt(i), { outcome }));
    });
    await writeFile(join(home, 'history.jsonl'), `${lines.join('\n')}\n`, { mode: 0o600 });
    watcher = new CliProcess(['watch', '--interval', '60', '--mount', '/', '--ui', '127.0.0.1:0'], home);
    // Chromium starts while the watcher does: neither needs the other until a page opens.
    [url, browser] = await Promise.all([webUiUrl(watcher, home), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await watcher?.stop();
  });

  async function openHistory(width = 1200): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('request', (r) => {
      if (r.url().endsWith('/api/history.list')) requests.push(JSON.parse(r.postData() ?? '{}'));
    });
    await page.goto(url);
    await page.evaluate(`location.hash = '#/history'`);
    return page;
  }

  const status = (page: Page) => page.getByRole('status').filter({ hasText: /deliver|Loading/ });

  it('opens on the newest page and loads older ones as the list is scrolled', async () => {
    const page = await openHistory();
    // A first page of 40 (two screenfuls), so the page is usable at once; then pages of 200.
    await status(page).getByText('Newest 40 deliveries · more load as you scroll').waitFor();
    const first = page.locator('.history-row').first();
    assert.match(await first.innerText(), /Ops/);
    assert.equal(await page.getByRole('table', { name: 'Deliveries' }).getAttribute('aria-rowcount'), '41');
    assert.ok((await page.locator('.history-row').count()) < 60, 'only the rows in view are drawn');
    assert.deepEqual(requests.at(-1), { limit: 40 }, 'the first request asks for a small page');

    await page.locator('.virtual').evaluate((list) => (list.scrollTop = list.scrollHeight));
    await status(page).getByText('Newest 240 deliveries · more load as you scroll').waitFor();
    // The second page starts after the last row of the first: the cursor names it.
    assert.deepEqual(requests.at(-1), { limit: 200, before: { createdAt: createdAt(4960), id: 'd-04960' } });
    await keepScreenshot(page, 'history-long', { fullPage: true });
    await page.close();
  });

  it('filters in the watcher, over the whole history, not just the rows loaded', async () => {
    const page = await openHistory();
    await status(page)
      .getByText(/^Newest 40/)
      .waitFor();
    await page.getByLabel('Outcome').selectOption('failed');
    // Every 50th of 5,000 failed: all 100 are found, though most are far beyond the first page.
    await status(page).getByText('Newest 40 deliveries · more load as you scroll').waitFor();
    assert.equal(requests.at(-1)?.outcome, 'failed');
    const rows = page.locator('.history-row');
    assert.match(await rows.first().innerText(), /Failed/);
    await page.locator('.virtual').evaluate((list) => (list.scrollTop = list.scrollHeight));
    await status(page).getByText('100 deliveries', { exact: true }).waitFor();
    await page.locator('.virtual').evaluate((list) => (list.scrollTop = list.scrollHeight));
    await page.locator('.history-row[aria-rowindex="101"]').waitFor();
    assert.match(await rows.last().innerText(), /Failed/);
    for (const width of [390, 768, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await keepScreenshot(page, `history-filtered-${width}-${scheme}`, { fullPage: true });
      }
    }
    await page.close();
    assertReported('History page over 5,000 deliveries', 2);
  });
});
