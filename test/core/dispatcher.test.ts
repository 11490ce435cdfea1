import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from '../helpers/node-test.js';
import { base64url, flattenedVerify } from 'jose';
import { deliveryRig, FAST_RETRY, transitionOf } from '../helpers/delivery.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const KEY = base64url.encode(new Uint8Array(32).map((_, i) => i * 7));

describe('dispatcher with the webhook channel, against real HTTPS receivers', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  const opened = closeAfterEach();

  async function setup(options: Parameters<typeof deliveryRig>[0] = {}, mtls = false) {
    const receiver = await Receiver.start(pki, { mtls });
    const rig = await deliveryRig(options);
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    return {
      receiver,
      rig,
      async close() {
        await rig.close();
        await receiver.close();
      },
    };
  }

  it('delivers a transition: Netdata fields, JSON content type, signature over the exact bytes', async () => {
    const { receiver, rig, close } = await setup();
    rig.addWebhook({
      url: `${receiver.url}/hooks/disk`,
      ca: pki.ca,
      sharedKey: KEY,
      headers: ['X-Team: storage'],
    });
    rig.dispatcher.enqueue(...transitionOf('warning'));
    const req = await receiver.request(1);
    await rig.dispatcher.idle();
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/hooks/disk');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-team'], 'storage');
    const body = JSON.parse(req.body);
    assert.equal(body.severity, 'warning');
    assert.equal(body.space, 'test-host');
    assert.equal(body.family, '/data');
    const [prot, signature] = String(req.headers['x-jws-signature']).split('..');
    await flattenedVerify(
      { protected: prot!, signature: signature!, payload: new TextEncoder().encode(req.body) },
      base64url.decode(KEY),
    );
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'delivered');
    assert.equal(record!.attempts[0]!.status, 200);
    assert.equal(rig.outbox.list().length, 0, 'the outbox is empty once delivered');
    await close();
  });

  it('authenticates with Basic, Bearer and a client certificate (mutual TLS)', async () => {
    const { receiver, rig, close } = await setup({}, true);
    rig.addWebhook({ url: receiver.url, ca: pki.ca, auth: 'mtls', cert: pki.clientCert, key: pki.clientKey });
    rig.dispatcher.enqueue(...transitionOf('critical'));
    assert.equal((await receiver.request(1)).clientCn, 'headroom-test-client');
    await close();

    const plain = await setup();
    plain.rig.addWebhook({
      url: plain.receiver.url,
      ca: pki.ca,
      auth: 'basic',
      user: 'ops',
      password: 'hunter2',
    });
    plain.rig.addWebhook({ url: plain.receiver.url, ca: pki.ca, auth: 'bearer', token: 'tok-abc' });
    plain.rig.dispatcher.enqueue(...transitionOf('warning'));
    await plain.receiver.request(2);
    const auths = plain.receiver.requests.map((r) => r.headers.authorization).sort();
    assert.deepEqual(auths, [`Basic ${Buffer.from('ops:hunter2').toString('base64')}`, 'Bearer tok-abc']);
    await plain.close();
  });

  it('without the client certificate a mutual-TLS receiver refuses, and the reason says so', async () => {
    const { receiver, rig, close } = await setup({ policy: { ...FAST_RETRY, deadlineMs: 0 } }, true);
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('warning'));
    await rig.dispatcher.idle();
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'failed');
    assert.match(record!.reason!, /client certificate|closed|certificate/);
    await close();
  });

  it('retries 5xx, 429, timeouts and resets, then delivers once', async () => {
    const { receiver, rig, close } = await setup({ timeoutMs: 300 });
    receiver.reply(
      { status: 503, body: 'maintenance' },
      { status: 429, headers: { 'retry-after': '0' } },
      'hang',
      'reset',
    );
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('critical'));
    await rig.dispatcher.idle(); // delivered, or given up
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'delivered');
    assert.deepEqual(
      record!.attempts.map((a) => a.reason ?? a.status),
      ['serverError', 'rateLimited', 'timeout', 'networkError', 200],
    );
    assert.equal(receiver.requests.filter((r) => r.answered === 200).length, 1);
    receiver.release();
    await close();
  });

  it('fails a 4xx at once, with the status and the reply in plain words', async () => {
    const { receiver, rig, close } = await setup();
    receiver.always({ status: 400, body: 'missing field "severity"' });
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('warning'));
    await rig.dispatcher.idle();
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'failed');
    assert.equal(record!.attempts.length, 1);
    assert.equal(record!.reasonCode, 'clientError');
    assert.equal(record!.reason, 'the receiver rejected the request (HTTP 400): missing field "severity"');
    await close();
  });

  it('honours Retry-After: the next attempt is planned no sooner than the receiver asked', async () => {
    const { receiver, rig, close } = await setup();
    receiver.reply({ status: 429, headers: { 'retry-after': '1' } });
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('warning'));
    await receiver.accepted(1);
    await rig.dispatcher.idle();
    const [first, second] = rig.history.list()[0]!.attempts;
    assert.ok(second!.at - first!.at >= 1000, `${second!.at - first!.at} ms between attempts`);
    await close();
  });

  it('an absurd Retry-After does not cost a critical its tries: the last one comes at the deadline', async () => {
    const { receiver, rig, close } = await setup({ policy: { ...FAST_RETRY, deadlineMs: 1500 } });
    receiver.reply({ status: 429, headers: { 'retry-after': '1000000000' } });
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('critical'));
    await rig.dispatcher.idle(); // delivered, or given up
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'delivered');
    assert.deepEqual(
      record!.attempts.map((a) => a.status),
      [429, 200],
    );
    await close();
  });

  it('never lets a secret the receiver echoes back into the history', async () => {
    const { receiver, rig, close } = await setup();
    receiver.always((r) => ({ status: 403, body: `bad token: ${r.headers.authorization}` }));
    rig.addWebhook({ url: receiver.url, ca: pki.ca, auth: 'bearer', token: 'very-secret-token-42' });
    rig.dispatcher.enqueue(...transitionOf('warning'));
    await rig.dispatcher.idle();
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'failed');
    assert.doesNotMatch(JSON.stringify(record), /very-secret-token-42/);
    assert.match(record!.reason!, /bad token: ••••$/);
    await close();
  });

  it('gives up at the deadline and records why', async () => {
    const { receiver, rig, close } = await setup({
      policy: { firstDelayMs: 10, maxDelayMs: 20, deadlineMs: 150 },
    });
    receiver.always({ status: 502 });
    rig.addWebhook({ url: receiver.url, ca: pki.ca });
    rig.dispatcher.enqueue(...transitionOf('critical'));
    await rig.dispatcher.idle();
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'failed');
    assert.match(
      record!.reason!,
      /^gave up after \d+ s and \d+ attempts; last error: the receiver failed \(HTTP 502\)/,
    );
    assert.equal(rig.outbox.list().length, 0);
    await close();
  });

  it('keeps order per integration, and a hung endpoint holds up only its own deliveries', async () => {
    const slow = await setup({ timeoutMs: 60_000 });
    const fast = await Receiver.start(pki);
    opened(() => fast.close());
    slow.receiver.reply('hang');
    slow.rig.addWebhook({ url: slow.receiver.url, ca: pki.ca }, { name: 'slow' });
    slow.rig.addWebhook({ url: fast.url, ca: pki.ca }, { name: 'fast' });
    slow.rig.dispatcher.enqueue(...transitionOf('warning'));
    slow.rig.dispatcher.enqueue(...transitionOf('critical', 'warning'));
    await fast.accepted(2);
    assert.deepEqual(
      fast.requests.map((r) => JSON.parse(r.body).severity),
      ['warning', 'critical'],
    );
    assert.equal(slow.receiver.requests.length, 1, 'the slow lane waits on its first delivery');
    slow.receiver.release();
    await slow.receiver.accepted(2);
    assert.deepEqual(
      slow.receiver.requests.map((r) => JSON.parse(r.body).severity),
      ['warning', 'critical'],
    );
    await slow.close();
    await fast.close();
  });

  /** A delivery of `to` refused once (503), waiting a minute for its retry when the process stops. */
  async function stoppedWhileRetrying(to: 'warning' | 'critical') {
    const opened = await setup({
      policy: { firstDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 3_600_000 },
    });
    opened.receiver.reply({ status: 503 });
    opened.rig.addWebhook({ url: opened.receiver.url, ca: pki.ca });
    opened.rig.dispatcher.enqueue(...transitionOf(to));
    await opened.receiver.request(1);
    await opened.rig.dispatcher.stop();
    return opened;
  }

  it('resumes what is left in the outbox after a restart, with its attempts so far', async () => {
    const { receiver, rig, close } = await stoppedWhileRetrying('critical');
    assert.equal(rig.outbox.list().length, 1);
    assert.equal(rig.history.list()[0]!.outcome, 'retrying');

    const restarted = rig.make();
    restarted.start(); // sends it at once, not after its 60 s backoff
    await receiver.accepted(1);
    await restarted.idle();
    const [record] = rig.history.list();
    assert.equal(record!.outcome, 'delivered');
    assert.deepEqual(
      record!.attempts.map((a) => a.status),
      [503, 200],
    );
    await restarted.stop();
    await close();
  });

  it('counts what waits in the outbox as told: a kill before that was noted still owes the all-clear', async () => {
    const { receiver, rig, close } = await stoppedWhileRetrying('warning');
    // The process died after the outbox write and before the note of what was told.
    await rm(join(rig.dir, 'notified.json'));

    const restarted = rig.make();
    restarted.start(); // sends the warning at once, not after its 60 s backoff
    await receiver.accepted(1);
    restarted.enqueue(...transitionOf('ok', 'warning'));
    await receiver.accepted(2);
    await restarted.idle();
    assert.deepEqual(
      receiver.requests.filter((r) => r.answered === 200).map((r) => JSON.parse(r.body).severity),
      ['warning', 'clear'],
    );
    await restarted.stop();
    await close();
  });

  it('sends a labelled test notification on demand, recorded as a test', async () => {
    const { receiver, rig, close } = await setup();
    const integration = rig.addWebhook({ url: receiver.url, ca: pki.ca });
    const record = await rig.dispatcher.sendTest(integration);
    assert.equal(record.outcome, 'delivered');
    assert.equal(record.test, true);
    const body = JSON.parse((await receiver.request(1)).body);
    assert.match(body.message, /^\[TEST\] /);
    assert.equal(body.headroom.test, true);
    await close();
  });
});
