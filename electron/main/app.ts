import { pathToFileURL } from 'node:url';
import { createApi, type ShellHooks } from '../../core/api.js';
import { dataDir, ensureDataDir } from '../../core/data-dir.js';
import { storageHealth } from '../../core/fs/storage-health.js';
import { useStoreFactory, type StoreWarning } from '../../core/json-store.js';
import { policyLocation } from '../../core/policy/location.js';
import { openRuntime } from '../../core/runtime.js';
import { describeHolder, WatchLock } from '../../core/watch-lock.js';
import { Watcher } from '../../core/watcher.js';
import { linuxAutostart, loginItems, startedAtLogin } from './autostart.js';
import { RendererCrashes } from './crash-recovery.js';
import { keepCrashDumps, openDesktopLog } from './diagnostics.js';
import { registerIpc, trustedSender } from './ipc.js';
import { endOnce, endWithSession } from './lifecycle.js';
import { notificationText, withUsage } from './notification-text.js';
import { Notifier } from './notifier.js';
import { keychainSealer } from './sealer.js';
import type { Surfaces } from './surfaces.js';
import { TrayController } from './tray.js';
import { noteDelay, snoozeChoiceOf, trayModel, type DelayedAlert, type TrayAction } from './tray-model.js';
import { Updates } from './updates.js';
import { hardenContents } from './window.js';
import { WindowManager } from './window-manager.js';

/** electron-builder's `appId`: Windows ties toasts and their settings to it. */
export const APP_ID = 'dev.headroom.app';

/** What the bootstrap reads from the process: tests pass their own. */
export interface AppOptions {
  argv: readonly string[];
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  execPath: string;
  rendererFile: string;
  preloadFile: string;
}

/**
 * The desktop app: tray, notifications, window and IPC wired to the same core as `headroom
 * watch`. It receives Electron's surfaces rather than importing them, so `npm test` runs exactly
 * this code with recording fakes. Resolves true once running, false when another instance is.
 */
export async function startApp(os: Surfaces, o: AppOptions): Promise<boolean> {
  // Before anything else: a second launch only brings the first one's window forward.
  if (!os.app.requestSingleInstanceLock()) {
    os.app.quit();
    return false;
  }
  if (o.platform === 'win32') os.app.setAppUserModelId(APP_ID);
  const dir = ensureDataDir(dataDir(o.env, o.platform));
  const crashDumps = keepCrashDumps(os, dir);
  const log = openDesktopLog(dir);
  const rendererUrl = pathToFileURL(o.rendererFile).href;
  const isAppUrl = (url: string) =>
    url === rendererUrl || url.startsWith(`${rendererUrl}#`) || url.startsWith(`${rendererUrl}?`);
  // hardenContents hands on only https: URLs (isSafeExternal): never file:, smb: or an app's scheme.
  /* eng-disable OPEN_EXTERNAL_JS_CHECK */ const openHttps = (url: string) => void os.shell.openExternal(url);
  os.app.on('web-contents-created', (_event, contents) => hardenContents(contents, openHttps, isAppUrl));
  await os.app.whenReady();

  useStoreFactory(({ sync: _sync, ...options }) => new os.Store(options));
  const sealer = await keychainSealer(os.safeStorage, o.platform);
  const notifier = new Notifier(os.Notification);
  // Held until the lock is ours (another instance may be the one to tell), then shown as they
  // come: the delivery side, snoozes and samples open later, with the watcher.
  const warnings: StoreWarning[] = [];
  let onWarning: (w: StoreWarning) => void = (w) => void warnings.push(w);
  const runtime = openRuntime(dir, {
    sealer,
    onWarning: (w) => onWarning(w),
    policy: { location: policyLocation(o.env, o.platform), env: o.env },
  });
  const lock = new WatchLock(dir);
  const taken = lock.acquire('app');
  if (!taken.ok) {
    os.dialog.showErrorBox('Headroom is already watching these disks', describeHolder(taken.holder, dir));
    os.app.quit();
    return false;
  }
  onWarning = (w) =>
    notifier.show({
      title: 'Headroom could not read a file',
      body: `${w.file} was moved to ${w.movedTo}. ${w.reason}`,
    });
  for (const w of warnings.splice(0)) onWarning(w);
  // What of the organisation's policy does not apply: said once at start, with file and field.
  const policy = runtime.policy.current();
  if (policy?.problems.length)
    notifier.show({
      title: 'Part of your organisation’s Headroom policy does not apply',
      body: [
        ...policy.problems.slice(0, 3).map((p) => `${p.field}: ${p.message}`),
        ...(policy.problems.length > 3 ? [`…and ${policy.problems.length - 3} more.`] : []),
        `Fix ${policy.file}; the rest of it applies.`,
      ].join('\n'),
    });
  const onStorageFailed = (file: string, reason: string) =>
    notifier.show({
      title: 'Headroom cannot save its data',
      body: `${file}: ${reason}. Alerts keep going out from memory.`,
    });
  const onStorageUnreadable = (file: string, reason: string) =>
    notifier.show({
      title: 'Headroom cannot read its data',
      body: `${file}: ${reason}. Headroom keeps what it has in memory and tries again.`,
    });
  storageHealth.on('failed', onStorageFailed);
  storageHealth.on('readFailed', onStorageUnreadable);

  await runtime.delivery.integrations.prepareSecrets();
  const watcher = new Watcher(runtime);
  // Inside an AppImage, execPath is a mount that is gone after this run: $APPIMAGE stays.
  const autostart =
    o.platform === 'linux'
      ? linuxAutostart(o.env.APPIMAGE ?? o.execPath, o.env)
      : loginItems(os.app, o.platform);
  const hooks: ShellHooks = {
    shell: 'electron',
    secrets: { protected: sealer.protected, description: sealer.description },
    getLaunchAtLogin: () => autostart.get(),
    setLaunchAtLogin: (on) => autostart.set(on),
    // A folder the API checked (a directory on a watched disk): openPath resolves with an error
    // message, or '' once the file manager has it.
    openFolder: async (path) => {
      const error = await os.shell.openPath(path);
      if (error) throw new Error(error);
    },
  };
  registerIpc(os.ipcMain, createApi(watcher, hooks), trustedSender(os.BrowserWindow, isAppUrl));
  const crashes = new RendererCrashes({ log: (l) => log.warn(l), logFile: log.file, crashDumps });
  const windows = new WindowManager(os.BrowserWindow, watcher, o.rendererFile, o.preloadFile, crashes);

  const onAction = (action: TrayAction) => {
    try {
      act(action);
    } catch (error) {
      // A pause or snooze that could not be saved (another process editing, a file unreadable).
      notifier.show({ title: 'Headroom could not do that', body: (error as Error).message });
    }
    renderTray();
  };
  const act = (action: TrayAction) => {
    const snooze = snoozeChoiceOf(action);
    if (action === 'open') windows.open();
    else if (action.startsWith('usage:')) windows.open(action.slice('usage:'.length));
    else if (action === 'checkNow') void watcher.checkNow();
    else if (action === 'pauseUntilResumed') watcher.pauses.pause(null);
    else if (action === 'resume') watcher.pauses.resume();
    else if (snooze) watcher.pauses.snooze(null, snooze);
    else if (action === 'unsnoozeAll') watcher.pauses.unsnooze(null);
    else if (action === 'toggleLaunchAtLogin') hooks.setLaunchAtLogin(!hooks.getLaunchAtLogin());
    else if (action === 'quit') os.app.quit();
  };
  const tray = new TrayController(os, o.platform, onAction);
  const delayed = new Map<string, DelayedAlert>();
  const renderTray = () =>
    tray.render(
      trayModel(watcher.disks(), watcher.pauses.pausedUntil(), hooks.getLaunchAtLogin(), Date.now(), [
        ...delayed.values(),
      ]),
    );
  renderTray();
  for (const event of ['disks', 'paused', 'settings'] as const) watcher.events.on(event, renderTray);
  watcher.events.on('delivery', (record) => {
    if (noteDelay(delayed, record)) renderTray();
  });

  /** The space alert each disk's notification last told of: what a usage note is added to. */
  const alerted = new Map<string, { to: string; text: ReturnType<typeof notificationText> }>();
  const showAlert = (mount: string, text: ReturnType<typeof notificationText>, tag: string) =>
    notifier.show(
      { title: text.title, body: text.body, urgency: text.urgent ? 'critical' : 'normal' },
      () => windows.open(mount),
      tag,
    );
  watcher.events.on('transition', (t) => {
    if (t.kind === 'space') alerted.delete(t.mount);
    // Paused, snoozed or flapping: the desktop holds its notification as the channels do.
    if (t.held || !runtime.settings.get().nativeNotifications) return;
    const text = notificationText(t);
    showAlert(t.mount, text, `${t.kind}:${t.mount}`);
    if (t.kind === 'space') alerted.set(t.mount, { to: t.to, text });
  });
  // What grew, once the scan the alert started is done: the same notification, with those lines.
  watcher.events.on('usage', (u) => {
    const shown = alerted.get(u.mount);
    const now = runtime.states.all()[u.mount]?.state;
    if (!shown || shown.to !== now || !runtime.settings.get().nativeNotifications) return;
    showAlert(u.mount, withUsage(shown.text, u.lines), `space:${u.mount}`);
  });

  // After sleep the disks may have changed a lot and the network is back: sample and send now.
  os.powerMonitor.on('resume', () => void watcher.wake());
  os.app.on('second-instance', () => windows.open());
  os.app.on('activate', () => windows.open());
  // Closing the window keeps Headroom in the tray.
  os.app.on('window-all-closed', () => {});

  const controller = new AbortController();
  const running = watcher.run(controller.signal, (e) => console.error('headroom: sampling failed:', e));
  const updates = new Updates({
    feed: () => runtime.policy.current()?.updateFeedUrl,
    make: os.updater,
    dir,
    log,
    downloaded: (version) =>
      notifier.show({
        title: `Headroom ${version} is ready`,
        body: 'It is installed when you quit Headroom.',
      }),
  });
  updates.start();
  // The final flush: the watcher's last sample saved, deliveries stopped where they can resume.
  const end = endOnce(
    () =>
      running
        .catch((e: unknown) => console.error('headroom: the watcher stopped with an error:', e))
        .then(() => runtime.close())
        .finally(() => {
          storageHealth.off('failed', onStorageFailed);
          storageHealth.off('readFailed', onStorageUnreadable);
          lock.release();
          tray.destroy();
        }),
    () => os.app.exit(0),
    log,
  );
  const quit = (why: string) => {
    controller.abort();
    updates.stop();
    return end(why);
  };
  // Held until the flush is done, every time: app.exit then ends the app without asking again.
  os.app.on('before-quit', (event) => {
    event.preventDefault();
    void quit('Quit');
  });
  endWithSession(os, o.platform, quit);

  if (!startedAtLogin(o.argv, o.platform, os.app)) windows.open();
  return true;
}
