import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { flattenedVerify } from 'jose';
import { base64urlDecode } from '../../shared/jws.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** A shared key the README's `openssl rand -base64 64 | tr '+/' '-_' | tr -d '=\n'` can give. */
const DASH_KEY = '-yM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';

describe('secrets without the command line: --FLAG-file and standard input', () => {
  let pki: TestPki;
  let receiver: Receiver;
  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
  });
  after(() => receiver.close());

  const addWebhook = (home: string, args: string[], input?: string) =>
    runCli(
      [
        'integration',
        'add',
        '--type',
        'webhook',
        '--url',
        `${receiver.url}/hook`,
        '--ca',
        pki.files.ca,
        ...args,
      ],
      home,
      {},
      input,
    );

  /** What the receiver got for `integration test`: the saved values, as they are sent. */
  async function sentBy(home: string, id: string) {
    const before = receiver.requests.length;
    const r = await runCli(['integration', 'test', id], home);
    assert.equal(r.code, 0, r.stderr);
    return receiver.requests.slice(before).find((q) => q.method === 'POST')!;
  }

  it('reads a token from a file and headers from standard input, less the trailing newline', async () => {
    const home = await tempHome();
    const tokenFile = join(home, 'token.txt');
    await writeFile(tokenFile, 'tok-from-file\n', { mode: 0o600 });
    const r = await addWebhook(
      home,
      ['--auth', 'bearer', '--token-file', tokenFile, '--header-file', '-'],
      'X-Api-Key: key-from-stdin\r\nX-Team: ops\n',
    );
    assert.equal(r.code, 0, r.stderr);
    const got = await sentBy(home, r.stdout.trim());
    assert.equal(got.headers.authorization, 'Bearer tok-from-file');
    assert.equal(got.headers['x-api-key'], 'key-from-stdin');
    assert.equal(got.headers['x-team'], 'ops');

    // Edit takes the same forms: a new token from standard input replaces the saved one.
    const edited = await runCli(
      ['integration', 'edit', r.stdout.trim(), '--token-file', '-'],
      home,
      {},
      'tok-2\n',
    );
    assert.equal(edited.code, 0, edited.stderr);
    assert.equal((await sentBy(home, r.stdout.trim())).headers.authorization, 'Bearer tok-2');
  });

  it('takes a value that begins with "-" as --flag=VALUE, and says so when it was given apart', async () => {
    const home = await tempHome();
    const apart = await addWebhook(home, ['--shared-key', DASH_KEY]);
    assert.equal(apart.code, 2);
    assert.equal(
      apart.stderr.trim(),
      'headroom: --shared-key needs a value. For one that begins with "-", write --shared-key=VALUE or use --shared-key-file. See `headroom help integration`.',
    );
    const joined = await addWebhook(home, [`--shared-key=${DASH_KEY}`]);
    assert.equal(joined.code, 0, joined.stderr);
    // Signed by the CLI as it ships (its bundle carries jose's signer): verified with that key.
    const sent = await sentBy(home, joined.stdout.trim());
    const [protectedHeader = '', , signature = ''] = String(sent.headers['x-jws-signature']).split('.');
    const verified = await flattenedVerify(
      { protected: protectedHeader, payload: new TextEncoder().encode(sent.body), signature },
      base64urlDecode(DASH_KEY),
    );
    assert.deepEqual(verified.protectedHeader, { alg: 'HS256', b64: false, crit: ['b64'] });
  });

  it('refuses an unreadable or empty file, a value given twice, and two reads of standard input', async () => {
    const home = await tempHome();
    const empty = join(home, 'empty');
    await writeFile(empty, '\n');
    const cases: [string[], RegExp][] = [
      [
        ['--auth', 'bearer', '--token-file', join(home, 'missing')],
        /--token-file .*missing: cannot read it \(ENOENT\)/,
      ],
      [
        ['--auth', 'bearer', '--token-file', empty],
        /--token-file .*empty is empty; to remove the setting, give --token ''/,
      ],
      [['--auth', 'bearer', '--token', 't', '--token-file', empty], /give --token or --token-file, not both/],
      [
        ['--auth', 'bearer', '--token-file', '-', '--shared-key-file', '-'],
        /only one --…-file option can read standard input/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await addWebhook(home, args, 'x\n');
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const list = await runCli(['integration', 'list', '--json'], home);
    assert.deepEqual(JSON.parse(list.stdout).integrations, [], 'nothing was saved');
  });
});
