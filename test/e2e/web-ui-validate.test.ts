import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '../helpers/node-test.js';
import { loopbackStandIn } from '../helpers/loopback-stand-in.js';
import { Receiver } from '../helpers/receiver.js';
import { telegramMock } from '../helpers/telegram.js';
import { noAiosmtpd, SmtpServer } from '../helpers/smtp-server.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * Saving an integration that the receiver is asked about (Validate), in real Chromium against the
 * real core (`headroom watch --ui` on a tmpfs), with local HTTPS receivers standing in for webhook
 * endpoints: a failed challenge, one that cannot be reached, and one that cannot be asked.
 */
describe('the web UI in Chromium: validating an integration with its receiver', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('shows the reason when Validate fails', async () => {
    const hook = await Receiver.start(ui.pki);
    hook.always((r) => {
      const token = new URL(r.url, 'https://x').searchParams.get('crc_token') ?? '';
      return {
        status: 200,
        body: JSON.stringify({
          response_token: `sha256=${createHmac('sha256', 'crc-secret').update(token).digest('base64')}`,
        }),
      };
    });
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Challenged');
    await page.getByLabel('URL', { exact: true }).fill(hook.url);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.getByLabel('Challenge secret (secret)').fill('crc-secret');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText(/Saved Challenged\. Validated: challenge answered correctly/).waitFor();

    // The receiver changes its mind: its answer no longer matches the secret.
    hook.always(() => ({ status: 200, body: '{"response_token":"sha256=wrong"}' }));
    const row = page.locator('.integration', { hasText: 'Challenged' });
    await row.getByRole('button', { name: 'Validate' }).click();
    await row
      .getByText(/✘ the response_token does not match: the receiver must answer .* \(HTTP 200, \d+ ms\)/)
      .waitFor();
    await page.close();
    await hook.close();
  });

  it('offers Save anyway when the receiver is unreachable, and Validate never ticks what it cannot check', async () => {
    const gone = await Receiver.start(ui.pki);
    const goneUrl = gone.url;
    await gone.close(); // nothing listens there any more
    const page = await ui.open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Gone receiver');
    await page.getByLabel('URL', { exact: true }).fill(goneUrl);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.getByLabel('Challenge secret (secret)').fill('crc-secret');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText(/Not saved: the receiver did not pass validation\. connection refused/).waitFor();
    await page.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText(/Saved Gone receiver\. Saved without asking the receiver/).waitFor();
    const row = page.locator('.integration', { hasText: 'Gone receiver' });
    await row.getByRole('button', { name: 'Validate' }).click();
    await row.getByText(/✘ connection refused/).waitFor();

    // Without a challenge secret there is nothing to ask: a neutral ○, not a green tick.
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Unchallenged');
    await page.getByLabel('URL', { exact: true }).fill(`${ui.receiver.url}/plain`);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Unchallenged.').waitFor();
    const plain = page.locator('.integration', { hasText: 'Unchallenged' });
    await plain.getByRole('button', { name: 'Validate' }).click();
    const said = plain.getByText(/^○ not checked: the settings are valid, but this channel cannot be asked/);
    await said.waitFor();
    assert.doesNotMatch((await said.getAttribute('class')) ?? '', /outcome-ok/);
    // The command it names (worded for the CLI too) is code here, not text in backticks.
    assert.equal(await said.locator('code').innerText(), 'headroom integration test');
    assert.doesNotMatch(await said.innerText(), /`/);
    await page.close();
  });

  it('offers Telegram from its fields: Validate asks getMe and getChat, Send test arrives, the token stays hidden', async () => {
    const token = '7123456789:AAEhBP0av28xUd1Ws4kGqP-5t2zR_TfK0cM';
    const api = telegramMock(token, [{ id: -1001234567890, type: 'supergroup', title: 'Ops' }]);
    // Plain HTTP, which a Bot API URL may be to this machine only (a local telegram-bot-api server).
    const server = await loopbackStandIn(api.handle);
    try {
      const page = await ui.open('#/integrations');
      await page.getByRole('button', { name: 'Add Telegram' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Phone');
      await page.getByLabel('Bot token (secret)').fill(token);
      await page.getByLabel('Chat ID', { exact: true }).fill('-1001234567890');
      await page.getByLabel('API URL', { exact: true }).fill(server.url);
      await page.getByRole('button', { name: 'Add integration' }).click();
      await page
        .getByText(
          /Saved Phone\. Validated: the token works: bot @disk_alerts_bot, and it sees the chat "Ops"/,
        )
        .waitFor();
      const row = page.locator('.integration', { hasText: 'Phone' });
      await row.getByRole('button', { name: 'Send test to Phone' }).click();
      await row.getByText(/Test delivered/).waitFor();
      assert.match(api.sent[0]!.shown, /^\[TEST\] /);
      assert.deepEqual(api.problems, []);
      assert.ok(!(await page.content()).includes(token.split(':')[1]!), 'the page shows the token');
      await page.close();
    } finally {
      await server.close();
    }
  });

  it(
    'e-mail: the form from its fields, Validate logs in without sending, Send test arrives (SMTP 250)',
    { skip: noAiosmtpd, timeout: 40_000 },
    async () => {
      const smtp = await SmtpServer.start(ui.pki, 'alerts@example.com', 'app-pass-from-the-form');
      try {
        const page = await ui.open('#/integrations');
        await page.getByRole('button', { name: 'Add E-mail' }).click();
        await page.getByLabel('Name', { exact: true }).fill('Mail');
        await page.getByLabel('SMTP server', { exact: true }).fill('localhost');
        await page.getByLabel('Port', { exact: true }).fill(String(smtp.ports.starttls));
        await page.getByLabel('User', { exact: true }).fill('alerts@example.com');
        await page.getByLabel('Password (secret)').fill('app-pass-from-the-form');
        await page.getByLabel('From', { exact: true }).fill('alerts@example.com');
        // A list of addresses, not the webhook headers' "Name: value".
        const to = page.getByLabel('To', { exact: true });
        assert.equal(await to.getAttribute('placeholder'), 'oncall@example.com (one per line)');
        await to.fill('ops@example.com\noncall@example.com');
        await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
        // TLS from the first byte on a STARTTLS port: what to choose, named as the form names it.
        const encryption = page.getByLabel('Encryption', { exact: true });
        await encryption.selectOption('tls');
        await page.getByRole('button', { name: 'Add integration' }).click();
        await page
          .getByText(
            `the server at localhost:${smtp.ports.starttls} does not speak TLS from the first byte: it probably expects STARTTLS (port 587): choose Encryption “starttls”`,
          )
          .waitFor();
        await encryption.selectOption('starttls');
        await page.getByRole('button', { name: 'Add integration' }).click();
        await page
          .getByText(
            /Saved Mail\. Validated: the mail server at localhost:\d+ logged in as alerts@example\.com over STARTTLS; nothing was sent/,
          )
          .waitFor();
        assert.equal(smtp.messages.length, 0, 'Validate sent nothing');
        const row = page.locator('.integration', { hasText: 'Mail' });
        await row.getByRole('button', { name: 'Send test' }).click();
        await row.getByText(/✔ Test delivered \(SMTP 250, \d+ ms\)/).waitFor();
        const [got] = await smtp.received(1);
        assert.deepEqual(got!.to, ['ops@example.com', 'oncall@example.com']);
        assert.match(got!.subject, /^\[Headroom\] \[TEST\] /);
        assert.doesNotMatch(await page.content(), /app-pass-from-the-form/, 'the password is not shown');
        await page.close();
      } finally {
        await smtp.close();
      }
    },
  );
});
