import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, chromiumMissing, launchChromium } from '../helpers/browser.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { holdRequest, webUiUrl } from '../helpers/web-ui.js';

/**
 * An open web UI whose watcher stops, hangs or restarts (as under systemd after an upgrade): the
 * page must say it is out of touch, never go on showing figures as if live, and catch up after.
 */
describe('the web UI out of touch with its watcher', { skip: chromiumMissing }, () => {
  let home: string;
  let args: string[];
  let watcher: CliProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    home = await tempHome();
    // One fixed port, as a user's bookmark has: a restarted watcher answers at the same address.
    args = ['watch', '--interval', '60', '--mount', '/', '--ui', `127.0.0.1:${await freePort()}`];
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    watcher?.child.kill('SIGCONT'); // should a test have stopped it there
    await watcher?.stop();
  });

  const banner = (text: RegExp) => page.getByRole('alert').filter({ hasText: text });
  const lost = /^Lost contact with the watcher: reconnecting…/;
  const stale = () => page.locator('main').getAttribute('class');

  it('says it lost contact, then that a restarted watcher needs its new address, which works pasted in', async () => {
    watcher = new CliProcess(args, home);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // The chart's code (fetched when a chart is first shown) still on its way as the watcher stops.
    const chartCode = await holdRequest(page, '**/assets/FreeSpaceChart-*.js');
    await page.goto(await webUiUrl(watcher, home));
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    assert.equal(await stale(), null);
    await chartCode.asked;

    await watcher.stop();
    chartCode.refuse(); // the watcher is gone: nothing at that address answers any more
    await banner(lost).waitFor();
    assert.equal(await stale(), 'stale', 'the figures are shown as not live');
    // The page stays, banner and all (a part that failed to load took it blank before), and that
    // part says what it could not load.
    const chartMissing = page.getByRole('status').filter({ hasText: /^Could not load the chart: / });
    await chartMissing.waitFor();
    assert.match(await page.locator('.disk').first().innerText(), /free/);
    for (const width of [390, 768, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: await artifactPath(`web-ui-lost-${width}-${scheme}`), fullPage: true });
      }
    }

    watcher = new CliProcess(args, home);
    const url = await webUiUrl(watcher, home);
    await banner(/no longer accepts this page’s access token/).waitFor();
    await page.screenshot({ path: await artifactPath('web-ui-new-token'), fullPage: true });
    // Pasted into the same tab, the new address changes only the fragment: no reload.
    await page.goto(url);
    await page.getByRole('alert').waitFor({ state: 'detached' });
    assert.equal(await stale(), null);
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    // Try again fetches the chart's code anew: a browser does not keep the failure.
    await page.locator('.contained').getByRole('button', { name: 'Try again' }).click();
    await page.locator('.disk .chart canvas').first().waitFor();
    assert.equal(await chartMissing.count(), 0);
  });

  it('shows a pause set from the command line while it is open', async () => {
    assert.equal((await runCli(['snooze', '--all', '--for', '8h'], home)).code, 0);
    await page.getByText(/^Alerts paused until/).waitFor();
    assert.equal((await runCli(['unsnooze', '--all'], home)).code, 0);
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
  });

  it('says so when the watcher stops answering, and is current again when it answers', async () => {
    watcher.child.kill('SIGSTOP');
    // Silent for three keep-alive beats (30 s): lost, not idle.
    await banner(lost).waitFor({ timeout: 90_000 });
    assert.equal((await runCli(['snooze', '--all', '--for', '1h'], home)).code, 0);
    watcher.child.kill('SIGCONT');
    await banner(lost).waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByText(/^Alerts paused until/).waitFor();
    assert.equal((await runCli(['unsnooze', '--all'], home)).code, 0);
    await page.close();
  });
});
