import type { DesktopLog } from './diagnostics.js';
import type { Surfaces } from './surfaces.js';

/**
 * The app's end, whichever way it comes — Quit, the OS shutting down or the user logging off —
 * runs the same final flush once, then exits. A second request while it runs joins the first.
 */
export function endOnce(
  flush: () => Promise<void>,
  exit: () => void,
  log: Pick<DesktopLog, 'write' | 'warn'>,
): (why: string) => Promise<void> {
  let ending: Promise<void> | undefined;
  return (why) => {
    if (ending) return ending;
    log.write(`quitting: ${why}`);
    ending = flush()
      .catch((error: unknown) => log.warn(`the final flush failed: ${(error as Error).message}`))
      .finally(exit);
    return ending;
  };
}

/**
 * The OS ending the session. `before-quit` covers Quit; Linux and macOS tell `powerMonitor`.
 * Windows emits neither `before-quit` nor `powerMonitor`'s `shutdown` at shutdown or logoff: it
 * tells windows (`session-end`), and only the tray may be showing, so a hidden window without a
 * page — no renderer, a few kilobytes — is there to hear it.
 */
export function endWithSession(
  os: Pick<Surfaces, 'powerMonitor' | 'BaseWindow'>,
  platform: NodeJS.Platform,
  end: (why: string) => unknown,
): void {
  os.powerMonitor.on('shutdown', (event) => {
    // Held (Linux: logind's delay lock, kept until the app exits, within logind's limit) while
    // the flush runs; the app exits right after it.
    event?.preventDefault();
    void end('the system is shutting down');
  });
  if (platform !== 'win32') return;
  const listener = new os.BaseWindow({ show: false, skipTaskbar: true, focusable: false, title: 'Headroom' });
  listener.on('session-end', (event) => void end(`the Windows session ends (${event.reasons.join(', ')})`));
}
