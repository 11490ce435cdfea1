import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { alertmanagerMissing, LocalAlertmanagerCluster, NotificationSink } from '../helpers/alertmanager.js';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { assertReported } from '../helpers/report.js';

describe(
  'an Alertmanager cluster of three (real ones, gossiping on 127.0.0.1)',
  { skip: alertmanagerMissing },
  () => {
    let sink: NotificationSink;
    let cluster: LocalAlertmanagerCluster;
    before(async () => {
      sink = await NotificationSink.start();
      cluster = await LocalAlertmanagerCluster.start(3, sink);
    });
    after(async () => {
      await cluster?.stop();
      await sink?.close();
    });

    /** Every peer that is up has finished every flush it had begun: any duplicate would be in. */
    const settledDown = (peers = cluster.peers) => Promise.all(peers.map((p) => p.flushedTwice()));

    it('validation asks every peer, and says that each is in a ready cluster', async () => {
      const rig = await deliveryRig();
      const integration = rig.add('alertmanager', { url: cluster.peers.map((p) => p.url) });
      const report = await new IntegrationService(
        rig.integrations,
        createTransport(),
        () => rig.dispatcher,
      ).check(integration);
      assert.equal(report.outcome.kind, 'delivered');
      const note = report.outcome.kind === 'delivered' ? report.outcome.note! : '';
      for (const peer of cluster.peers)
        assert.match(
          note,
          new RegExp(
            `${peer.url}: delivered \\(HTTP 200\\), Alertmanager 0\\.\\d+\\.\\d+ answers \\(cluster ready\\)`,
          ),
        );
      await rig.close();
    });

    it('posts each alert to every peer, and the people paged get exactly one notification', async () => {
      const rig = await deliveryRig();
      rig.add('alertmanager', { url: cluster.peers.map((p) => p.url) });
      rig.dispatcher.enqueue(...transitionOf('critical', 'ok', '/data'));
      await rig.dispatcher.idle();
      for (const peer of cluster.peers) assert.equal(await peer.received('firing'), 1, `${peer.url} got it`);

      await sink.until(() => sink.of('/data', 'firing').length > 0);
      await settledDown();
      assert.equal(sink.of('/data', 'firing').length, 1, 'one notification, not three');

      const [record] = rig.history.list();
      assert.equal(record!.outcome, 'delivered');
      assert.match(record!.attempts[0]!.note!, /^accepted by all 3 peers \(/);
      for (const peer of cluster.peers)
        assert.ok(record!.attempts[0]!.note!.includes(`${peer.url}: delivered (HTTP 200)`));

      rig.dispatcher.enqueue(...transitionOf('ok', 'critical', '/data'));
      await rig.dispatcher.idle();
      await sink.until(() => sink.of('/data', 'resolved').length > 0);
      // At least once: the resolve may be sent again in Alertmanager's own time (see the adapter).
      for (const peer of cluster.peers)
        assert.ok((await peer.received('resolved')) >= 1, `${peer.url} resolved it`);
      assert.deepEqual(
        rig.history.list().map((r) => r.outcome),
        ['delivered', 'delivered'],
      );
      await rig.close();
    });

    it('headroom integration add takes --url once per peer, validates each, and refuses a peer given twice', async () => {
      const home = await tempHome();
      const urls = cluster.peers.flatMap((p) => ['--url', p.url]);
      const add = await runCli(
        ['integration', 'add', '--type', 'alertmanager', '--name', 'am', ...urls],
        home,
      );
      assert.equal(add.code, 0, add.stderr);
      const list = await runCli(['integration', 'list', '--json'], home);
      const [saved] = (JSON.parse(list.stdout) as { integrations: { config: { url: string[] } }[] })
        .integrations;
      assert.deepEqual(
        saved!.config.url,
        cluster.peers.map((p) => p.url),
      );
      const twice = await runCli(
        ['integration', 'add', '--type', 'alertmanager', '--url', cluster.peers[0]!.url, ...urls],
        home,
      );
      assert.equal(twice.code, 2, twice.stderr);
      assert.match(twice.stderr, /--url: lists the same peer twice/);
    });

    it('with a peer stopped: delivered through the others, still one notification, and the history says which peer missed it', async () => {
      const rig = await deliveryRig();
      rig.add('alertmanager', { url: cluster.peers.map((p) => p.url) });
      const [up1, up2, down] = cluster.peers as [never, never, (typeof cluster.peers)[number]];
      await down.stop();

      rig.dispatcher.enqueue(...transitionOf('warning', 'ok', '/backup'));
      await rig.dispatcher.idle();
      await sink.until(() => sink.of('/backup', 'firing').length > 0);
      await settledDown([up1, up2]);
      assert.equal(sink.of('/backup', 'firing').length, 1);

      const [record] = rig.history.list();
      assert.equal(record!.outcome, 'delivered', 'one peer accepting is enough');
      assert.equal(record!.attempts.length, 1, 'not retried for the stopped peer');
      const note = record!.attempts[0]!.note!;
      assert.match(note, /^accepted by 2 of 3 peers, not retried on the others \(/);
      assert.ok(note.includes(`${down.url}: not delivered: `), note);
      assert.match(record!.reason!, /accepted by 2 of 3 peers/, 'the record shows it too');
      await rig.close();
      assertReported('Alertmanager cluster, a peer down', 2); // all three up (above), one stopped
    });
  },
);
