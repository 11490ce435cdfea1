import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { RendererCrashes, RECRASH_MS } from '../../electron/main/crash-recovery.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { createFakeElectron } from '../helpers/fake-electron.js';
import { launch, RENDERER, type Desktop } from '../helpers/desktop.js';

const cleanup = closeAfterEach();
async function start(home: string, options: Parameters<typeof launch>[1] = {}): Promise<Desktop> {
  const app = await launch(home, options);
  if (app.started) cleanup(async () => void (await app.quit()));
  return app;
}
const calls = (app: Desktop, call: string) => app.fake.log.filter((l) => `${l.surface}.${l.call}` === call);
const logOf = (home: string) => readFile(join(home, 'logs', 'desktop.log'), 'utf8');

describe('the desktop app: the session ends', () => {
  it('Linux and macOS: the system shutting down runs the final flush of a quit, once', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['headroom', '--hidden'] });
    await app.fake.until(() => app.fake.tray.tooltip.startsWith('Headroom — '), 'the first sample');
    assert.equal(app.fake.baseWindows.length, 0, 'no hidden window where powerMonitor tells');
    // As Electron: the listener gets an event, and preventing it holds the shutdown for the app.
    let held = 0;
    app.fake.powerMonitor.emit('shutdown', { preventDefault: () => held++ });
    assert.equal(held, 1, 'the shutdown waits for the flush');
    // Quit and a second shutdown signal while the flush runs join it.
    app.fake.app.quit();
    app.fake.powerMonitor.emit('shutdown', { preventDefault: () => held++ });
    assert.equal(await app.fake.exited, 0);
    assert.ok(!existsSync(join(home, 'watcher.lock')), 'the lock is released');
    assert.ok(existsSync(join(home, 'state.json')), 'the state is saved');
    assert.equal(calls(app, 'tray.destroy').length, 1, 'one flush');
    assert.equal(calls(app, 'app.exit').length, 1);
    const log = await logOf(home);
    assert.match(log, /quitting: the system is shutting down\n/);
    assert.equal(log.match(/quitting:/g)?.length, 1, log);
  });

  it('Windows: shutdown or logoff (session-end) runs the same flush, heard with no window open', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['Headroom.exe', '--hidden'], platform: 'win32' });
    await app.fake.until(() => app.fake.tray.tooltip.startsWith('Headroom — '), 'the first sample');
    assert.equal(app.fake.windows.length, 0, 'only the tray shows');
    const [listener, ...more] = app.fake.baseWindows;
    assert.ok(listener && more.length === 0, 'one hidden window listens');
    assert.equal(listener.options.show, false);
    listener.endSession('logoff');
    listener.endSession('shutdown');
    assert.equal(await app.fake.exited, 0);
    assert.ok(!existsSync(join(home, 'watcher.lock')), 'the lock is released');
    assert.equal(calls(app, 'tray.destroy').length, 1, 'one flush');
    assert.match(await logOf(home), /quitting: the Windows session ends \(logoff\)\n/);
  });
});

describe('the desktop app: crash dumps', () => {
  it('are kept in the data directory and never uploaded, from before the app is ready', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['headroom', '--hidden'] });
    const order = app.fake.log.map((l) => `${l.surface}.${l.call}`);
    assert.deepEqual(calls(app, 'app.setPath')[0]?.args, ['crashDumps', join(home, 'crashes')]);
    assert.deepEqual(calls(app, 'crashReporter.start')[0]?.args, [{ uploadToServer: false }]);
    assert.ok(order.indexOf('app.setPath') < order.indexOf('crashReporter.start'), 'the folder is set first');
    assert.ok(
      order.indexOf('crashReporter.start') < order.indexOf('tray.new'),
      'before anything else starts',
    );
  });
});

describe('the desktop app: a window whose page crashes', () => {
  it('reloads once and logs it; a second crash within a minute shows a plain page naming the log', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['headroom'] });
    const contents = app.fake.windows[0]!.webContents;
    contents.crash('crashed', 139);
    assert.equal(calls(app, 'contents.reload').length, 1);
    assert.match(await logOf(home), /the window's page is gone \(crashed, exit code 139\); reloading it\n/);

    contents.crash('oom', 9);
    assert.equal(calls(app, 'contents.reload').length, 1, 'not reloaded again');
    const [url] = calls(app, 'contents.loadURL')[0]?.args as [string];
    assert.match(url, /^data:text\/html;charset=utf-8,/);
    const page = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    assert.match(page, /Headroom’s window stopped working/);
    assert.match(page, /twice within a minute \(oom, exit code 9\)/);
    assert.ok(page.includes(join(home, 'logs', 'desktop.log')), 'names the log');
    assert.ok(page.includes(join(home, 'crashes')), 'names the crash dumps');
    assert.match(page, /content="default-src 'none'; style-src 'unsafe-inline'"/, 'no script, no request');
    assert.doesNotMatch(page, /<script/);

    contents.crash('crashed', 139);
    assert.equal(calls(app, 'contents.reload').length + calls(app, 'contents.loadURL').length, 2, 'no loop');
    contents.emit('unresponsive');
    contents.emit('responsive');
    const log = await logOf(home);
    assert.match(log, /again within a minute; showing the crash page, not reloading\n/);
    assert.match(log, /while it showed the crash page\n/);
    assert.match(log, /the window stopped responding\n.*the window responds again\n/);

    // The page's "try again": Open Headroom in the tray loads the app anew.
    const loads = calls(app, 'window.loadFile').length;
    app.fake.click('Open Headroom');
    assert.equal(calls(app, 'window.loadFile').length, loads + 1);
    assert.equal(app.fake.windows.length, 1, 'in the same window');
  });

  it('reloads again after a crash more than a minute after the last', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const crashes = new RendererCrashes({
      log: (l) => lines.push(l),
      logFile: '/x/desktop.log',
      crashDumps: '/x/crashes',
      now: () => now,
    });
    const fake = createFakeElectron({ Store: class {} as never });
    const window = new fake.BrowserWindow({});
    crashes.watch(window);
    void window.loadFile(RENDERER);
    const contents = fake.windows[0]!.webContents;
    contents.crash();
    now += RECRASH_MS + 1;
    contents.crash();
    assert.equal(calls({ fake } as Desktop, 'contents.reload').length, 2);
    now += RECRASH_MS - 1;
    contents.crash();
    assert.equal(calls({ fake } as Desktop, 'contents.loadURL').length, 1, 'this one is within a minute');
  });
});
