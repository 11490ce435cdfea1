// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, keepScreenshot } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { LoopDisk } from '../helpers/images.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { webUiUrl } from '../helpers/web-ui.js';

const skip = chromiumMissing || (await cannotMount);

/**
 * A read-only disk the user named (an image, a remount) at 99 % used, in the web UI: it cannot
 * fill, so its card says so and nothing on it looks like an alert.
 */
describe('a read-only disk in the web UI', { skip }, () => {
  let disk: LoopDisk;
  let watcher: CliProcess;
  let browser: Browser;
  let url: string;

  before(async () => {
    disk = await LoopDisk.create(32);
    await disk.mount();
    await disk.fillTo(99);
    await disk.remountReadOnly();
    const home = await tempHome();
    watcher = new CliProcess(['watch', '--mount', disk.dir, '--ui', '127.0.0.1:0'], home);
    url = await webUiUrl(watcher, home);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await watcher?.stop();
    await disk?.dispose();
  });

  for (const width of [390, 1440])
    it(
      `shows "Read-only" and a neutral bar without thresholds, at ${width} px`,
      { timeout: 60_000 },
      async () => {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(url);
        const card = page.locator('.card.disk', { hasText: disk.dir });
        await card.locator('.badge-read-only').waitFor();
        assert.equal(await card.locator('.badge').innerText(), 'Read-only');
        assert.match(await card.innerText(), /read-only, cannot fill/);
        const meter = card.getByRole('meter');
        assert.match((await meter.getAttribute('aria-valuetext')) ?? '', /used; read-only$/);
        assert.equal(
          await card.locator('.usage-critical, .usage-mark').count(),
          0,
          'no alert colour, no marks',
        );
        // The badge keeps its word whole on a narrow card: one line high.
        const box = (await card.locator('.badge').boundingBox())!;
        assert.ok(box.height < 30, `the badge is ${box.height} px high`);
        await keepScreenshot(page, `read-only-card-${width}`, { fullPage: true });
        await page.close();
      },
    );
});
