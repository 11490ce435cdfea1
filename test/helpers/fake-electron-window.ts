import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { ContentsLike, Surfaces } from '../../electron/main/surfaces.js';
import type { Record } from './fake-electron-tray.js';

/**
 * The fake's windows (see fake-electron.ts): each with its web contents, announced to `app` as
 * Electron does ('web-contents-created'), each call recorded.
 */
export function windowFakes(record: Record, app: EventEmitter) {
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

  // Given as the surface's type (see fake-electron-tray.ts); `windows` holds the instances.
  return { BrowserWindow: FakeWindow as Surfaces['BrowserWindow'], windows };
}
