import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'node:test';
import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { deliveryRig } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

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
});
