import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { secretValues } from '../../shared/channels/channel.js';
import { previewOf } from '../../shared/channels/preview.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { maskedConfig } from '../../shared/mask.js';
import { deliveryRig, FAST_RETRY, transitionOf } from '../helpers/delivery.js';
import { sampleEvent } from '../helpers/events.js';
import { SECRET_MARK, sampleConfigs } from '../helpers/channel-samples.js';
import { LINK_PLACES } from '../helpers/link-places.js';
import { EDGE_MOUNTS, HUNDRED_DISKS, MARKUP_MOUNT } from '../helpers/edge-inputs.js';
import { limitViolations, stringsIn, valuesAt } from '../helpers/limits.js';
import { wellFormed } from '../helpers/text.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** E-mail answers in SMTP replies, not HTTP: email.test.ts and email-settings.test.ts have its own. */
const HTTP_CHANNELS = CHANNELS.filter((c) => c.type !== 'email');

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
        assert.ok(['https:', 'smtps:'].includes(new URL(req.url).protocol), `${c.type} ${to}: encrypted`);
      }
      const preview = previewOf(c, sampleEvent(), config);
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

  // The quick check at the level of classify(); status-classes.test.ts sends all 17 status classes
  // and each vendor's own answers through the real transport to every adapter.
  it('classifies by status the same way: 5xx and 429 retried, 401 failed, 2xx delivered', () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    const okBody: Record<string, string> = {
      slack: '{"ok":true}',
      rocketchat: '{"success":true}',
      ntfy: '{"event":"message"}',
      telegram: '{"ok":true,"result":{"message_id":1}}',
    };
    for (const c of HTTP_CHANNELS) {
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
      for (const c of HTTP_CHANNELS) {
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
      assert.equal(rig.history.list().length, HTTP_CHANNELS.length);
      assert.equal(receiver.requests.length, HTTP_CHANNELS.length);
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

  it('keeps every vendor limit declared in its data, whatever the mount, and never splits a character', async () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    const mounts = [...EDGE_MOUNTS.map((m) => m.mount), ...HUNDRED_DISKS];
    const changes = [
      ['ok', 'warning'],
      ['warning', 'critical'],
      ['ok', 'unreachable'],
      ['critical', 'ok'],
    ] as const;
    let checked = 0;
    for (const c of CHANNELS) {
      const config = c.schema.parse(samples[c.type]);
      for (const mount of mounts) {
        for (const [from, to] of changes) {
          const event = sampleEvent({
            mount,
            from,
            to,
            reason: to === 'unreachable' ? `stat ${mount}: EIO` : undefined,
          });
          const body = JSON.parse((await c.render(event, config)).body!);
          const where = `${c.type} ${from}→${to} ${mount.slice(0, 40)}…`;
          assert.deepEqual(limitViolations(body, c.limits), [], where);
          assert.ok(stringsIn(body).every(wellFormed), `${where}: a lone surrogate`);
          checked++;
        }
        assert.ok(previewOf(c, sampleEvent({ mount }), config).title.length > 0);
      }
    }
    assert.equal(checked, CHANNELS.length * mounts.length * changes.length);
  });

  it('resolves with the very key it triggered with, and keeps 100 long, similar mounts apart', async () => {
    const samples = sampleConfigs('https://127.0.0.1:1');
    for (const c of CHANNELS.filter((c) => c.limits.keys)) {
      const config = c.schema.parse(samples[c.type]);
      const seen = new Set<string>();
      for (const mount of [...EDGE_MOUNTS.map((m) => m.mount), ...HUNDRED_DISKS]) {
        const trigger = await c.render(sampleEvent({ mount, from: 'ok', to: 'critical' }), config);
        const resolve = await c.render(sampleEvent({ mount, from: 'critical', to: 'ok' }), config);
        for (const path of Object.keys(c.limits.keys!)) {
          const [key] = valuesAt(JSON.parse(trigger.body!), path).map((v) => String(v.value));
          assert.ok(key, `${c.type}: no ${path}`);
          // In the resolve's body (PagerDuty), or its URL (Opsgenie's close).
          const carried =
            valuesAt(JSON.parse(resolve.body!), path).some((v) => v.value === key) ||
            decodeURIComponent(new URL(resolve.url).pathname).includes(`/${key}/`);
          assert.ok(carried, `${c.type}: the resolve does not carry the ${path} "${key}"`);
          seen.add(key);
        }
      }
      assert.equal(seen.size, EDGE_MOUNTS.length + HUNDRED_DISKS.length, `${c.type}: keys collided`);
    }
  });

  it('shows a mount full of markup and mentions as written in every chat message, pinging nobody', async () => {
    // Where each chat service renders markup (elsewhere its text is plain: Slack's header, the
    // attachments' title and notification fallback).
    const MARKUP_PATHS: Record<string, string[]> = {
      slack: ['text', 'blocks[1].fields[].text', 'blocks[2].elements[].text'],
      discord: ['content', 'embeds[].title', 'embeds[].description', 'embeds[].fields[].value'],
      mattermost: ['text', 'attachments[].text', 'attachments[].fields[].value'],
      rocketchat: ['text', 'attachments[].text', 'attachments[].fields[].value'],
      teams: [
        'attachments[].content.body[0].items[].text',
        'attachments[].content.body[1].facts[].value',
        'attachments[].content.body[2].items[].text',
      ],
    };
    const constructs = [
      '*bold*',
      '_it_',
      '~gone~',
      '`code`',
      '<!channel>',
      '<@U0123ABC>',
      '[click](',
      '**x**',
    ];
    const samples = sampleConfigs('https://127.0.0.1:1');
    // Slack's incoming webhook too, besides the bot.
    const hooks: Record<string, Record<string, unknown>> = {
      slack: { webhookUrl: 'https://127.0.0.1:1/services/T1/B1/x' },
    };
    for (const [type, paths] of Object.entries(MARKUP_PATHS)) {
      const c = CHANNELS.find((x) => x.type === type)!;
      for (const config of [samples[type], hooks[type]].filter(Boolean)) {
        for (const to of ['warning', 'critical', 'unreachable', 'ok'] as const) {
          const event = sampleEvent({ mount: MARKUP_MOUNT, host: '@here', to, reason: '<!everyone> @all' });
          const body = JSON.parse((await c.render(event, c.schema.parse(config))).body!);
          for (const text of stringsIn(body))
            assert.doesNotMatch(
              text,
              /(?<![\p{L}\p{N}])@[\p{L}\p{N}]/u,
              `${type} ${to}: a live mention in ${text}`,
            );
          const marked = paths.flatMap((p) => valuesAt(body, p).map((v) => String(v.value)));
          assert.ok(
            marked.some((t) => t.includes('bold')),
            `${type}: the mount is shown`,
          );
          for (const text of marked)
            // Slack's mrkdwn has no [text](url) links: there it is plain text.
            for (const raw of constructs.filter((x) => type !== 'slack' || x !== '[click](')) {
              // A zero-width space in front disarms it (Rocket.Chat has no escape character).
              const live = new RegExp(`(?<!\u200b)${raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
              assert.doesNotMatch(text, live, `${type} ${to}: "${raw}" left live`);
            }
        }
      }
    }
    assert.deepEqual(
      JSON.parse(
        (await CHANNELS.find((c) => c.type === 'discord')!.render(sampleEvent(), c0('discord'))).body!,
      ).allowed_mentions,
      { parse: [] },
    );
  });

  it("carries the link setting into each vendor's own link field, for triggers and resolves", async () => {
    const link = 'https://grafana.example.com/d/disks?var-host=host-1&from=now-6h';
    const samples = sampleConfigs('https://127.0.0.1:1');
    for (const c of CHANNELS) {
      assert.ok(LINK_PLACES[c.type], `say where ${c.type} carries the link`);
      assert.ok(c.fields.some((f) => f.key === 'linkUrl' && f.flag === 'link-url'));
      const config = c.schema.parse({ ...samples[c.type], linkUrl: link });
      // Resolves that carry no message (PagerDuty's, Opsgenie's close) have nowhere to put it.
      const events = [sampleEvent({ from: 'ok', to: 'warning' })];
      if (!['pagerduty', 'opsgenie'].includes(c.type))
        events.push(sampleEvent({ from: 'warning', to: 'ok' }));
      for (const event of events) {
        const body = JSON.parse((await c.render(event, config)).body!);
        const found = LINK_PLACES[c.type]!(body as never);
        assert.ok(
          found.length > 0 && found.every((u) => u === link),
          `${c.type} ${event.to}: ${JSON.stringify(found)}`,
        );
      }
    }
  });
});

const c0 = (type: string) => {
  const c = CHANNELS.find((x) => x.type === type)!;
  return c.schema.parse(sampleConfigs('https://127.0.0.1:1')[type]) as never;
};
