import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { chromiumMissing, keepScreenshot } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { linkRig, LOST } from '../helpers/link-rig.js';
import { holdRequest, webUiUrl } from '../helpers/web-ui.js';

/**
 * An open web UI whose watcher stops, hangs or restarts (as under systemd after an upgrade): the
 * page must say it is out of touch, never go on showing figures as if live, and catch up after.
 * (A watcher that hangs: web-ui-link-hang.test.ts; a pause from the command line:
 * web-ui-link-cli.test.ts.)
 */
describe('the web UI out of touch with its watcher', { skip: chromiumMissing }, () => {
  const ui = linkRig();

  it('says it lost contact, then that a watcher restarted with a rotated token needs its new address, which works pasted in', async () => {
    const watcher = ui.startWatcher();
    const page = (ui.page = await ui.browser.newPage({ viewport: { width: 1200, height: 900 } }));
    // The chart's code (fetched when a chart is first shown) still on its way as the watcher stops.
    const chartCode = await holdRequest(page, '**/assets/FreeSpaceChart-*.js');
    await page.goto(await webUiUrl(watcher, ui.home));
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    assert.equal(await ui.stale(), null);
    await chartCode.asked;

    await watcher.stop();
    chartCode.refuse(); // the watcher is gone: nothing at that address answers any more
    await ui.banner(LOST).waitFor();
    assert.equal(await ui.stale(), 'stale', 'the figures are shown as not live');
    // The page stays, banner and all (a part that failed to load took it blank before), and that
    // part says what it could not load.
    const chartMissing = page.getByRole('status').filter({ hasText: /^Could not load the chart: / });
    await chartMissing.waitFor();
    assert.match(await page.locator('.disk').first().innerText(), /free/);
    for (const width of [390, 768, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await keepScreenshot(page, `web-ui-lost-${width}-${scheme}`, { fullPage: true });
      }
    }

    // The token was rotated while it was down: the restarted watcher refuses this page's.
    // (Restarted with the same token, the page just goes on: web-ui-access.test.ts.)
    assert.equal((await runCli(['ui', '--rotate-token'], ui.home)).code, 0);
    const url = await webUiUrl(ui.startWatcher(), ui.home);
    await ui.banner(/no longer accepts this page’s access token/).waitFor();
    await keepScreenshot(page, 'web-ui-new-token', { fullPage: true });
    // Pasted into the same tab, the new address changes only the fragment: no reload.
    await page.goto(url);
    await page.getByRole('alert').waitFor({ state: 'detached' });
    assert.equal(await ui.stale(), null);
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    // Try again fetches the chart's code anew: a browser does not keep the failure.
    await page.locator('.contained').getByRole('button', { name: 'Try again' }).click();
    await page.locator('.disk .chart canvas').first().waitFor();
    assert.equal(await chartMissing.count(), 0);
  });
});
