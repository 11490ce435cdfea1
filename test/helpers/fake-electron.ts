import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { ipcChannel, type RequestName } from '../../shared/ipc/names.js';
import type { ContentsLike, IpcEventLike, Surfaces } from '../../electron/main/surfaces.js';
import { fakeKeychain } from './keychain.js';
import { endOfSessionFakes, type EndOfSessionOptions } from './fake-electron-session.js';

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

const unused = (what: string) => () => {
  throw new Error(`the fake does not implement ${what}: Headroom does not use it`);
};

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

  class FakeImage implements Electron.NativeImage {
    readonly representations: Electron.AddRepresentationOptions[] = [];
    isMacTemplateImage = false;
    constructor(buffer: Buffer, scaleFactor = 1) {
      this.representations.push({ buffer, scaleFactor });
    }
    addRepresentation(r: Electron.AddRepresentationOptions) {
      this.representations.push(r);
    }
    setTemplateImage(on: boolean) {
      this.isMacTemplateImage = on;
    }
    isTemplateImage() {
      return this.isMacTemplateImage;
    }
    getScaleFactors() {
      return this.representations.map((r) => r.scaleFactor ?? 1);
    }
    isEmpty() {
      return this.representations.length === 0;
    }
    toPNG() {
      return this.representations[0]!.buffer!;
    }
    crop = unused('NativeImage.crop');
    getAspectRatio = unused('NativeImage.getAspectRatio');
    getBitmap = unused('NativeImage.getBitmap');
    getNativeHandle = unused('NativeImage.getNativeHandle');
    getSize = unused('NativeImage.getSize');
    resize = unused('NativeImage.resize');
    toBitmap = unused('NativeImage.toBitmap');
    toDataURL = unused('NativeImage.toDataURL');
    toJPEG = unused('NativeImage.toJPEG');
  }
  const nativeImage = {
    createFromBuffer(buffer: Buffer, o?: Electron.CreateFromBufferOptions): Electron.NativeImage {
      return new FakeImage(buffer, o?.scaleFactor);
    },
  };

  class FakeMenu extends EventEmitter implements Electron.Menu {
    items: Electron.MenuItem[] = [];
    constructor(readonly template: Electron.MenuItemConstructorOptions[]) {
      super();
    }
    append = unused('Menu.append');
    closePopup = unused('Menu.closePopup');
    getMenuItemById = unused('Menu.getMenuItemById');
    insert = unused('Menu.insert');
    popup = unused('Menu.popup');
  }
  const Menu = {
    buildFromTemplate(template: (Electron.MenuItemConstructorOptions | Electron.MenuItem)[]): Electron.Menu {
      return new FakeMenu(template as Electron.MenuItemConstructorOptions[]);
    },
  };

  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    image: Electron.NativeImage | string;
    tooltip = '';
    menu: FakeMenu | null = null;
    menuBuilds = 0;
    destroyed = false;
    constructor(image: Electron.NativeImage) {
      super();
      this.image = image;
      trays.push(this);
      record('tray', 'new');
    }
    setImage(image: Electron.NativeImage | string) {
      this.image = image;
      record('tray', 'setImage');
    }
    setToolTip(tooltip: string) {
      this.tooltip = tooltip;
      record('tray', 'setToolTip', tooltip);
    }
    setContextMenu(menu: Electron.Menu | null) {
      this.menu = menu as FakeMenu | null;
      this.menuBuilds++;
      record('tray', 'setContextMenu');
    }
    destroy() {
      this.destroyed = true;
      record('tray', 'destroy');
    }
  }

  const notifications: {
    options: Electron.NotificationConstructorOptions;
    /** Weak, as the OS holds it: only the app keeps a notification alive. */
    ref: WeakRef<FakeNotification>;
  }[] = [];
  class FakeNotification extends EventEmitter {
    static isSupported() {
      return options.notificationsSupported ?? true;
    }
    constructor(readonly options: Electron.NotificationConstructorOptions) {
      super();
    }
    show() {
      notifications.push({ options: this.options, ref: new WeakRef(this) });
      record('notification', 'show', this.options.title);
    }
    close() {
      record('notification', 'close', this.options.title);
      this.emit('close', { preventDefault() {} });
    }
  }

  const windows: FakeWindow[] = [];
  let contentsIds = 0;
  class FakeContents extends EventEmitter {
    readonly id = ++contentsIds;
    readonly mainFrame = { url: 'about:blank' };
    readonly sent: { channel: string; payload: unknown }[] = [];
    destroyed = false;
    windowOpenHandler: ((details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) | null =
      null;
    permissionHandler: Parameters<Electron.Session['setPermissionRequestHandler']>[0] = null;
    readonly session = {
      setPermissionRequestHandler: (
        handler: Parameters<Electron.Session['setPermissionRequestHandler']>[0],
      ) => void (this.permissionHandler = handler),
    };
    send(channel: string, ...args: unknown[]) {
      this.sent.push({ channel, payload: args[0] });
    }
    isDestroyed() {
      return this.destroyed;
    }
    setWindowOpenHandler(handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) {
      this.windowOpenHandler = handler;
    }
    reload() {
      record('contents', 'reload');
    }
    async loadURL(url: string) {
      this.mainFrame.url = url;
      record('contents', 'loadURL', url);
    }
    /** The page's renderer process dies, as Electron reports it. */
    crash(reason: Electron.RenderProcessGoneDetails['reason'] = 'crashed', exitCode = 139) {
      this.emit('render-process-gone', {}, { reason, exitCode });
    }
    /** Navigation as Electron reports it; true when the app prevented it. */
    navigate(url: string): boolean {
      let prevented = false;
      this.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented;
    }
  }

  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeContents();
    visible = false;
    minimized = false;
    focused = 0;
    loaded: { file: string; options?: Electron.LoadFileOptions } | null = null;
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
      record('window', 'new');
    }
    static fromWebContents(contents: ContentsLike) {
      return windows.find((w) => w.webContents === contents && !w.webContents.destroyed) ?? null;
    }
    async loadFile(file: string, options?: Electron.LoadFileOptions) {
      this.loaded = { file, options };
      const url = new URL(`file://${file}`);
      if (options?.hash) url.hash = options.hash;
      this.webContents.mainFrame.url = url.href;
      record('window', 'loadFile', url.href);
      this.emit('ready-to-show');
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    show() {
      this.visible = true;
      record('window', 'show');
    }
    focus() {
      this.focused++;
    }
    /** The user closes it: the renderer goes away with it. */
    close() {
      this.webContents.destroyed = true;
      this.webContents.emit('destroyed');
      this.emit('closed');
    }
  }

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
  // The classes are given as the surfaces' types: their own would carry EventEmitter's statics,
  // whose option types @types/node does not export, and `tsc -b` could not write them down.
  const surfaces = {
    app,
    Tray: FakeTray as Surfaces['Tray'],
    Menu,
    nativeImage,
    Notification: FakeNotification as Surfaces['Notification'],
    BrowserWindow: FakeWindow as Surfaces['BrowserWindow'],
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
    get tray(): FakeTray {
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
