import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import type { IntegrationView } from '../../shared/ipc/contract.js';
import { keepScreenshot } from '../helpers/browser.js';
import { holdAnswer } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The integration form in real Chromium against the real core (`headroom watch --ui` on a tmpfs),
 * with a local HTTPS receiver standing in for the webhook endpoint: what it checks and saves, and
 * how it says what is wrong. (Asking the receiver, Validate: web-ui-validate.test.ts.)
 */
describe('the web UI in Chromium: the integration form', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('never puts back an error already fixed when an older check of the form answers late', async () => {
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    // The check of the http:// URL is answered at once by the watcher and reaches the page late.
    const late = await holdAnswer(page, 'integrations.preview', (input) =>
      String((input.config as { url?: unknown }).url).startsWith('http://example.com'),
    );
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/hook');
    await late.read;
    await page.getByLabel('URL', { exact: true }).fill(`${ui.receiver.url}/hooks/late`);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.locator('.preview-message').waitFor();
    await late.release();
    assert.equal(await page.getByText(/^URL: must use https:\/\//).count(), 0, 'the fixed URL is not marked');
    assert.equal(await page.locator('.preview-message').count(), 1, 'the preview of the valid form stays');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.close();
  });
  it('counts the fields it marks: two errors of one field are one to fix, and Name is marked too', async () => {
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('n'.repeat(81));
    await page.getByLabel('URL', { exact: true }).fill(' '); // "is required" and "is not a valid URL"
    await page.getByLabel('Extra headers (secret)').fill('no colon\nnor here'); // one error a line
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Not saved: 3 fields need a fix').waitFor();
    const marked = page.locator('[aria-invalid="true"]');
    assert.deepEqual(await marked.evaluateAll((els) => els.map((e) => e.labels?.[0]?.textContent)), [
      'Name',
      'URL',
      'Extra headers (secret)',
    ]);
    await page.getByText('Name: must be at most 80 characters').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.close();
  });
  it('saves quiet hours, reminders and a template, previewed live, with errors beside their fields', async () => {
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Quiet ops');
    await page.getByLabel('URL', { exact: true }).fill(`${ui.receiver.url}/hooks/quiet`);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.getByLabel('Hold notifications during quiet hours').check();
    await page.getByLabel('Saturday').uncheck();
    await page.getByLabel('Quiet from').fill('22:30');
    await page.getByLabel('Quiet until').fill('06:45');
    await page.getByLabel('Critical alerts break through quiet hours').uncheck();
    await page.getByLabel('Remind while warning, every (hours)').fill('0.1');
    await page.getByLabel('Remind while critical, every (hours)').fill('2');

    // A variable that does not exist is named beside the title, by the check that runs on save.
    const title = page.getByLabel('Title', { exact: true });
    await title.fill('Disk {{mount}} is {{nope}}');
    await page.getByText('Title: {{nope}} is not a variable; use one of {{host}}').waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    await keepScreenshot(page.getByRole('group', { name: 'Message template' }), 'integration-template-error');
    await title.fill('Disk {{mount}} is {{state}}');
    await page.locator('.preview-title', { hasText: 'Disk / is warning' }).waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), null);
    // The title is shown once: the text under it does not repeat it.
    assert.doesNotMatch(
      await page.locator('.preview-message pre').first().innerText(),
      /^Disk \/ is warning/,
    );
    await page.getByLabel('Body (JSON)').fill('{"disk": "{{mount}}", "free": {{free_percent}}}');
    await page.locator('.preview pre.code', { hasText: '{"disk": "/", "free": 15}' }).waitFor();
    await page.getByLabel('Preview as').selectOption('critical');
    await page.locator('.preview-title', { hasText: 'Disk / is critical' }).waitFor();
    await page.getByText('Variables', { exact: true }).click();
    await page.getByText('free space in words, e.g. 4.10 GiB').waitFor();
    await keepScreenshot(page, 'integration-form', { fullPage: true });

    // The core refuses a reminder every 6 minutes; its words show beside that field.
    await page.getByRole('button', { name: 'Add integration' }).click();
    const warningHours = page.getByLabel('Remind while warning, every (hours)');
    await page.getByText('Remind while warning, every (hours): must be at least 0.25').waitFor();
    assert.equal(await warningHours.getAttribute('aria-invalid'), 'true');
    await warningHours.fill('4');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Quiet ops.').waitFor();
    const card = page.locator('.integration', { hasText: 'Quiet ops' });
    assert.match(
      await card.innerText(),
      /quiet 22:30–06:45 \(sun, mon, tue, wed, thu, fri\) · reminders every 4 h while warning, every 2 h while critical · own message template/,
    );

    const { integrations } = await ui.call<{ integrations: IntegrationView[] }>('integrations.list');
    const saved = integrations.find((i) => i.name === 'Quiet ops')!;
    assert.deepEqual(saved.quietHours, {
      days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri'],
      start: '22:30',
      end: '06:45',
      critical: 'hold',
    });
    assert.deepEqual(saved.reminders, { warningHours: 4, criticalHours: 2 });
    assert.deepEqual(saved.template, {
      title: 'Disk {{mount}} is {{state}}',
      body: '{"disk": "{{mount}}", "free": {{free_percent}}}',
    });
    // Editing shows what was saved.
    await page
      .locator('.integration', { hasText: 'Quiet ops' })
      .getByRole('button', { name: 'Edit' })
      .click();
    assert.equal(await page.getByLabel('Quiet until').inputValue(), '06:45');
    assert.equal(await page.getByLabel('Saturday').isChecked(), false);
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Disk {{mount}} is {{state}}');
    // Changed elsewhere while this form is open (the CLI, another window): saving the form would
    // send that change back, so it is refused, and the form opened again shows it.
    await ui.call('integrations.setEnabled', { id: saved.id, enabled: false });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/"Quiet ops" \(.+\) was changed elsewhere .* this edit was not saved/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    // The list is asked for again as the form closes; until it answers the card shows the old one.
    await card.getByRole('switch', { checked: false }).waitFor(); // as changed elsewhere
    await ui.call('integrations.setEnabled', { id: saved.id, enabled: true });
    await page.close();
  });
});
