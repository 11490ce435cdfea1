import type { BrowserWindowConstructorOptions, WebContents } from 'electron';

/** One place for the main window's security settings (Electron's checklist), unit-tested. */
export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Headroom',
    backgroundColor: '#101418',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/**
 * Applied to every web contents the app creates: no navigation away from the app, no new windows,
 * no permission prompts; https links open in the user's browser, nothing else opens at all.
 */
export function hardenContents(
  contents: WebContents,
  openExternal: (url: string) => void,
  appUrl: (url: string) => boolean,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!appUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!appUrl(url)) event.preventDefault();
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
