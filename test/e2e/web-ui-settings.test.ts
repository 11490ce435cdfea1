import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import type { Settings } from '../../shared/settings.js';
import { axe } from '../helpers/axe.js';
import { keepScreenshot } from '../helpers/browser.js';
import { deliveryRecord } from '../helpers/events.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The Settings page, then every page checked with axe, in real Chromium against the real core
 * (`headroom watch --ui` on a tmpfs): the overrides saved first are what the settings page shows
 * when checked.
 */
describe('the web UI in Chromium: settings, and every page accessible', { skip: webUiSkip }, () => {
  const ui = webUiRig({
    freePercent: 50,
    // One delivery in History, so that the History page is checked with a row in it.
    prepare: async ({ home }) =>
      writeFile(join(home, 'history.jsonl'), `${JSON.stringify(deliveryRecord('seed', Date.now()))}\n`, {
        mode: 0o600,
      }),
  });

  it('saves an absolute threshold and a mount override, refusing an invalid one beside its cell', async () => {
    const page = await ui.open('#/settings');
    await page.getByLabel('Warning below (GiB free)', { exact: true }).fill('4');
    // Changed elsewhere while this form is open (another window, the CLI): saving here keeps it.
    await ui.call('settings.update', { settings: { historyMaxAgeDays: 45 } });
    await page.getByLabel('Critical below (GiB free)', { exact: true }).fill('2');
    await page.getByLabel('Add overrides for mount').fill(ui.disk.dir);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const critical = page.getByLabel(`Critical below (% free) for ${ui.disk.dir}`);
    await page.getByLabel(`Warning below (% free) for ${ui.disk.dir}`).fill('25');
    await critical.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(
        `${ui.disk.dir} Critical %: the critical % free (30) must be below the warning % free (25) for this mount`,
      )
      .waitFor();
    assert.equal(await critical.getAttribute('aria-invalid'), 'true');
    await keepScreenshot(page, 'settings-override-error', { fullPage: true });
    const refused = await ui.call<{ settings: Settings }>('settings.get');
    assert.equal(refused.settings.warningGiB, null, 'nothing is saved while a field is wrong');
    assert.deepEqual(refused.settings.mountOverrides, {});

    await critical.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^✔ Saved\./ })
      .waitFor();
    const { settings } = await ui.call<{ settings: Settings }>('settings.get');
    assert.deepEqual(
      [settings.warningGiB, settings.criticalGiB, settings.mountOverrides, settings.historyMaxAgeDays],
      [4, 2, { [ui.disk.dir]: { warningPercent: 25, criticalPercent: 5 } }, 45],
    );
    assert.equal(await page.getByLabel('Keep deliveries (days)').inputValue(), '45', 'the form shows it');
    await keepScreenshot(page, 'settings-overrides', { fullPage: true });
    await page.close();
  });

  it('flags the threshold changed, not the one it now clashes with', async () => {
    const page = await ui.open('#/settings');
    const [warning, critical] = [
      page.getByLabel('Warning below (% free)', { exact: true }),
      page.getByLabel('Critical below (% free)', { exact: true }),
    ];
    await warning.fill('5');
    // Said beside it while typing, as it is the field touched.
    await page.getByText('Warning below (% free): must be above the critical % free (10)').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Not saved: one field needs a fix').waitFor();
    assert.equal(await warning.getAttribute('aria-invalid'), 'true');
    assert.equal(await critical.getAttribute('aria-invalid'), null, 'critical was not touched');
    await page.close();
  });

  it('has no serious or critical accessibility violations on any page (axe)', async () => {
    const context = await ui.browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(ui.url);
    const problems: string[] = [];
    const scan = (where: string, options?: string) => axe(page, where, problems, options);
    /** The integration form with every section open: quiet hours, the variables list. */
    const openForm = async () => {
      await page.evaluate(`location.hash = '#/integrations'`);
      await page.getByRole('button', { name: 'Add Webhook' }).click();
      await page.getByLabel('Hold notifications during quiet hours').check();
      await page.getByText('Variables', { exact: true }).click();
    };
    // Each page with its content in, not its "Loading…" placeholders (the event stream keeps the
    // network busy for ever, so there is no network idle to wait for).
    const content: Record<string, string[]> = {
      '#/disks': ['.disk'],
      '#/integrations': ['.integration, .card.empty', '.catalogue .channel'],
      '#/history': ['.history-row'],
      '#/settings': ['#s-warningPercent'],
    };
    for (const [hash, parts] of Object.entries(content)) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      for (const part of parts) await page.locator(part).first().waitFor();
      await page.locator('footer', { hasText: 'Headroom' }).waitFor();
      await scan(hash);
      if (hash === '#/settings') await keepScreenshot(page, 'settings', { fullPage: true });
    }
    await openForm();
    await scan('integration form');
    await page.getByRole('button', { name: 'Cancel' }).click();
    for (const scheme of ['dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(`location.hash = '#/integrations'`);
      await page.locator('.catalogue .channel').first().waitFor();
      await scan(scheme, '{ runOnly: ["color-contrast"] }');
      await keepScreenshot(page, `integrations-${scheme}`, { fullPage: true });
      await openForm();
      await scan(`${scheme} integration form`, '{ runOnly: ["color-contrast"] }');
      await keepScreenshot(page, `integration-form-${scheme}`, { fullPage: true });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.evaluate(`location.hash = '#/settings'`);
      await page.locator('.overrides-table').waitFor();
      await scan(`${scheme} settings`, '{ runOnly: ["color-contrast"] }');
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});
