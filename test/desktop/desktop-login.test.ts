import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { launch, type Desktop } from '../helpers/desktop.js';

const cleanup = closeAfterEach();
async function start(home: string, options: Parameters<typeof launch>[1] = {}): Promise<Desktop> {
  const app = await launch(home, options);
  if (app.started) cleanup(async () => void (await app.quit()));
  return app;
}

/** The tray's "Launch at login" tick. */
const ticked = (app: Desktop) => {
  const find = (items: Electron.MenuItemConstructorOptions[]): boolean | undefined =>
    items
      .map((i) =>
        i.label === 'Launch at login' ? i.checked : Array.isArray(i.submenu) ? find(i.submenu) : undefined,
      )
      .find((c) => c !== undefined);
  return find(app.fake.tray.menu?.template ?? []);
};

describe('the desktop app: launch at login', () => {
  it('Linux: writes an autostart entry that starts the AppImage itself, hidden', async () => {
    const home = await tempHome();
    const appimage = '/home/me/Apps/Headroom-0.1.0.AppImage';
    const app = await start(home, {
      argv: ['headroom', '--hidden'],
      execPath: '/tmp/.mount_HeadroXYZ/headroom',
      env: { HEADROOM_HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), APPIMAGE: appimage },
    });
    app.fake.click('Launch at login');
    const entry = await readFile(join(home, 'xdg', 'autostart', 'headroom.desktop'), 'utf8');
    assert.match(entry, new RegExp(`^Exec=${appimage.replace(/[.]/g, '\\.')} --hidden$`, 'm'));
    assert.doesNotMatch(entry, /\.mount_/);
    app.fake.click('Launch at login');
    assert.ok(!existsSync(join(home, 'xdg', 'autostart', 'headroom.desktop')));
  });

  it('Windows: the login item passes --hidden, and a start with it shows the tray only', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['Headroom.exe'], platform: 'win32' });
    assert.equal(app.fake.windows.length, 1, 'a start by the user opens the window');
    assert.equal(ticked(app), false);
    app.fake.click('Launch at login');
    assert.deepEqual(app.fake.app.loginArgs, ['--hidden']);
    assert.equal(app.fake.app.loginItem, true);
    assert.equal(ticked(app), true, 'the item is found again with its argument');
    await app.quit();

    // Windows starts the program with the Run entry's arguments.
    const atLogin = await start(home, {
      argv: ['Headroom.exe', ...app.fake.app.loginArgs],
      platform: 'win32',
    });
    assert.equal(atLogin.fake.windows.length, 0, 'no window at login');
    assert.ok(atLogin.fake.tray, 'the tray');
  });

  it('Windows: an entry an earlier version made without --hidden is made again with it', async () => {
    const app = await start(await tempHome(), {
      argv: ['Headroom.exe', '--hidden'],
      platform: 'win32',
      loginItem: { args: [] },
    });
    assert.deepEqual(app.fake.app.loginArgs, ['--hidden']);
    assert.equal(ticked(app), true);
    app.fake.click('Launch at login');
    assert.equal(app.fake.app.loginItem, false, 'and can be switched off');
  });

  it('macOS: uses the login items, and a login start (wasOpenedAtLogin) shows the tray only', async () => {
    const home = await tempHome();
    const app = await start(home, { argv: ['Headroom'], platform: 'darwin' });
    assert.equal(app.fake.windows.length, 1, 'opened by the user: the window');
    app.fake.click('Launch at login');
    assert.equal(app.fake.app.loginItem, true);
    const set = app.fake.log.find((l) => l.call === 'setLoginItemSettings');
    assert.deepEqual(set?.args, [{ openAtLogin: true }], 'macOS passes no arguments');
    await app.quit();

    const atLogin = await start(home, { argv: ['Headroom'], platform: 'darwin', openedAtLogin: true });
    assert.equal(atLogin.fake.windows.length, 0, 'no window at login');
    assert.ok(atLogin.fake.tray);
  });
});
