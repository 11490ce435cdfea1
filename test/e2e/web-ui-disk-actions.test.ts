import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import { artifactPath } from '../helpers/browser.js';
import { apiFromPage } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * What a user does from a disk's card in the web UI, in real Chromium against the real core
 * (`headroom watch --ui` on a tmpfs): snooze its alerts (and find what was held in History), and
 * see what uses its space.
 */
describe('the web UI in Chromium: snoozing a disk and what uses its space', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('snoozes one disk from its card, says until when, and unsnoozes it', async () => {
    const page = await ui.open();
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Inodes \d+\.\d% free/, 'tmpfs has an inode count');
    await card.getByText('Snooze alerts…').click();
    await card
      .getByRole('group', { name: `Snooze alerts for ${ui.disk.dir}` })
      .getByRole('button', { name: '8 hours' })
      .click();
    const snoozed = card.getByText(/^Snoozed until \d{4}-\d\d-\d\d \d\d:\d\d \S+$/);
    await snoozed.waitFor();
    const [view] = await ui.call<DiskView[]>('disks.list');
    assert.ok(view!.snoozedUntil! > Date.now() + 7.9 * 3600_000, 'the core holds the snooze for 8 hours');
    await page.screenshot({ path: await artifactPath('disks-snoozed'), fullPage: true });

    await card.getByRole('button', { name: `Unsnooze ${ui.disk.dir}` }).click();
    await snoozed.waitFor({ state: 'detached' });
    await card.getByText('Snooze alerts…').waitFor();
    assert.equal((await ui.call<DiskView[]>('disks.list'))[0]!.snoozedUntil, null);
    await page.close();
  });

  it('lists changes held while every alert is snoozed in History, with the reason', async () => {
    // An integration to hold the change for: with none, nothing would be owed.
    const saved = await ui.call<{ ok: boolean }>('integrations.save', {
      type: 'webhook',
      name: 'Ops receiver',
      config: { url: `${ui.receiver.url}/hooks/disk`, ca: ui.pki.ca },
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    const page = await ui.open();
    await page.locator(`.disk[data-mount="${ui.disk.dir}"][data-state="ok"]`).waitFor();
    await ui.call('alerts.snooze', { mount: null, for: '1h' });
    await page.getByText(/^Alerts paused until/).waitFor();
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();

    await ui.disk.setFreePercent(15);
    const held = page
      .locator('.history-row')
      .filter({ hasText: ui.disk.dir })
      .filter({ hasText: 'ok → warning' })
      .filter({ hasText: 'held' })
      .first();
    await held.waitFor();
    assert.match(await held.innerText(), /Held\s+paused/, 'the row says why, in a word');
    await page.getByLabel('Outcome').selectOption('held');
    await held.getByRole('button').click();
    await page
      .getByRole('complementary', { name: 'Delivery details' })
      .getByText('alerts are paused; sent on resume if still relevant')
      .waitFor();
    await page.screenshot({ path: await artifactPath('history-held'), fullPage: true });

    // Back above the threshold before resuming: nothing is owed, so nothing goes out late.
    await ui.disk.setFreePercent(50);
    await page.getByRole('link', { name: 'Disks' }).click();
    await page.locator(`.disk[data-mount="${ui.disk.dir}"][data-state="ok"]`).waitFor();
    await ui.call('alerts.unsnooze', { mount: null });
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    await page.close();
  });

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
      await panel.getByText(/^Grew most since \d\d:\d\d: .*\/projects\/big \+1\.00 MiB$/).waitFor();
      await panel.getByRole('button', { name: 'projects/' }).click();
      assert.match(await rows.first().innerText(), /big\/\s+4\.00 MiB\s+\+1\.00 MiB/);
      await page.screenshot({ path: await artifactPath('disk-usage'), fullPage: true });
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
        await page.screenshot({
          path: await artifactPath(`disk-usage-trash-${width}-${scheme}`),
          fullPage: true,
        });
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
