import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import type { Settings } from '../../shared/settings.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { AppImageMount, cannotMountImages, LoopDisk } from '../helpers/images.js';
import { cannotMount } from '../helpers/tmpfs.js';

const skip = (await cannotMount) || (await cannotMountImages);

/**
 * A watcher as `headroom watch` runs one — discovering the machine's disks, reading the mount
 * table every few seconds — with every transition it hands to the integrations recorded. Other
 * jobs on this machine mount disks too, so tests look only at their own mounts.
 */
async function startWatcher(home: string, settings: Partial<Settings>, fstab?: string) {
  const runtime: Runtime = openRuntime(home);
  runtime.settings.update({ ...runtime.settings.get(), ...settings });
  const watcher = new Watcher(runtime, { fstab });
  const sent: Transition[] = [];
  watcher.monitor.onTransition((t) => void sent.push(t));
  const stop = new AbortController();
  const running = watcher.run(stop.signal);
  const close = async () => {
    stop.abort();
    await running;
    await runtime.close();
  };
  /** Resolves when the views (tray, window, web UI) show what `ready` looks for. */
  const views = <T>(ready: (disks: DiskView[]) => T | undefined, what: string, ms: number) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = ready(watcher.disks());
        if (found === undefined) return;
        clearTimeout(timer);
        watcher.events.off('disks', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        watcher.events.off('disks', check);
        reject(new Error(`views did not show ${what} within ${ms} ms: ${JSON.stringify(watcher.disks())}`));
      }, ms);
      watcher.events.on('disks', check);
      check();
    });
  const shown = (mount: string, ms = 15_000) =>
    views((d) => d.find((v) => v.mount === mount), `${mount}`, ms);
  const dropped = (mount: string, ms = 15_000) =>
    views((d) => (d.some((v) => v.mount === mount) ? undefined : true), `${mount} gone`, ms);
  /** Resolves at the first sample of `mount` taken at or after `at` (fast re-reads included). */
  const readAt = (mount: string, at: number, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${mount} was not read after ${at}`)), ms);
      watcher.monitor.onTick(({ readings }) => {
        if (readings.some((r) => r.ok && r.sample.mount === mount && r.sample.at >= at)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  const sentFor = (...mounts: string[]) => sent.filter((t) => mounts.includes(t.mount));
  const transition = (mount: string, ms = 30_000) =>
    new Promise<Transition>((resolve, reject) => {
      const already = sentFor(mount)[0];
      if (already) return resolve(already);
      const timer = setTimeout(() => reject(new Error(`no transition of ${mount}`)), ms);
      watcher.monitor.onTransition((t) => {
        if (t.mount !== mount) return;
        clearTimeout(timer);
        resolve(t);
      });
    });
  return { runtime, watcher, close, views, shown, dropped, readAt, sentFor, transition };
}

describe('what is watched by default', { skip }, () => {
  const closeLater = closeAfterEach();

  /** A loop disk filled to `usedPercent`, then mounted afresh (or read-only) at its mount point. */
  async function disk(usedPercent: number, options = 'loop') {
    const d = await LoopDisk.create(32);
    closeLater(() => d.dispose());
    await d.mount();
    await d.fillTo(usedPercent);
    await d.unmount();
    await d.mount(options);
    return d;
  }

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
