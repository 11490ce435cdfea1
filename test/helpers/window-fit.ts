// The window's fit check (issue 20): every page at one size, light and dark, measured in
// Chromium for sideways scroll, overlapping text and misaligned History columns, and axe clean.
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { axe } from './axe.js';
import { keepScreenshot } from './browser.js';
import { it } from './node-test.js';
import type { WebUiRig } from './web-ui-rig.js';
import { go, LONG_MOUNT } from './window-rig.js';
import { alikeRows, brokenWords, clippedText, missingHeaders } from './window-text.js';

/** Elements sticking out to the right of the page, for the failure message. */
const overflow = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width)
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > width + 1) out.push(e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(r.right));
    }
  return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8) };
})()`;

/**
 * Text boxes in History rows that overlap: each text's box as drawn (clipped by its cell), then
 * compared with every other cell's in the same row.
 */
const overlaps = `(() => {
  const found = [];
  for (const row of document.querySelectorAll('.history-row')) {
    const boxes = [];
    for (const cell of row.querySelectorAll('[role=cell]')) {
      const clip = cell.getBoundingClientRect();
      if (!clip.width) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          const box = {
            left: Math.max(r.left, clip.left), right: Math.min(r.right, clip.right),
            top: Math.max(r.top, clip.top), bottom: Math.min(r.bottom, clip.bottom),
          };
          if (box.right - box.left > 0.5 && box.bottom - box.top > 0.5) boxes.push({ cell, text: n.textContent, box });
        }
      }
    }
    const rowBox = row.getBoundingClientRect();
    for (const a of boxes) {
      if (a.box.bottom > rowBox.bottom + 0.5 || a.box.top < rowBox.top - 0.5)
        found.push('outside its row: ' + a.text);
      for (const b of boxes)
        if (a !== b && a.cell !== b.cell && a.box.left < b.box.right - 0.5 && b.box.left < a.box.right - 0.5 &&
            a.box.top < b.box.bottom - 0.5 && b.box.top < a.box.bottom - 0.5)
          found.push(a.text + ' overlaps ' + b.text);
    }
  }
  return found.slice(0, 10);
})()`;

/** Cells of one column that do not start at the same x in every row (each row is its own grid). */
const misaligned = `(() => {
  const lefts = {};
  for (const cell of document.querySelectorAll('.history-row [role=cell]')) {
    const r = cell.getBoundingClientRect();
    if (!r.width) continue;
    const name = [...cell.classList].find((c) => c.startsWith('col-'));
    (lefts[name] ??= []).push(Math.round(r.left));
  }
  return Object.entries(lefts)
    .filter(([, xs]) => Math.max(...xs) - Math.min(...xs) > 1)
    .map(([name, xs]) => name + ' starts at ' + [...new Set(xs)].join(', '));
})()`;

/** Each page in the state worth looking at: waits for its content, never for time. */
const pages = (ui: WebUiRig): [string, (page: Page) => Promise<void>][] => [
  [
    'disks',
    async (page) => {
      await go(page, '#/disks');
      await page.locator(`.disk[data-mount="${ui.disk.dir}"] .chart canvas`).first().waitFor();
    },
  ],
  [
    'integrations',
    async (page) => {
      await go(page, '#/integrations');
      await page.locator('.integration, .card.empty').first().waitFor(); // the list is in
      await page.locator('.catalogue .channel').first().waitFor();
    },
  ],
  [
    'integration-form',
    async (page) => {
      await go(page, '#/integrations');
      await page.getByRole('button', { name: 'Add Webhook' }).click();
      await page.getByLabel('URL', { exact: true }).fill('http://example.com/a/very/long/path/that/goes/on');
      await page.getByLabel('Authentication').selectOption('basic');
      await page.getByLabel('Hold notifications during quiet hours').check();
      await page.getByText('Variables', { exact: true }).click();
      await page.getByRole('button', { name: 'Add integration' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
    },
  ],
  [
    'history',
    async (page) => {
      await go(page, '#/history');
      await page.locator('.history-row').nth(5).waitFor();
    },
  ],
  [
    'history-details',
    async (page) => {
      await page
        .getByRole('button', { name: /details: .*, Failed$/ })
        .first()
        .click();
      await page.getByRole('complementary', { name: 'Delivery details' }).getByText('Attempts').waitFor();
    },
  ],
  [
    'settings',
    async (page) => {
      await go(page, '#/settings');
      await page.getByLabel('Add overrides for mount').fill(LONG_MOUNT);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.locator('.overrides-table').waitFor();
    },
  ],
];

/**
 * The fit check at `width`×`height` in one colour scheme, as one test of the calling describe
 * block: a fresh context at that size, every page in turn.
 */
export function fitsEveryPage(ui: WebUiRig, width: number, height: number, scheme: 'light' | 'dark'): void {
  it(
    `fits every page at ${width} px, ${scheme}: no sideways scroll, no overlapping text or word broken across lines, History rows told apart under a heading for each column, nothing cut without an ellipsis, axe clean`,
    { timeout: 120_000 },
    async () => {
      const problems: string[] = [];
      const context: BrowserContext = await ui.browser.newContext({
        viewport: { width, height },
        colorScheme: scheme,
        // axe is injected as a script tag; the app's own CSP stays on in every other test.
        bypassCSP: true,
      });
      const page = await context.newPage();
      await page.goto(ui.url);
      for (const [name, show] of pages(ui)) {
        const where = `${name} ${width}×${height} ${scheme}:`;
        await show(page);
        const o = (await page.evaluate(overflow)) as {
          scrollWidth: number;
          width: number;
          out: string[];
        };
        if (o.scrollWidth > o.width)
          problems.push(`${where} ${o.scrollWidth} px wide in ${o.width}: ${o.out.join('; ')}`);
        const found = [...((await page.evaluate(brokenWords)) as string[])];
        if (name.startsWith('history'))
          for (const check of [overlaps, misaligned, alikeRows, missingHeaders, clippedText])
            found.push(...((await page.evaluate(check)) as string[]));
        for (const o of found) problems.push(`${where} ${o}`);
        await axe(page, where, problems);
        await keepScreenshot(page, `window-${name}-${width}-${scheme}`, { fullPage: true });
      }
      await context.close();
      assert.deepEqual(problems, []);
    },
  );
}
