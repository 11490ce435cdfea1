import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { axe } from '../helpers/axe.js';
import { chromiumMissing, keepScreenshot } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { linkRig } from '../helpers/link-rig.js';
import { webUiUrl } from '../helpers/web-ui.js';

const PASSWORD = 'correct horse battery';

/**
 * The web UI's password login in real Chromium: a page opened without a token goes to the login
 * page, which works at 390 px and passes axe; the cookie it gives outlives a reload; Log out ends
 * it. (The kept token and its rotation: web-ui-access.test.ts.)
 */
describe('the web UI lets a browser in with the password', { skip: chromiumMissing }, () => {
  const ui = linkRig();
  const live = (page = ui.page) => page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();

  it('logs in with the password at 390 px, with no token, and logs out', { timeout: 60_000 }, async () => {
    const set = await runCli(['ui', '--set-password'], ui.home, {}, `${PASSWORD}\n`);
    assert.equal(set.code, 0, set.stderr);
    const base = (await webUiUrl(ui.startWatcher(), ui.home)).replace(/#.*$/, '');
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
    await keepScreenshot(page, 'web-ui-login-390', { fullPage: true });
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
