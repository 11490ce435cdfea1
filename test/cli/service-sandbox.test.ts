// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { LoopDisk } from '../helpers/images.js';
import { asServiceUser, cannotTryService, installSystemUnit } from '../helpers/service.js';
import { cannotMount } from '../helpers/tmpfs.js';

const run = promisify(execFile);

/**
 * The system unit's command, run as systemd would run it (its user, its capability, no new
 * privileges), since no systemd runs here: what it sees of the disks, and where the web UI's
 * address goes.
 */
describe(
  'the system service, run as its unit says',
  { skip: cannotTryService || (await cannotMount) },
  () => {
    const closeLater = closeAfterEach();

    it(
      "sees a disk inside a root-only folder through a read-only view, with the unit's capability only",
      { timeout: 45_000 },
      async () => {
        const install = await installSystemUnit(closeLater);
        // LoopDisk mounts inside a 0700 folder of root's; ProtectSystem=strict makes every mount a
        // read-only view, done here with unshare and a read-only bind.
        const disk = await LoopDisk.filled(50, closeLater);
        const watched = async (withCaps: boolean) => {
          const command = await asServiceUser(install, ['check', '--json'], withCaps);
          const script = 'mount -o remount,bind,ro "$1" && shift && exec "$@"';
          const r = await run(
            'unshare',
            ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', disk.dir, ...command],
            {
              env: { ...process.env, HEADROOM_HOME: install.data },
              // Other disks of the machine may be in alert: check's exit code is theirs (Nagios).
            },
          ).catch((e: { stdout: string; stderr: string }) => e);
          assert.ok(r.stdout.startsWith('['), `check --json as the service: ${r.stderr}`);
          return (JSON.parse(r.stdout) as { mount: string }[]).map((m) => m.mount);
        };
        assert.ok((await watched(true)).includes(disk.dir), "with the unit's capability the disk is watched");
        assert.ok(!(await watched(false)).includes(disk.dir), 'without it the disk is out of reach');
      },
    );

    it(
      'saves the web UI address to ui-url in /var/lib/headroom, its own, and removes it at stop',
      { timeout: 45_000 },
      async () => {
        const install = await installSystemUnit(closeLater, ['--ui', '127.0.0.1:0', '--interval', '60']);
        const [file, ...args] = await asServiceUser(install);
        const child = spawn(file!, args, { env: { ...process.env, HEADROOM_HOME: install.data } });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        closeLater(async () => {
          child.kill('SIGKILL');
          await exited;
        });
        const said: string[] = [];
        const saved = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stderr }).on('line', (line) => {
            said.push(line);
            const m = /open the address saved in (\S+ui-url)/.exec(line);
            if (m) resolve(m[1]!);
          });
          void exited.then(() =>
            reject(new Error(`watch ended before saying where the UI is:\n${said.join('\n')}`)),
          );
        });

        const urlFile = join(install.data, 'ui-url');
        assert.equal(saved, urlFile, 'the address goes to ui-url in the data directory');
        assert.ok(!said.some((l) => l.includes('#token=')), 'the token stays out of the journal');
        const url = (await readFile(urlFile, 'utf8')).trim();
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#token=/);
        const owner = (await run('id', ['-u', install.user])).stdout.trim();
        const info = await stat(urlFile);
        assert.deepEqual([info.uid, info.mode & 0o777], [Number(owner), 0o600]);
        assert.equal((await fetch(url)).status, 200, 'the UI answers at that address');

        child.kill('SIGTERM');
        await exited;
        assert.ok(!existsSync(urlFile), 'the address dies with the process, and so does the file');
      },
    );
  },
);
