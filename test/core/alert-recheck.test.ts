import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, name));
    files[name] = `${s.size}:${s.mtimeMs}`;
  }
  return files;
}

describe('re-reading a disk in alert', { skip: await cannotMount }, () => {
  /** A watcher holding a 16 MB tmpfs in critical (5 % free), on a clock the test moves. */
  async function heldInCritical() {
    const disk = await Tmpfs.mount(16);
    let clock = Date.now();
    const runtime = openRuntime(await tempHome(), { now: () => clock });
    const close = async () => {
      await runtime.close();
      await disk.dispose();
    };
    try {
      // In alert from the first reading: confirmation (tested in test/shared/hysteresis.test.ts) off.
      runtime.settings.update({ ...runtime.settings.get(), confirmSeconds: 0 });
      await disk.setFreePercent(5);
      const mount = { mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' };
      const watcher = new Watcher(runtime, { only: [mount], now: () => clock });
      await watcher.checkNow();
      assert.equal(watcher.disks()[0]!.state, 'critical');
      /** Re-reads the disk `ms` later, as fast detection does. */
      const reread = (ms = 500) => {
        clock += ms;
        return watcher.monitor.readMounts([mount]);
      };
      return { disk, runtime, watcher, reread, close };
    } catch (error) {
      await close();
      throw error;
    }
  }
  const changes = (r: { transitions: { from: string; to: string }[] }) =>
    r.transitions.map((t) => `${t.from} → ${t.to}`);

  it('costs no file write, no view update and no forecast point while nothing changed; a change is told at once', async () => {
    const { disk, runtime, watcher, reread, close } = await heldInCritical();
    try {
      const files = snapshot(runtime.dir);
      let told = 0;
      watcher.events.on('disks', () => told++);

      // Re-read as often as a disk in alert is, for a little under 5 s.
      for (let i = 0; i < 9; i++) await reread();
      assert.equal(told, 0, 'no view was told of readings that changed nothing');
      assert.deepEqual(snapshot(runtime.dir), files, 'no data file was written');

      // Past 5 s an unchanged reading still adds a forecast point (and tells the views): a stable
      // disk is seen to be stable.
      await reread(1000);
      assert.equal(told, 1);

      await rm(disk.ballast);
      assert.deepEqual(changes(await reread()), ['critical → ok']);
      assert.equal(told, 2, 'the freed space is shown at once');
    } finally {
      await close();
    }
  });

  it('acts on a threshold changed while a disk is held in critical at its next re-read, its figures unchanged', async () => {
    const { runtime, reread, close } = await heldInCritical();
    try {
      // Held: re-reads that find the same figures skip the state machine from here on.
      for (let i = 0; i < 3; i++) assert.deepEqual(changes(await reread()), []);
      // Critical now below 2 % (so 4 % clears it): the same figures mean warning, and the next
      // re-read says so.
      runtime.settings.update({ criticalPercent: 2 });
      assert.deepEqual(changes(await reread()), ['critical → warning']);
    } finally {
      await close();
    }
  });

  it('calls a disk in alert that is unmounted unreachable at the next re-read, even over a filesystem of the same size', async () => {
    // Beneath the disk, an empty tmpfs of the very same size: statfs of the mount point then
    // reads a filesystem of the same type, block size and totals, with plenty free.
    const beneath = await Tmpfs.mount(16);
    const mountPoint = join(beneath.dir, 'disk');
    await mkdir(mountPoint);
    const disk = await Tmpfs.mountAt(mountPoint, 16);
    let clock = Date.now();
    const runtime = openRuntime(await tempHome(), { now: () => clock });
    runtime.settings.update({ ...runtime.settings.get(), confirmSeconds: 0 });
    try {
      await disk.setFreePercent(5);
      const [above, below] = await Promise.all([statfs(mountPoint), statfs(beneath.dir)]);
      assert.deepEqual([above.type, above.blocks, above.files], [below.type, below.blocks, below.files]);
      const mount = { mount: mountPoint, fs: 'tmpfs', type: 'tmpfs' };
      const watcher = new Watcher(runtime, { only: [mount], now: () => clock });
      await watcher.checkNow();
      for (let i = 0; i < 3; i++) {
        clock += 500;
        await watcher.monitor.readMounts([mount]);
      }
      assert.equal(watcher.disks()[0]!.state, 'critical');

      await disk.unmount();
      clock += 500;
      const { transitions } = await watcher.monitor.readMounts([mount]);
      assert.deepEqual(
        transitions.map((t) => `${t.from} → ${t.to}${t.reading.ok ? '' : ` (${t.reading.reason})`}`),
        ['critical → unreachable (not mounted)'],
      );
      assertReported('Disk in alert unmounted over a same-sized filesystem', 1);
    } finally {
      await runtime.close();
      await disk.dispose();
      await beneath.dispose();
    }
  });
});
