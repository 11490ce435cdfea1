import type { RenderProcessGoneDetails } from 'electron';
import type { WindowLike } from './surfaces.js';

/** A second crash this soon after the first is not reloaded: the page would only crash again. */
export const RECRASH_MS = 60_000;

export interface CrashOptions {
  log: (line: string) => void;
  /** Where the log and the crash dumps are, for the page that says what happened. */
  logFile: string;
  crashDumps: string;
  now?: () => number;
}

/**
 * What the app does when the window's page (its renderer process) dies: reload it once, and log
 * it; if it dies again within a minute, show a plain page of its own instead — no script, nothing
 * of the app's renderer — that says what happened and where the log is, and reload no more. A
 * hung page is logged (Electron tells when it responds again).
 */
export class RendererCrashes {
  private lastCrash = -Infinity;
  private readonly onCrashPage = new WeakSet<WindowLike>();

  constructor(private readonly o: CrashOptions) {}

  watch(window: WindowLike): void {
    const contents = window.webContents;
    contents.on('render-process-gone', (_event, details) => this.gone(window, details));
    contents.on('unresponsive', () => this.o.log('the window stopped responding'));
    contents.on('responsive', () => this.o.log('the window responds again'));
  }

  /** Showing the crash page: the tray's Open Headroom is then the user's "try again". */
  showsCrashPage(window: WindowLike): boolean {
    return this.onCrashPage.has(window);
  }

  retried(window: WindowLike): void {
    this.onCrashPage.delete(window);
  }

  private gone(window: WindowLike, details: RenderProcessGoneDetails): void {
    if (window.webContents.isDestroyed()) return;
    const now = (this.o.now ?? Date.now)();
    const again = now - this.lastCrash < RECRASH_MS;
    this.lastCrash = now;
    const what = `the window's page is gone (${details.reason}, exit code ${details.exitCode})`;
    if (this.onCrashPage.has(window)) return this.o.log(`${what} while it showed the crash page`);
    if (!again) {
      this.o.log(`${what}; reloading it`);
      return window.webContents.reload();
    }
    this.o.log(`${what} again within a minute; showing the crash page, not reloading`);
    this.onCrashPage.add(window);
    void window.webContents.loadURL(crashPage(details, this.o.logFile, this.o.crashDumps));
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page, as a data: URL: it needs no file and allows nothing (no script, no request). */
export function crashPage(details: RenderProcessGoneDetails, logFile: string, crashDumps: string): string {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Headroom: the window stopped</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:40em;padding:0 1em;color:#e6e9ee;background:#101418}code{word-break:break-all;color:#fff}</style>
</head><body>
<h1>Headroom’s window stopped working</h1>
<p>Its page stopped twice within a minute (${escape(details.reason)}, exit code ${details.exitCode}), so Headroom did not load it again.</p>
<p>Headroom is still watching your disks and sends its alerts as before; the tray icon shows their state.</p>
<p>What happened is in the log: <code>${escape(logFile)}</code>. Crash reports stay on this computer, in <code>${escape(crashDumps)}</code>; nothing is sent anywhere.</p>
<p>To try again, choose <b>Open Headroom</b> in the tray menu.</p>
</body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
