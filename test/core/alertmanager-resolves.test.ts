import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { AlertmanagerProxy, hasResolve } from '../helpers/am-proxy.js';
import { alertmanagerMissing, LocalAlertmanager, NotificationSink } from '../helpers/alertmanager.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';

/**
 * Resolves and Send tests against real Alertmanagers on 127.0.0.1, with a proxy in front of one
 * where a peer must fail or read its clock otherwise.
 */
describe('Alertmanager resolves and tests (real ones)', { skip: alertmanagerMissing }, () => {
  let am1: LocalAlertmanager;
  let am2: LocalAlertmanager;
  let proxy: AlertmanagerProxy;
  before(async () => {
    // One after the other, so that `after` stops the first if the second fails to start.
    am1 = await LocalAlertmanager.start();
    am2 = await LocalAlertmanager.start();
    proxy = await AlertmanagerProxy.start(am2.url);
  });
  after(async () => {
    await proxy?.close();
    await Promise.all([am1?.stop(), am2?.stop()]);
  });

  const active = async (am: LocalAlertmanager, mount: string) =>
    (await am.active()).filter((a) => a.labels.job === 'headroom' && a.labels.mount === mount);

  it(
    'posts one resolve per alert, not a second one in Alertmanager’s time',
    { timeout: 30_000 },
    async () => {
      const rig = await deliveryRig();
      rig.add('alertmanager', { url: am1.url });
      const mounts = ['/r1', '/r2', '/r3'];
      for (const mount of mounts) rig.dispatcher.enqueue(...transitionOf('critical', 'ok', mount));
      await rig.dispatcher.idle();
      const resolvedBefore = await am1.received('resolved');
      for (const mount of mounts) rig.dispatcher.enqueue(...transitionOf('ok', 'critical', mount));
      await rig.dispatcher.idle();
      assert.equal(await am1.received('resolved'), resolvedBefore + 3, 'three resolves, each posted once');
      for (const mount of mounts) assert.deepEqual(await active(am1, mount), [], `${mount} resolved`);
      await rig.close();
    },
  );

  it(
    'a failed resolve sent again only in case (its clock within the second) is not a retry',
    { timeout: 30_000 },
    async () => {
      const rig = await deliveryRig();
      rig.add('alertmanager', { url: proxy.url });
      rig.dispatcher.enqueue(...transitionOf('warning', 'ok', '/late'));
      await rig.dispatcher.idle();
      // Its Date header reads just under the resolve's end: it may have taken the resolve, or not.
      let resolves = 0;
      proxy.onPost = (alerts) => {
        if (!hasResolve(alerts)) return undefined;
        const n = ++resolves;
        // The second post, sent again only in case, fails.
        if (n === 2) return { status: 503 };
        return n === 1 ? { date: Math.floor((Date.parse(alerts[0]!.endsAt) - 1) / 1000) * 1000 } : undefined;
      };
      rig.dispatcher.enqueue(...transitionOf('ok', 'warning', '/late'));
      await rig.dispatcher.idle();
      proxy.onPost = () => undefined;
      assert.equal(resolves, 2, 'sent again, in case');
      const resolve = rig.history.list().find((r) => r.event.to === 'ok')!;
      assert.equal(resolve.outcome, 'delivered');
      assert.equal(resolve.attempts.length, 1, 'no retry for the second post');
      assert.match(resolve.reason!, /sent again in case .* that failed \(the receiver failed \(HTTP 503\)/);
      assert.deepEqual(await active(am2, '/late'), [], 'the first post did resolve it');
      await rig.close();
    },
  );

  it(
    'a peer that was up but missed the resolve is tried again until it hears it; the other is not sent it twice',
    { timeout: 30_000 },
    async () => {
      const rig = await deliveryRig();
      rig.add('alertmanager', { url: [am1.url, proxy.url] });
      rig.dispatcher.enqueue(...transitionOf('critical', 'ok', '/peers'));
      await rig.dispatcher.idle();
      assert.equal((await active(am2, '/peers')).length, 1, 'the second peer holds the alert');

      let failed = 0;
      proxy.onPost = (alerts) => (hasResolve(alerts) && failed++ < 2 ? { status: 503 } : undefined);
      const resolvedOn1 = await am1.received('resolved');
      rig.dispatcher.enqueue(...transitionOf('ok', 'critical', '/peers'));
      await rig.dispatcher.idle();
      proxy.onPost = () => undefined;

      assert.deepEqual(await active(am2, '/peers'), [], 'the peer that missed it has heard it since');
      assert.deepEqual(await active(am1, '/peers'), []);
      assert.equal(
        await am1.received('resolved'),
        resolvedOn1 + 1,
        'the peer that heard it is not sent it again',
      );
      const resolve = rig.history.list().find((r) => r.event.to === 'ok')!;
      assert.equal(resolve.outcome, 'delivered');
      assert.deepEqual(
        resolve.attempts.map((a) => a.result),
        ['retry', 'retry', 'delivered'],
      );
      assert.match(
        resolve.attempts[0]!.message!,
        /^heard by 1 of 2 peers; tried again on the others until each hears it \(/,
      );
      assert.match(resolve.attempts[2]!.note!, /^accepted by all 2 peers/);
      await rig.close();
    },
  );

  it(
    'a Send test stays firing past the group_wait, so Alertmanager’s own receiver hears it',
    { timeout: 30_000 },
    async () => {
      const sink = await NotificationSink.start();
      const dir = await mkdtemp(join(tmpdir(), 'headroom-am-test-'));
      await writeFile(
        join(dir, 'am.yml'),
        [
          'route:',
          "  receiver: 'hook'",
          "  group_by: ['alertname']",
          '  group_wait: 1s',
          'receivers:',
          "  - name: 'hook'",
          '    webhook_configs:',
          `      - url: '${sink.url}'`,
          '',
        ].join('\n'),
      );
      const am = await LocalAlertmanager.start({ configFile: join(dir, 'am.yml'), storage: dir });
      try {
        const rig = await deliveryRig();
        const integration = rig.add('alertmanager', { url: am.url });
        const told: string[] = [];
        const record = await rig.dispatcher.sendTest(integration, undefined, (says) => told.push(says));
        assert.equal(record.outcome, 'delivered');
        // Whoever waits (the CLI prints it) hears why at once, not after the wait.
        assert.deepEqual(told, ['delivered; it stays open 3 s, past its group_wait (1 s), then is resolved']);
        assert.match(
          record.reason!,
          /the test alert stayed open 3 s, past its group_wait \(1 s\), so that its receivers hear it; the test alert was resolved again/,
        );
        const heard = () =>
          sink.notifications.filter(
            (n) => n.status === 'firing' && n.alerts.some((a) => a.labels.alertname === 'HeadroomTest'),
          );
        await sink.until(() => heard().length > 0);
        assert.equal(heard().length, 1);
        assert.deepEqual(await am.active(), [], 'and nothing is left open');
        await rig.close();
      } finally {
        await am.stop();
        await sink.close();
      }
    },
  );
});
