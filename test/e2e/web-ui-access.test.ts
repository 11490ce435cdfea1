import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { chromiumMissing, keepScreenshot } from '../helpers/browser.js';
import { linkRig, LOST } from '../helpers/link-rig.js';
import { webUiUrl } from '../helpers/web-ui.js';

const REFUSED = /no longer accepts this page’s access token/;

/**
 * The web UI outliving its watcher's restarts, in real Chromium: the access token is kept, so an
 * open tab and a bookmark keep working; Settings rotates it. (A password login:
 * web-ui-login.test.ts.)
 */
describe('the web UI lets the same people in after a restart', { skip: chromiumMissing }, () => {
  const ui = linkRig();
  const live = (page = ui.page) => page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();

  it(
    'keeps working in an open tab after the watcher restarts and the page is reloaded',
    { timeout: 40_000 },
    async () => {
      const page = await ui.openLive();
      await ui.watcher!.stop();
      await ui.banner(LOST).waitFor();
      await webUiUrl(ui.startWatcher(), ui.home);
      // Back in touch with the same token: the banner goes by itself, and a reload keeps working.
      await page.getByRole('alert').waitFor({ state: 'detached' });
      await page.reload();
      await live();
      assert.equal(await page.getByRole('alert').count(), 0);
      assert.equal(await ui.stale(), null);
    },
  );

  it(
    'rotates the token from Settings: this page goes on with the new address, others are refused',
    { timeout: 40_000 },
    async () => {
      const other = await ui.browser.newPage();
      const oldUrl = await webUiUrl(ui.watcher!, ui.home);
      await other.goto(oldUrl);
      await live(other);

      const page = ui.page;
      await page.evaluate(`location.hash = '#/settings'`);
      await page.getByRole('button', { name: 'Rotate access token' }).click();
      await page.getByRole('button', { name: 'Rotate now' }).click();
      const address = page.getByLabel(/^New address/);
      await address.waitFor();
      const fresh = await address.inputValue();
      assert.match(fresh, /^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
      assert.notEqual(fresh, oldUrl);
      await keepScreenshot(page, 'web-ui-rotated', { fullPage: true });

      await other.getByRole('alert').filter({ hasText: REFUSED }).waitFor();
      // The page that rotated reconnected with the new token, without losing touch.
      assert.equal(await page.getByRole('alert').count(), 0);
      await page.evaluate(`location.hash = '#/disks'`);
      await live();
      // The new address works where the old one no longer does; ui-url has it too.
      await other.goto(fresh);
      await other.getByRole('alert').waitFor({ state: 'detached' });
      await live(other);
      assert.equal(await webUiUrl(ui.watcher!, ui.home), fresh);
      await other.close();
    },
  );
});
