import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { alertmanagerMissing, LocalAlertmanager } from '../helpers/alertmanager.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { EDGE_MOUNTS, HUNDRED_DISKS } from '../helpers/edge-inputs.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { makePki } from '../helpers/tls.js';
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

/**
 * The edge inputs, sent for real: every adapter's requests for 1,000- and 10,000-character, emoji
 * and markup mounts, and 100 long, similar disks at once, each posted over HTTPS to a stand-in
 * that checks them as its vendor documents (schemas, limits) — and to a real Alertmanager. Every
 * one must be accepted, and every trigger resolved by its own resolve.
 */
describe('edge inputs, sent to every vendor', { skip: alertmanagerMissing }, () => {
  const slack = slackMock({ token: SLACK_TOKEN, channels: { '#ops': { member: true } } });
  const pd = pagerdutyMock();
  const discord = discordMock({ forum: true });
  const og = opsgenieMock(GENIE_KEY);
  const mm = mattermostMock();
  const rc = rocketchatMock({ token: 'TOKEN123abc' });
  const hooks = { slackHook: slackMock({ token: SLACK_TOKEN, channels: {} }) };
  let am: LocalAlertmanager;
  let rig: Awaited<ReturnType<typeof deliveryRig>>;
  const receivers: Receiver[] = [];

  before(async () => {
    const pki = await makePki();
    am = await LocalAlertmanager.start();
    rig = await deliveryRig({ extraCa: pki.ca });
    const at = async (handle: Parameters<Receiver['always']>[0]) => {
      const r = (await Receiver.start(pki)).always(handle);
      receivers.push(r);
      return r.url;
    };
    rig.add('webhook', { url: `${await at({ status: 200, body: 'ok' })}/hook` });
    rig.add('slack', { token: SLACK_TOKEN, channel: '#ops', apiUrl: `${await at(slack.handle)}/api` });
    rig.add('slack', {
      webhookUrl: `${await at(hooks.slackHook.handle)}/services/T1/B1/abcdefghijklmnopqrstuvwx`,
    });
    rig.add('pagerduty', { routingKey: ROUTING_KEY, apiUrl: await at(pd.handle) });
    rig.add('discord', {
      webhookUrl: `${await at(discord.handle)}/api/webhooks/1002/tok_abcdefghijklmnop`,
      threadName: 'Disk alerts',
    });
    rig.add('opsgenie', { apiKey: GENIE_KEY, apiUrl: await at(og.handle) });
    rig.add('mattermost', { webhookUrl: `${await at(mm.handle)}/hooks/abcdefghijklmnopqrstuvwxyz` });
    rig.add('rocketchat', { webhookUrl: `${await at(rc.handle)}/hooks/int1/TOKEN123abc` });
    rig.add('alertmanager', { url: am.url });
  });
  after(async () => {
    await rig?.close();
    for (const r of receivers) await r.close();
    await am?.stop();
  });

  const integrations = () => rig.integrations.load().integrations.length;
  let cases = 0;

  /** Enqueues every change at once, waits until all are delivered or failed, and counts them. */
  async function send(changes: [from: string, to: string, mount: string][]) {
    const before = rig.history.list({ limit: 100_000 }).length;
    for (const [from, to, mount] of changes)
      rig.dispatcher.enqueue(...transitionOf(to as never, from as never, mount));
    await rig.dispatcher.idle();
    const all = rig.history.list({ limit: 100_000 });
    const records = all.slice(0, all.length - before);
    assert.equal(records.length, changes.length * integrations());
    for (const r of records)
      assert.equal(r.outcome, 'delivered', `${r.channel} ${r.event.mount.slice(0, 30)}…: ${r.reason}`);
    cases += records.length;
  }

  for (const { name, mount } of EDGE_MOUNTS) {
    it(`${name}: warning, critical and all-clear accepted by every vendor, nothing left open`, async () => {
      await send([['ok', 'warning', mount]]);
      await send([['warning', 'critical', mount]]);
      await send([['critical', 'ok', mount]]);
      assert.equal(pd.open.size, 0);
      assert.ok([...og.alerts.values()].every((a) => a.status === 'closed'));
      assert.deepEqual(await am.active(), []);
    });
  }

  // 100 disks to every vendor, each request checked against its schema: 68 s on a loaded machine.
  it(
    '100 disks at once, with long names that differ only at the end: 100 incidents, each resolved',
    { timeout: 150_000 },
    async () => {
      await send(HUNDRED_DISKS.map((m) => ['ok', 'critical', m]));
      assert.equal(pd.open.size, 100, 'one PagerDuty incident per disk: their keys stayed apart');
      assert.equal([...og.alerts.values()].filter((a) => a.status === 'open').length, 100);
      assert.equal((await am.active()).length, 100);
      await send(HUNDRED_DISKS.map((m) => ['critical', 'ok', m]));
      assert.equal(pd.open.size, 0, 'each resolve matched its trigger');
      assert.ok([...og.alerts.values()].every((a) => a.status === 'closed'));
      assert.deepEqual(await am.active(), []);
    },
  );

  it('is reported in docs/reliability.md', () => {
    assert.equal(cases, integrations() * (EDGE_MOUNTS.length * 3 + HUNDRED_DISKS.length * 2));
    assertReported('Edge inputs, sent to every vendor', cases, {
      disks: HUNDRED_DISKS.length,
      integrations: integrations(),
    });
  });
});
