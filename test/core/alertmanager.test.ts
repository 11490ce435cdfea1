import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { alertmanagerMissing, LocalAlertmanager } from '../helpers/alertmanager.js';
import { deliveryRig, historyInOrder, transitionOf } from '../helpers/delivery.js';

describe('Prometheus Alertmanager (a real one, on 127.0.0.1)', { skip: alertmanagerMissing }, () => {
  let am: LocalAlertmanager;
  before(async () => {
    am = await LocalAlertmanager.start();
  });
  after(() => am?.stop());

  const mine = async () =>
    (await am.active()).filter((a) => a.labels.job === 'headroom' && a.labels.mount === '/data');

  it('holds the alert while the disk is low, moves it from warning to critical, and resolves it on the all-clear', async () => {
    const rig = await deliveryRig();
    rig.add('alertmanager', { url: am.url, linkUrl: 'https://grafana.example.com/d/disks' });
    const send = async (from: string, to: string) => {
      rig.dispatcher.enqueue(...transitionOf(to as never, from as never));
      await rig.dispatcher.idle();
    };

    await send('ok', 'warning');
    let alerts = await mine();
    assert.deepEqual(
      alerts.map((a) => [a.labels.alertname, a.labels.severity, a.status.state]),
      [['DiskSpaceLow', 'warning', 'active']],
    );
    assert.equal(alerts[0]!.labels.host, 'test-host');
    assert.equal(alerts[0]!.generatorURL, 'https://grafana.example.com/d/disks', 'the link setting');
    assert.match(alerts[0]!.annotations.summary!, /^Disk warning: \/data on test-host has 15\.0% free$/);

    await send('warning', 'critical');
    alerts = await mine();
    assert.deepEqual(
      alerts.map((a) => a.labels.severity),
      ['critical'],
      'the warning alert was resolved, not left beside it',
    );

    await send('critical', 'ok');
    assert.deepEqual(await mine(), [], 'resolved by endsAt');
    assert.deepEqual(
      rig.history.list().map((r) => r.outcome),
      ['delivered', 'delivered', 'delivered'],
    );
    await rig.close();
  });

  it('re-posts active alerts every sample so Alertmanager does not expire them', async () => {
    const rig = await deliveryRig();
    rig.add('alertmanager', { url: am.url });
    const [t, context] = transitionOf('critical', 'ok', '/data');
    rig.dispatcher.enqueue(t, context);
    await rig.dispatcher.idle();
    const before = Date.parse((await mine())[0]!.endsAt);

    const later = {
      ...t.reading,
      ...(t.reading.ok ? { sample: { ...t.reading.sample, at: Date.now() } } : {}),
    };
    rig.dispatcher.refresh({
      readings: [later],
      states: context.states,
      settings: { ...DEFAULT_SETTINGS, intervalSeconds: 600 },
    });
    await rig.dispatcher.stop(); // waits for the refresh in flight
    const after = (await mine())[0]!;
    assert.equal(after.labels.severity, 'critical');
    assert.ok(
      Date.parse(after.endsAt) > before,
      `endsAt moved on: ${new Date(before).toISOString()} → ${after.endsAt}`,
    );
    assert.equal(rig.history.list().length, 1, 'a refresh is not a new notification');
    await rig.close();
    // Tidy up for the next test: resolve it.
    const cleanup = await deliveryRig();
    cleanup.add('alertmanager', { url: am.url });
    cleanup.dispatcher.enqueue(...transitionOf('ok', 'critical'));
    await cleanup.dispatcher.idle();
    await cleanup.close();
  });

  /** Sends these changes of /data with this machine's clock `skewMs` off Alertmanager's. */
  async function sendSkewed(
    rig: Awaited<ReturnType<typeof deliveryRig>>,
    skewMs: number,
    ...changes: [string, string][]
  ) {
    for (const [from, to] of changes) {
      const [t, context] = transitionOf(to as never, from as never);
      const at = t.at + skewMs;
      const reading = t.reading.ok ? { ...t.reading, sample: { ...t.reading.sample, at } } : t.reading;
      rig.dispatcher.enqueue(
        { ...t, at, reading },
        { ...context, previous: { state: from as never, since: at - 60_000 } },
      );
      await rig.dispatcher.idle();
    }
  }

  it("resolves the alert though this machine's clock is 10 minutes ahead of Alertmanager's", async () => {
    const rig = await deliveryRig();
    rig.add('alertmanager', { url: am.url });
    await sendSkewed(rig, 10 * 60_000, ['ok', 'critical']);
    assert.deepEqual(
      (await mine()).map((a) => a.labels.severity),
      ['critical'],
    );
    await sendSkewed(rig, 10 * 60_000, ['critical', 'ok']);
    // Sent alone, endsAt (this machine's "now", 10 min in Alertmanager's future) would lose to the
    // active alert's later endsAt, and the alert would stay active for another 20 minutes.
    assert.deepEqual(await mine(), [], 'resolved at once');
    const [, resolve] = historyInOrder(rig.history);
    assert.equal(resolve!.outcome, 'delivered');
    assert.match(
      resolve!.reason!,
      /clock is about 60\d s ahead of Alertmanager's: the resolve was sent again/,
    );
    await rig.close();
  });

  it("keeps the alert active though this machine's clock is 30 minutes behind Alertmanager's", async () => {
    const rig = await deliveryRig();
    rig.add('alertmanager', { url: am.url });
    await sendSkewed(rig, -30 * 60_000, ['ok', 'warning']);
    // Its endsAt, 20 min after this machine's "now", is 10 min in Alertmanager's past.
    const [alert] = await mine();
    assert.equal(alert?.labels.severity, 'warning', 'active, not taken as already over');
    assert.ok(Date.parse(alert!.endsAt) > Date.now());
    assert.match(rig.history.list()[0]!.reason!, /clock is behind Alertmanager's: the alert was sent again/);
    await sendSkewed(rig, -30 * 60_000, ['warning', 'ok']);
    assert.deepEqual(await mine(), []);
    await rig.close();
  });

  it('validates against /api/v2/status; a Send test reaches it firing and is resolved right after', async () => {
    const rig = await deliveryRig();
    const integration = rig.add('alertmanager', { url: am.url });
    const service = new IntegrationService(rig.integrations, createTransport(), () => rig.dispatcher);
    const report = await service.check(integration);
    assert.match(
      report.outcome.kind === 'delivered' ? report.outcome.note! : '',
      /^Alertmanager 0\.\d+\.\d+ answers \(cluster disabled\)$/,
    );
    const firingBefore = await am.received('firing');
    const record = await rig.dispatcher.sendTest(integration);
    assert.equal(record.outcome, 'delivered');
    assert.match(record.reason!, /the test alert was resolved again/);
    assert.deepEqual(
      record.attempts.map((a) => [a.result, a.status]),
      [
        ['delivered', 200],
        ['delivered', 200],
      ],
    );
    assert.equal(
      (await am.active()).filter((a) => a.labels.alertname === 'HeadroomTest').length,
      0,
      'nothing left active in Alertmanager',
    );
    assert.equal(await am.received('firing'), firingBefore + 1, 'it did receive the test alert, firing');
    await rig.close();
  });

  it('fails validation with a clear reason when the URL is not an Alertmanager', async () => {
    const rig = await deliveryRig();
    const integration = rig.add('alertmanager', { url: `${am.url}/not-here` });
    const report = await new IntegrationService(
      rig.integrations,
      createTransport(),
      () => rig.dispatcher,
    ).check(integration);
    assert.equal(report.outcome.kind, 'failed');
    assert.match(report.outcome.kind === 'failed' ? report.outcome.message : '', /HTTP 404/);
    await rig.close();
  });
});
