import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { sendScrubbed } from '../../../core/delivery/attempt/send.js';
import { deliverToTargets } from '../../../core/delivery/attempt/targets.js';
import { classifyStatus } from '../../../shared/http-outcome.js';
import { sampleEvent } from '../../helpers/events.js';
import { receiversRig } from '../../helpers/receivers.js';

describe('the targets stage', () => {
  const rig = receiversRig(2);

  const targets = () => rig.receivers.map((p) => ({ name: p.url, config: { url: p.url } }));
  const deliver = (config: Record<string, unknown>) =>
    sendScrubbed(
      rig.transport,
      { method: 'POST', url: `${config.url}/api`, headers: {} },
      10_000,
      [],
      (res) => classifyStatus(res, Date.now()),
    );

  it(
    'sends to every peer at once: delivered when one took it, naming each',
    { timeout: 30_000 },
    async () => {
      rig.receivers[0]!.reply({ status: 200 });
      rig.receivers[1]!.reply({ status: 500 });
      const sent = await deliverToTargets(sampleEvent(), {}, {}, targets(), [], undefined, deliver);
      assert.equal(sent.outcome.kind, 'delivered');
      assert.match(sent.outcome.kind === 'delivered' ? sent.outcome.note! : '', /accepted by 1 of 2 peers/);
    },
  );

  it(
    'where every peer must hear it, sends again only to those that missed it',
    { timeout: 30_000 },
    async () => {
      const every = { targets: { of: targets, every: () => Date.now() + 60_000 } };
      const heard = new Set<string>();
      const counts = () => rig.receivers.map((p) => p.requests.length);
      const before = counts();
      rig.receivers[0]!.reply({ status: 200 });
      rig.receivers[1]!.reply({ status: 503 });
      const first = await deliverToTargets(sampleEvent(), every, {}, targets(), [], heard, deliver);
      assert.equal(first.outcome.kind, 'retry');
      assert.deepEqual([...heard], [rig.receivers[0]!.url]);
      rig.receivers[1]!.reply({ status: 200 });
      const second = await deliverToTargets(sampleEvent(), every, {}, targets(), [], heard, deliver);
      assert.deepEqual(
        counts().map((n, i) => n - before[i]!),
        [1, 2],
        'the peer that heard it is not sent it again',
      );
      assert.match(
        second.outcome.kind === 'delivered' ? second.outcome.note! : '',
        /accepted by all 2 peers/,
      );
    },
  );
});
