import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { noteDelay, trayModel, type DelayedAlert } from '../../electron/main/tray-model.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const HOUR = 3600_000;
const noMount = await cannotMount;

describe("a receiver's Retry-After", () => {
  let pki: TestPki;
  let receiver: Receiver;
  before(async () => {
    pki = await makePki();
  });
  beforeEach(async () => {
    receiver = await Receiver.start(pki);
  });
  afterEach(() => receiver.close());

  it(
    'Send test waits out a short one (429, Retry-After 1 s) as saving does, and delivers',
    { timeout: 30_000 },
    async () => {
      const rig = await deliveryRig();
      const integration = rig.addWebhook({ url: `${receiver.url}/hook`, ca: pki.ca });
      receiver.reply({ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' });
      const service = new IntegrationService(rig.integrations, createTransport(), () => rig.dispatcher);
      const record = await service.test(integration);
      assert.equal(record.outcome, 'delivered', record.reason);
      assert.deepEqual(
        record.attempts.map((a) => a.status),
        [429, 200],
      );
      assert.ok(record.attempts[1]!.at - record.attempts[0]!.at >= 1000, 'asked again after the wait');
      // One that is too long to wait for with someone waiting is the answer, at once.
      receiver.reply({ status: 429, headers: { 'retry-after': '60' }, body: 'slow down' });
      const refused = await service.test(integration);
      assert.equal(refused.outcome, 'failed');
      assert.equal(refused.attempts.length, 1);
      await rig.close();
    },
  );

  describe('a long one, during `headroom watch`', { skip: noMount }, () => {
    let disk: Tmpfs;
    let watcher: CliProcess | undefined;
    afterEach(async () => {
      await watcher?.stop('SIGKILL');
      await disk?.dispose();
    });

    it(
      'is cut to an hour, and said at once: in watch, the history and the tray',
      { timeout: 45_000 },
      async () => {
        disk = await Tmpfs.mount(20);
        const home = await tempHome();
        const added = await runCli(
          [
            'integration',
            'add',
            '--type',
            'webhook',
            '--name',
            'Hook',
            '--url',
            `${receiver.url}/disk`,
            '--ca',
            pki.files.ca,
          ],
          home,
        );
        assert.equal(added.code, 0, added.stderr);
        receiver.always({ status: 429, headers: { 'retry-after': String(3 * 3600) }, body: 'quota' });
        await disk.setFreePercent(15);
        const started = Date.now();
        watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home);
        const line = await watcher.waitUntil(
          () => watcher!.jsonLines('delivery').find((d) => d.outcome === 'retrying'),
          'a retrying line',
        );
        assert.match(
          String(line.reason),
          /the receiver asked to wait 3 h \(Retry-After\): this alert is delayed until /,
        );
        assert.match(String(line.reason), /at most an hour/);
        const until = Date.parse(String(line.delayedUntil));
        assert.ok(until > started + 0.9 * HOUR && until <= Date.now() + HOUR, `${line.delayedUntil}`);
        await watcher.stop('SIGKILL');
        watcher = undefined;

        const [record] = JSON.parse((await runCli(['history', '--json'], home)).stdout) as DeliveryRecord[];
        assert.equal(record!.outcome, 'retrying');
        assert.equal(record!.delayedUntil, until);
        assert.match(record!.reason!, /delayed until/);

        const delayed = new Map<string, DelayedAlert>();
        assert.equal(noteDelay(delayed, record!), true);
        const tray = trayModel([], null, null, Date.now(), [...delayed.values()]);
        assert.ok(
          tray.menu.some((m) => m.type === 'label' && /^Alerts to “Hook” delayed until /.test(m.label)),
          JSON.stringify(tray.menu),
        );
        assert.match(tray.tooltip, /alerts to “Hook” delayed until/i);
        // Once it ends, the tray stops saying so.
        assert.equal(noteDelay(delayed, { ...record!, outcome: 'delivered', delayedUntil: undefined }), true);
        assert.equal(delayed.size, 0);
      },
    );
  });
});
