import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';

const cleanup = closeAfterEach();

/**
 * Runs the CLI and waits for it to end on its own; one still reading after `ms` (an endless
 * device, before the limit) is stopped and fails the test instead of filling the machine's memory.
 */
async function ends(args: string[], home: string, env: NodeJS.ProcessEnv = {}, ms = 20_000) {
  const cli = new CliProcess(args, home, env);
  cleanup(async () => void (await cli.stop('SIGKILL')));
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    cli.exited,
    new Promise<'running'>((resolve) => (timer = setTimeout(() => resolve('running'), ms))),
  ]);
  clearTimeout(timer);
  assert.notEqual(code, 'running', `${args.join(' ')} was still reading after ${ms / 1000} s`);
  return { code, stderr: cli.stderrLines.join('\n') };
}

const webhook = (...more: string[]) => [
  'integration',
  'add',
  '--type',
  'webhook',
  '--url',
  'https://127.0.0.1:1/hook',
  '--no-check',
  ...more,
];

describe('every --…-file is read with one limit: a file or a pipe, at most 1 MB', () => {
  it(
    'refuses a device at once, for an integration, a setting and a policy secret',
    { timeout: 90_000 },
    async () => {
      const home = await tempHome();
      const token = await ends(webhook('--auth', 'bearer', '--token-file', '/dev/zero'), home);
      assert.equal(token.code, 2);
      assert.match(token.stderr, /^headroom: --token-file \/dev\/zero is a device, not a file\./m);

      const heartbeat = await ends(['settings', 'set', '--heartbeat-url-file', '/dev/zero'], home);
      assert.equal(heartbeat.code, 2);
      assert.match(heartbeat.stderr, /--heartbeat-url-file \/dev\/zero is a device, not a file\./);

      const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
      await writeFile(
        join(dir, 'policy.json'),
        JSON.stringify({ settings: { heartbeatUrl: { file: '/dev/zero' } } }),
      );
      const policy = await ends(['settings'], home, { HEADROOM_POLICY: join(dir, 'policy.json') });
      assert.equal(policy.code, 0, policy.stderr);
      assert.match(policy.stderr, /settings\.heartbeatUrl: \/dev\/zero is a device, not a file; ignored/);
    },
  );

  it('refuses a 2 MB token, and one too long for any receiver’s header', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    const huge = join(home, 'huge-token');
    await writeFile(huge, `${'a'.repeat(2 * 1024 * 1024)}\n`, { mode: 0o600 });
    const r = await runCli(webhook('--auth', 'bearer', '--token-file', huge), home);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--token-file .*huge-token is larger than 1 MB/);

    const long = join(home, 'long-token');
    await writeFile(long, `${'b'.repeat(10_000)}\n`, { mode: 0o600 });
    const header = await runCli(webhook('--auth', 'bearer', '--token-file', long), home);
    assert.equal(header.code, 2, header.stderr);
    assert.match(
      header.stderr,
      /--token: is too long for an HTTP header \(10000 characters; receivers refuse one over 8192\)/,
    );
    const list = JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout);
    assert.equal(list.integrations.length, 0, 'nothing was saved');
  });

  it('warns when a secret file can be read by others, and saves', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    const open = join(home, 'open-token');
    await writeFile(open, 'tok-readable-by-all\n', { mode: 0o644 });
    const shared = await runCli(webhook('--auth', 'bearer', '--token-file', open), home);
    assert.equal(shared.code, 0, shared.stderr);
    assert.match(
      shared.stderr,
      /headroom: --token-file .*open-token can be read by other users \(mode 644\); it holds a secret: chmod 600 it\./,
    );
    const closed = join(home, 'closed-token');
    await writeFile(closed, 'tok-mine-alone\n', { mode: 0o600 });
    const mine = await runCli(webhook('--auth', 'bearer', '--token-file', closed), home);
    assert.equal(mine.code, 0, mine.stderr);
    assert.doesNotMatch(mine.stderr, /can be read by other users/);
  });
});
