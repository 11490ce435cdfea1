import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { addWebhook, runCli } from '../helpers/cli.js';
import { apiFromPage } from '../helpers/web-ui.js';
import { webUiSkip } from '../helpers/web-ui-rig.js';
import { go, LONG_NAME, tabTo, windowRig } from '../helpers/window-rig.js';

/**
 * Issue 20, checked the way it asks: the web UI (the same renderer as the window) in Chromium at
 * a phone/tray width, against the real watcher: History's names too long for their column, read
 * whole from the keyboard.
 */
describe('the window’s History at tray size', { skip: webUiSkip }, () => {
  const ui = windowRig();

  it('shows the whole of a name cut in the middle when its row has keyboard focus', async () => {
    const added = await addWebhook(ui.home, {
      name: 'Tip hook',
      url: `${ui.receiver.url}/hooks/tip`,
      ca: ui.pki.files.ca,
    });
    assert.equal(added.code, 0, added.stderr);
    const tipHook = added.stdout.trim();
    const page = await ui.newPage(390, 844);
    await page.goto(ui.url);
    await go(page, '#/history');
    const row = page.locator('.history-row', { hasText: 'weekdays)' }).first();
    await row.waitFor();
    const cell = row.locator('.col-integration .mid');
    assert.equal(await cell.getAttribute('title'), LONG_NAME, 'the whole name on hover');
    assert.match(await cell.locator('.mid-start').innerText(), /^Platform/);
    assert.match(await cell.locator('.mid-end').innerText(), /weekdays\)$/);
    assert.ok(
      await cell.locator('.mid-start').evaluate((e) => e.scrollWidth > e.clientWidth),
      'the name is cut at this width, in the middle',
    );
    await tabTo(page, /details: Platform operations/);
    const tip = page.locator('.row-tip');
    await tip.waitFor();
    assert.match(await tip.innerText(), new RegExp(`^${LONG_NAME.replace(/[()]/g, '\\$&')} · `));
    await keepScreenshot(page, 'window-history-focus-tip-390');
    // A delivery arriving above the focused row leaves focus, and the tip, on the same delivery.
    const tipRow = page.locator('.history-row', { hasText: 'Tip hook' });
    const sent = await apiFromPage(page, 'integrations.test', { id: tipHook });
    assert.equal((sent as { ok: boolean }).ok, true, JSON.stringify(sent));
    await tipRow.waitFor();
    assert.match(
      (await page.evaluate('document.activeElement.textContent')) as string,
      /details: Platform operations/,
      'focus stays on the delivery it was on',
    );
    assert.match(await tip.innerText(), /^Platform operations/);
    // A name short enough for its column reads as written: the space where it is split is kept.
    const whole = tipRow.locator('.col-integration .mid');
    assert.equal(await whole.getAttribute('title'), 'Tip hook');
    assert.ok(
      await whole.evaluate((mid) => {
        const probe = mid.ownerDocument.createElement('span');
        probe.style.cssText = 'position:absolute;white-space:pre;font:inherit';
        probe.textContent = mid.title;
        mid.append(probe);
        const drawn = [...mid.children].slice(0, -1).reduce((w, c) => w + c.getBoundingClientRect().width, 0);
        const wanted = probe.getBoundingClientRect().width;
        probe.remove();
        return Math.abs(drawn - wanted) < 1;
      }),
      '"Tip hook" drawn as wide as the name itself (not "Tiphook")',
    );
    // The tip follows focus: the next row's, then none once focus leaves the rows.
    await page.keyboard.press('Tab');
    await page
      .locator('.row-tip', { hasText: /^Ops · \/mnt\/scratch\/projects\/2026-render-farm\/cache\/photos$/ })
      .waitFor();
    await page.locator('.filters select').last().focus();
    await tip.waitFor({ state: 'detached' });
    assert.equal((await runCli(['integration', 'remove', tipHook], ui.home)).code, 0);
    await page.close();
  });
});
