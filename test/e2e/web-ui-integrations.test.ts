import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { holdAnswer } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The Integrations page in real Chromium against the real core (`headroom watch --ui` on a tmpfs),
 * with a local HTTPS receiver standing in for the webhook endpoint: adding one, its test
 * delivery, and that delivery in History.
 */
describe('the web UI in Chromium: integrations and their deliveries', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('refuses invalid input with the field and the fix, and saves nothing', async () => {
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/hook');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('URL: must use https:// (plain http:// is allowed only to this machine').waitFor();
    assert.equal(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('No integrations yet').waitFor();
    await page.close();
  });

  it('adds a webhook through the form, sends a test the receiver gets, and shows it in History', async () => {
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ops receiver');
    await page.getByLabel('URL', { exact: true }).fill(`${ui.receiver.url}/hooks/disk`);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.getByLabel('Authentication').selectOption('bearer');
    await page.getByLabel('Bearer token (secret)').fill('tok-from-the-form');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Ops receiver.').waitFor();
    const row = page.locator('.integration', { hasText: 'Ops receiver' });
    await row.waitFor(); // the saved integration as the watcher answers it, where a secret could show
    assert.doesNotMatch(await page.content(), /tok-from-the-form/, 'the secret is not shown after saving');

    const before = ui.receiver.requests.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByText(/✔ Test delivered \(HTTP 200, \d+ ms\)/).waitFor();
    const got = ui.receiver.requests.slice(before).find((r) => r.method === 'POST')!;
    assert.match(JSON.parse(got.body).message, /^\[TEST\]/);
    assert.equal(got.headers.authorization, 'Bearer tok-from-the-form');
    await keepScreenshot(page, 'integrations', { fullPage: true });

    await page.getByRole('link', { name: 'History' }).click();
    const entry = page.locator('.history-row').filter({ hasText: 'Ops receiver' }).first();
    await entry.waitFor();
    assert.match(await entry.innerText(), /test[\s\S]*Delivered[\s\S]*HTTP 200/);
    await entry.getByRole('button').click();
    await page
      .getByRole('complementary', { name: 'Delivery details' })
      .getByText(/HTTP 200 · \d+ ms/)
      .waitFor();
    await keepScreenshot(page, 'history', { fullPage: true });
    await page.close();
  });

  it('lists deliveries made while the History page was loading, as they ended', async () => {
    const page = await ui.newPage();
    const list = await holdAnswer(page, 'history.list');
    await page.goto(ui.url);
    await page.evaluate(`location.hash = '#/history'`);
    await list.read; // the history as it was before the test below
    const { integrations } = await ui.call<{ integrations: { id: string; name: string }[] }>(
      'integrations.list',
    );
    await ui.call('integrations.test', { id: integrations.find((i) => i.name === 'Ops receiver')!.id });
    // Pushed events arrive in order: once the pause sent after the test shows, so has the test.
    await ui.call('alerts.pause', { minutes: 60 });
    await page.getByText(/^Alerts paused until/).waitFor();
    await list.release();
    const stored = await ui.call<unknown[]>('history.list', { limit: 200 });
    await page.getByRole('status').getByText(`${stored.length} deliveries`, { exact: true }).waitFor();
    assert.match(
      await page.locator('.history-row').first().innerText(),
      /Ops receiver[\s\S]*test[\s\S]*Delivered/,
    );
    await ui.call('alerts.resume');
    await page.close();
  });

  it('says the integrations are loading until they are in, never an empty list', async () => {
    const page = await ui.open();
    await page.locator(`.disk[data-mount="${ui.disk.dir}"]`).waitFor(); // Disks asked for its own list
    const list = await holdAnswer(page, 'integrations.list');
    // On a busy machine the channel catalogue is still loading too: each status says what it waits for.
    const channels = await holdAnswer(page, 'channels.list');
    await page.evaluate(`location.hash = '#/integrations'`);
    await Promise.all([list.read, channels.read]);
    await page.getByRole('status').filter({ hasText: 'Loading the integrations…' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading the channels…' }).waitFor();
    assert.equal(await page.locator('.integration').count(), 0);
    await list.release();
    await page.locator('.integration', { hasText: 'Ops receiver' }).waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: 'Loading the integrations…' }).count(), 0);
    await channels.release();
    await page.locator('.channel').first().waitFor();
    assert.equal(
      await page
        .getByRole('status')
        .filter({ hasText: /^Loading / })
        .count(),
      0,
    );
    await page.close();
  });
});
