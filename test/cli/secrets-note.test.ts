import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';

const NOTE = /Secrets are stored unencrypted in files readable only by you/;
const KEY = 'R0123456789abcdef0123456789abcde';

describe('the CLI on where secrets are kept (no keychain here)', () => {
  it('says it when the first secret is stored and under `integration list`, not at every add', async () => {
    const home = await tempHome();
    const add = (...args: string[]) => runCli(['integration', 'add', '--no-check', ...args], home);
    const plain = await add('--type', 'alertmanager', '--url', 'http://127.0.0.1:9093');
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, NOTE, 'nothing secret was stored');

    const first = await add('--type', 'pagerduty', '--routing-key', KEY);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, NOTE);
    const second = await add('--type', 'pagerduty', '--routing-key', KEY, '--name', 'Second');
    assert.doesNotMatch(second.stderr, NOTE, 'said once');

    const list = await runCli(['integration', 'list'], home);
    assert.match(list.stderr, NOTE);
    assert.doesNotMatch(list.stdout, NOTE, 'the table stays data');
  });
});
