import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { answerChallenge, Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/**
 * The receiver check on `integration add` and `integration validate` (webhook challenge): what
 * passes, what is refused and why, and what is saved without a check. (Adding, listing, editing
 * and testing integrations: cli-integration.test.ts.)
 */
describe('headroom integration add and validate: the receiver check', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  /** `integration add --type webhook` for a receiver of this test's CA. */
  const addWebhookAt = (home: string, url: string, ...args: string[]) =>
    runCli(['integration', 'add', '--type', 'webhook', '--url', url, '--ca', pki.files.ca, ...args], home);

  it('validates with the challenge on add, and on validate, without raising an alert', async () => {
    const home = await tempHome();
    const hook = await Receiver.start(pki);
    hook.always(answerChallenge('crc-secret'));
    const added = await addWebhookAt(home, hook.url, '--challenge-secret', 'crc-secret');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stderr, /challenge answered correctly \(HTTP 200, \d+ ms\)/);
    const v = await runCli(['integration', 'validate'], home);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /✔ .*challenge answered correctly/);
    assert.ok(
      hook.requests.every((q) => q.method === 'GET'),
      'no alert was posted',
    );
    await hook.close();
  });

  for (const [label, reply, reason] of [
    [
      'a wrong hash',
      () => ({ status: 200, body: JSON.stringify({ response_token: 'sha256=AAAA' }) }),
      /response_token does not match/,
    ],
    ['a reply that is not JSON', () => ({ status: 200, body: 'OK' }), /needs a JSON answer/],
    [
      'a status other than 200',
      () => ({ status: 404, body: 'nope' }),
      /needs HTTP 200, the receiver answered 404/,
    ],
    ['no answer within 5 s', () => 'hang' as const, /did not answer in time/],
  ] as const) {
    it(`refuses to save when the challenge gets ${label}`, async () => {
      const home = await tempHome();
      const hook = await Receiver.start(pki);
      hook.always(reply);
      const r = await addWebhookAt(home, hook.url, '--challenge-secret', 's');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not saved, the receiver did not pass validation/);
      assert.match(r.stderr, reason);
      assert.equal(r.stdout, '');
      await hook.close();
    });
  }

  it('offers to save anyway when the receiver is unreachable (--no-check), and validate has three answers', async () => {
    const home = await tempHome();
    const down = await Receiver.start(pki);
    const url = down.url;
    await down.close(); // nothing listens there any more
    const refused = await addWebhookAt(home, url, '--challenge-secret', 'crc-secret');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not saved, the receiver did not pass validation: connection refused/);
    assert.match(refused.stderr, /to save it anyway .*add --no-check/);
    const saved = await addWebhookAt(
      home,
      url,
      '--challenge-secret',
      'crc-secret',
      '--no-check',
      '--name',
      'Down',
    );
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stderr, /saved without asking the receiver/);
    const pd = await runCli(
      ['integration', 'add', '--type', 'pagerduty', '--name', 'PD', '--routing-key', 'R'.repeat(32)],
      home,
    );
    assert.equal(pd.code, 0, pd.stderr);
    assert.match(pd.stderr, /not checked: .*cannot be asked anything without sending an alert/);
    const hook = await Receiver.start(pki);
    hook.always(answerChallenge('crc-secret'));
    const good = await addWebhookAt(home, hook.url, '--challenge-secret', 'crc-secret', '--name', 'Up');
    assert.equal(good.code, 0, good.stderr);

    const v = await runCli(['integration', 'validate'], home);
    assert.equal(v.code, 1, 'one checked and wrong');
    assert.match(v.stdout, /^✘ Down \(webhook-\w+\): connection refused/m);
    assert.match(
      v.stdout,
      /^○ PD \(pagerduty-\w+\): not checked: /m,
      'no green tick for what was not checked',
    );
    assert.match(v.stdout, /^✔ Up \(webhook-\w+\): challenge answered correctly/m);
    await hook.close();
  });
});
