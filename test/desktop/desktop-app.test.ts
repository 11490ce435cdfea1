import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from '../helpers/node-test.js';
import { processStart } from '../../core/fs/process-identity.js';
import { snoozeEnd } from '../../shared/quiet.js';
import { APP_ID } from '../../electron/main/app.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { iconState, launch, RENDERER, watchOnly, type Desktop } from '../helpers/desktop.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const skipMount = await cannotMount;
if (skipMount) console.log(`# desktop app tests on a real disk skipped: ${skipMount}`);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const webhook = (name: string, token = 'tok-desktop-SECRET') => ({
  type: 'webhook',
  name,
  enabled: true,
  mounts: [],
  severity: 'all',
  config: { url: 'https://127.0.0.1:1/hook', auth: 'bearer', token },
});

type Ok<T> = { ok: true; value: T };
const ok = <T>(result: unknown): T => {
  assert.equal((result as { ok: boolean }).ok, true, JSON.stringify(result));
  return (result as Ok<T>).value;
};
const titles = (app: Desktop) => app.fake.notifications.map((n) => n.options.title ?? '');

const cleanup = closeAfterEach();
/** Starts the app and quits it after the test, even a failing one. */
async function start(home: string, options: Parameters<typeof launch>[1] = {}): Promise<Desktop> {
  const app = await launch(home, options);
  if (app.started) cleanup(async () => void (await app.quit()));
  return app;
}

describe('the desktop app: its data files', () => {
  it('keeps settings, integrations, snoozes and state each in its own file, and all of it across a restart', async () => {
    const home = await tempHome();
    const first = await start(home);
    ok(await first.fake.invoke('settings.update', { settings: { warningPercent: 25 } }));
    const saved = ok<{ ok: boolean; integration: { id: string } }>(
      await first.fake.invoke('integrations.save', webhook('Ops hook')),
    );
    assert.equal(saved.ok, true, JSON.stringify(saved));
    ok(await first.fake.invoke('alerts.snooze', { mount: '/', for: '8h' }));
    ok(await first.fake.invoke('disks.checkNow'));
    assert.equal(await first.quit(), 0);

    const files = (await readdir(home)).filter((f) => f.endsWith('.json')).sort();
    for (const f of ['integrations.json', 'pause.json', 'settings.json', 'state.json', 'samples.json'])
      assert.ok(files.includes(f), `${f} is written (have ${files.join(', ')})`);
    assert.ok(!files.includes('config.json'), 'no store falls back to electron-store\'s "config.json"');
    assert.ok(!files.some((f) => f.includes('corrupt')), 'nothing was moved aside');
    for (const f of files) assert.equal((await stat(join(home, f))).mode & 0o777, 0o600, `${f} is 0600`);
    assert.deepEqual(titles(first), [], 'no "could not read a file" notifications');
    const onDisk = await readFile(join(home, 'integrations.json'), 'utf8');
    assert.doesNotMatch(onDisk, /tok-desktop-SECRET/);
    assert.match(onDisk, /"token": "safeStorage:/);

    const second = await start(home, { argv: ['headroom', '--hidden'] });
    const opened = second.fake.windows.length;
    assert.equal(opened, 0, '--hidden starts in the tray only');
    second.fake.click('Open Headroom');
    const list = ok<{ integrations: { name: string; config: Record<string, unknown> }[] }>(
      await second.fake.invoke('integrations.list'),
    );
    assert.deepEqual(
      list.integrations.map((i) => i.name),
      ['Ops hook'],
    );
    assert.doesNotMatch(
      JSON.stringify(list),
      /tok-desktop-SECRET/,
      'the renderer never sees the secret again',
    );
    const settings = ok<{ settings: { warningPercent: number } }>(await second.fake.invoke('settings.get'));
    assert.equal(settings.settings.warningPercent, 25);
    const disks = ok<{ mount: string; snoozedUntil: number | null }[]>(
      await second.fake.invoke('disks.list'),
    );
    assert.ok((disks.find((d) => d.mount === '/')?.snoozedUntil ?? 0) > Date.now(), 'the snooze survived');
  });

  it("seals secrets with the OS keychain, and says in the app's words when there is none", async () => {
    const home = await tempHome();
    const sealed = await start(home);
    ok(await sealed.fake.invoke('integrations.save', webhook('Sealed')));
    await sealed.quit();

    const without = await start(home, { keychain: 'none' });
    const info = ok<{ secrets: { protected: boolean; description: string } }>(
      await without.fake.invoke('app.info'),
    );
    assert.equal(info.secrets.protected, false);
    assert.match(info.secrets.description, /NOT encrypted: the OS keychain is not available/);
    const list = ok<{ problems: { name: string; message: string }[] }>(
      await without.fake.invoke('integrations.list'),
    );
    assert.equal(list.problems[0]?.name, 'Sealed');
    assert.match(list.problems[0]!.message, /OS keychain, which Headroom cannot use now/);
    assert.doesNotMatch(list.problems[0]!.message, /desktop app|headroom integration edit/, 'no CLI advice');

    ok(await without.fake.invoke('integrations.save', webhook('Plain', 'tok-plain-SECRET')));
    assert.match(
      await readFile(join(home, 'integrations.json'), 'utf8'),
      /"token": "plain:\\"tok-plain-SECRET\\""/,
    );
  });
});

describe('the desktop app: starting and quitting', () => {
  it('a second launch quits at once and leaves the running one alone', async () => {
    const home = await tempHome();
    const second = await launch(home, { singleInstance: false });
    assert.equal(second.started, false);
    assert.deepEqual(
      second.fake.log.map((l) => `${l.surface}.${l.call}`),
      ['app.requestSingleInstanceLock', 'app.quit', 'app.exit'],
    );
    assert.equal(second.fake.trays.length, 0);
  });

  it('brings its window forward when launched again, and names itself to Windows', async () => {
    const app = await start(await tempHome(), { argv: ['headroom', '--hidden'], platform: 'win32' });
    assert.equal(app.fake.app.userModelId, APP_ID);
    app.fake.app.emit('second-instance');
    assert.equal(app.fake.windows.length, 1);
    app.fake.app.emit('second-instance');
    assert.equal(app.fake.windows.length, 1, 'one window, focused again');
    assert.equal(app.fake.windows[0]!.focused, 1);
  });

  it('tells the user when `headroom watch` already watches the data directory, and quits', async () => {
    const home = await tempHome();
    const other = spawn('sleep', ['600']);
    cleanup(async () => void other.kill());
    await new Promise((resolve) => other.once('spawn', resolve));
    // A live holder as the lock records it now, with its start time (an old-format lock naming
    // a program other than Headroom is taken over: watch-lock-legacy.test.ts).
    await writeFile(
      join(home, 'watcher.lock'),
      JSON.stringify({ pid: other.pid, start: processStart(other.pid!), by: 'cli', since: Date.now() }),
    );
    const app = await launch(home);
    assert.equal(app.started, false);
    assert.equal(app.fake.errorBoxes[0]?.title, 'Headroom is already watching these disks');
    assert.match(app.fake.errorBoxes[0]!.content, /headroom watch/);
    assert.equal(await app.fake.exited, 0);
  });
});

describe('the desktop app: windows and IPC', () => {
  it('answers only its own page in its own windows, and refuses bad payloads with the field', async () => {
    const app = await start(await tempHome());
    const window = app.fake.windows[0]!;
    assert.equal(window.visible, true, 'shown once ready');
    assert.equal(window.options.webPreferences?.sandbox, true);
    assert.equal(window.options.webPreferences?.contextIsolation, true);
    ok(await app.fake.invoke('app.info'));

    const forbidden = (r: unknown) =>
      assert.equal((r as { error?: { code: string } }).error?.code, 'forbidden');
    const contents = window.webContents;
    forbidden(await app.fake.invoke('app.info', {}, { sender: contents, senderFrame: { url: RENDERER } }));
    forbidden(await app.fake.invoke('app.info', {}, { sender: contents, senderFrame: null }));
    const stranger = { ...contents, mainFrame: { url: 'https://evil.example/' } };
    forbidden(
      await app.fake.invoke('app.info', {}, { sender: stranger as never, senderFrame: stranger.mainFrame }),
    );
    const bad = (await app.fake.invoke('alerts.snooze', { mount: '/', for: 'forever' })) as {
      ok: boolean;
      error: { code: string; field: string };
    };
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'invalidInput');
    assert.equal(bad.error.field, 'for');
    const refused = ok<{ errors: { field: string }[] }>(
      await app.fake.invoke('settings.update', { settings: { warningPercent: 'lots' } }),
    );
    assert.equal(refused.errors[0]?.field, 'warningPercent');

    assert.equal(contents.navigate('https://evil.example/'), true, 'navigation away is blocked');
    assert.equal(contents.navigate(`file://${RENDERER}#history`), false, 'its own routes are not');
    assert.deepEqual(contents.windowOpenHandler!({ url: 'https://docs.example/' } as never), {
      action: 'deny',
    });
    assert.deepEqual(app.fake.opened, ['https://docs.example/'], 'https links open in the browser');

    window.close();
    forbidden(await app.fake.invoke('app.info', {}, { sender: contents, senderFrame: contents.mainFrame }));
    app.fake.click('Open Headroom');
    assert.equal(app.fake.windows.length, 2, 'a closed window is made anew');
  });
});

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

describe('the desktop app: snoozing from the tray', () => {
  it('snoozes everything for 8 hours or until tomorrow 08:00, and unsnoozes a disk snoozed on its own', async () => {
    const app = await start(await tempHome());
    const { fake } = app;
    const pausedUntil = async () =>
      ok<{ pausedUntil: number | null }>(await fake.invoke('app.info')).pausedUntil ?? 0;

    const before = Date.now();
    fake.click('For 8 hours');
    const eight = await pausedUntil();
    assert.ok(eight >= before + 8 * 3600_000 && eight <= Date.now() + 8 * 3600_000, 'eight hours from now');
    fake.click('Resume alerts');
    assert.equal(await pausedUntil(), 0);

    const clicked = Date.now();
    fake.click('Until tomorrow 08:00');
    const tomorrow = new Date(await pausedUntil());
    assert.equal(tomorrow.getHours(), 8);
    assert.equal(tomorrow.getMinutes(), 0);
    // The morning snoozeEnd means (its edges tested in test/shared/noise.test.ts), whenever
    // this runs: a click a moment before 04:00 may land either side of it.
    assert.ok(
      [snoozeEnd('tomorrow', clicked), snoozeEnd('tomorrow', Date.now())].includes(tomorrow.getTime()),
      tomorrow.toString(),
    );
    fake.click('Resume alerts');

    ok(await fake.invoke('alerts.snooze', { mount: '/', for: '1h' }));
    await fake.until(() => fake.menuLabels().includes('Unsnooze the snoozed disk'), 'the unsnooze item');
    assert.match(fake.tray.tooltip, /1 disk snoozed/);
    fake.click('Unsnooze the snoozed disk');
    assert.ok(!fake.menuLabels().includes('Unsnooze the snoozed disk'));
    const disks = ok<{ mount: string; snoozedUntil: number | null }[]>(await fake.invoke('disks.list'));
    assert.equal(disks.find((d) => d.mount === '/')?.snoozedUntil ?? null, null);
  });
});

describe('the desktop app: a tray action that cannot be saved', () => {
  it('says why in a notification instead of failing the menu', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['headroom', '--hidden'] });
    // Another Headroom process is changing the snoozes, and keeps at it.
    const other = spawn('sleep', ['600']);
    cleanup(async () => void other.kill());
    await new Promise((resolve) => other.once('spawn', resolve));
    const holder = { pid: other.pid, start: processStart(other.pid!), token: 'other' };
    await writeFile(join(home, 'pause.json.lock'), JSON.stringify(holder));
    app.fake.click('Pause alerts until resumed');
    const said = app.fake.notifications.find((n) => n.options.title === 'Headroom could not do that');
    assert.match(String(said?.options.body), /pause\.json is being changed by another Headroom process/);
    assert.ok(app.fake.menuLabels().includes('Pause alerts until resumed'), 'not paused');
  });
});
