import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import { keepScreenshot } from '../helpers/browser.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * Snoozing alerts in the web UI, in real Chromium against the real core (`headroom watch --ui` on
 * a tmpfs): one disk from its card, and every alert, with what was held meanwhile in History.
 */
describe('the web UI in Chromium: snoozing alerts', { skip: webUiSkip }, () => {
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
    await keepScreenshot(page, 'disks-snoozed', { fullPage: true });

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
    await keepScreenshot(page, 'history-held', { fullPage: true });

    // Back above the threshold before resuming: nothing is owed, so nothing goes out late.
    await ui.disk.setFreePercent(50);
    await page.getByRole('link', { name: 'Disks' }).click();
    await page.locator(`.disk[data-mount="${ui.disk.dir}"][data-state="ok"]`).waitFor();
    await ui.call('alerts.unsnooze', { mount: null });
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    await page.close();
  });
});
