import type { Watcher } from '../../core/watcher.js';
import type { RendererCrashes } from './crash-recovery.js';
import { pushEvents } from './ipc.js';
import type { Surfaces, WindowLike } from './surfaces.js';
import { createMainWindow } from './window.js';

/** The one main window: made when asked for, destroyed on close, brought forward when open. */
export class WindowManager {
  private window: WindowLike | null = null;

  constructor(
    private readonly BrowserWindow: Surfaces['BrowserWindow'],
    private readonly watcher: Watcher,
    private readonly rendererFile: string,
    private readonly preloadFile: string,
    private readonly crashes: RendererCrashes,
  ) {}

  /** Opens (or focuses) the window; with a mount, on that disk's card. */
  open(mount?: string): void {
    if (this.window) {
      // The crash page asks the user to open the window to try again: that loads the app anew.
      if (this.crashes.showsCrashPage(this.window)) {
        this.crashes.retried(this.window);
        this.load(this.window, mount);
      } else if (mount) this.watcher.events.emit('focusDisk', { mount });
      if (this.window.isMinimized()) this.window.restore();
      this.window.show();
      this.window.focus();
      return;
    }
    const window = createMainWindow(this.BrowserWindow, this.preloadFile);
    this.window = window;
    pushEvents(this.watcher, window.webContents);
    this.crashes.watch(window);
    window.once('ready-to-show', () => window.show());
    // Destroyed on close, not hidden: an idle tray app should hold no renderer in memory.
    window.on('closed', () => (this.window = null));
    this.load(window, mount);
  }

  private load(window: WindowLike, mount?: string): void {
    void window.loadFile(
      this.rendererFile,
      mount ? { hash: `disks?mount=${encodeURIComponent(mount)}` } : {},
    );
  }
}
