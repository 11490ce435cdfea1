import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { Tmpfs } from '../helpers/tmpfs.js';
import { holdAnswer, webUiUrl } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The Disks page in real Chromium against the real core (`headroom watch --ui` on a tmpfs): each
 * disk's figures and state as they change, told exactly.
 */
describe('the web UI in Chromium: the disks and their states', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('shows the watched disk with its figures and state', async () => {
    const page = await ui.open();
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'ok');
    // Size, used and available as df shows them (tmpfs reserves nothing: used + available = size).
    assert.match(
      await card.innerText(),
      /50\.0% free\s+Size\s+20\.0 MiB\s+Used\s+10\.0 MiB\s+Available\s+10\.0 MiB/,
    );
    assert.equal(
      await card.getByRole('meter').getAttribute('aria-valuetext'),
      '50.0% used; warning at 20% free, critical at 10% free',
    );
    await keepScreenshot(page, 'disks', { fullPage: true });
    await page.close();
  });

  it('shows a disk out of inodes as critical beside its free space', async () => {
    // A disk of its own with 50 inodes, 47 of them used by empty files: plenty of space, no inodes.
    const small = await Tmpfs.mount(20, 'nr_inodes=50');
    const otherHome = await tempHome();
    const other = new CliProcess(
      ['watch', '--interval', '1', '--mount', small.dir, '--ui', '127.0.0.1:0'],
      otherHome,
    );
    try {
      for (let i = 0; i < 47; i++) await writeFile(join(small.dir, `f${i}`), '');
      const at = await webUiUrl(other, otherHome);
      const page = await ui.newPage();
      await page.goto(at);
      const card = page.locator(`.disk[data-mount="${small.dir}"]`);
      await card.locator('.inodes[data-inode-state="critical"]').waitFor();
      assert.equal(await card.getAttribute('data-state'), 'ok', 'the space alert is its own');
      assert.match(await card.locator('.inodes').innerText(), /^Inodes \d\.\d% free — Critical$/);
      await page.close();
    } finally {
      await other.stop();
      await small.dispose();
    }
  });

  it('shows a disk crossing below 20% free as warning without a reload, not undone by an older answer', async () => {
    const page = await ui.newPage();
    // The page's first list of disks is read before the crossing and reaches the page after it.
    const list = await holdAnswer(page, 'disks.list');
    await page.goto(ui.url);
    await list.read;
    await ui.disk.setFreePercent(15);
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    await page.locator(`.disk[data-mount="${ui.disk.dir}"][data-state="warning"]`).waitFor();
    await list.release();
    assert.equal(await card.getAttribute('data-state'), 'warning');
    assert.match(await card.innerText(), /Warning/);
    await ui.disk.setFreePercent(50);
    await page.close();
  });

  it('shows 19.98 % free in warning as below 20 %, never "20.0%", in the card, the meter and the chart', async () => {
    const page = await ui.open();
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    await card.waitFor();
    await ui.disk.setFreePercent(19.99);
    const free = await ui.disk.freePercent();
    assert.ok(free > 19.95 && free < 20, `the disk is at ${free}% free, where one decimal would read 20.0`);
    await page.locator(`.disk[data-mount="${ui.disk.dir}"][data-state="warning"]`).waitFor();
    await card.locator('.figures', { hasText: /19\.9\d% free/ }).waitFor();
    assert.match(
      (await card.getByRole('meter').getAttribute('aria-valuetext')) ?? '',
      /^80\.0\d% used;/,
      'used space is not rounded onto the 80 % the warning starts at either',
    );
    await card.locator('figcaption', { hasText: /19\.9\d% now/ }).waitFor();
    assert.doesNotMatch(await card.innerText(), /\b20\.0%/);
    await keepScreenshot(page, 'disks-at-19.98', { fullPage: true });
    await ui.disk.setFreePercent(50);
    await page.close();
  });
});
