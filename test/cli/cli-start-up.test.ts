// bin/headroom.js answers --version and the overview without loading the bundle, and loads the
// bundle with V8's code cache on Node 20: what a user sees must be what the bundle itself says.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { describe, it } from '../helpers/node-test.js';
import { BIN, tempHome, type CliResult } from '../helpers/cli.js';
import { repoPath } from '../helpers/root.js';

const BUNDLE = repoPath('dist/cli/headroom.cjs');

/** `node script ...args` with its own data directory: exit code and both outputs. */
function run(script: string, args: string[], home: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, HEADROOM_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject).once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('headroom answers as its bundle does, however it gets there', () => {
  it(
    '--version, -V, the overview (--help, -h, help) and no command at all',
    { timeout: 60_000 },
    async () => {
      const home = await tempHome();
      try {
        for (const args of [
          ['--version'],
          ['-V'],
          ['--help'],
          ['-h'],
          ['help'],
          [],
          ['--version', '--utc'],
        ]) {
          const [fast, bundle] = await Promise.all([run(BIN, args, home), run(BUNDLE, args, home)]);
          assert.deepEqual(fast, bundle, `headroom ${args.join(' ')}`);
        }
        const overview = await run(BIN, [], home);
        assert.equal(overview.code, 2, 'no command is a usage error');
        assert.match(overview.stderr, /^Usage: headroom COMMAND/m);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    },
  );

  it(
    'check and a help topic, through the code cache, say what the bundle says',
    { timeout: 60_000 },
    async () => {
      const home = await tempHome();
      try {
        for (const args of [
          ['check', '--format', 'json'],
          ['help', 'check'],
          ['check', '--bogus'],
        ]) {
          const fast = await run(BIN, args, home);
          const bundle = await run(BUNDLE, args, home);
          assert.equal(fast.code, bundle.code, `headroom ${args.join(' ')}`);
          assert.equal(fast.stderr, bundle.stderr);
          // A check's figures move between two runs (the disk is in use); its mounts do not.
          if (args[0] === 'check' && args[1] === '--format') {
            const mounts = (r: CliResult) =>
              (JSON.parse(r.stdout) as { mount: string }[]).map((m) => m.mount);
            assert.deepEqual(mounts(fast), mounts(bundle));
          } else assert.equal(fast.stdout, bundle.stdout);
        }
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    },
  );
});
