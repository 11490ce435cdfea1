import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { email } from '../../shared/channels/email.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { wrongEncryption } from '../../shared/channels/email-checks.js';
import { formWords } from '../../renderer/src/form-words.js';
import { sampleEvent } from '../helpers/events.js';

/** The e-mail channel's settings and replies, without a server (email.test.ts has the server). */
describe('e-mail settings and SMTP replies', () => {
  const config = (over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: '2525',
    user: 'alerts@example.com',
    password: 'a-password',
    from: 'Headroom <alerts@example.com>',
    to: ['ops@example.com'],
    ...over,
  });
  const problems = (over: Record<string, unknown>) => {
    const draft = { id: 'email-1', name: 'E-mail', type: 'email', createdAt: 0, updatedAt: 0 };
    const r = validateIntegration({ ...draft, config: config(over) });
    return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
  };

  it('refuses a login over an unencrypted link, unless allowed in so many words', { timeout: 5_000 }, () => {
    assert.deepEqual(problems({ security: 'none' }), [
      'security: none would send the user and password unencrypted: use --security starttls or --security tls, or, for a relay on this machine only, --allow-plaintext-auth yes',
    ]);
    assert.deepEqual(problems({ security: 'none', allowPlaintextAuth: 'yes' }), []);
    assert.deepEqual(problems({ security: 'none', user: undefined, password: undefined }), []);
  });

  it('words its help and messages for the CLI and the window alike', { timeout: 5_000 }, () => {
    // The window shows each help as written: a flag only where the form's own way is said too.
    for (const f of email.fields)
      assert.doesNotMatch(f.help.replace(/\(repeat --[a-z-]+; one a line in forms\)/, ''), /--[a-z]/, f.key);
    // Messages name a setting by its flag and value, which the window says as its label and value.
    const window = (message: string) => formWords(message, email.fields);
    assert.equal(
      window(problems({ security: 'none' })[0]!),
      'security: none would send the user and password unencrypted: use Encryption “starttls” or Encryption “tls”, or, for a relay on this machine only, Send the password unencrypted “yes”',
    );
    const noGreeting = wrongEncryption(false, 'mail.example.com:465', 'ETIMEDOUT', 'Greeting never received');
    assert.equal(
      window(noGreeting!.message),
      'no SMTP greeting from mail.example.com:465: if it expects TLS from the first byte (port 465), choose Encryption “tls”',
    );
  });

  it('refuses settings that cannot work, naming the field and the fix', { timeout: 5_000 }, async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      // A list's error names the address that is wrong, which the field's place alone does not.
      [
        { to: ['ops@example.com', 'not an address', 'x@y'] },
        /^to\.1: "not an address" is not an e-mail address: write it as/,
      ],
      [{ to: [] }, /^to: is required: at least one address/],
      [
        { from: 'Ops, Team <ops@example.com>' },
        /^from: "Ops, Team <ops@example.com>": its name before "<" cannot contain ,/,
      ],
      [{ from: 'ops@example.com\r\nBcc: x@example.com' }, /^from: cannot contain line breaks/],
      [{ host: 'smtp://mail.example.com' }, /^host: is a host name alone.*no "smtp:\/\/"/],
      [{ port: '70000' }, /^port: must be a port number, 1 to 65535/],
      [{ user: undefined }, /^user: is required with a password/],
      [{ security: 'ssl' }, /^security: must be one of starttls, tls, none/],
    ];
    for (const [over, expected] of cases)
      assert.match(problems(over).join('\n'), expected, JSON.stringify(over));
    // Said once, however it is wrong.
    for (const port of ['abc', '0', '70000'])
      assert.deepEqual(problems({ port }), ['port: must be a port number, 1 to 65535'], port);
    // Each mode's port by default: 587 submission with STARTTLS, 465 TLS from the start, 25 plain.
    for (const [security, url] of [
      ['starttls', 'smtp://127.0.0.1:587'],
      ['tls', 'smtps://127.0.0.1:465'],
      ['none', 'smtp://127.0.0.1:25'],
    ]) {
      const parsed = email.schema.parse(config({ port: undefined, security, allowPlaintextAuth: 'yes' }));
      assert.equal((await email.render(sampleEvent(), parsed)).url, url);
    }
  });

  it('classifies each SMTP reply as RFC 5321 means it', { timeout: 5_000 }, () => {
    const parsed = email.schema.parse(config());
    const table: [number, string, string][] = [
      [250, 'delivered', ''],
      [421, 'retry', 'serverError'],
      [450, 'retry', 'serverError'],
      [451, 'retry', 'serverError'],
      [452, 'retry', 'serverError'],
      [454, 'retry', 'tlsError'],
      [530, 'failed', 'authError'],
      [535, 'failed', 'authError'],
      [550, 'failed', 'vendorError'],
      [552, 'failed', 'vendorError'],
      [554, 'failed', 'vendorError'],
    ];
    for (const [status, kind, reason] of table) {
      const o = email.classify({ status, headers: {}, body: `${status} said` }, sampleEvent(), parsed, 0);
      assert.deepEqual([o.kind, o.kind === 'delivered' ? '' : o.reason], [kind, reason], String(status));
      if (o.kind !== 'delivered') assert.ok(o.message.includes(`(${status} said)`), o.message);
    }
  });
});
