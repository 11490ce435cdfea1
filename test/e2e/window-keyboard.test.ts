import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { artifactPath } from '../helpers/browser.js';
import { addWebhook, runCli } from '../helpers/cli.js';
import { apiFromPage } from '../helpers/web-ui.js';
import { webUiSkip } from '../helpers/web-ui-rig.js';
import { go, LONG_NAME, tabTo, windowRig } from '../helpers/window-rig.js';

/**
 * Issue 20, checked the way it asks: the web UI (the same renderer as the window) in Chromium at
 * a phone/tray width, from the keyboard alone, against the real watcher.
 */
describe('the window from the keyboard at tray size', { skip: webUiSkip }, () => {
  const ui = windowRig();

  it('keyboard only: adds a webhook, sends a test, finds a failed delivery in History and retries it', async () => {
    const page = await ui.newPage(390, 844);
    await page.goto(ui.url);
    await page.locator('footer', { hasText: 'Headroom' }).waitFor();
    // The pages menu of a narrow window, from the keyboard.
    await tabTo(page, /^Pages menu$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Integrations$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await tabTo(page, /^Add Webhook$/);
    await page.keyboard.press('Enter');
    // The form opens with focus on its heading: the next Tab is its first field.
    // (The form is loaded on demand and focuses its heading once drawn: wait for both.)
    await page.getByRole('heading', { name: 'Add Webhook' }).and(page.locator(':focus')).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard hook');
    await tabTo(page, /^URL$/);
    await page.keyboard.type(`${ui.receiver.url}/hooks/keys`);
    await tabTo(page, /^CA certificate$/);
    await page.keyboard.insertText(ui.pki.ca);
    await tabTo(page, /^Add integration$/);
    await page.keyboard.press('Enter');
    await page.getByText('Saved Keyboard hook.').waitFor();

    const before = ui.receiver.requests.length;
    await tabTo(page, /^Send test to Keyboard hook$/);
    await page.keyboard.press('Enter');
    const card = page.locator('.integration', { hasText: 'Keyboard hook' });
    await card.getByText(/✔ Test delivered \(HTTP 200, \d+ ms\)/).waitFor();
    assert.ok(ui.receiver.requests.length > before, 'the receiver got the test');

    // A real alert that the receiver refuses for good: a failed delivery to retry.
    ui.receiver.always({ status: 400, body: 'no' });
    await ui.disk.setFreePercent(15);
    await tabTo(page, /^Pages menu$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^History$/);
    await page.keyboard.press('Enter');
    const failed = new RegExp(
      `details: Keyboard hook, ${ui.disk.dir.replaceAll('/', '\\/')}, ok → warning, Failed$`,
    );
    await page.getByRole('button', { name: failed }).waitFor();
    ui.receiver.always({ status: 200, body: 'ok' });
    await tabTo(page, failed, 120);
    await page.keyboard.press('Enter');
    const details = page.getByRole('complementary', { name: 'Delivery details' });
    await details.getByText('Request refused').waitFor();
    await tabTo(page, /^Retry$/);
    await page.keyboard.press('Enter');
    await details.getByText('✔ Queued again').waitFor();
    await details.locator('.pill', { hasText: 'Delivered' }).waitFor();
    await page.screenshot({ path: await artifactPath('window-keyboard-retry-390') });
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // Focus returns to the row the details were opened from (a frame after they close).
    const focused = page.locator('.row-open:focus');
    await focused.waitFor();
    assert.match((await focused.textContent())!, /details: Keyboard hook/);
    // Back to ok: the all-clear arrives before the next test, whose History it would change.
    const keys = () =>
      ui.receiver.requests.filter((r) => r.url === '/hooks/keys' && r.answered === 200).length;
    const delivered = keys();
    await ui.disk.setFreePercent(40);
    await ui.receiver.until(() => keys() > delivered);
    await page.close();
  });

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
    await page.screenshot({ path: await artifactPath('window-history-focus-tip-390') });
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
