import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { attemptDelivery } from '../../core/delivery/attempt.js';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { subjectKey } from '../../shared/disk.js';
import { statusWords } from '../../shared/history.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { sampleEvent } from '../helpers/events.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { headersOf, noAiosmtpd, SmtpServer, type Received } from '../helpers/smtp-server.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const USER = 'alerts@example.com';
const PASSWORD = 'Corr3ct-h0rse-battery';

describe('E-mail through a real SMTP server (aiosmtpd on 127.0.0.1)', { skip: noAiosmtpd }, () => {
  let pki: TestPki;
  let smtp: SmtpServer;
  before(async () => {
    pki = await makePki();
    smtp = await SmtpServer.start(pki, USER, PASSWORD);
  });
  after(async () => {
    await smtp?.close();
  });
  const opened = closeAfterEach();

  /** A dispatcher with the real stores and transport, trusting the test CA through the channel's `ca`. */
  async function rig() {
    const r = await deliveryRig();
    const transport = createTransport();
    opened(
      () => r.close(),
      () => transport.close(),
    );
    const service = new IntegrationService(r.integrations, transport, () => r.dispatcher);
    return { ...r, transport, service };
  }
  const config = (over: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port: String(smtp.ports.starttls),
    user: USER,
    password: PASSWORD,
    from: `Headroom <${USER}>`,
    to: ['ops@example.com', 'oncall@example.org'],
    ca: pki.ca,
    ...over,
  });
  /** The messages that arrive from now on, `n` of them. */
  const next = async (n: number): Promise<Received[]> => {
    const seen = smtp.messages.length;
    return (await smtp.received(seen + n)).slice(seen);
  };

  it(
    'an alert and its all-clear arrive over STARTTLS as one thread, with a subject, a text and an HTML part',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      r.add('email', config());
      const arriving = next(2);
      r.dispatcher.enqueue(...transitionOf('critical', 'ok', '/srv/data'));
      await r.dispatcher.idle();
      r.dispatcher.enqueue(...transitionOf('ok', 'critical', '/srv/data'));
      await r.dispatcher.idle();
      const [alert, clear] = await arriving;
      assert.deepEqual([alert!.server, alert!.tls, alert!.login], ['starttls', true, USER]);
      assert.deepEqual(alert!.to, ['ops@example.com', 'oncall@example.org']);
      assert.equal(alert!.subject, '[Headroom] Disk critical: /srv/data on test-host has 5.0% free');
      assert.match(alert!.text!, /^Disk critical: \/srv\/data on test-host has 5\.0% free\r?\n/);
      assert.match(alert!.text!, /^Host: test-host$/m);
      assert.match(alert!.html!, /<h2 [^>]*>Disk critical: \/srv\/data on test-host has 5\.0% free<\/h2>/);
      assert.equal(clear!.subject, '[Headroom] All clear: /srv/data on test-host is back to 50.0% free');
      const a = headersOf(alert!.data);
      const c = headersOf(clear!.data);
      assert.match(a['message-id']!, /^<headroom\.[^@>]+@example\.com>$/);
      assert.equal(a['in-reply-to'], undefined, 'the alert starts the thread');
      assert.equal(c['in-reply-to'], a['message-id'], 'the all-clear answers the alert');
      assert.equal(c['references'], a['message-id']);
      assert.notEqual(c['message-id'], a['message-id']);
      assert.equal(a['auto-submitted'], 'auto-generated');
      const history = r.history.list();
      assert.deepEqual(history.map(statusWords), ['SMTP 250', 'SMTP 250']);
      assert.ok(history.every((h) => h.outcome === 'delivered' && h.attempts.length === 1));
      // The next alert on that disk starts a thread of its own.
      const again = next(1);
      r.dispatcher.enqueue(...transitionOf('warning', 'ok', '/srv/data'));
      await r.dispatcher.idle();
      const third = headersOf((await again)[0]!.data);
      assert.equal(third['in-reply-to'], undefined);
    },
  );

  it(
    'Validate logs in over TLS from the start without sending; Send test arrives and is in the history',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      const saved = await r.service.create({
        type: 'email',
        config: config({ security: 'tls', port: String(smtp.ports.tls) }),
      });
      assert.ok(saved.ok, JSON.stringify(saved));
      assert.equal(saved.check.checked, true);
      assert.match(
        String(saved.check.outcome.kind === 'delivered' && saved.check.outcome.note),
        /logged in as alerts@example\.com over TLS; nothing was sent/,
      );
      assert.equal(smtp.messages.filter((m) => m.server === 'tls').length, 0, 'Validate sent nothing');
      const arriving = next(1);
      const record = await r.dispatcher.sendTest(saved.integration);
      assert.equal(record.outcome, 'delivered', record.reason);
      const [test] = await arriving;
      assert.deepEqual([test!.server, test!.login], ['tls', USER]);
      assert.match(test!.subject, /^\[Headroom\] \[TEST\] /);
      assert.equal(r.history.list().length, 1, 'the test is in the history');
    },
  );

  it(
    'a wrong password fails at once, says to check user and password, and never shows the password',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      const wrong = 'Wr0ng-pa55word-here';
      const saved = await r.service.create({ type: 'email', config: config({ password: wrong }) });
      assert.ok(!saved.ok && 'check' in saved);
      assert.equal(saved.check.outcome.kind, 'failed');
      assert.match(JSON.stringify(saved.check.outcome), /535 5\.7\.8.*check user and password/);
      const integration = r.add('email', config({ password: wrong }));
      const record = await r.dispatcher.sendTest(integration);
      assert.equal(record.outcome, 'failed');
      assert.equal(record.reasonCode, 'authError');
      assert.match(record.reason!, /refused the login \(535 5\.7\.8 Authentication credentials invalid\)/);
      const everything = JSON.stringify([r.history.list(), saved]);
      assert.ok(!everything.includes(wrong), 'the password is never shown');
      assert.ok(!everything.includes(btoa(`${USER}:${wrong}`)), 'nor its Basic form');
    },
  );

  it(
    'a 4xx reply is tried again until taken; a 5xx fails for good with the server’s words',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      r.add('email', config({ to: ['defer2@example.com'] }));
      r.dispatcher.enqueue(...transitionOf('critical'));
      await r.dispatcher.idle();
      const [deferred] = r.history.list();
      assert.equal(deferred!.outcome, 'delivered');
      assert.deepEqual(
        deferred!.attempts.map((a) => a.status),
        [451, 451, 250],
      );
      assert.match(deferred!.attempts[0]!.message!, /deferred the message \(451 4\.3\.0/);

      const r2 = await rig();
      const all = r2.add('email', config({ to: ['reject@example.com'] }));
      const partly = r2.add('email', config({ to: ['ops@example.com', 'reject2@example.com'] }));
      // A follow-up in the alert's thread: refused for its recipient, not for its thread.
      r2.threads.set(all.id, subjectKey('/data', 'space'), { messageId: '<headroom.1@example.com>' });
      r2.dispatcher.enqueue(...transitionOf('critical'));
      await r2.dispatcher.idle();
      const [refused, half] = [all, partly].map((i) =>
        r2.history.list().find((h) => h.integrationId === i.id),
      );
      // Some recipients took it: delivered, saying who did not.
      assert.equal(half!.outcome, 'delivered');
      assert.match(
        half!.reason ?? JSON.stringify(half!.attempts),
        /refused: reject2@example\.com \(550 5\.1\.1/,
      );
      assert.equal(refused!.outcome, 'failed');
      assert.equal(refused!.attempts.length, 1, 'not retried');
      assert.doesNotMatch(refused!.reason!, /thread/, 'not sent again on its own');
      assert.match(refused!.reason!, /refused the message \(550 5\.1\.1 <reject@example\.com>: no such/);
    },
  );

  it(
    'below SMTP: nothing listening or an untrusted certificate is tried again, as for every channel',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      const attempt = (over: Record<string, unknown>) =>
        attemptDelivery(sampleEvent(), r.add('email', config(over)), r.transport, 5_000, Date.now);
      const refused = await attempt({ port: '1' });
      assert.equal(refused.outcome.kind, 'retry');
      assert.match(JSON.stringify(refused.outcome), /connection refused/);
      const untrusted = await attempt({ ca: undefined });
      assert.deepEqual(
        [untrusted.outcome.kind, untrusted.outcome.kind === 'retry' && untrusted.outcome.reason],
        ['retry', 'tlsError'],
      );
      const plain = (await attempt({ port: String(smtp.ports.plain) })).outcome; // no STARTTLS there
      assert.deepEqual([plain.kind, plain.kind === 'retry' && plain.reason], ['retry', 'tlsError']);
    },
  );

  it(
    'a login over an unencrypted link, allowed in so many words, logs in and sends',
    { timeout: 20_000 },
    async () => {
      // Refused without it: test/shared/email-settings.test.ts.
      const plain = config({ security: 'none', port: String(smtp.ports.plain), ca: undefined });
      const r = await rig();
      const arriving = next(1);
      r.add('email', { ...plain, allowPlaintextAuth: 'yes' });
      r.dispatcher.enqueue(...transitionOf('warning'));
      await r.dispatcher.idle();
      const [sent] = await arriving;
      assert.deepEqual([sent!.server, sent!.login, sent!.tls], ['plain', USER, false]);
    },
  );

  it(
    'the CLI takes its flags, validates, sends a test and shows it in the history',
    { timeout: 30_000 },
    async () => {
      const home = await tempHome();
      const flags = ['--host', '127.0.0.1', '--port', String(smtp.ports.starttls), '--user', USER];
      const rest = [
        '--from',
        USER,
        '--to',
        'ops@example.com',
        '--to',
        'dev@example.org',
        '--ca',
        pki.files.ca,
      ];
      const add = (...more: string[]) =>
        runCli(
          ['integration', 'add', '--type', 'email', ...flags, ...more, ...rest],
          home,
          {},
          `${PASSWORD}\n`,
        );
      const plain = await add('--password-file', '-', '--security', 'none');
      assert.notEqual(plain.code, 0);
      assert.match(plain.stderr, /security.*unencrypted.*--allow-plaintext-auth yes/);
      const added = await add('--name', 'Mail', '--password-file', '-');
      assert.equal(added.code, 0, added.stderr);
      const id = added.stdout.trim();
      const validated = await runCli(['integration', 'validate', id], home);
      assert.match(validated.stdout, /✔.*logged in as alerts@example\.com over STARTTLS; nothing was sent/);
      const arriving = next(1);
      const tested = await runCli(['integration', 'test', id], home);
      assert.equal(tested.code, 0, tested.stderr);
      // The answer is an SMTP reply, and said to be one.
      assert.match(tested.stdout, /test notification delivered \(SMTP 250, \d+ ms\)/);
      assert.deepEqual((await arriving)[0]!.to, ['ops@example.com', 'dev@example.org']);
      const listed = await runCli(['history', '--json'], home);
      const history = JSON.parse(listed.stdout) as { outcome: string }[];
      assert.deepEqual(
        history.map((h) => h.outcome),
        ['delivered'],
      );
      const shown = JSON.stringify([plain, added, validated, tested, listed]);
      assert.ok(!shown.includes(PASSWORD), 'the password is never printed');
    },
  );

  it(
    'hostile mount names never break a header or the HTML, and no line exceeds 998 characters',
    { timeout: 20_000 },
    async () => {
      const r = await rig();
      r.add('email', config());
      const mounts = [
        `/mnt/${'a'.repeat(600)}`,
        '/mnt/😀🇫🇷👨‍👩‍👧 disk',
        '/mnt/<b>bold</b><script>alert(1)</script>&amp;',
        '/mnt/x\r\nBcc: victim@example.net\r\nSubject: injected',
      ];
      const arriving = next(mounts.length);
      for (const mount of mounts) r.dispatcher.enqueue(...transitionOf('critical', 'ok', mount));
      await r.dispatcher.idle();
      const got = await arriving;
      for (const [i, m] of got.entries()) {
        assert.deepEqual(m.to, ['ops@example.com', 'oncall@example.org'], 'no recipient was added');
        assert.ok(!/[\r\n]/.test(m.subject) && m.subject.length <= 200, m.subject);
        assert.match(m.subject, /^\[Headroom\] Disk critical: \/mnt\/.* on test-host has 5\.0% free$/);
        assert.equal(m.headerNames.filter((h) => h.toLowerCase() === 'subject').length, 1);
        assert.ok(!m.headerNames.some((h) => h.toLowerCase() === 'bcc'), 'no header was injected');
        for (const line of m.data.split(/\r\n/)) assert.ok(line.length <= 998, `a line of ${line.length}`);
        assert.ok(!/<(b|script)>/.test(m.html!), 'no markup from the mount');
        assert.ok(m.text!.includes(mounts[i]!.replace(/\r\n/g, '\n').slice(0, 40)) || i === 3, m.text!);
      }
      assert.match(got[1]!.subject, /😀🇫🇷👨‍👩‍👧 disk/);
      assert.match(
        got[2]!.html!,
        /&lt;b&gt;bold&lt;\/b&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&amp;amp;/,
      );
      assert.match(got[3]!.subject, /\/mnt\/x Bcc: victim@example\.net Subject: injected on/);
    },
  );
});
