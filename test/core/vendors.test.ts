import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { type Received, type Reply } from '../helpers/receiver.js';
import { vendorRig } from '../helpers/vendor-rig.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import {
  discordMock,
  mattermostMock,
  opsgenieMock,
  pagerdutyMock,
  rocketchatMock,
  slackMock,
} from '../helpers/vendors.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const SLACK_TOKEN = 'xoxb-1111-2222-abcdefghijkl';
const GENIE_KEY = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';

let pki: TestPki;
before(async () => {
  pki = await makePki();
});

const opened = closeAfterEach();

/** A vendor stand-in on 127.0.0.1 over HTTPS, and a dispatcher that trusts its test CA. */
async function vendor(handle: (r: Received) => Reply) {
  const v = await vendorRig(pki, handle, opened);
  return { ...v, send: (...states: [string, string][]) => v.send(states) };
}

describe('Slack (bot and incoming webhook)', () => {
  it('posts with chat.postMessage: Bearer token, JSON, a fallback text and Block Kit', async () => {
    const slack = slackMock({ token: SLACK_TOKEN, channels: { '#ops': { member: true } } });
    const v = await vendor(slack.handle);
    v.rig.add('slack', { token: SLACK_TOKEN, channel: '#ops', apiUrl: `${v.receiver.url}/api` });
    const [record] = await v.send(['ok', 'critical']);
    assert.equal(record!.outcome, 'delivered');
    const req = v.receiver.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/api/chat.postMessage');
    assert.equal(req.headers.authorization, `Bearer ${SLACK_TOKEN}`);
    assert.equal(req.headers['content-type'], 'application/json; charset=utf-8');
    const [post] = slack.posted;
    assert.equal(post!.channel, '#ops');
    assert.match(post!.text, /^Disk critical: \/data on test-host has 5\.0% free\n/);
    assert.deepEqual(
      (post!.blocks as { type: string }[]).map((b) => b.type),
      ['header', 'section', 'context'],
    );
    await v.close();
  });

  it("treats HTTP 200 with ok:false as a failure with Slack's error code, never as delivered", async () => {
    const v = await vendor(slackMock({ token: SLACK_TOKEN, channels: { '#ops': { member: false } } }).handle);
    v.rig.add('slack', { token: SLACK_TOKEN, channel: '#ops', apiUrl: `${v.receiver.url}/api` });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.outcome, 'failed');
    assert.equal(record!.attempts.length, 1);
    assert.equal(record!.attempts[0]!.status, 200);
    assert.match(
      record!.reason!,
      /Slack answered "not_in_channel": the bot is not in the channel: invite it/,
    );
    await v.close();
  });

  it('honours 429 Retry-After, then delivers', async () => {
    const slack = slackMock({ token: SLACK_TOKEN, channels: { C0123ABCD: { member: true } } });
    const v = await vendor(slack.handle);
    v.receiver.reply({ status: 429, headers: { 'retry-after': '0' }, body: '' });
    v.rig.add('slack', { token: SLACK_TOKEN, channel: 'C0123ABCD', apiUrl: `${v.receiver.url}/api` });
    const [record] = await v.send(['ok', 'warning']);
    assert.deepEqual(
      record!.attempts.map((a) => a.reason ?? a.status),
      ['rateLimited', 200],
    );
    assert.equal(record!.outcome, 'delivered');
    await v.close();
  });

  it("keeps an alert's messages in one thread, by the channel ID Slack answered, through a rename", async () => {
    const channels: Record<string, { member: boolean; id: string }> = {
      '#ops': { member: true, id: 'C0OPS1234' },
    };
    const slack = slackMock({ token: SLACK_TOKEN, channels });
    const v = await vendor(slack.handle);
    const integration = v.rig.add('slack', {
      token: SLACK_TOKEN,
      channel: '#ops',
      apiUrl: `${v.receiver.url}/api`,
    });
    await v.send(['ok', 'warning']);
    const first = slack.posted[0]!;
    assert.equal(first.channel, '#ops');
    assert.equal(first.thread_ts, undefined);
    const thread = v.rig.threads.get(integration.id, '/data')!;
    assert.equal(thread.channel, 'C0OPS1234', 'the ID, not the name');

    // Renamed while the alert is open: the name no longer finds it, the ID does.
    channels['#ops-disks'] = channels['#ops']!;
    delete channels['#ops'];
    const records = await v.send(['warning', 'critical'], ['critical', 'ok']);
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['delivered', 'delivered', 'delivered'],
    );
    const [, critical, clear] = slack.posted;
    assert.deepEqual(
      [critical!.channel, critical!.thread_ts, critical!.reply_broadcast],
      ['C0OPS1234', thread.ts, true],
    );
    assert.deepEqual(
      [clear!.channel, clear!.thread_ts, clear!.reply_broadcast],
      ['C0OPS1234', thread.ts, undefined],
    );
    assert.equal(v.rig.threads.get(integration.id, '/data'), undefined, 'the all-clear ends the thread');
    await v.close();
  });

  it('validates with auth.test without posting, and names a bad token', async () => {
    const slack = slackMock({ token: SLACK_TOKEN, channels: {} });
    const v = await vendor(slack.handle);
    const good = v.rig.add('slack', { token: SLACK_TOKEN, channel: '#ops', apiUrl: `${v.receiver.url}/api` });
    const report = await v.service.check(good);
    assert.equal(report.outcome.kind, 'delivered');
    assert.match(
      report.outcome.kind === 'delivered' ? report.outcome.note! : '',
      /bot headroom-bot in workspace Acme/,
    );
    const bad = v.rig.add('slack', { token: 'xoxb-wrong', channel: '#ops', apiUrl: `${v.receiver.url}/api` });
    const failed = await v.service.check(bad);
    assert.match(failed.outcome.kind === 'failed' ? failed.outcome.message : '', /invalid_auth/);
    assert.deepEqual(
      v.receiver.requests.map((r) => r.url),
      ['/api/auth.test', '/api/auth.test'],
    );
    assert.equal(slack.posted.length, 0);
    await v.close();
  });

  it('posts to an incoming webhook, and fails with its plain-text reason', async () => {
    const slack = slackMock({ token: SLACK_TOKEN, channels: {} });
    const v = await vendor(slack.handle);
    v.rig.add('slack', { webhookUrl: `${v.receiver.url}/services/T1/B1/abcdefghijklmnopqrstuvwx` });
    v.rig.add('slack', { webhookUrl: `${v.receiver.url}/services/T1/B1/gone` }, { name: 'gone' });
    v.rig.add('slack', { webhookUrl: `${v.receiver.url}/services/T1/B1/archived` }, { name: 'archived' });
    const records = await v.send(['ok', 'warning']);
    const byName = Object.fromEntries(records.map((r) => [r.integrationName, r]));
    assert.equal(byName['Test slack']!.outcome, 'delivered');
    assert.match(byName.gone!.reason!, /"no_service": the webhook was removed or disabled \(HTTP 404\)/);
    assert.match(byName.archived!.reason!, /"channel_is_archived"/);
    assert.equal(byName.archived!.attempts.length, 1);
    await v.close();
  });

  it('refuses a configuration that is neither a bot nor a webhook, naming what is missing', () => {
    const r = validateIntegration({
      id: 'slack-1',
      name: 's',
      type: 'slack',
      createdAt: 0,
      updatedAt: 0,
      config: { token: 'abc' },
    });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => `${e.field}: ${e.message}`), [
      'token: is not a Slack token: the Bot User OAuth Token starts with xoxb-',
      'channel: is required with --token: the channel the bot posts to',
    ]);
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers, updates the same incident, and resolves it with the same dedup_key', async () => {
    const pd = pagerdutyMock();
    const v = await vendor(pd.handle);
    const linkUrl = 'https://grafana.example.com/d/disks';
    v.rig.add('pagerduty', { routingKey: ROUTING_KEY, apiUrl: v.receiver.url, linkUrl });
    const records = await v.send(['ok', 'warning'], ['warning', 'critical']);
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['delivered', 'delivered'],
    );
    assert.deepEqual(
      [...pd.open.entries()],
      [['headroom/test-host//data', 'critical']],
      'one incident, now critical',
    );
    const [trigger] = v.receiver.requests.map((r) => JSON.parse(r.body));
    assert.equal(trigger.routing_key, ROUTING_KEY);
    assert.equal(trigger.payload.source, 'test-host');
    assert.equal(trigger.payload.component, '/data');
    assert.equal(trigger.payload.severity, 'warning');
    assert.equal(trigger.payload.custom_details.free_percent, 15);
    assert.deepEqual(trigger.links, [{ href: linkUrl, text: 'Headroom' }], 'schema-checked by the stand-in');
    assert.equal(trigger.client_url, linkUrl);
    assert.equal(v.receiver.requests[0]!.headers['content-type'], 'application/json');

    await v.send(['critical', 'ok']);
    const resolve = JSON.parse(v.receiver.requests[2]!.body);
    assert.deepEqual(resolve, {
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'headroom/test-host//data',
    });
    assert.equal(pd.open.size, 0, 'the all-clear resolved the incident');
    await v.close();
  });

  it('Send test triggers an info-level incident and resolves it at once, with the same key, and says so', async () => {
    const pd = pagerdutyMock();
    const v = await vendor(pd.handle);
    const integration = v.rig.add('pagerduty', { routingKey: ROUTING_KEY, apiUrl: v.receiver.url });
    const record = await v.service.test(integration);
    assert.equal(record.outcome, 'delivered');
    assert.match(record.reason!, /the test alert was resolved again/);
    const [trigger, resolve] = v.receiver.requests.map((r) => JSON.parse(r.body));
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(trigger.payload.severity, 'info');
    assert.match(trigger.payload.summary, /^\[TEST\] /);
    assert.deepEqual(resolve, {
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: trigger.dedup_key,
    });
    assert.equal(pd.open.size, 0, 'nothing left open at PagerDuty');
    await v.close();
  });

  it('maps an unreachable disk to severity error', async () => {
    const pd = pagerdutyMock();
    const v = await vendor(pd.handle);
    v.rig.add('pagerduty', { routingKey: ROUTING_KEY, apiUrl: v.receiver.url });
    await v.send(['ok', 'unreachable']);
    assert.equal(JSON.parse(v.receiver.requests[0]!.body).payload.severity, 'error');
    await v.close();
  });

  it('fails a 400 "invalid event" at once with PagerDuty\'s errors', async () => {
    const v = await vendor(() => ({
      status: 400,
      body: JSON.stringify({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
      }),
    }));
    v.rig.add('pagerduty', { routingKey: ROUTING_KEY, apiUrl: v.receiver.url });
    const [record] = await v.send(['ok', 'critical']);
    assert.equal(record!.outcome, 'failed');
    assert.equal(record!.attempts.length, 1);
    assert.match(
      record!.reason!,
      /PagerDuty rejected the event \(HTTP 400\): Length of 'routing_key' is incorrect/,
    );
    await v.close();
  });

  it('checks the routing key: 32 characters, naming the length it got', () => {
    const r = validateIntegration({
      id: 'p',
      name: 'p',
      type: 'pagerduty',
      createdAt: 0,
      updatedAt: 0,
      config: { routingKey: ROUTING_KEY.slice(1) },
    });
    assert.deepEqual(!r.ok && r.errors, [{ field: 'routingKey', message: 'must be 32 characters, got 31' }]);
  });
});

describe('Discord', () => {
  it('posts an embed coloured by state with ?wait=true, and no mentions', async () => {
    const discord = discordMock();
    const v = await vendor(discord.handle);
    v.rig.add('discord', {
      webhookUrl: `${v.receiver.url}/api/webhooks/1001/tok_abcdefghijklmnop`,
      linkUrl: 'http://grafana.lan:3000/d/disks',
    });
    const [record] = await v.send(['ok', 'critical']);
    assert.equal(record!.outcome, 'delivered', record!.reason);
    assert.equal(v.receiver.requests[0]!.url, '/api/webhooks/1001/tok_abcdefghijklmnop?wait=true');
    const body = discord.posted[0]!;
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    const [embed] = body.embeds as { color: number; title: string; fields: unknown[]; url: string }[];
    assert.equal(embed!.color, 0xd92d20);
    assert.equal(embed!.url, 'http://grafana.lan:3000/d/disks', 'the title links to the link setting');
    assert.match(embed!.title, /^Disk critical/);
    await v.close();
  });

  it('needs a thread name for a forum channel, and uses it when given', async () => {
    const discord = discordMock({ forum: true });
    const v = await vendor(discord.handle);
    v.rig.add(
      'discord',
      { webhookUrl: `${v.receiver.url}/api/webhooks/1001/tok_abcdefghijklmnop` },
      { name: 'no thread' },
    );
    v.rig.add(
      'discord',
      { webhookUrl: `${v.receiver.url}/api/webhooks/1002/tok_abcdefghijklmnop`, threadName: 'Disk alerts' },
      { name: 'forum' },
    );
    const records = await v.send(['ok', 'warning']);
    const byName = Object.fromEntries(records.map((r) => [r.integrationName, r]));
    assert.match(
      byName['no thread']!.reason!,
      /must have a thread_name or thread_id \(a forum channel needs --thread-name\)/,
    );
    assert.equal(byName.forum!.outcome, 'delivered');
    assert.equal(discord.posted[0]!.thread_name, 'Disk alerts');
    await v.close();
  });

  it("posts an alert's follow-ups into the forum post it opened, and opens a new one if it was deleted", async () => {
    const discord = discordMock({ forum: true });
    const v = await vendor(discord.handle);
    v.rig.add('discord', {
      webhookUrl: `${v.receiver.url}/api/webhooks/1002/tok_abcdefghijklmnop`,
      threadName: 'Disk alerts',
    });
    await v.send(['ok', 'warning'], ['warning', 'critical'], ['critical', 'ok']);
    assert.equal(discord.threads.size, 1, 'one post for the whole alert');
    const [id, post] = [...discord.threads][0]!;
    assert.deepEqual(
      post.messages.map((m) => (m.embeds as { title: string }[])[0]!.title.split(':')[0]),
      ['Disk warning', 'Disk critical', 'All clear'],
    );
    assert.match(v.receiver.requests[1]!.url, new RegExp(`[?&]thread_id=${id}`));
    assert.equal(discord.posted[1]!.thread_name, undefined);

    await v.send(['ok', 'warning']);
    assert.equal(discord.threads.size, 2, 'the next time the disk fills up is a new post');
    const latest = [...discord.threads.keys()].at(-1)!;
    discord.threads.delete(latest); // deleted by a moderator meanwhile
    const records = await v.send(['warning', 'critical']);
    const last = records.at(-1)!;
    assert.equal(last.outcome, 'delivered');
    assert.match(last.reason!, /its thread was refused \(.*Unknown Channel.*\), so it was sent on its own/);
    assert.equal(discord.threads.size, 2);
    await v.close();
  });

  it('waits as long as the JSON retry_after of a 429 says', async () => {
    const discord = discordMock();
    const v = await vendor(discord.handle);
    v.receiver.reply({
      status: 429,
      headers: { 'retry-after': '9', 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.25, global: false }),
    });
    v.rig.add('discord', { webhookUrl: `${v.receiver.url}/api/webhooks/1001/tok_abcdefghijklmnop` });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.outcome, 'delivered');
    const [first, second] = record!.attempts;
    assert.ok(
      second!.at - first!.at >= 250 && second!.at - first!.at < 9000,
      `${second!.at - first!.at} ms: the body's 0.25 s, not the header's 9 s`,
    );
    await v.close();
  });

  it('is saved through a passing 429 at save time (retry_after honoured), and refused over a long one', async () => {
    const discord = discordMock();
    const v = await vendor(discord.handle);
    const rateLimited = (seconds: number) => ({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': String(Math.ceil(seconds)) },
      body: JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: false }),
    });
    const webhookUrl = `${v.receiver.url}/api/webhooks/1001/tok_abcdefghijklmnop`;
    v.receiver.reply(rateLimited(0.05));
    const saved = await v.service.create({ type: 'discord', config: { webhookUrl } });
    assert.ok(saved.ok, JSON.stringify(saved));
    assert.match(
      saved.check.outcome.kind === 'delivered' ? saved.check.outcome.note! : '',
      /the webhook "disk alerts" exists/,
    );
    assert.deepEqual(
      v.receiver.requests.map((r) => [r.method, r.answered]),
      [
        ['GET', 429],
        ['GET', 200],
      ],
    );
    // A wait longer than a person should sit through is not waited: the refusal says why.
    v.receiver.reply(rateLimited(120));
    const refused = await v.service.create({ type: 'discord', config: { webhookUrl } });
    assert.ok(!refused.ok && 'check' in refused);
    assert.match(refused.check.outcome.kind === 'retry' ? refused.check.outcome.message : '', /rate limit/);
    assert.equal(v.receiver.requests.length, 3);
    // Saved anyway: nothing is asked.
    const anyway = await v.service.create({ type: 'discord', config: { webhookUrl } }, { check: false });
    assert.ok(anyway.ok && !anyway.check.checked);
    assert.equal(v.receiver.requests.length, 3);
    await v.close();
  });

  it('stops at once on Unknown Webhook (10015), and validates with a GET that posts nothing', async () => {
    const discord = discordMock();
    const v = await vendor(discord.handle);
    const gone = v.rig.add('discord', { webhookUrl: `${v.receiver.url}/api/webhooks/1001/deleted` });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.attempts.length, 1);
    assert.match(record!.reason!, /Unknown Webhook \(10015\): the webhook was deleted/);
    assert.equal((await v.service.check(gone)).outcome.kind, 'failed');
    const good = v.rig.add('discord', {
      webhookUrl: `${v.receiver.url}/api/webhooks/1001/tok_abcdefghijklmnop`,
    });
    const ok = await v.service.check(good);
    const noteOf = (c: typeof ok) => (c.outcome.kind === 'delivered' ? c.outcome.note : undefined);
    assert.equal(noteOf(ok), 'the webhook "disk alerts" exists and posts to channel 1100');
    // Discord's name and channel may be missing or null: what is unknown is left out, not "?".
    const answer = (hook: object) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '1001', type: 1, ...hook }),
    });
    v.receiver.reply(answer({ name: null }));
    assert.equal(noteOf(await v.service.check(good)), 'the webhook exists');
    v.receiver.reply(answer({ name: 'disk alerts', channel_id: null }));
    assert.equal(noteOf(await v.service.check(good)), 'the webhook "disk alerts" exists');
    assert.equal(discord.posted.length, 0);
    await v.close();
  });
});

describe('Opsgenie', () => {
  it('creates an alert with GenieKey auth and an alias, and closes it by alias on the all-clear', async () => {
    const og = opsgenieMock(GENIE_KEY);
    const v = await vendor(og.handle);
    v.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: v.receiver.url });
    await v.send(['ok', 'critical']);
    const create = v.receiver.requests[0]!;
    assert.equal(create.url, '/v2/alerts');
    assert.equal(create.headers.authorization, `GenieKey ${GENIE_KEY}`);
    const body = JSON.parse(create.body);
    assert.equal(body.alias, 'headroom/test-host//data');
    assert.equal(body.priority, 'P1');
    assert.ok(body.message.length <= 130);
    assert.deepEqual(og.alerts.get('headroom/test-host//data')?.status, 'open');

    const [, close] = await v.send(['critical', 'ok']);
    assert.equal(close!.outcome, 'delivered');
    assert.equal(
      v.receiver.requests[2]!.url,
      `/v2/alerts/${encodeURIComponent('headroom/test-host//data')}/close?identifierType=alias`,
    );
    assert.equal(og.alerts.get('headroom/test-host//data')?.status, 'closed');
    assert.match(close!.reason ?? '', /Opsgenie: Closed alert/, 'the processed status, not just "accepted"');
    await v.close();
  });

  it('follows each 202 to its processed status, and raises the open alert to P1 when it turns critical', async () => {
    const og = opsgenieMock(GENIE_KEY);
    const v = await vendor(og.handle);
    v.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: v.receiver.url });
    const records = await v.send(['ok', 'warning'], ['warning', 'critical']);
    assert.deepEqual(
      records.map((r) => r.outcome),
      ['delivered', 'delivered'],
    );
    const alert = og.alerts.get('headroom/test-host//data')!;
    assert.equal(alert.count, 2, 'the critical was de-duplicated onto the open warning');
    assert.equal(alert.priority, 'P1', 'and its priority raised');
    assert.deepEqual(
      v.receiver.requests.map(
        (r) => `${r.method} ${r.url.replace(/requests\/[\w-]+/, 'requests/ID').replace(/\?.*/, '')}`,
      ),
      [
        'POST /v2/alerts',
        'GET /v2/alerts/requests/ID',
        'POST /v2/alerts',
        'GET /v2/alerts/requests/ID',
        `PUT /v2/alerts/${encodeURIComponent('headroom/test-host//data')}/priority`,
        'GET /v2/alerts/requests/ID',
      ],
    );
    // Each thing said once: the update's own status would only repeat it.
    assert.equal(records[1]!.reason, 'Opsgenie: Alert is de-duplicated; priority set to P1');
    await v.send(['critical', 'warning']);
    assert.equal(alert.priority, 'P3', 'back to a warning: lowered again');
    await v.close();
  });

  it('polls a write still queued again, and fails one Opsgenie could not process, with its status', async () => {
    const og = opsgenieMock(GENIE_KEY, { queuedPolls: 2 });
    const v = await vendor(og.handle);
    v.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: v.receiver.url });
    const [record] = await v.send(['ok', 'critical']);
    assert.equal(record!.outcome, 'delivered');
    assert.equal(record!.attempts.length, 1, 'the alert was created once');
    assert.deepEqual(
      v.receiver.requests.map((r) => `${r.method} ${r.answered}`),
      ['POST 202', 'GET 404', 'GET 404', 'GET 200'],
      'its status polled until processed',
    );
    await v.close();

    const off = await vendor(opsgenieMock(GENIE_KEY, { rejectWrites: 'Integration is disabled' }).handle);
    off.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: off.receiver.url });
    const [failed] = await off.send(['ok', 'critical']);
    assert.equal(failed!.outcome, 'failed');
    assert.equal(failed!.attempts.length, 1, 'a processed failure is not retried');
    assert.match(failed!.reason!, /Opsgenie could not process it: Integration is disabled/);
    await off.close();
  });

  it('Send test creates a P5 test alert and closes it again by its alias', async () => {
    const og = opsgenieMock(GENIE_KEY);
    const v = await vendor(og.handle);
    const integration = v.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: v.receiver.url });
    const record = await v.service.test(integration);
    assert.equal(record.outcome, 'delivered');
    assert.match(record.reason!, /Opsgenie: Created alert; the test alert was resolved again/);
    const [alias, alert] = [...og.alerts.entries()][0]!;
    assert.match(alias, /^headroom-test\/test-host\//);
    assert.equal(alert.priority, 'P5');
    const description = alert.body.description as string;
    assert.equal(description.split('This is a test notification').length, 2, description);
    assert.ok(!description.includes(alert.message), 'the message (the title) is not said again');
    assert.equal(alert.status, 'closed', 'nothing left open at Opsgenie');
    await v.close();
  });

  it('fails on a refused key (401) and on a 422, with the reason', async () => {
    const og = opsgenieMock(GENIE_KEY);
    const v = await vendor(og.handle);
    v.rig.add('opsgenie', { apiKey: 'ffffffff-4e5f-6789-abcd-ef0123456789', apiUrl: v.receiver.url });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.reasonCode, 'authError');
    assert.equal(record!.attempts.length, 1);
    await v.close();
    const v2 = await vendor(() => ({
      status: 422,
      body: JSON.stringify({
        message: 'Request body is not processable.',
        errors: { message: 'Message can not be empty.' },
      }),
    }));
    v2.rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: v2.receiver.url });
    const [r2] = await v2.send(['ok', 'warning']);
    assert.match(
      r2!.reason!,
      /Opsgenie rejected the alert \(HTTP 422\): message: Message can not be empty\./,
    );
    await v2.close();
  });
});

describe('Mattermost and Rocket.Chat', () => {
  it('posts a Mattermost attachment, and stops at once when incoming webhooks are disabled (501)', async () => {
    const mm = mattermostMock();
    const v = await vendor(mm.handle);
    v.rig.add('mattermost', {
      webhookUrl: `${v.receiver.url}/hooks/abcdefghijklmnopqrstuvwxyz`,
      username: 'headroom',
    });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.outcome, 'delivered');
    const [attachment] = mm.posted[0]!.attachments as { color: string; fields: { title: string }[] }[];
    assert.equal(attachment!.color, '#f79009');
    assert.deepEqual(
      attachment!.fields.map((f) => f.title),
      ['Host', 'Disk', 'State', 'Free', 'Time'],
    );
    assert.equal(mm.posted[0]!.username, 'headroom');
    await v.close();

    const off = await vendor(mattermostMock({ disabled: true }).handle);
    off.rig.add('mattermost', { webhookUrl: `${off.receiver.url}/hooks/abcdefghijklmnopqrstuvwxyz` });
    const [r2] = await off.send(['ok', 'warning']);
    assert.equal(r2!.attempts.length, 1);
    assert.match(r2!.reason!, /incoming webhooks disabled \(HTTP 501\)/);
    await off.close();
  });

  it('posts to Rocket.Chat, validates through /hooks/info, and names a bad token', async () => {
    const rc = rocketchatMock({ token: 'TOKEN123abc' });
    const v = await vendor(rc.handle);
    const good = v.rig.add('rocketchat', {
      webhookUrl: `${v.receiver.url}/hooks/int1/TOKEN123abc`,
      alias: 'Headroom',
      emoji: ':floppy_disk:',
    });
    const [record] = await v.send(['ok', 'critical']);
    assert.equal(record!.outcome, 'delivered');
    assert.equal(rc.posted[0]!.emoji, ':floppy_disk:');
    assert.equal((await v.service.check(good)).outcome.kind, 'delivered');
    assert.equal(v.receiver.requests.at(-1)!.url, '/hooks/info/int1/TOKEN123abc');
    // A chat message is not an incident: a test is sent once, with nothing to resolve after it.
    const before = rc.posted.length;
    const test = await v.service.test(good);
    assert.equal(test.outcome, 'delivered');
    assert.equal(test.attempts.length, 1);
    assert.equal(rc.posted.length, before + 1);
    const bad = v.rig.add('rocketchat', { webhookUrl: `${v.receiver.url}/hooks/int1/WRONG` });
    const report = await v.service.check(bad);
    assert.match(
      report.outcome.kind === 'failed' ? report.outcome.message : '',
      /Invalid integration id or token/,
    );
    await v.close();
  });

  it("retries Rocket.Chat's 503 only a few times, saying the integration may be disabled", async () => {
    const v = await vendor(rocketchatMock({ token: 'T', disabled: true }).handle);
    v.rig.add('rocketchat', { webhookUrl: `${v.receiver.url}/hooks/int1/T` });
    const [record] = await v.send(['ok', 'warning']);
    assert.equal(record!.outcome, 'failed');
    assert.equal(record!.attempts.length, 5);
    assert.match(record!.reason!, /gave up after 5 attempts.*integration is disabled/);
    await v.close();
  });
});
