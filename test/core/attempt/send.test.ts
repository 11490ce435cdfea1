import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { sendScrubbed } from '../../../core/delivery/attempt/send.js';
import { classifyStatus } from '../../../shared/http-outcome.js';
import { receiversRig } from '../../helpers/receivers.js';

describe('the send stage', () => {
  const rig = receiversRig();

  it('sends the request as rendered and classifies the real answer', { timeout: 30_000 }, async () => {
    rig.receivers[0]!.reply({ status: 202, body: '{"status":"success"}' });
    const sent = await sendScrubbed(
      rig.transport,
      {
        method: 'POST',
        url: `${rig.receivers[0]!.url}/v2/enqueue`,
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      },
      10_000,
      [],
      (res) => classifyStatus(res, Date.now()),
    );
    const got = rig.receivers[0]!.requests.at(-1)!;
    assert.equal(got.url, '/v2/enqueue');
    assert.equal(got.body, '{"a":1}');
    assert.equal(sent.outcome.kind, 'delivered');
    assert.equal(sent.status, 202);
    assert.equal(sent.response?.body, '{"status":"success"}');
  });

  it(
    'masks the credentials as sent, base64 and all, in what a receiver echoes',
    { timeout: 30_000 },
    async () => {
      const basic = Buffer.from('ops:pa55word-long').toString('base64');
      rig.receivers[0]!.reply((r) => ({ status: 401, body: `denied: ${r.headers.authorization}` }));
      const sent = await sendScrubbed(
        rig.transport,
        {
          method: 'POST',
          url: `${rig.receivers[0]!.url}/`,
          headers: { authorization: `Basic ${basic}` },
          body: '',
        },
        10_000,
        [],
        (res) => ({ kind: 'failed', reason: 'authError', message: res.body }),
      );
      assert.equal(sent.outcome.kind, 'failed');
      assert.doesNotMatch(JSON.stringify(sent), new RegExp(basic));
      assert.match(sent.response!.body, /denied: ••••/);
    },
  );

  it('turns a connection that is refused into a retry, with its code', { timeout: 30_000 }, async () => {
    const sent = await sendScrubbed(
      rig.transport,
      { method: 'POST', url: 'https://127.0.0.1:1/', headers: {}, body: '' },
      10_000,
      [],
      () => assert.fail('nothing answered'),
    );
    assert.equal(sent.outcome.kind, 'retry');
    assert.equal(sent.code, 'ECONNREFUSED');
  });
});
