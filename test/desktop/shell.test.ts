import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { inflateSync } from 'node:zlib';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { ContentsLike } from '../../electron/main/surfaces.js';
import { linuxAutostart } from '../../electron/main/autostart.js';
import { notificationText } from '../../electron/main/notification-text.js';
import { keychainSealer } from '../../electron/main/sealer.js';
import { trayIconPng } from '../../electron/main/tray-icons.js';
import { snoozeChoiceOf, trayModel, type MenuItemModel } from '../../electron/main/tray-model.js';
import { createMainWindow, hardenContents } from '../../electron/main/window.js';
import { IntegrationStore } from '../../core/delivery/integration-store.js';
import { plainSealer } from '../../core/delivery/secrets.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { NO_FORECAST } from '../../shared/forecast.js';
import type { DiskView, EventPayloads } from '../../shared/ipc/contract.js';
import { tempHome } from '../helpers/cli.js';
import { fakeKeychain } from '../helpers/keychain.js';

const LIMITS = { warningPercent: 20, criticalPercent: 10, clearMarginPercent: 2 };
/** A transition as the watcher tells the app of it, at the default thresholds. */
const change = (t: Omit<EventPayloads['transition'], 'at' | 'thresholds'>): EventPayloads['transition'] => ({
  at: 0,
  thresholds: LIMITS,
  ...t,
});

const disk = (mount: string, state: DiskView['state'], freePercent: number | null): DiskView => ({
  mount,
  fs: 'dev',
  type: 'ext4',
  size: 100,
  used: 50,
  available: freePercent === null ? null : 1024 ** 3 * freePercent,
  freePercent,
  at: 0,
  state,
  since: 0,
  thresholds: LIMITS,
  inodes: null,
  snoozedUntil: null,
  forecast: NO_FORECAST,
});

describe('main window security', () => {
  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    const prefs = createMainWindow(
      class {
        constructor(readonly options: BrowserWindowConstructorOptions) {}
      },
      '/app/preload.cjs',
    ).options.webPreferences!;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.preload, '/app/preload.cjs');
  });

  it('blocks navigation and new windows; only https links open, in the browser', () => {
    const contents = Object.assign(new EventEmitter(), {
      openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
      setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
        this.openHandler = h;
      },
      permission: undefined as undefined | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
      session: { setPermissionRequestHandler: (h: never) => (contents.permission = h) },
    });
    const opened: string[] = [];
    hardenContents(
      contents as unknown as ContentsLike,
      (u) => opened.push(u),
      (u) => u.startsWith('file:///app/'),
    );
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    assert.equal(navigate('https://evil.example/'), true);
    assert.equal(navigate('file:///app/index.html#history'), false);
    assert.deepEqual(contents.openHandler!({ url: 'https://docs.example/help' }), { action: 'deny' });
    assert.deepEqual(contents.openHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
    assert.deepEqual(opened, ['https://docs.example/help']);
    let granted: boolean | undefined;
    contents.permission!(null, 'notifications', (ok) => (granted = ok));
    assert.equal(granted, false);
  });
});

describe('tray', () => {
  it('shows the worst state and names the fullest disk', () => {
    const m = trayModel(
      [disk('/', 'ok', 60), disk('/data', 'critical', 4), disk('/home', 'warning', 15)],
      null,
      false,
    );
    assert.equal(m.icon, 'critical');
    assert.match(m.tooltip, /^Headroom — critical; \/data: 4\.0% free \(4\.00 GiB\)$/);
    assert.deepEqual(
      m.menu.filter((i) => 'action' in i).map((i) => 'action' in i && i.action),
      ['open', 'checkNow', 'usage:/data', 'usage:/home', 'pauseUntilResumed', 'toggleLaunchAtLogin', 'quit'],
    );
    assert.ok(m.menu.some((i) => 'label' in i && i.label === 'What’s using space on /data'));
    const calm = trayModel([disk('/', 'ok', 60)], null, false).menu;
    assert.ok(!calm.some((i) => 'action' in i && i.action.startsWith('usage:')), 'only for a disk in alert');
  });

  it('never names a read-only disk (an AppImage reads 0 % free) as the fullest', () => {
    const image = { ...disk('/tmp/.mount_Xy1', 'ok', 0), readOnly: true };
    const m = trayModel([image, disk('/', 'ok', 60)], null, false);
    assert.equal(m.icon, 'ok');
    assert.match(m.tooltip, /^Headroom — all disks ok; \/: 60\.0% free/);
    assert.match(trayModel([image], null, false).tooltip, /\.mount_Xy1: read-only$/);
  });

  it('shows paused while alerts are held, unless a disk is critical or warning', () => {
    const until = Date.now() + 3600_000;
    assert.equal(trayModel([disk('/', 'ok', 60)], until, false).icon, 'paused');
    assert.equal(trayModel([disk('/', 'critical', 2)], until, false).icon, 'critical');
    const menu = trayModel([disk('/', 'ok', 60)], until, null).menu;
    assert.ok(menu.some((i) => 'action' in i && i.action === 'resume'));
    assert.ok(
      !menu.some((i) => 'action' in i && i.action === 'toggleLaunchAtLogin'),
      'hidden where unsupported',
    );
  });

  it('offers "Snooze all alerts" for 1 h, 8 h or until tomorrow, each mapped to a snooze choice', () => {
    const menu = trayModel([disk('/', 'ok', 60)], null, false).menu;
    const submenu = menu.find(
      (i): i is Extract<MenuItemModel, { type: 'submenu' }> =>
        i.type === 'submenu' && i.label === 'Snooze all alerts',
    );
    assert.ok(submenu, 'the submenu is there while alerts are not paused');
    assert.deepEqual(
      submenu.items.map((i) => 'action' in i && [i.label, snoozeChoiceOf(i.action)]),
      [
        ['For 1 hour', '1h'],
        ['For 8 hours', '8h'],
        ['Until tomorrow 08:00', 'tomorrow'],
      ],
    );
    assert.equal(snoozeChoiceOf('pauseUntilResumed'), null, 'pausing is not a snooze choice');
    const paused = trayModel([disk('/', 'ok', 60)], Date.now() + 60_000, false).menu;
    assert.ok(!paused.some((i) => i.type === 'submenu'), 'while paused, Resume is the one choice');
  });

  it('says how many disks are snoozed on their own and offers to unsnooze them', () => {
    const now = Date.now();
    const snoozed = { ...disk('/data', 'warning', 15), snoozedUntil: now + 3600_000 };
    const expired = { ...disk('/home', 'ok', 50), snoozedUntil: now - 1 };
    const m = trayModel([disk('/', 'ok', 60), snoozed, expired], null, false, now);
    assert.match(m.tooltip, / — 1 disk snoozed$/);
    const unsnooze = m.menu.find((i) => 'action' in i && i.action === 'unsnoozeAll');
    assert.equal(unsnooze && 'label' in unsnooze && unsnooze.label, 'Unsnooze the snoozed disk');
    const none = trayModel([disk('/', 'ok', 60), expired], null, false, now);
    assert.ok(!none.menu.some((i) => 'action' in i && i.action === 'unsnoozeAll'));
    assert.doesNotMatch(none.tooltip, /snoozed/);
  });

  it('draws a PNG icon in the state colour at 16 and 32 px', () => {
    for (const size of [16, 32]) {
      const png = trayIconPng('critical', size);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      assert.equal(png.readUInt32BE(16), size);
      const idat = png.indexOf('IDAT');
      const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
      const mid = size / 2;
      const i = mid * (size * 4 + 1) + 1 + mid * 4;
      assert.deepEqual([...raw.subarray(i, i + 4)], [0xd9, 0x2d, 0x20, 255], 'the centre is opaque red');
    }
  });
});

describe('native notifications', () => {
  it('says what happened to which disk, urgent only when critical', () => {
    assert.deepEqual(
      notificationText(
        change({ kind: 'space', mount: '/data', from: 'warning', to: 'critical', freePercent: 4.2 }),
      ),
      {
        title: 'Disk almost full: /data',
        body: '4.2% free. Free some space now.',
        urgent: true,
      },
    );
    assert.equal(
      notificationText(change({ kind: 'space', mount: '/', from: 'warning', to: 'ok', freePercent: 25 }))
        .title,
      'All clear: /',
    );
    assert.equal(
      notificationText(
        change({ kind: 'space', mount: '/', from: 'critical', to: 'warning', freePercent: 12 }),
      ).title,
      'Disk no longer critical: /',
    );
    const inodes = notificationText(
      change({ kind: 'inodes', mount: '/srv', from: 'ok', to: 'warning', freePercent: 12 }),
    );
    assert.equal(inodes.title, 'Inodes running low: /srv');
    assert.match(inodes.body, /12\.0% of inodes free: too many files/);
  });

  it('never rounds the figure across a threshold: 19.99 % in a warning is not "20.0%"', () => {
    const low = notificationText(
      change({ kind: 'space', mount: '/', from: 'ok', to: 'warning', freePercent: 19.99 }),
    );
    assert.equal(low.body, '19.99% free.');
    const critical = notificationText(
      change({ kind: 'space', mount: '/', from: 'warning', to: 'critical', freePercent: 9.999 }),
    );
    assert.match(critical.body, /^< 10% free\./);
  });

  const filling = {
    ...NO_FORECAST,
    status: 'filling' as const,
    fillRateBytesPerSec: 2 * 1024 ** 2,
    uncertainty: 0.2,
    secondsToCritical: 25 * 60,
    secondsToFull: 35 * 60,
    sustained: true,
  };

  it('says a predictive warning is a forecast, with the lead time and uncertainty the channels get', () => {
    const t = notificationText(
      change({
        kind: 'space',
        mount: '/data',
        from: 'ok',
        to: 'warning',
        freePercent: 31.5,
        predicted: true,
        forecast: filling,
      }),
    );
    // The channels' title for the same forecast: "… will be critical in 21–31 min at the current rate".
    assert.equal(t.title, '/data will be critical in 21–31 min');
    assert.equal(
      t.body,
      'A forecast at the current rate: 31.5% free, filling at 2.00 MiB/s. No threshold is crossed yet.',
    );
    assert.equal(t.urgent, false);
  });

  it('adds the forecast to an alert while the disk fills, never to an all-clear', () => {
    const warning = notificationText(
      change({
        kind: 'space',
        mount: '/data',
        from: 'ok',
        to: 'warning',
        freePercent: 15,
        forecast: filling,
      }),
    );
    assert.equal(warning.body, '15.0% free. At this rate, full in 29–44 min.');
    const clear = notificationText(
      change({
        kind: 'space',
        mount: '/data',
        from: 'warning',
        to: 'ok',
        freePercent: 30,
        forecast: filling,
      }),
    );
    assert.equal(
      clear.body,
      'Back to 30.0% free.',
      'the watcher sends none with an all-clear, and none is shown',
    );
  });
});

/** A valid webhook integration whose bearer token is `token`. */
const bearerWebhook = (token: string) =>
  validateIntegration({
    id: 'webhook-1',
    name: 'w',
    type: 'webhook',
    createdAt: 0,
    updatedAt: 0,
    config: { url: 'https://x.test', auth: 'bearer', token },
  });

describe('secrets at rest', () => {
  it('are sealed by the keychain, and never stored in the clear', async () => {
    const sealer = await keychainSealer(fakeKeychain(), 'linux');
    assert.equal(sealer.protected, true);
    const dir = await tempHome();
    const store = new IntegrationStore(dir, sealer);
    const parsed = bearerWebhook('tok-VERY-secret');
    assert.ok(parsed.ok);
    assert.throws(
      () => store.save(parsed.value),
      /without being prepared/,
      'never sealed in the clear by mistake',
    );
    await store.saveSealed(parsed.value);
    const file = await readFile(join(dir, 'integrations.json'), 'utf8');
    assert.doesNotMatch(file, /tok-VERY-secret/);
    assert.match(file, /"token": "safeStorage:/);
    assert.equal(store.get('webhook-1')?.config.token, 'tok-VERY-secret');

    // The next start reads it through the asynchronous keychain before anything loads it.
    const again = new IntegrationStore(dir, await keychainSealer(fakeKeychain(), 'linux'));
    assert.match(again.load().problems[0]?.message ?? '', /not been read from the OS keychain yet/);
    await again.prepareSecrets();
    assert.equal(again.get('webhook-1')?.config.token, 'tok-VERY-secret');
  });

  it('are sealed again when the keychain has rotated its key', async () => {
    const dir = await tempHome();
    const parsed = bearerWebhook('tok-rotate');
    assert.ok(parsed.ok);
    await new IntegrationStore(dir, await keychainSealer(fakeKeychain(), 'linux')).saveSealed(parsed.value);
    const before = await readFile(join(dir, 'integrations.json'), 'utf8');
    const rotated = new IntegrationStore(
      dir,
      await keychainSealer(fakeKeychain('gnome_libsecret', { rotated: true }), 'linux'),
    );
    await rotated.prepareSecrets();
    const after = await readFile(join(dir, 'integrations.json'), 'utf8');
    assert.notEqual(after, before, 'the secret is sealed with the new key');
    assert.equal(rotated.get('webhook-1')?.config.token, 'tok-rotate');
    assert.equal(
      Buffer.from(JSON.parse(after).integrations[0].secrets.token.slice('safeStorage:'.length), 'base64')
        .toString()
        .slice(0, 5),
      'enc2(',
    );
  });

  it('say so when Linux has no keyring (basic_text), and the CLI explains a secret it cannot unseal', async () => {
    const weak = await keychainSealer(fakeKeychain('basic_text'), 'linux');
    assert.equal(weak.protected, false);
    assert.match(weak.description, /NOT encrypted: no keyring/);
    const dir = await tempHome();
    const parsed = bearerWebhook('tok');
    await new IntegrationStore(dir, await keychainSealer(fakeKeychain(), 'linux')).saveSealed(
      parsed.ok ? parsed.value : (undefined as never),
    );
    const { problems } = new IntegrationStore(dir, plainSealer).load();
    assert.match(problems[0]!.message, /sealed with the desktop app's OS keychain and cannot be read here/);
  });
});

describe('launch at login on Linux', () => {
  it('writes and removes an XDG autostart entry', async () => {
    const home = await tempHome();
    const autostart = linuxAutostart('/opt/Headroom/headroom', { XDG_CONFIG_HOME: home });
    assert.equal(autostart.get(), false);
    autostart.set(true);
    assert.match(
      await readFile(join(home, 'autostart', 'headroom.desktop'), 'utf8'),
      /^Exec=\/opt\/Headroom\/headroom --hidden$/m,
    );
    assert.equal(autostart.get(), true);
    autostart.set(false);
    assert.equal(autostart.get(), false);
  });
});
