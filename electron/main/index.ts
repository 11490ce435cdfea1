import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Notification, powerMonitor, safeStorage, shell } from 'electron';
import ElectronStore from 'electron-store';
import { createApi, type ShellHooks } from '../core/api.js';
import { dataDir, ensureDataDir } from '../core/data-dir.js';
import { storageHealth } from '../core/fs/storage-health.js';
import { useStoreFactory, type StoreWarning } from '../core/json-store.js';
import { openRuntime } from '../core/runtime.js';
import { describeHolder, WatchLock } from '../core/watch-lock.js';
import { Watcher } from '../core/watcher.js';
import { linuxAutostart } from './autostart.js';
import { pushEvents, registerIpc } from './ipc.js';
import { notificationText } from './notification-text.js';
import { keychainSealer } from './sealer.js';
import { TrayController } from './tray.js';
import { snoozeChoiceOf, trayModel, type TrayAction } from './tray-model.js';
import { createMainWindow, hardenContents } from './window.js';

// Before anything else: a second launch only brings the first one's window forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

const RENDERER = join(import.meta.dirname, '..', '..', 'renderer', 'index.html');
const PRELOAD = join(import.meta.dirname, '..', 'preload.cjs');
const rendererUrl = pathToFileURL(RENDERER).href;
const isAppUrl = (url: string) =>
  url === rendererUrl || url.startsWith(`${rendererUrl}#`) || url.startsWith(`${rendererUrl}?`);

async function start(): Promise<void> {
  // hardenContents hands on only https: URLs (isSafeExternal): never file:, smb: or an app's scheme.
  /* eng-disable OPEN_EXTERNAL_JS_CHECK */ const openHttps = (url: string) => void shell.openExternal(url);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, openHttps, isAppUrl));
  await app.whenReady();

  useStoreFactory((options) => new ElectronStore(options));
  const dir = ensureDataDir(dataDir());
  const sealer = keychainSealer(safeStorage);
  // Held until the lock is ours (another instance may be the one to tell), then shown as they
  // come: the delivery side, snoozes and samples open later, with the watcher.
  const warnings: StoreWarning[] = [];
  let onWarning: (w: StoreWarning) => void = (w) => void warnings.push(w);
  const runtime = openRuntime(dir, { sealer, onWarning: (w) => onWarning(w) });
  const lock = new WatchLock(dir);
  const taken = lock.acquire('app');
  if (!taken.ok) {
    dialog.showErrorBox('Headroom is already watching these disks', describeHolder(taken.holder, dir));
    app.quit();
    return;
  }
  onWarning = (w) =>
    new Notification({
      title: 'Headroom could not read a file',
      body: `${w.file} was moved to ${w.movedTo}. ${w.reason}`,
    }).show();
  for (const w of warnings.splice(0)) onWarning(w);

  storageHealth.on('failed', (file, reason) =>
    new Notification({
      title: 'Headroom cannot save its data',
      body: `${file}: ${reason}. Alerts keep going out from memory.`,
    }).show(),
  );
  const watcher = new Watcher(runtime);
  const autostart = process.platform === 'linux' ? linuxAutostart(process.execPath) : undefined;
  const hooks: ShellHooks = {
    shell: 'electron',
    secrets: { protected: sealer.protected, description: sealer.description },
    getLaunchAtLogin: () => autostart?.get() ?? app.getLoginItemSettings().openAtLogin,
    setLaunchAtLogin: (on) => (autostart ? autostart.set(on) : app.setLoginItemSettings({ openAtLogin: on })),
  };
  registerIpc(createApi(watcher, hooks), isAppUrl);

  let window: BrowserWindow | null = null;
  const openWindow = (mount?: string) => {
    if (!window) {
      window = createMainWindow(BrowserWindow, PRELOAD);
      pushEvents(watcher, window.webContents);
      window.once('ready-to-show', () => window?.show());
      // Destroyed on close, not hidden: an idle tray app should hold no renderer in memory.
      window.on('closed', () => (window = null));
      void window.loadFile(RENDERER, mount ? { hash: `disks?mount=${encodeURIComponent(mount)}` } : {});
    } else {
      if (mount) watcher.events.emit('focusDisk', { mount });
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    }
  };

  const onAction = (action: TrayAction) => {
    const snooze = snoozeChoiceOf(action);
    if (action === 'open') openWindow();
    else if (action === 'checkNow') void watcher.checkNow();
    else if (action === 'pauseUntilResumed') watcher.pauseAlerts(null);
    else if (action === 'resume') watcher.resumeAlerts();
    else if (snooze) watcher.snooze(null, snooze);
    else if (action === 'unsnoozeAll') watcher.unsnooze(null);
    else if (action === 'toggleLaunchAtLogin') hooks.setLaunchAtLogin(!hooks.getLaunchAtLogin());
    else if (action === 'quit') app.quit();
    renderTray();
  };
  const tray = new TrayController(onAction);
  const renderTray = () =>
    tray.render(trayModel(watcher.disks(), watcher.pausedUntil(), hooks.getLaunchAtLogin()));
  renderTray();
  for (const event of ['disks', 'paused', 'settings'] as const) watcher.events.on(event, renderTray);

  watcher.events.on('transition', (t) => {
    // Paused, snoozed or flapping: the desktop holds its notification as the channels do.
    if (t.held || !runtime.settings.get().nativeNotifications || !Notification.isSupported()) return;
    const text = notificationText(t);
    const n = new Notification({
      title: text.title,
      body: text.body,
      urgency: text.urgent ? 'critical' : 'normal',
    });
    n.on('click', () => openWindow(t.mount));
    n.show();
  });

  // After sleep the disks may have changed a lot and the network is back: sample and send now.
  powerMonitor.on('resume', () => void watcher.wake());
  app.on('second-instance', () => openWindow());
  app.on('activate', () => openWindow());
  // Closing the window keeps Headroom in the tray.
  app.on('window-all-closed', () => {});

  const controller = new AbortController();
  const running = watcher.run(controller.signal, (e) => console.error('headroom: sampling failed:', e));
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    controller.abort();
    void running
      .then(() => runtime.close())
      .finally(() => {
        lock.release();
        tray.destroy();
        app.exit(0);
      });
  });

  if (!process.argv.includes('--hidden')) openWindow();
  // Lets the smoke test (and any automation) wait for readiness instead of sleeping.
  process.stdout.write('headroom:ready\n');
}
