import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { attemptOf, classifyResult, withNote } from '../../../core/delivery/attempt/classify.js';
import { classifyStatus } from '../../../shared/http-outcome.js';

const SECRET = 'hunter2-the-token';

describe('the classify stage', () => {
  it(
    'masks a secret the receiver echoes, before the channel quotes the body',
    { timeout: 10_000 },
    async () => {
      let seen = '';
      const sent = await classifyResult(
        { ok: true, response: { status: 400, headers: {}, body: `bad token ${SECRET}` }, latencyMs: 12 },
        [SECRET],
        (res) => {
          seen = res.body;
          return { kind: 'failed', reason: 'vendorError', message: `refused: ${res.body}` };
        },
      );
      assert.doesNotMatch(seen, /hunter2/);
      assert.equal(sent.outcome.kind, 'failed');
      assert.doesNotMatch(JSON.stringify(sent), /hunter2/);
      assert.equal(sent.status, 400);
      assert.equal(sent.latencyMs, 12);
    },
  );

  it('classifies a failure below HTTP by its code, keeping the code', { timeout: 10_000 }, async () => {
    const sent = await classifyResult(
      { ok: false, error: { code: 'ECONNREFUSED', message: `connect refused to ${SECRET}` }, latencyMs: 3 },
      [SECRET],
      () => assert.fail('no answer to classify'),
    );
    assert.equal(sent.outcome.kind, 'retry');
    assert.equal(sent.code, 'ECONNREFUSED');
    assert.equal(sent.status, undefined);
    assert.doesNotMatch(JSON.stringify(sent.outcome), /hunter2/);
  });

  it(
    'makes the history’s attempt: reason and message when not delivered, a note when delivered',
    { timeout: 10_000 },
    async () => {
      const sent = await classifyResult(
        { ok: true, response: { status: 503, headers: {}, body: '' }, latencyMs: 7 },
        [],
        (res) => classifyStatus(res, 0),
      );
      const attempt = attemptOf(100, sent);
      assert.deepEqual(
        { ...attempt, message: undefined },
        { at: 100, status: 503, result: 'retry', reason: 'serverError', message: undefined, latencyMs: 7 },
      );
      const delivered = attemptOf(100, {
        outcome: withNote({ kind: 'delivered' }, 'resolve accepted'),
        latencyMs: 1,
      });
      assert.deepEqual(delivered, { at: 100, result: 'delivered', note: 'resolve accepted', latencyMs: 1 });
      assert.equal(withNote({ kind: 'failed', reason: 'vendorError', message: 'no' }, 'why').kind, 'failed');
    },
  );
});
