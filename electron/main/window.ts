import type { BrowserWindowConstructorOptions } from 'electron';
import type { ContentsLike } from './surfaces.js';

/**
 * The main window, with its security settings (Electron's checklist) in one place, unit-tested
 * with a stand-in constructor. They are written out as a literal at `new BrowserWindow` so that
 * Electronegativity (`npm run scan:electron`) reads them. Its two findings here are reviewed (see
 * docs/security.md): the preload exposes one function per request of the typed contract and no
 * raw ipcRenderer (PRELOAD_JS_CHECK); the "Auxclick" Blink feature that AUXCLICK_JS_CHECK wants
 * disabled no longer exists, and a middle-click only requests a new window, which hardenContents
 * denies (electron/electron#10315, #20318).
 */
export function createMainWindow<W>(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => W,
  preload: string,
): W {
  /* eng-disable AUXCLICK_JS_CHECK */ return new BrowserWindow({
    width: 1100,
    height: 760,
    // The layout works down to 360 px (issue 20): the window may be as narrow as a tray popover.
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Headroom',
    backgroundColor: '#101418',
    webPreferences: {
      preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
}

/**
 * Applied to every web contents the app creates: no navigation away from the app, no new windows,
 * no permission prompts; https links open in the user's browser, nothing else opens at all.
 */
export function hardenContents(
  contents: ContentsLike,
  openExternal: (url: string) => void,
  appUrl: (url: string) => boolean,
): void {
  // The URL is read from the event: the positional argument is deprecated since Electron 25.
  contents.on('will-navigate', (event) => {
    if (!appUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!appUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function isSafeExternal(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
