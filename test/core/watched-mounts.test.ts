// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { AppImageMount, cannotMountImages, LoopDisk } from '../helpers/images.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { startWatcher } from '../helpers/watching.js';

const skip = (await cannotMount) || (await cannotMountImages);

describe('what is watched by default', { skip }, () => {
  const closeLater = closeAfterEach();

  const disk = (usedPercent: number, options?: string) => LoopDisk.filled(usedPercent, closeLater, options);

  it(
    'sends nothing for a read-only disk, an AppImage, or another job’s short-lived mount at 95 % used',
    { timeout: 40_000 },
    async () => {
      const readOnly = await disk(99, 'loop,ro');
      const app = await AppImageMount.mount();
      closeLater(() => app.dispose());
      // Every crossing at once (no confirmation): only what is watched, and the grace, keep quiet.
      const w = await startWatcher(await tempHome(), { confirmSeconds: 0 });
      closeLater(w.close);
      await w.shown('/');
      const names = w.watcher.disks().map((d) => d.mount);
      assert.ok(
        !names.includes(readOnly.dir) && !names.includes(app.dir),
        `not watched: ${names.join(', ')}`,
      );

      const shortLived = await disk(95);
      const seen = await w.shown(shortLived.dir);
      assert.ok(seen.freePercent! < 6, `sampled and shown at ${seen.freePercent} % free`);
      await w.readAt(shortLived.dir, seen.since + 1);
      await shortLived.unmount();
      await w.dropped(shortLived.dir);

      assert.deepEqual(w.sentFor(readOnly.dir, app.dir, shortLived.dir), []);
      const saved = JSON.parse(await readFile(join(w.runtime.dir, 'state.json'), 'utf8'));
      assert.equal(saved.mounts[shortLived.dir], undefined, 'gone quietly: no record left');
    },
  );

  it(
    'samples a disk mounted at 15 % free within 10 s, and warns only after the grace period',
    { timeout: 40_000 },
    async () => {
      const graceSeconds = 6;
      const w = await startWatcher(await tempHome(), { discoveryGraceSeconds: graceSeconds });
      closeLater(w.close);
      await w.shown('/');
      const low = await disk(85);
      const mountedAt = Date.now();
      const view = await w.shown(low.dir);
      assert.ok(Date.now() - mountedAt < 10_000, `shown after ${Date.now() - mountedAt} ms`);
      assert.ok(Math.abs(view.freePercent! - 15) < 1, `free ${view.freePercent}`);
      const warning = await w.transition(low.dir);
      assert.deepEqual([warning.from, warning.to], ['ok', 'warning']);
      // Confirmation alone would have announced it confirmSeconds (3 s) after it was first shown.
      assert.ok(
        warning.at - view.since >= (graceSeconds - 0.5) * 1000,
        `announced ${warning.at - view.since} ms after it was first shown`,
      );
    },
  );

  it(
    'reports a disk of /etc/fstab unreachable when it goes, across a restart too; another disk goes quietly',
    { timeout: 50_000 },
    async () => {
      const listed = await disk(50);
      // In alert, so re-read every second or so: an unmount is seen by a re-read before the table.
      const other = await disk(90);
      const home = await tempHome();
      const fstab = join(home, 'fstab');
      await writeFile(fstab, `# test\n/dev/sdz1 ${listed.dir.replaceAll(' ', '\\040')} ext4 defaults 0 2\n`);

      const first = await startWatcher(home, {}, fstab);
      closeLater(first.close);
      await first.shown(listed.dir);
      assert.equal((await first.transition(other.dir)).to, 'warning', 'mounted at start: announced');
      await listed.unmount();
      await other.unmount();
      const gone = await first.transition(listed.dir);
      assert.deepEqual([gone.from, gone.to], ['ok', 'unreachable']);
      await first.dropped(other.dir);
      assert.deepEqual(
        first.sentFor(other.dir).map((t) => t.to),
        ['warning'],
        'gone quietly, not unreachable',
      );
      assert.equal((await first.shown(listed.dir)).state, 'unreachable', 'still shown');
      await first.close();

      // Known before the restart, missing after it: still unreachable; the other is forgotten.
      await listed.mount();
      await other.mount();
      const second = await startWatcher(home, {}, fstab);
      closeLater(second.close);
      await second.shown(listed.dir);
      assert.deepEqual(
        second.sentFor(listed.dir).map((t) => t.to),
        ['ok'],
        'back: the unreachable is cleared',
      );
      await second.close();
      await listed.unmount();
      await other.unmount();
      const third = await startWatcher(home, {}, fstab);
      closeLater(third.close);
      const missing = await third.transition(listed.dir);
      assert.deepEqual([missing.from, missing.to], ['ok', 'unreachable']);
      await third.dropped(other.dir);
      assert.deepEqual(third.sentFor(other.dir), []);
      const saved = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
      assert.deepEqual(
        Object.keys(saved.mounts).filter((k) => k.includes(other.dir)),
        [],
        'its records are forgotten',
      );
    },
  );

  it(
    'shows a mount added to watchedMounts while watching within 10 s, and announces it without a grace',
    { timeout: 40_000 },
    async () => {
      const scratch = await Tmpfs.mount(16);
      closeLater(() => scratch.dispose());
      await scratch.setFreePercent(15);
      const w = await startWatcher(await tempHome(), {});
      closeLater(w.close);
      await w.shown('/');
      assert.ok(!w.watcher.disks().some((d) => d.mount === scratch.dir), 'a tmpfs is not discovered');
      const namedAt = Date.now();
      w.runtime.settings.update({ ...w.runtime.settings.get(), watchedMounts: [scratch.dir] });
      await w.shown(scratch.dir);
      assert.ok(Date.now() - namedAt < 10_000, `shown after ${Date.now() - namedAt} ms`);
      // Named: announced after the confirmation, long before the 60-second grace of a discovered disk.
      const warning = await w.transition(scratch.dir, 30_000);
      assert.deepEqual([warning.from, warning.to], ['ok', 'warning']);
    },
  );
});
