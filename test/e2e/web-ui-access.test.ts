import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { axe } from '../helpers/axe.js';
import { artifactPath, chromiumMissing } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { linkRig, LOST } from '../helpers/link-rig.js';
import { webUiUrl } from '../helpers/web-ui.js';

const PASSWORD = 'correct horse battery';
const REFUSED = /no longer accepts this page’s access token/;

/**
 * The web UI outliving its watcher's restarts, in real Chromium: the access token is kept, so an
 * open tab and a bookmark keep working; Settings rotates it; a password login needs no token.
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
      await page.screenshot({ path: await artifactPath('web-ui-rotated'), fullPage: true });

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

  it('logs in with the password at 390 px, with no token, and logs out', { timeout: 40_000 }, async () => {
    const set = await runCli(['ui', '--set-password'], ui.home, {}, `${PASSWORD}\n`);
    assert.equal(set.code, 0, set.stderr);
    const base = (await webUiUrl(ui.watcher!, ui.home)).replace(/#.*$/, '');
    const page = await ui.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base);
    // Without a token, the page goes to the login page by itself.
    await page.waitForURL(/\/login$/);
    const password = page.getByLabel('Password');
    await password.fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong password.' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= innerWidth'), true);
    // Its style sheet is let in by the page's Content-Security-Policy (by its hash).
    assert.equal(await page.evaluate('getComputedStyle(document.body).display'), 'grid');
    const problems: string[] = [];
    const scanned = await ui.browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const scan = await scanned.newPage();
    await scan.goto(`${base}login`);
    await scan.getByLabel('Password').fill('wrong again');
    await scan.getByRole('button', { name: 'Log in' }).click();
    await scan.getByRole('alert').waitFor();
    // Two wrong in a row so far: below the three a client may give before it has to wait.
    for (const scheme of ['light', 'dark'] as const) {
      await scan.emulateMedia({ colorScheme: scheme });
      await axe(scan, `login (${scheme})`, problems);
    }
    await scanned.close();
    assert.deepEqual(problems, []);
    await page.screenshot({ path: await artifactPath('web-ui-login-390'), fullPage: true });
    await ui.watcher!.waitForStderr(/web UI: wrong password from 127\.0\.0\.1 \(2 in a row\)/);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(base);
    await live(page);
    await page.reload();
    await live(page);
    await page.evaluate(`location.hash = '#/settings'`);
    await page.getByText('This browser is logged in with the password.').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(base);
    await page.waitForURL(/\/login$/, { waitUntil: 'commit' });
    await page.close();
  });
});
