// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { AppImageMount, cannotMountImages, LoopDisk } from '../helpers/images.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { startWatcher } from '../helpers/watching.js';

const skip = (await cannotMount) || (await cannotMountImages);

describe('read-only mounts: nothing to fill, nothing to say', { skip }, () => {
  const closeLater = closeAfterEach();

  const disk = (usedPercent: number, options?: string) => LoopDisk.filled(usedPercent, closeLater, options);

  it(
    'check lists a read-only ext4 and an AppImage as read-only, not watched; named, they say read-only',
    { timeout: 30_000 },
    async () => {
      const readOnly = await disk(99, 'loop,ro');
      const app = await AppImageMount.mount();
      closeLater(() => app.dispose());
      const home = await tempHome();

      const table = await runCli(['check'], home);
      for (const dir of [readOnly.dir, app.dir]) {
        const row = table.stdout.split('\n').find((line) => line.startsWith(`${dir} `));
        assert.match(row ?? '', /read-only, not watched/, table.stdout);
      }
      const json = JSON.parse((await runCli(['check', '--json'], home)).stdout) as { mount: string }[];
      assert.deepEqual(
        json.filter((m) => [readOnly.dir, app.dir].includes(m.mount)),
        [],
        'the JSON lists watched mounts only',
      );

      const named = await runCli(['check', '--mount', readOnly.dir, '--mount', app.dir], home);
      assert.equal(named.code, 0, `a full read-only disk is no alert: ${named.stdout}`);
      for (const dir of [readOnly.dir, app.dir])
        assert.match(named.stdout, new RegExp(`^${dir} .* read-only `, 'm'));
    },
  );

  it(
    'watches a read-only mount the user names, as read-only: no level, no alert',
    { timeout: 30_000 },
    async () => {
      const app = await AppImageMount.mount();
      closeLater(() => app.dispose());
      const named = await disk(95);
      const w = await startWatcher(await tempHome(), {
        watchedMounts: [app.dir, named.dir],
        confirmSeconds: 0,
      });
      closeLater(w.close);
      const view = await w.shown(app.dir);
      assert.equal(view.freePercent, 0, 'an AppImage has no space available');
      assert.deepEqual([view.state, view.readOnly], ['ok', true]);
      assert.deepEqual(w.sentFor(app.dir), []);
      // A named disk in alert that is remounted read-only can fill no more: its alert is cleared.
      assert.equal((await w.transition(named.dir)).to, 'critical');
      await named.remountReadOnly();
      await w.shown(named.dir, 15_000);
      const cleared = await w.views(
        (d) => d.find((v) => v.mount === named.dir && v.readOnly),
        'read-only',
        15_000,
      );
      assert.equal(cleared.state, 'ok');
      assert.deepEqual(
        w.sentFor(named.dir).map((t) => `${t.from} → ${t.to}`),
        ['ok → critical', 'critical → ok'],
      );
    },
  );
});
