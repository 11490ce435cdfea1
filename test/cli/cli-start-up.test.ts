// bin/headroom.js answers --version and the overview without loading the bundle, and loads the
// bundle with V8's code cache on Node 20: what a user sees must be what the bundle itself says.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { BIN, tempHome, type CliResult } from '../helpers/cli.js';
import { repoPath } from '../helpers/root.js';

const BUNDLE = repoPath('dist/cli/headroom.cjs');

/** `node script ...args` with its own data directory: exit code and both outputs. */
function run(script: string, args: string[], home: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, HEADROOM_HOME: home, ...env },
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
  const cleanup = closeAfterEach();
  /** A data directory of the test's own, removed after it. */
  async function home(): Promise<string> {
    const dir = await tempHome();
    cleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it(
    '--version, -V, the overview (--help, -h, help) and no command at all',
    { timeout: 60_000 },
    async () => {
      const dir = await home();
      for (const args of [['--version'], ['-V'], ['--help'], ['-h'], ['help'], [], ['--version', '--utc']]) {
        const [fast, bundle] = await Promise.all([run(BIN, args, dir), run(BUNDLE, args, dir)]);
        assert.deepEqual(fast, bundle, `headroom ${args.join(' ')}`);
      }
      const overview = await run(BIN, [], dir);
      assert.equal(overview.code, 2, 'no command is a usage error');
      assert.match(overview.stderr, /^Usage: headroom COMMAND/m);
    },
  );

  it(
    'check and a help topic, through the code cache, say what the bundle says',
    { timeout: 60_000 },
    async () => {
      const dir = await home();
      for (const args of [
        ['check', '--format', 'json'],
        ['help', 'check'],
        ['check', '--bogus'],
      ]) {
        const fast = await run(BIN, args, dir);
        const bundle = await run(BUNDLE, args, dir);
        assert.equal(fast.code, bundle.code, `headroom ${args.join(' ')}`);
        assert.equal(fast.stderr, bundle.stderr);
        // A check's figures move between two runs (the disk is in use); its mounts do not.
        if (args[0] === 'check' && args[1] === '--format') {
          const mounts = (r: CliResult) => (JSON.parse(r.stdout) as { mount: string }[]).map((m) => m.mount);
          assert.deepEqual(mounts(fast), mounts(bundle));
        } else assert.equal(fast.stdout, bundle.stdout);
      }
    },
  );

  it(
    'with NODE_OPTIONS=--enable-source-maps, a stack trace in the minified bundle gives the sources and lines',
    { timeout: 60_000 },
    async () => {
      const dir = await home();
      // Preloaded: the stack of the bundle's first write to standard output, kept in a file.
      const probe = join(dir, 'probe.cjs');
      const stacks = join(dir, 'stack.txt');
      await writeFile(
        probe,
        `const fs = require('node:fs'); const write = fs.writeSync; let told = false;
fs.writeSync = function (fd, ...rest) {
if (fd === 1 && !told) told = true, fs.writeFileSync(${JSON.stringify(stacks)}, new Error('probe').stack);
return write.call(this, fd, ...rest);
};`,
      );
      const stackOf = async (nodeOptions: string) => {
        await rm(stacks, { force: true });
        const answer = await run(BIN, ['help', 'check'], dir, {
          NODE_OPTIONS: `--require ${probe} ${nodeOptions}`,
        });
        assert.equal(answer.code, 0, answer.stderr);
        assert.match(answer.stdout, /^Usage: headroom check/m);
        return readFile(stacks, 'utf8');
      };
      // As shipped: the bundle's own positions, its local names minified.
      assert.match(await stackOf(''), /dist\/cli\/headroom\.cjs:\d+:\d+/);
      // With the source map: the sources' files and lines.
      const mapped = await stackOf('--enable-source-maps');
      assert.match(mapped, /\/cli\/output\.ts:\d+:\d+/, mapped);
      assert.match(mapped, /\/cli\/main\.ts:\d+:\d+/, mapped);
      assert.doesNotMatch(mapped, /headroom\.cjs/, mapped);
    },
  );
});
