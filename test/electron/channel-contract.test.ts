import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { secretValues } from '../../shared/channels/channel.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { maskedConfig } from '../../shared/mask.js';
import { deliveryRig, FAST_RETRY, transitionOf } from '../helpers/delivery.js';
import { sampleEvent } from '../helpers/events.js';
import { SECRET_MARK, sampleConfigs } from '../helpers/channel-samples.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** Contract tests over the registry: every adapter, present and future, must pass them. */
describe('every channel', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  it('has a sample configuration here, and it is valid', () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    for (const c of CHANNELS) {
      assert.ok(samples[c.type], `add a sample configuration for ${c.type}`);
      const r = validateIntegration({
        id: 'x',
        name: 'x',
        type: c.type,
        createdAt: 0,
        updatedAt: 0,
        config: samples[c.type],
      });
      assert.ok(r.ok, `${c.type}: ${JSON.stringify(!r.ok && r.errors)}`);
    }
  });

  it('renders every kind of event into a request the receiver can read', async () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    for (const c of CHANNELS) {
      const config = c.schema.parse(samples[c.type]);
      for (const to of ['warning', 'critical', 'unreachable', 'ok'] as const) {
        const req = await c.render(sampleEvent({ to, from: to === 'ok' ? 'critical' : 'ok' }), config);
        assert.equal(req.method, 'POST', `${c.type} ${to}`);
        assert.doesNotThrow(() => JSON.parse(req.body!), `${c.type} ${to}: JSON body`);
        assert.ok(new URL(req.url).protocol === 'https:', `${c.type} ${to}`);
      }
      const preview = c.preview(sampleEvent(), config);
      assert.ok(preview.title.length > 0 && preview.text.includes(preview.title.slice(0, 20)), c.type);
    }
  });

  it('carries what grew when the event has it (an opted-in integration), and never otherwise', async () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    const line = 'Grew most since 09:12: /srv/data/backups +12.0 GiB';
    const usage = {
      root: '/srv',
      at: 1,
      since: 0,
      total: 1,
      growers: [],
      lines: [line, '/srv/logs +1.00 GiB'],
    };
    for (const c of CHANNELS) {
      const config = c.schema.parse(samples[c.type]);
      const withUsage = await c.render(sampleEvent({ usage }), config);
      assert.ok(withUsage.body!.includes(line), `${c.type}: the first line is in the request`);
      const without = await c.render(sampleEvent(), config);
      assert.doesNotMatch(without.body!, /Grew most|srv\/data/, `${c.type}: nothing without it`);
    }
  });

  it('classifies by status the same way: 5xx and 429 retried, 401 failed, 2xx delivered', () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    const okBody: Record<string, string> = { slack: '{"ok":true}', rocketchat: '{"success":true}' };
    for (const c of CHANNELS) {
      const config = c.schema.parse(samples[c.type]);
      const kind = (status: number, body = '') =>
        c.classify({ status, headers: {}, body }, sampleEvent(), config, 0).kind;
      assert.equal(kind(500), 'retry', `${c.type} 500`);
      assert.equal(kind(429), 'retry', `${c.type} 429`);
      assert.equal(kind(401), 'failed', `${c.type} 401`);
      assert.equal(kind(200, okBody[c.type] ?? 'ok'), 'delivered', `${c.type} 200`);
    }
  });

  it('masks every secret field once saved', () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    for (const c of CHANNELS) {
      const shown = JSON.stringify(
        maskedConfig(c, c.schema.parse(samples[c.type]) as Record<string, unknown>),
      );
      for (const secret of secretValues(c, samples[c.type]!))
        assert.ok(!shown.includes(secret), `${c.type} shows ${secret}`);
    }
  });

  it('never lets a secret into the history, even when the receiver echoes the whole request', async () => {
    const receiver = await Receiver.start(pki);
    receiver.always((r) => ({
      status: 400,
      body: `you sent ${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`,
    }));
    const rig = await deliveryRig({ extraCa: pki.ca, policy: FAST_RETRY });
    try {
      const samples = sampleConfigs(receiver.url);
      const secrets: string[] = [];
      for (const c of CHANNELS) {
        const config = {
          ...samples[c.type],
          ...(c.type === 'webhook' ? { ca: pki.ca, challengeSecret: undefined } : {}),
        };
        rig.add(c.type, config);
        secrets.push(...secretValues(c, config));
      }
      rig.dispatcher.enqueue(...transitionOf('critical'));
      await rig.dispatcher.idle();
      const history = JSON.stringify(rig.history.list());
      assert.equal(rig.history.list().length, CHANNELS.length);
      assert.equal(receiver.requests.length, CHANNELS.length);
      for (const secret of secrets) assert.ok(!history.includes(secret), `history shows ${secret}`);
      // Every secret sample carries the mark: no piece of one (a token in a URL path) may show.
      assert.ok(
        !history.toLowerCase().includes(SECRET_MARK.toLowerCase()),
        `history shows a secret: ${history}`,
      );
    } finally {
      await rig.close();
      await receiver.close();
    }
  });
});
