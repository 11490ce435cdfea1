import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { loopbackStandIn } from '../helpers/loopback-stand-in.js';
import { ntfyMock } from '../helpers/ntfy-mock.js';
import { teamsWorkflowMock } from '../helpers/teams-workflow.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The ntfy and Microsoft Teams forms in real Chromium against the real core (`headroom watch --ui`
 * on a tmpfs): made from the channels' fields, saved with Validate, and a Send test that reaches
 * the vendor's stand-in — the secret never on the page once saved.
 */
describe('the web UI in Chromium: ntfy and Microsoft Teams', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('offers ntfy: the token field only with token auth, Validate checks the topic, Send test arrives', async () => {
    const token = 'tk_e2ewindowtoken0000000000000';
    const ntfy = ntfyMock({
      users: [{ name: 'alerts', token, access: { disks: 'read-write' } }],
      defaultAccess: 'deny-all',
    });
    const server = await loopbackStandIn(ntfy.handle);
    try {
      const page = await ui.open('#/integrations');
      await page.getByRole('button', { name: 'Add ntfy' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Phone');
      await page.getByLabel('Server URL', { exact: true }).fill(server.url);
      await page.getByLabel('Topic', { exact: true }).fill('disks');
      assert.equal(
        await page.getByLabel('Access token (secret)').count(),
        0,
        'no token field without token auth',
      );
      await page.getByLabel('Authentication', { exact: true }).selectOption('token');
      await page.getByLabel('Access token (secret)').fill(token);
      // Tags: their own example, and a comma list refused in the form's words.
      const tags = page.getByLabel('Tags', { exact: true });
      assert.equal(await tags.getAttribute('placeholder'), 'floppy_disk (one per line)');
      await tags.fill('floppy_disk, computer');
      await page.getByRole('button', { name: 'Add integration' }).click();
      await page.getByText('give one tag at a time (one a line)').first().waitFor();
      await tags.fill('floppy_disk\ncomputer');
      await page.getByRole('button', { name: 'Add integration' }).click();
      await page
        .getByText(/Saved Phone\. Validated: .* accepts the access token for topic "disks"/)
        .waitFor();
      assert.equal(ntfy.published.length, 0, 'Validate published nothing');
      const row = page.locator('.integration', { hasText: 'Phone' });
      await row.getByRole('button', { name: 'Send test to Phone' }).click();
      await row.getByText(/Test delivered/).waitFor();
      assert.equal(ntfy.published.length, 1);
      assert.match(ntfy.published[0]!.title ?? '', /^\[TEST\] /);
      assert.equal(ntfy.published[0]!.user, 'alerts');
      assert.doesNotMatch(await page.content(), new RegExp(token), 'the page shows the token');
      await page.close();
    } finally {
      await server.close();
    }
  });

  it('offers Microsoft Teams: an Office 365 connector URL refused with the fix, a Workflows URL saved and tested', async () => {
    const flow = teamsWorkflowMock();
    const server = await loopbackStandIn(flow.handle);
    const sig = 'e2eWindowSig0000000000000000000000000000000';
    try {
      const page = await ui.open('#/integrations');
      await page.getByRole('button', { name: 'Add Microsoft Teams' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Ops channel');
      const url = page.getByLabel('Webhook URL (secret)');
      await url.fill('https://contoso.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/abc/def');
      await page.getByRole('button', { name: 'Add integration' }).click();
      await page
        .getByText(/Office 365 connectors.*Workflows/)
        .first()
        .waitFor();
      await url.fill(
        `${server.url}/workflows/0f1e2d3c4b5a69788796a5b4c3d2e1f0/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`,
      );
      await page.getByRole('button', { name: 'Add integration' }).click();
      const row = page.locator('.integration', { hasText: 'Ops channel' });
      await row.getByRole('button', { name: 'Send test to Ops channel' }).click();
      await row.getByText(/Test delivered/).waitFor();
      assert.deepEqual(flow.failedRuns, []);
      assert.equal(flow.posted.length, 1, 'one card posted');
      assert.doesNotMatch(await page.content(), new RegExp(sig), 'the page shows the signature');
      await page.close();
    } finally {
      await server.close();
    }
  });
});
