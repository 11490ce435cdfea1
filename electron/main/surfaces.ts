import type * as Electron from 'electron';
import type { DocumentFile } from '../../core/fs/json-file.js';
import type { StoreFileOptions } from '../../core/json-store.js';
import type { UpdaterLike } from './updates.js';

/**
 * The parts of Electron the desktop app touches, each narrowed from electron's own `.d.ts` with
 * `Pick`. The bootstrap passes the real modules (and tsc checks they fit); the tests pass a
 * recording fake typed by the same interface, so the fake cannot drift from Electron's API.
 */
/** Whole, not narrowed: Tray's constructor takes nothing less. */
export type Image = Electron.NativeImage;

/**
 * `on`/`once` as Headroom uses them: the events it listens to, with Electron's listener types.
 * (Picking Electron's own `on` would demand that a fake return a whole `App` or `Tray`.)
 */
export type Listens<E extends Record<string, (...args: never[]) => void>> = {
  on<K extends keyof E & string>(event: K, listener: E[K]): unknown;
  once<K extends keyof E & string>(event: K, listener: E[K]): unknown;
};

export type AppLike = Pick<
  Electron.App,
  | 'requestSingleInstanceLock'
  | 'quit'
  | 'exit'
  | 'whenReady'
  | 'getLoginItemSettings'
  | 'setLoginItemSettings'
  | 'setAppUserModelId'
  | 'setPath'
> &
  Listens<{
    'web-contents-created': (event: Electron.Event, contents: ContentsLike) => void;
    'second-instance': () => void;
    activate: () => void;
    'window-all-closed': () => void;
    'before-quit': (event: Pick<Electron.Event, 'preventDefault'>) => void;
  }>;

export type TrayLike = Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy'> &
  Listens<{ click: () => void }>;

export type NotificationLike = Pick<Electron.Notification, 'show' | 'close'> &
  Listens<{ click: () => void; close: () => void; failed: () => void }>;

export type FrameLike = Pick<Electron.WebFrameMain, 'url'>;

export type ContentsLike = Pick<
  Electron.WebContents,
  'send' | 'isDestroyed' | 'setWindowOpenHandler' | 'id' | 'reload' | 'loadURL'
> &
  Listens<{
    'will-navigate': (
      event: Pick<Electron.Event<Electron.WebContentsWillNavigateEventParams>, 'url' | 'preventDefault'>,
    ) => void;
    'will-redirect': (
      event: Pick<Electron.Event<Electron.WebContentsWillRedirectEventParams>, 'url' | 'preventDefault'>,
    ) => void;
    'will-attach-webview': (event: Pick<Electron.Event, 'preventDefault'>) => void;
    destroyed: () => void;
    'render-process-gone': (event: unknown, details: Electron.RenderProcessGoneDetails) => void;
    unresponsive: () => void;
    responsive: () => void;
  }> & {
    readonly mainFrame: FrameLike;
    readonly session: Pick<Electron.Session, 'setPermissionRequestHandler'>;
  };

export type WindowLike = Pick<
  Electron.BrowserWindow,
  'loadFile' | 'isMinimized' | 'restore' | 'show' | 'focus'
> &
  Listens<{ 'ready-to-show': () => void; closed: () => void }> & { readonly webContents: ContentsLike };

export interface IpcEventLike {
  readonly sender: ContentsLike;
  readonly senderFrame: FrameLike | null;
}

export interface Surfaces {
  app: AppLike;
  Tray: new (image: Image) => TrayLike;
  Menu: Pick<typeof Electron.Menu, 'buildFromTemplate'>;
  nativeImage: { createFromBuffer(buffer: Buffer, options?: Electron.CreateFromBufferOptions): Image };
  Notification: (new (options: Electron.NotificationConstructorOptions) => NotificationLike) & {
    isSupported(): boolean;
  };
  BrowserWindow: (new (options: Electron.BrowserWindowConstructorOptions) => WindowLike) & {
    fromWebContents(contents: ContentsLike): unknown;
  };
  ipcMain: {
    handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  };
  safeStorage: Pick<
    Electron.SafeStorage,
    'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync' | 'getSelectedStorageBackend'
  >;
  shell: Pick<Electron.Shell, 'openExternal' | 'openPath'>;
  /**
   * `shutdown` is Linux's and macOS's (Windows tells windows instead: `session-end`). Its listener
   * gets an event, though the .d.ts types none: its own text says `e.preventDefault()` delays the
   * shutdown until the app quits.
   */
  powerMonitor: Listens<{
    resume: () => void;
    shutdown: (event?: Pick<Electron.Event, 'preventDefault'>) => void;
  }>;
  /** A window with no web page: hidden, it hears Windows' `session-end` while only the tray shows. */
  BaseWindow: new (options: Electron.BaseWindowConstructorOptions) => Listens<{
    'session-end': (event: Pick<Electron.WindowSessionEndEvent, 'reasons'>) => void;
  }>;
  crashReporter: Pick<Electron.CrashReporter, 'start'>;
  /** electron-updater's updater, made only once a policy names a feed: none, nothing is made. */
  updater: () => UpdaterLike;
  dialog: Pick<Electron.Dialog, 'showErrorBox'>;
  /** electron-store's class: the app's data files (conf's options, `name` included). */
  Store: new (options: Omit<StoreFileOptions, 'sync'>) => DocumentFile;
}
