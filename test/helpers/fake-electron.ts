import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { ipcChannel, type RequestName } from '../../shared/ipc/names.js';
import type { IpcEventLike, Surfaces } from '../../electron/main/surfaces.js';
import { fakeKeychain } from './keychain.js';
import { endOfSessionFakes, type EndOfSessionOptions } from './fake-electron-session.js';
import { trayFakes } from './fake-electron-tray.js';
import { windowFakes } from './fake-electron-window.js';

/**
 * A recording stand-in for the Electron surfaces the desktop app uses. It is typed by `Surfaces`,
 * which is narrowed from electron's own `.d.ts`, so tsc rejects a fake that drifts from Electron.
 * Every call is recorded; `until` waits for the next change rather than sleeping.
 */
export interface FakeOptions extends EndOfSessionOptions {
  Store: Surfaces['Store'];
  /** false: another instance holds the lock. */
  singleInstance?: boolean;
  /** 'none': no keychain at all; 'basic_text': Linux without a keyring. */
  keychain?: 'gnome_libsecret' | 'basic_text' | 'none';
  notificationsSupported?: boolean;
  /** The keychain has rotated its key since secrets were sealed. */
  rotatedKey?: boolean;
  /** A login item made before (Windows: with these arguments). */
  loginItem?: { args: string[] };
  /** macOS started the app as a login item. */
  openedAtLogin?: boolean;
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

export function createFakeElectron(options: FakeOptions) {
  const changes = new EventEmitter();
  const log: { surface: string; call: string; args: unknown[] }[] = [];
  const record = (surface: string, call: string, ...args: unknown[]) => {
    log.push({ surface, call, args });
    changes.emit('change');
  };

  let exit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exit = resolve));

  class FakeApp extends EventEmitter {
    loginItem = options.loginItem !== undefined;
    /** The arguments of the login item: Windows starts the app with them. */
    loginArgs: string[] = options.loginItem?.args ?? [];
    readonly paths = new Map<string, string>();
    userModelId: string | null = null;
    requestSingleInstanceLock() {
      record('app', 'requestSingleInstanceLock');
      return options.singleInstance ?? true;
    }
    /** As Electron: `before-quit` first; quitting goes on unless a listener prevents it. */
    quit() {
      record('app', 'quit');
      let prevented = false;
      this.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) this.exit(0);
    }
    exit(code = 0) {
      record('app', 'exit', code);
      exit(code);
    }
    whenReady() {
      return Promise.resolve();
    }
    // electron-store's: it asks for these when it is constructed.
    getPath(name: Parameters<Electron.App['getPath']>[0]): string {
      return this.paths.get(name) ?? join(tmpdir(), 'headroom-fake-electron', name);
    }
    setPath(name: string, path: string) {
      record('app', 'setPath', name, path);
      this.paths.set(name, path);
    }
    getVersion(): string {
      return '0.0.0-fake';
    }
    /** As Windows: the item counts only with the same arguments (macOS's have none). */
    getLoginItemSettings(o?: Electron.LoginItemSettingsOptions): Electron.LoginItemSettings {
      const args = o?.args ?? [];
      return {
        openAtLogin:
          this.loginItem &&
          args.length === this.loginArgs.length &&
          args.every((a, i) => a === this.loginArgs[i]),
        wasOpenedAtLogin: options.openedAtLogin ?? false,
        status: this.loginItem ? 'enabled' : 'not-registered',
        executableWillLaunchAtLogin: this.loginItem,
        launchItems: [],
      };
    }
    setLoginItemSettings(settings: Electron.Settings) {
      record('app', 'setLoginItemSettings', settings);
      this.loginItem = settings.openAtLogin ?? false;
      this.loginArgs = settings.args ?? [];
    }
    setAppUserModelId(id: string) {
      record('app', 'setAppUserModelId', id);
      this.userModelId = id;
    }
  }
  const app = new FakeApp();

  const { nativeImage, Menu, Tray, trays, Notification, notifications } = trayFakes(
    record,
    options.notificationsSupported,
  );
  const { BrowserWindow, windows } = windowFakes(record, app);

  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipcMain = {
    /** electron-store answers its renderer-side data request on this. */
    on(channel: string) {
      record('ipcMain', 'on', channel);
    },
    handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) {
      handlers.set(channel, listener);
    },
  };

  const keychain = options.keychain ?? 'gnome_libsecret';
  const cipher = fakeKeychain(keychain === 'none' ? 'basic_text' : keychain, { rotated: options.rotatedKey });
  const safeStorage: Surfaces['safeStorage'] = {
    ...cipher,
    isAsyncEncryptionAvailable: async () => keychain !== 'none',
    getSelectedStorageBackend: () => (keychain === 'none' ? 'unknown' : keychain),
  };

  const opened: string[] = [];
  /** Folders shown in the file manager (`shell.openPath`); `openPathError` makes the next fail. */
  const openedPaths: string[] = [];
  let openPathError = '';
  const errorBoxes: { title: string; content: string }[] = [];
  const session = endOfSessionFakes(record, options);
  const surfaces = {
    app,
    Tray,
    Menu,
    nativeImage,
    Notification,
    BrowserWindow,
    ipcMain,
    safeStorage,
    shell: {
      openExternal: async (url: string) => void opened.push(url),
      // As Electron: resolves with an error message, '' on success.
      openPath: async (path: string) => {
        const error = openPathError;
        openPathError = '';
        if (!error) openedPaths.push(path);
        record('shell', 'openPath', path);
        return error;
      },
    },
    powerMonitor: new EventEmitter(),
    dialog: {
      showErrorBox: (title: string, content: string) => {
        errorBoxes.push({ title, content });
        record('dialog', 'showErrorBox', title);
      },
    },
    Store: options.Store,
    BaseWindow: session.BaseWindow,
    crashReporter: session.crashReporter,
    updater: session.updater,
  } satisfies Surfaces;

  return {
    ...surfaces,
    log,
    trays,
    windows,
    notifications,
    opened,
    openedPaths,
    /** The next `shell.openPath` fails with this message (no file manager, say). */
    failNextOpenPath(message: string) {
      openPathError = message;
    },
    errorBoxes,
    exited,
    /** Hidden windows without a page (Windows' session-end listener). */
    baseWindows: session.baseWindows,
    /** The tray the app made (there is one). */
    get tray(): (typeof trays)[number] {
      const tray = trays.at(-1);
      if (!tray) throw new Error('the app made no tray');
      return tray;
    },
    /** A request as the renderer's preload sends it, from `from` (default: the first window). */
    async invoke(name: RequestName, input: unknown = {}, from?: IpcEventLike): Promise<unknown> {
      const handler = handlers.get(ipcChannel(name));
      if (!handler) throw new Error(`no IPC handler for ${name}`);
      const window = windows.find((w) => !w.webContents.destroyed);
      const sender =
        from ?? (window && { sender: window.webContents, senderFrame: window.webContents.mainFrame });
      if (!sender) throw new Error('no window is open to send from');
      return handler(sender, input);
    },
    /** Clicks the tray menu item with this label (searching submenus). */
    click(label: string): void {
      const find = (
        items: Electron.MenuItemConstructorOptions[],
      ): Electron.MenuItemConstructorOptions | undefined => {
        for (const item of items) {
          if (item.label === label) return item;
          const found = Array.isArray(item.submenu) ? find(item.submenu) : undefined;
          if (found) return found;
        }
        return undefined;
      };
      const item = find(this.tray.menu?.template ?? []);
      if (!item?.click) throw new Error(`no menu item "${label}" in ${JSON.stringify(this.menuLabels())}`);
      item.click(undefined as never, undefined, undefined as never);
    },
    menuLabels(): string[] {
      const labels = (items: Electron.MenuItemConstructorOptions[]): string[] =>
        items.flatMap((i) => [
          ...(i.label ? [i.label] : []),
          ...(Array.isArray(i.submenu) ? labels(i.submenu) : []),
        ]);
      return labels(this.tray.menu?.template ?? []);
    },
    /** Resolves once `check` holds, re-checked on every recorded call; `what` names it on failure. */
    until<T>(check: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const attempt = () => {
          const value = check();
          if (value === undefined || value === false) return false;
          changes.off('change', attempt);
          clearTimeout(timer);
          resolve(value);
          return true;
        };
        // A guard against a hang with a readable message, not a timing assertion.
        const timer = setTimeout(() => {
          changes.off('change', attempt);
          reject(new Error(`timed out waiting for ${what}; last calls: ${JSON.stringify(log.slice(-8))}`));
        }, timeoutMs);
        if (!attempt()) changes.on('change', attempt);
      });
    },
  };
}
