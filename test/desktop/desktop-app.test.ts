import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { processStart } from '../../core/fs/process-identity.js';
import { snoozeEnd } from '../../shared/quiet.js';
import { APP_ID } from '../../electron/main/app.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { launch, RENDERER } from '../helpers/desktop.js';
import { ok, startClosed, titles, webhook } from '../helpers/desktop-app.js';

const cleanup = closeAfterEach();
const start = startClosed(cleanup);

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
