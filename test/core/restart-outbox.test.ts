import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { DeliveryRecords } from '../../core/delivery/records.js';
import { resumeAfterStop } from '../../core/delivery/restart.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/**
 * What a stopped process left in the outbox, as the next start sends it: the edges of summing up
 * (see core/delivery/restart.ts) against a real HTTPS webhook receiver.
 */
describe('the outbox a stopped process left, at the next start', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  const opened = closeAfterEach();

  /** A dispatcher that queues but never sends (a process about to be killed), and a receiver. */
  async function leftBehind(...changes: [string, string][]) {
    const receiver = await Receiver.start(pki);
    const rig = await deliveryRig({ settings: () => ({ ...DEFAULT_SETTINGS, flappingChanges: 100 }) });
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    rig.addWebhook({ url: `${receiver.url}/disk`, ca: pki.ca });
    await rig.dispatcher.stop();
    for (const [from, to] of changes)
      rig.transition(...transitionOf(to as 'ok' | 'warning' | 'critical', from as 'ok'));
    const bodies = () =>
      receiver.requests.map(
        (r) => JSON.parse(r.body) as { info: string; headroom: { from: string; to: string; held?: object } },
      );
    return { receiver, rig, bodies };
  }

  it(
    'sends nothing for changes that came back to where the integration was told',
    { timeout: 20_000 },
    async () => {
      const { rig, bodies } = await leftBehind(['ok', 'warning'], ['warning', 'ok']);
      const next = rig.make();
      next.start();
      await next.idle();
      assert.deepEqual(bodies(), []);
      const reason = 'held: not sent before a restart; no net change, so nothing is sent';
      assert.deepEqual(
        rig.history.list().map((r) => [r.outcome, r.reason]),
        [
          ['held', reason],
          ['held', reason],
        ],
      );
      assert.equal(rig.outbox.list().length, 0);
      await next.stop();
    },
  );

  it(
    'counts each change once when the start that summed them up was cut short',
    { timeout: 20_000 },
    async () => {
      const { receiver, rig, bodies } = await leftBehind(['ok', 'warning'], ['warning', 'critical']);
      // A start that wrote the summary and was killed before the entries it sums up left.
      const records = new DeliveryRecords(rig.history, Date.now);
      const outbox = Object.assign(Object.create(rig.outbox), { remove: () => {} });
      resumeAfterStop({ outbox, records, integrations: rig.integrations }, rig.outbox.list());
      assert.equal(rig.outbox.list().length, 2);

      const next = rig.make();
      next.start();
      await receiver.accepted(1);
      await next.idle();
      const [summary, ...more] = bodies();
      assert.deepEqual(more, []);
      assert.equal(`${summary!.headroom.from}→${summary!.headroom.to}`, 'ok→critical');
      assert.match(summary!.info, /: 2 changes, summed up here\./);
      await next.stop();
    },
  );

  it(
    'sends a delivery it was in the middle of again to a receiver that drops repeats, unmarked',
    { timeout: 20_000 },
    async () => {
      const { receiver, rig, bodies } = await leftBehind(['ok', 'warning']);
      const [entry] = rig.outbox.list();
      rig.outbox.markSending(entry!);

      const next = rig.make();
      next.start();
      await receiver.accepted(1);
      await next.idle();
      assert.equal(bodies().length, 1);
      assert.doesNotMatch(bodies()[0]!.info, /Possibly a repeat/);
      const [record] = rig.history.list();
      assert.equal(record!.outcome, 'delivered');
      assert.deepEqual(
        record!.attempts.map((a) => a.reason ?? a.status),
        ['interrupted', 200],
      );
      await next.stop();
    },
  );
  it(
    'tells the state now after two starts in a row when the first was sending when it stopped',
    { timeout: 20_000 },
    async () => {
      const { receiver, rig, bodies } = await leftBehind(['ok', 'warning'], ['warning', 'critical']);
      // Stopped while sending the warning (the receiver may have it); the next start sums the two
      // up (ok→critical) and is stopped before sending that; meanwhile the disk came back.
      rig.outbox.markSending(rig.outbox.list()[0]!);
      const records = new DeliveryRecords(rig.history, Date.now);
      resumeAfterStop({ outbox: rig.outbox, records, integrations: rig.integrations }, rig.outbox.list());
      rig.transition(...transitionOf('ok', 'critical'));

      const next = rig.make();
      next.start();
      await receiver.accepted(1);
      await next.idle();
      // Back where it was told, but it may have heard "warning": the state now, never silence.
      const [summary, ...more] = bodies();
      assert.deepEqual(more, []);
      assert.equal(summary!.headroom.to, 'ok');
      await next.stop();
    },
  );
});
