import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { attemptDelivery } from '../../core/delivery/attempt.js';
import { createTransport } from '../../core/delivery/transport.js';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { sampleEvent } from '../helpers/events.js';
import { deliveryRig } from '../helpers/delivery.js';
import { noAiosmtpd, SmtpServer } from '../helpers/smtp-server.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** The encryption chosen does not match the port's: the message says which to choose. */
describe('E-mail with the wrong encryption for the port', { skip: noAiosmtpd }, () => {
  let pki: TestPki;
  let smtp: SmtpServer;
  before(async () => {
    pki = await makePki();
    smtp = await SmtpServer.start(pki, 'alerts@example.com', 'a-password');
  });
  after(async () => {
    await smtp?.close();
  });
  const opened = closeAfterEach();

  async function attempt(security: string, port: number, timeoutMs: number) {
    const r = await deliveryRig();
    const transport = createTransport();
    opened(
      () => r.close(),
      () => transport.close(),
    );
    const integration = r.add('email', {
      host: '127.0.0.1',
      port: String(port),
      security,
      from: 'alerts@example.com',
      to: ['ops@example.com'],
      ca: pki.ca,
    });
    return (await attemptDelivery(sampleEvent(), integration, transport, timeoutMs, Date.now)).outcome;
  }

  it(
    'tls against a STARTTLS port says it expects STARTTLS, and is tried again',
    { timeout: 20_000 },
    async () => {
      const o = await attempt('tls', smtp.ports.starttls, 10_000);
      assert.equal(o.kind, 'retry');
      if (o.kind !== 'retry') return;
      assert.equal(o.reason, 'tlsError');
      assert.equal(
        o.message,
        `the server at 127.0.0.1:${smtp.ports.starttls} does not speak TLS from the first byte: it probably expects STARTTLS (port 587): choose --security starttls`,
      );
    },
  );

  it(
    'starttls against a TLS port says no greeting came, that it may expect TLS, and is tried again',
    { timeout: 20_000 },
    async () => {
      // The server waits for a TLS hello and says nothing: only the greeting's timeout ends it.
      const o = await attempt('starttls', smtp.ports.tls, 1_500);
      assert.equal(o.kind, 'retry');
      if (o.kind !== 'retry') return;
      assert.equal(o.reason, 'timeout');
      assert.equal(
        o.message,
        `no SMTP greeting from 127.0.0.1:${smtp.ports.tls}: if it expects TLS from the first byte (port 465), choose --security tls`,
      );
    },
  );
});

describe('E-mail added without a name', () => {
  const opened = closeAfterEach();
  it('is named for its server, as other channels are for their host', { timeout: 10_000 }, async () => {
    const r = await deliveryRig();
    opened(() => r.close());
    const service = new IntegrationService(r.integrations, createTransport(), () => r.dispatcher);
    const names: string[] = [];
    for (const server of [
      { host: 'smtp.example.com' },
      { host: '192.0.2.7', port: '2525' },
      { host: '::1', port: '25' },
    ]) {
      const config = { ...server, from: 'alerts@example.com', to: ['ops@example.com'] };
      // Not asked (check: false): the name is made before the server is.
      const saved = await service.create({ type: 'email', config }, { check: false });
      assert.ok(saved.ok, JSON.stringify(saved));
      names.push(saved.ok ? saved.integration.name : '');
    }
    assert.deepEqual(names, ['E-mail smtp.example.com', 'E-mail 192.0.2.7:2525', 'E-mail [::1]:25']);
  });
});
