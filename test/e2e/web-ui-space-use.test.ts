import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { apiFromPage } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * What uses a disk's space, shown in the web UI in real Chromium against the real core
 * (`headroom watch --ui` on a tmpfs): the folders biggest first, what grew, and the paths to copy.
 */
describe('the web UI in Chromium: what uses a disk’s space', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('shows what uses space on a disk: bars biggest first, drill-down, breadcrumbs, what grew', async () => {
    const projects = join(ui.disk.dir, 'projects');
    await mkdir(join(projects, 'big'), { recursive: true });
    await mkdir(join(projects, 'small'));
    await writeFile(join(projects, 'big', 'data.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
    await writeFile(join(projects, 'small', 'x'), Buffer.alloc(1024 * 1024, 1));
    try {
      const page = await ui.open();
      const panel = page.locator(`.disk[data-mount="${ui.disk.dir}"] .space-use`);
      await panel.getByRole('button', { name: 'What’s using space' }).click();
      await panel.getByRole('button', { name: 'Scan again' }).waitFor();
      const rows = panel.locator('.space-use-list > li[data-space-use-dir]');
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'projects',
      ]);
      assert.match(await rows.first().innerText(), /projects\/\s+4\.00 MiB/);

      await rows.first().getByRole('button', { name: 'projects/' }).click();
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'big',
        'small',
      ]);
      assert.match(await panel.getByRole('navigation', { name: 'Folder path' }).innerText(), /projects$/);
      await panel.getByText(`${projects}`, { exact: true }).waitFor();

      // More in one folder, scanned again: its row says how much it grew.
      await writeFile(join(projects, 'big', 'more.bin'), Buffer.alloc(1024 * 1024, 1));
      await panel.getByRole('button', { name: 'Scan again' }).click();
      await panel.getByRole('button', { name: 'Scan again' }).waitFor();
      await panel
        .getByText(/^Grew most since \d{4}-\d\d-\d\d \d\d:\d\d \S+: .*\/projects\/big \+1\.00 MiB$/)
        .waitFor();
      await panel.getByRole('button', { name: 'projects/' }).click();
      assert.match(await rows.first().innerText(), /big\/\s+4\.00 MiB\s+\+1\.00 MiB/);
      await keepScreenshot(page, 'disk-usage', { fullPage: true });
      await panel
        .getByRole('navigation', { name: 'Folder path' })
        .getByRole('button', { name: ui.disk.dir })
        .click();
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'projects',
      ]);
      await page.close();
    } finally {
      await rm(projects, { recursive: true, force: true });
    }
  });

  it('gives the folder’s path and the Trash’s to copy: a browser cannot open folders', async () => {
    const uid = process.getuid!();
    const trash = join(ui.disk.dir, `.Trash-${uid}`);
    await mkdir(join(trash, 'files'), { recursive: true });
    await mkdir(join(trash, 'info'));
    await writeFile(join(trash, 'files', 'old.iso'), Buffer.alloc(3 * 1024 * 1024, 1));
    const context = await ui.browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.url).origin });
    try {
      const page = await context.newPage();
      await page.goto(ui.url);
      const panel = page.locator(`.disk[data-mount="${ui.disk.dir}"] .space-use`);
      await panel.getByRole('button', { name: 'What’s using space' }).click();
      const trashLine = panel.locator('.space-use-trash');
      await trashLine.waitFor();
      assert.equal(
        (await trashLine.innerText()).replace(/\s+/g, ' ').trim(),
        `Trash: 3.00 MiB — ${join(trash, 'files')} Copy path`,
      );
      assert.equal(
        await panel.getByRole('button', { name: /Open/ }).count(),
        0,
        'no Open button in a browser',
      );

      await panel.locator('.space-use-path').getByRole('button', { name: 'Copy path' }).click();
      await panel.locator('.space-use-path').getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), ui.disk.dir);
      await trashLine.getByRole('button', { name: 'Copy path' }).click();
      await trashLine.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), join(trash, 'files'));
      for (const [width, scheme] of [
        [390, 'light'],
        [1200, 'dark'],
      ] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        const overflow = await page.evaluate('document.documentElement.scrollWidth - innerWidth');
        assert.ok((overflow as number) <= 0, `no sideways scroll at ${width} px`);
        await panel.scrollIntoViewIfNeeded();
        await keepScreenshot(page, `disk-usage-trash-${width}-${scheme}`, { fullPage: true });
      }
      // Asked anyway (an old page, a hand-made request): refused, with what to do instead.
      const opened = await apiFromPage(page, 'usage.open', { mount: ui.disk.dir, path: ui.disk.dir });
      assert.deepEqual(opened, {
        ok: false,
        error: {
          code: 'forbidden',
          message: 'the web UI cannot open folders on the machine it watches: copy the path instead',
        },
      });
    } finally {
      await context.close();
      await rm(trash, { recursive: true, force: true });
    }
  });
});
