import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Surfaces } from './surfaces.js';

/** Past this the log starts anew; the previous one is kept as `desktop.log.1`. */
const MAX_LOG_BYTES = 1024 * 1024;

export interface DesktopLog {
  /** `logs/desktop.log` in the data directory: what the crash page and the docs point to. */
  readonly file: string;
  /** A line in the log. */
  write(line: string): void;
  /** A line in the log and on stderr: something went wrong. */
  warn(line: string): void;
}

/**
 * What the desktop app has to tell after the fact — a window that crashed or hung, a shutdown, an
 * update check — in a file the user can find (the app has no terminal).
 */
export function openDesktopLog(dir: string, echo: (line: string) => void = console.error): DesktopLog {
  const folder = join(dir, 'logs');
  const file = join(folder, 'desktop.log');
  const write = (line: string) => {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_LOG_BYTES)
        renameSync(file, `${file}.1`);
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // A full or read-only disk must not stop the app over its log (a warning still goes to stderr).
    }
  };
  return {
    file,
    write,
    warn(line) {
      echo(`headroom: ${line}`);
      write(line);
    },
  };
}

/**
 * Crash dumps (Crashpad's minidumps, of any of the app's processes) kept in `crashes/` in the data
 * directory and never uploaded: there is no server, and a dump holds memory that may hold secrets.
 * Before the app is ready, so that a crash during start is kept too.
 */
export function keepCrashDumps(os: Pick<Surfaces, 'app' | 'crashReporter'>, dir: string): string {
  const crashes = join(dir, 'crashes');
  os.app.setPath('crashDumps', crashes);
  os.crashReporter.start({ uploadToServer: false });
  return crashes;
}
