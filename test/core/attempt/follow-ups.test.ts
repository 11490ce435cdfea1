import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { sendScrubbed } from '../../../core/delivery/attempt/send.js';
import { MAX_STEPS, sendFollowUps, type SendStep } from '../../../core/delivery/attempt/follow-ups.js';
import type { Channel } from '../../../shared/channels/channel.js';
import { classifyStatus, type HttpRequest } from '../../../shared/http-outcome.js';
import { sampleEvent } from '../../helpers/events.js';
import { receiversRig } from '../../helpers/receivers.js';

describe('the follow-up stage', () => {
  const rig = receiversRig();
  const send: SendStep = (request, classify) => sendScrubbed(rig.transport, request, 10_000, [], classify);

  const get = (path: string): HttpRequest => ({
    method: 'GET',
    url: `${rig.receivers[0]!.url}${path}`,
    headers: {},
  });
  /** Sends the first request, then its follow-ups. */
  async function deliver(followUp: Channel['followUp']) {
    const request = get('/first');
    const first = await send(request, (res) => classifyStatus(res, Date.now()));
    return sendFollowUps(followUp, sampleEvent(), {}, { request, sent: first }, send, Date.now);
  }

  it('polls a follow-up while it answers "retry", then keeps every note', { timeout: 30_000 }, async () => {
    const start = rig.receivers[0]!.requests.length;
    rig.receivers[0]!.reply(
      { status: 200 },
      { status: 404 },
      { status: 404 },
      { status: 200, body: 'processed' },
    );
    const sent = await deliver((_e, _c, steps) =>
      steps.length > 1
        ? null
        : {
            request: get('/status'),
            poll: { times: 5, delayMs: 10 },
            classify: (res) =>
              res.status === 404
                ? { kind: 'retry', reason: 'vendorError', message: 'queued' }
                : { kind: 'delivered', note: res.body },
          },
    );
    assert.deepEqual(
      rig.receivers[0]!.requests.slice(start).map((r) => r.url),
      ['/first', '/status', '/status', '/status'],
    );
    assert.deepEqual(sent.outcome, { kind: 'delivered', note: 'processed' });
  });

  it('makes the first follow-up that fails the delivery’s outcome', { timeout: 30_000 }, async () => {
    const start = rig.receivers[0]!.requests.length;
    rig.receivers[0]!.reply({ status: 200 }, { status: 400 });
    const sent = await deliver(() => ({
      request: get('/priority'),
      classify: (res) => classifyStatus(res, Date.now()),
    }));
    assert.equal(rig.receivers[0]!.requests.length - start, 2, 'no third request after the failure');
    assert.equal(sent.outcome.kind, 'failed');
    assert.equal(sent.status, 400);
  });

  it(`stops at ${MAX_STEPS} requests, whatever the channel asks`, { timeout: 30_000 }, async () => {
    const start = rig.receivers[0]!.requests.length;
    rig.receivers[0]!.always({ status: 200, body: 'ok' });
    const sent = await deliver(() => ({ request: get('/more'), classify: () => ({ kind: 'delivered' }) }));
    assert.equal(rig.receivers[0]!.requests.length - start, MAX_STEPS);
    assert.equal(sent.outcome.kind, 'delivered');
  });
});
