import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { addSample, emptyHistory } from '../../shared/sample-history.js';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * Issue 32 item 1, in real Chromium against the real watcher on a fresh install: a tmpfs at 23 %
 * free, watched for the last 50 minutes (the line runs just above the warning line at 20 %,
 * through where the labels were drawn at the right edge).
 */
describe('the web UI in Chromium: the disk chart', { skip: webUiSkip }, () => {
  const ui = webUiRig({
    freePercent: 23,
    prepare: async (rig) => {
      const usable = 20 * 1024 ** 2;
      let h = emptyHistory();
      for (let at = Date.now() - 50 * 60_000; at < Date.now(); at += 60_000)
        h = addSample(h, { at, available: 0.23 * usable, usable, state: 'ok' });
      await writeFile(
        join(rig.home, 'sample-history.json'),
        JSON.stringify({ mounts: { [rig.disk.dir]: h } }),
      );
    },
  });
  const cardOf = (page: import('playwright-core').Page) => page.locator(`.disk[data-mount="${ui.disk.dir}"]`);

  it('starts on the hour while the disk has less than an hour of samples', { timeout: 20_000 }, async () => {
    const page = await ui.open();
    const card = cardOf(page);
    await card.locator('.chart[data-range="hour"] canvas').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Hour' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await card.getByRole('button', { name: 'Day' }).getAttribute('aria-pressed'), 'false');
    assert.match(await card.locator('figcaption').innerText(), /^Last hour: /);
    await page.close();
  });

  // One test per size and scheme: each opens a page of its own (all four in one test took 26 s of
  // its 30 in a quiet CI run).
  for (const width of [390, 1440])
    for (const scheme of ['light', 'dark'] as const)
      it(
        `draws the threshold labels where the data line is not, at ${width} px, ${scheme}`,
        { timeout: 30_000 },
        async () => {
          const page = await ui.newPage(width, 900);
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(ui.url);
          const card = cardOf(page);
          const chart = card.locator(`.chart[data-scheme="${scheme}"][data-labels]`);
          await chart.locator('canvas').waitFor();
          const { labels, inLabels, onCanvas } = await linePixels(chart);
          assert.equal(labels, 2, 'the warning and the critical label');
          assert.ok(onCanvas > 20, `the data line is drawn (${onCanvas} pixels of its colour)`);
          assert.equal(inLabels, 0, `${width} px ${scheme}: pixels of the data line under a label`);
          await keepScreenshot(card.locator('.disk-chart'), `chart-${width}-${scheme}`);
          await page.close();
        },
      );

  it(
    "ends the line at the card's reading when the disk changes, without a reload, under a pointer that stays",
    { timeout: 30_000 },
    async () => {
      const page = await ui.newPage(1440, 900);
      await page.goto(ui.url);
      const card = cardOf(page);
      await card.locator('.chart canvas').waitFor();
      // The pointer rests at the right edge of the plot: the tooltip names the line's last point.
      const plot = card.locator('.u-over');
      const width = await plot.evaluate((el) => el.clientWidth);
      await plot.hover({ position: { x: width - 1, y: 10 } });
      await card.locator('.chart-tip:not([hidden])', { hasText: /: 23\.0% free$/ }).waitFor();
      // The disk is freed: the line moves on under the pointer, which has not moved, and the
      // tooltip follows it to the card's new reading.
      await ui.disk.setFreePercent(70);
      await card.locator('.figures', { hasText: '70.0% free' }).waitFor();
      await card.locator('.chart-tip:not([hidden])', { hasText: /: 70\.0% free$/ }).waitFor();
      await keepScreenshot(card.locator('.disk-chart'), 'chart-after-freeing');
      await ui.disk.setFreePercent(23);
      await page.close();
    },
  );
});

/**
 * Reads the chart's canvas: how many of its pixels have the data line's colour inside the boxes
 * the chart says its labels took (`data-labels`, CSS pixels of the canvas), and on the whole canvas.
 */
async function linePixels(chart: Locator): Promise<{ labels: number; inLabels: number; onCanvas: number }> {
  // Made from a string: the test runner's build would add helpers to a function the page does not have.
  const read = new Function(
    'el',
    `{
      const canvas = el.querySelector('canvas');
      const px = canvas.width / canvas.clientWidth;
      const probe = document.createElement('i');
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--accent');
      document.body.append(probe);
      const accent = getComputedStyle(probe).color.match(/\\d+/g).map(Number);
      probe.remove();
      const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const isLine = (x, y) => {
        const i = (y * canvas.width + x) * 4;
        const d = image.data;
        return Math.abs(d[i] - accent[0]) + Math.abs(d[i + 1] - accent[1]) + Math.abs(d[i + 2] - accent[2]) < 60 && d[i + 3] > 200;
      };
      let onCanvas = 0;
      for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) if (isLine(x, y)) onCanvas++;
      const boxes = JSON.parse(el.dataset.labels);
      let inLabels = 0;
      for (const [l, t, r, b] of boxes)
        for (let y = Math.floor(t * px); y < Math.ceil(b * px); y++)
          for (let x = Math.floor(l * px); x < Math.ceil(r * px); x++) if (isLine(x, y)) inLabels++;
      return { labels: boxes.length, inLabels, onCanvas };
    }`,
  ) as (el: unknown) => { labels: number; inLabels: number; onCanvas: number };
  return chart.evaluate(read);
}
