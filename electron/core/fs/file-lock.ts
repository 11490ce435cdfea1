import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { ownIdentity, stillRunning } from './process-identity.js';

/** A read-modify-write takes milliseconds; a lock older than this was left by a hung process. */
const STALE_MS = 10_000;
/** How long to wait for another process's edit before saying so. */
const WAIT_MS = 5_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `edit` while holding `file`.lock, so that the CLI, the app and the web UI — in any mix of
 * processes — never interleave a read-modify-write of the same data file (ten `integration add`
 * at once store ten). The lock file is created exclusively and records who holds it; one whose
 * process is gone (or whose pid now belongs to another process), or that is older than 10 s, is
 * taken over. Synchronous, as the stores are: waits in short sleeps, up to 5 s.
 */
export function withFileLock<T>(file: string, edit: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(ownIdentity()));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST')
        throw Object.assign(
          new Error(`${file} could not be locked for a change (${code}), so nothing was written; try again`, {
            cause: error,
          }),
          { code },
        );
      if (takeOverIfStale(lock)) continue;
      if (Date.now() > deadline)
        throw new Error(`${file} is being changed by another Headroom process (${lock}); try again`, {
          cause: error,
        });
      Atomics.wait(pause, 0, 0, wait);
    }
  }
  try {
    return edit();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Taken over as stale meanwhile: nothing left to release.
    }
  }
}

function takeOverIfStale(lock: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number; start?: number | null };
    if (stillRunning(holder) && Date.now() - statSync(lock).mtimeMs < STALE_MS) return false;
  } catch (error) {
    // Just released, or written half-way by a process that is starting: look again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    if (Date.now() - safeMtime(lock) < STALE_MS) return false;
  }
  try {
    unlinkSync(lock);
  } catch {
    // Another process took it over first.
  }
  return true;
}

function safeMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
