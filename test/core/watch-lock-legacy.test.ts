import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';

/** A watcher lock as versions before the start time wrote it: a pid and nothing to check it by. */
const oldLock = (home: string, pid: number) =>
  writeFile(join(home, 'watcher.lock'), JSON.stringify({ pid, by: 'cli', since: Date.now() - 60_000 }));

describe(
  'a watcher lock of the old format (no process start time)',
  {
    skip: process.platform !== 'linux' && 'command lines are read from /proc',
  },
  () => {
    const cleanup = closeAfterEach();

    it('whose pid is alive but not Headroom is taken over', { timeout: 60_000 }, async () => {
      // After a reboot the dead watcher's pid went to an unrelated program.
      const other = spawn('sleep', ['600']);
      cleanup(async () => void other.kill());
      await new Promise((resolve) => other.once('spawn', resolve));
      const home = await tempHome();
      await oldLock(home, other.pid!);

      const watch = new CliProcess(['watch', '--interval', '3600', '--mount', '/'], home);
      cleanup(async () => void (await watch.stop()));
      await watch.waitForStderr(/watching/);
      const lock = JSON.parse(await readFile(join(home, 'watcher.lock'), 'utf8'));
      assert.equal(lock.pid, watch.child.pid, 'the lock is the new watcher’s now');
    });

    it(
      'whose pid is a running Headroom watcher still keeps a second one out',
      { timeout: 60_000 },
      async () => {
        const home = await tempHome();
        const first = new CliProcess(['watch', '--interval', '3600', '--mount', '/'], home);
        cleanup(async () => void (await first.stop()));
        await first.waitForStderr(/watching/);
        // The same live watcher, as an older version recorded it.
        await oldLock(home, first.child.pid!);

        const second = await runCli(['watch', '--interval', '3600', '--mount', '/'], home);
        assert.equal(second.code, 1, second.stderr);
        assert.match(
          second.stderr,
          new RegExp(`already watched by \`headroom watch\` \\(pid ${first.child.pid}`),
        );
      },
    );
  },
);
