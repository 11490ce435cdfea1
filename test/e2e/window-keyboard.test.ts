import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { webUiSkip } from '../helpers/web-ui-rig.js';
import { tabTo, windowRig } from '../helpers/window-rig.js';

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
    await keepScreenshot(page, 'window-keyboard-retry-390');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // Focus returns to the row the details were opened from (a frame after they close).
    const focused = page.locator('.row-open:focus');
    await focused.waitFor();
    assert.match((await focused.textContent())!, /details: Keyboard hook/);
    // Back to ok: the all-clear is delivered too, now that the receiver accepts again.
    const keys = () =>
      ui.receiver.requests.filter((r) => r.url === '/hooks/keys' && r.answered === 200).length;
    const delivered = keys();
    await ui.disk.setFreePercent(40);
    await ui.receiver.until(() => keys() > delivered);
    await page.close();
  });
});
