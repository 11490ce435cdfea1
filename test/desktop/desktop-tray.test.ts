import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { iconState, launch, watchOnly, type Desktop } from '../helpers/desktop.js';
import { ok, startClosed, titles, webhook } from '../helpers/desktop-app.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const skipMount = await cannotMount;
if (skipMount) console.log(`# desktop app tests on a real disk skipped: ${skipMount}`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const start = startClosed(closeAfterEach());

describe('the desktop app: tray and notifications on a real disk', { skip: skipMount }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(20)));
  after(async () => disk?.dispose());

  /**
   * The app in the tray, watching only the disk at `percent` free, after its first sample. The
   * automatic usage scan is off unless `scans`: a scan's note shown again would race the counts.
   * Every change is told at once: the tray and notifications are under test here, not the 3 s a
   * change must hold by default (confirmation; see test/core/replay.test.ts).
   */
  const startOn = async (percent: number, options: Parameters<typeof launch>[1] = {}, scans = false) => {
    const home = await tempHome();
    await disk.setFreePercent(percent);
    await watchOnly(home, disk.dir, 'confirmSeconds=0', ...(scans ? [] : ['usageScanMinutes=null']));
    const app = await start(home, { argv: ['headroom', '--hidden'], ...options });
    await app.fake.until(() => app.fake.tray.tooltip.includes(disk.dir), 'the first sample');
    return { app, home, fake: app.fake };
  };

  /** Sets the disk's free space, clicks Check now, and waits for the notification titled so. */
  const crossTo = async ({ fake }: Desktop, percent: number, title: string) => {
    await disk.setFreePercent(percent);
    fake.click('Check now');
    return fake.until(() => fake.notifications.find((n) => n.options.title === title), title);
  };

  it('follows the disk: warning, critical, all-clear in the tray and as notifications', async () => {
    const { app, fake } = await startOn(50);
    assert.equal(iconState(fake), 'ok');
    assert.match(fake.tray.tooltip, /all disks ok/);

    const warning = await crossTo(app, 15, `Disk space low: ${disk.dir}`);
    assert.equal(warning.options.urgency, 'normal');
    await fake.until(() => iconState(fake) === 'warning', 'a warning icon');
    assert.match(fake.tray.tooltip, /warning; .*: 1[45]\.\d% free/);

    const critical = await crossTo(app, 5, `Disk almost full: ${disk.dir}`);
    assert.equal(critical.options.urgency, 'critical');
    await fake.until(() => iconState(fake) === 'critical', 'a critical icon');

    await crossTo(app, 50, `All clear: ${disk.dir}`);
    await fake.until(() => iconState(fake) === 'ok', 'the ok icon again');

    fake.click('Open Headroom');
    const builds = fake.tray.menuBuilds;
    // The IPC answer comes after the sample, and so after the tray rendered it.
    ok(await fake.invoke('disks.checkNow'));
    ok(await fake.invoke('disks.checkNow'));
    assert.equal(fake.tray.menuBuilds, builds, 'an unchanged menu is not rebuilt');
    assert.equal(titles(app).length, 3, 'one notification per change, no repeats');
  });

  it('never rounds a figure across a threshold: 19.98 % free in warning is not "20.0%" or "20%"', async () => {
    const { app, fake } = await startOn(19.99);
    const free = await disk.freePercent();
    assert.ok(free > 19.95 && free < 20, `the disk is at ${free}% free, where one decimal would read 20.0`);
    await fake.until(() => iconState(fake) === 'warning', 'a warning icon');
    assert.match(fake.tray.tooltip, /warning; .*: 19\.9\d% free/);
    assert.ok(
      fake.menuLabels().includes(`${disk.dir}: < 20% free`),
      `the menu's whole percent is not "20%": ${fake.menuLabels().join(' | ')}`,
    );
    const shown = await fake.until(() => fake.notifications[0], 'the warning notification');
    assert.match(shown.options.body ?? '', /^19\.9\d% free\.$/);
    assert.deepEqual(titles(app), [`Disk space low: ${disk.dir}`]);
  });

  it('tells a predictive warning as a forecast, with an honest lead time, before any threshold', async () => {
    const home = await tempHome();
    // What a watcher saved before this start: calm at 40 % for 2 min, then filling at 0.05 % a
    // second for 4 min; the disk keeps filling on the same line while the app starts and reads it.
    const rate = 0.05;
    const t0 = Date.now();
    const level = (at: number) => Math.min(40, 28 - (rate * (at - t0)) / 1000);
    const usable = 20 * 1024 ** 2;
    const points = [];
    for (let at = t0 - 360_000; at <= t0; at += 5000)
      points.push({ at, available: Math.round((usable * level(at)) / 100), usable });
    await writeFile(join(home, 'samples.json'), JSON.stringify({ mounts: { [disk.dir]: points } }));
    await disk.setFreePercent(level(Date.now()));
    await watchOnly(home, disk.dir, 'usageScanMinutes=null', 'predictiveMinutes=30');
    let filling = true;
    const follow = (async () => {
      while (filling) {
        await disk.setFreePercent(level(Date.now()));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      const app = await start(home, { argv: ['headroom', '--hidden'] });
      const shown = await app.fake.until(() => app.fake.notifications[0], 'the predictive notification');
      const free = level(Date.now());
      assert.ok(free > 20, 'no threshold was crossed yet');
      const title = shown.options.title ?? '';
      const m = new RegExp(`^${disk.dir} will be critical in (?:about )?(\\d+)(?:–(\\d+))? min$`).exec(title);
      assert.ok(m, `a forecast, not "Disk space low": ${title}`);
      // The truth at this rate, against the range it claims (its uncertainty), a minute of slack.
      const truth = (free - 10) / rate / 60;
      const [lo, hi] = [Number(m[1]), Number(m[2] ?? m[1])];
      assert.ok(lo - 1 <= truth && truth <= hi + 1, `claimed ${lo}–${hi} min, truly ${truth.toFixed(1)} min`);
      assert.match(
        shown.options.body ?? '',
        /^A forecast at the current rate: 2\d\.\d+% free, filling at \d.* No threshold is crossed yet\.$/,
      );
      assert.equal(shown.options.urgency, 'normal');
      await app.fake.until(() => iconState(app.fake) === 'warning', 'the warning icon');
    } finally {
      filling = false;
      await follow;
    }
  });

  it('holds notifications while paused or snoozed, and the tray says so', async () => {
    const { app, fake } = await startOn(50);

    fake.click('Pause alerts until resumed');
    await fake.until(() => iconState(fake) === 'paused', 'the paused icon');
    assert.match(fake.tray.tooltip, /alerts paused/);
    assert.ok(fake.menuLabels().includes('Resume alerts'));
    await disk.setFreePercent(15);
    fake.click('Check now');
    await fake.until(() => iconState(fake) === 'warning', 'the warning to outrank the pause');
    fake.click('Resume alerts');
    assert.ok(fake.menuLabels().includes('Pause alerts until resumed'));

    fake.click('For 1 hour');
    await fake.until(() => /alerts paused until/.test(fake.tray.tooltip), 'the snooze in the tooltip');
    await disk.setFreePercent(5);
    fake.click('Check now');
    await fake.until(() => iconState(fake) === 'critical', 'the critical icon');
    assert.deepEqual(titles(app), [], 'nothing shown while paused or snoozed');
  });

  it('opens the disk from a notification, even after garbage collection, and trusts that window', async () => {
    const { fake } = await startOn(15);
    const shown = await fake.until(() => fake.notifications[0], 'the warning notification');
    assert.equal(fake.windows.length, 0);
    // A WeakRef holds its target until the current job ends: collect in a later one.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const notification = shown.ref.deref();
    assert.ok(notification, 'the app keeps its notification alive until it is clicked or closed');
    notification.emit('click');
    const window = fake.windows[0]!;
    assert.equal(window.loaded?.options?.hash, `disks?mount=${encodeURIComponent(disk.dir)}`);
    const info = await fake.invoke(
      'app.info',
      {},
      { sender: window.webContents, senderFrame: window.webContents.mainFrame },
    );
    ok(info);
  });

  it('attaches what grew since the last scan to the warning, once the scan is done', async () => {
    const { app, home, fake } = await startOn(50, {}, true);
    const downloads = join(disk.dir, 'Downloads');
    await mkdir(downloads);
    try {
      const baseline = await runCli(['usage', disk.dir], home);
      assert.equal(baseline.code, 0, baseline.stderr);
      await writeFile(join(downloads, 'big.iso'), Buffer.alloc(7 * 1024 * 1024, 1));
      const title = `Disk space low: ${disk.dir}`;
      fake.click('Check now');
      const first = await fake.until(() => fake.notifications.find((n) => n.options.title === title), title);
      assert.doesNotMatch(
        first.options.body ?? '',
        /Grew/,
        'the warning went out without waiting for the scan',
      );
      const full = await fake.until(
        () => fake.notifications.find((n) => /Grew most since/.test(n.options.body ?? '')),
        'the warning again, with what grew',
      );
      assert.equal(full.options.title, title);
      assert.equal(full.options.urgency, 'normal');
      const where = downloads.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(
        full.options.body!,
        new RegExp(
          `^1[45]\\.\\d% free\\.\\nGrew most since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\S+: ${where} \\+7\\.00 MiB$`,
        ),
      );
      assert.deepEqual(titles(app), [title, title], 'the same alert, shown again in place of the first');
      assert.deepEqual(
        fake.log.filter((l) => l.surface === 'notification').map((l) => l.call),
        ['show', 'close', 'show'],
        'the first one closed as the second came',
      );

      // One click later, in the window: the disk's tree and what grew; a disk not watched refused.
      full.ref.deref()!.emit('click');
      const window = fake.windows[0]!;
      assert.equal(window.loaded?.options?.hash, `disks?mount=${encodeURIComponent(disk.dir)}`);
      const from = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
      const view = ok<{
        tree: { children?: { name: string }[] };
        note: { since: number | null; lines: string[] };
      }>(await fake.invoke('usage.scan', { mount: disk.dir }, from));
      assert.ok(view.tree.children?.some((c) => c.name === 'Downloads'));
      assert.ok(view.note.since !== null, 'compared with the scan the warning made');
      assert.deepEqual(view.note.lines, [], 'nothing grew since that one');
      const refused = (await fake.invoke('usage.scan', { mount: '/not-watched' }, from)) as {
        ok: false;
        error: { code: string };
      };
      assert.equal(refused.error.code, 'notFound');
      fake.click(`What’s using space on ${disk.dir}`);
      assert.equal(fake.windows.length, 1, 'the tray item brings the same window to that disk');
    } finally {
      await rm(downloads, { recursive: true, force: true });
    }
  });

  it('honours settings changed with the CLI while it runs', async () => {
    const { app, home, fake } = await startOn(50);
    assert.equal(
      (await runCli(['settings', 'set', 'warningPercent=60', 'criticalPercent=30'], home)).code,
      0,
    );
    await crossTo(app, 50, `Disk space low: ${disk.dir}`);
    assert.equal((await runCli(['settings', 'set', 'nativeNotifications=false'], home)).code, 0);
    await disk.setFreePercent(20);
    fake.click('Check now');
    await fake.until(() => iconState(fake) === 'critical', 'critical');
    assert.equal(titles(app).length, 1, 'notifications switched off from the CLI');
  });

  it('shows nothing where the OS has no notifications, and keeps working', async () => {
    const { app, fake } = await startOn(15, { notificationsSupported: false });
    await fake.until(() => iconState(fake) === 'warning', 'the warning icon');
    assert.deepEqual(titles(app), []);
  });

  it('quits without losing the state or the pending delivery of a change it just saw', async () => {
    const home = await tempHome();
    await disk.setFreePercent(50);
    await watchOnly(home, disk.dir);
    const first = await start(home);
    ok(await first.fake.invoke('integrations.save', webhook('Unreachable hook')));
    await first.fake.until(() => first.fake.tray.tooltip.includes(disk.dir), 'the first sample');
    await disk.setFreePercent(15);
    first.fake.click('Check now');
    await first.fake.until(() => first.fake.notifications[0], 'the warning');
    first.fake.click('Quit Headroom');
    assert.equal(await first.fake.exited, 0);
    assert.ok(first.fake.tray.destroyed);
    assert.ok(!existsSync(join(home, 'watcher.lock')), 'the lock is released');
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    assert.equal(state.mounts[disk.dir].state, 'warning');
    const history = await runCli(['history', '--json'], home);
    assert.match(history.stdout, /Unreachable hook/, 'the delivery is recorded, still owed');

    const second = await start(home, { argv: ['headroom', '--hidden'] });
    await second.fake.until(() => iconState(second.fake) === 'warning', 'the warning, remembered');
    second.fake.click('Check now');
    await second.fake.until(() => second.fake.tray.tooltip.includes('warning'), 'a second sample');
    assert.deepEqual(titles(second), [], 'a restart does not announce the warning again');
  });
});
