// test:alone: it mounts ext4 images, disks every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { BIN, tempHome } from '../helpers/cli.js';
import { LoopDisk } from '../helpers/images.js';
import { cannotMount } from '../helpers/tmpfs.js';

const run = promisify(execFile);

/**
 * `headroom check --json` in a mount namespace of its own where `views` are read-only binds of
 * their filesystems: what systemd's ProtectSystem=strict and ProtectHome=read-only do to every
 * mount of a service (the service unit of docs/service.md uses both).
 */
async function checkThroughReadOnlyViews(views: string[], home: string): Promise<{ mount: string }[]> {
  const script =
    'for m in "$@"; do mount -o remount,bind,ro "$m" || exit 9; done; exec "$NODE" "$BIN" check --json';
  const { stdout } = await run(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', ...views],
    {
      env: { ...process.env, HEADROOM_HOME: home, NODE: process.execPath, BIN },
      // Other disks of the machine may be in alert: check's exit code is theirs (Nagios), not ours.
    },
  ).catch((error: { code: number; stdout: string; stderr: string }) => {
    assert.ok([1, 2].includes(error.code), `check through read-only views failed: ${error.stderr}`);
    return error;
  });
  return JSON.parse(stdout) as { mount: string }[];
}

describe('a read-only view of a disk that fills (a sandboxed service)', { skip: await cannotMount }, () => {
  const closeLater = closeAfterEach();

  it('is watched; a filesystem mounted read-only is still not', { timeout: 30_000 }, async () => {
    const view = await LoopDisk.filled(50, closeLater);
    const readOnly = await LoopDisk.filled(50, closeLater, 'loop,ro');
    const home = await tempHome();
    closeLater(() => rm(home, { recursive: true, force: true }));

    const seen = (await checkThroughReadOnlyViews([view.dir, readOnly.dir], home)).map((m) => m.mount);
    assert.ok(seen.includes(view.dir), `a read-only view of a writable disk is watched: ${seen.join(', ')}`);
    assert.ok(!seen.includes(readOnly.dir), 'a filesystem mounted read-only cannot fill: not watched');
  });
});
