import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { ownIdentity, stillRunning } from './process-identity.js';
import { tempSuffix } from './durable-file.js';
import { noSpaceOr } from './no-space.js';

/** A read-modify-write takes milliseconds; where a holder's start time is unknown, older is stale. */
const STALE_MS = 10_000;
/** How long to wait for another process's edit before saying so. */
const WAIT_MS = 5_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

interface Holder {
  pid: number;
  start?: number | null;
  /** This acquisition's own mark: a lock is released only by whoever wrote it. */
  token: string;
}

/**
 * Runs `edit` while holding `file`.lock, so that the CLI, the app and the web UI — in any mix of
 * processes — never interleave a read-modify-write of the same data file (ten `integration add`
 * at once store ten). The lock file is created exclusively and records who holds it; one whose
 * process is gone or whose pid now belongs to another process (told apart by its start time) is
 * taken over. Synchronous, as the stores are: waits in short sleeps, up to 5 s. No library:
 * proper-lockfile's synchronous API does not wait, and these stores cannot await.
 */
export function withFileLock<T>(file: string, edit: () => T): T {
  const lock = `${file}.lock`;
  // Told apart from any other holder's, without node:crypto: a watcher takes one at start.
  const token = `${process.pid}.${tempSuffix()}`;
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      if (createExclusive(lock, { ...ownIdentity(), token } satisfies Holder)) break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') throw noSpaceOr(error, file);
      throw Object.assign(
        new Error(`${file} could not be locked for a change (${code}), so nothing was written; try again`, {
          cause: error,
        }),
        { code },
      );
    }
    if (Date.now() > deadline)
      throw new Error(`${file} is being changed by another Headroom process (${lock}); try again`);
    if (!takeOverIfStale(lock)) Atomics.wait(pause, 0, 0, wait);
  }
  try {
    return edit();
  } finally {
    // Only our own: had it been taken over meanwhile, the file is someone else's lock now.
    if (holderOf<Holder>(lock)?.token === token) unlinkQuietly(lock);
  }
}

/** Removes a lock whose holder is gone; true when the caller may try to take it at once. */
function takeOverIfStale(lock: string): boolean {
  const holder = holderOf<Holder>(lock);
  if (holder === undefined) return true; // just released
  const stale = holder
    ? !stillRunning(holder) || (holder.start == null && age(lock) > STALE_MS)
    : age(lock) > STALE_MS; // unreadable: half-written by a process starting, or left by a crash
  if (!stale) return false;
  // Remove it only if it is still the one judged stale: another process may have taken over
  // and written its own lock in between.
  const again = holderOf<Holder>(lock);
  if (again && holder && again.token !== holder.token) return false;
  return unlinkQuietly(lock);
}

/**
 * Creates a lock file holding `holder` (as JSON), only if there is none: true when created,
 * false when one exists; any other error is thrown.
 */
export function createExclusive(lock: string, holder: object): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } catch (error) {
    // A full disk: an empty lock would block everyone until judged stale.
    closeSync(fd);
    unlinkQuietly(lock);
    throw error;
  }
  closeSync(fd);
  return true;
}

/** The lock's holder, null when it cannot be read, undefined when there is no lock. */
export function holderOf<H = Holder>(lock: string): H | null | undefined {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as H;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
  }
}

function age(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when the file is gone now (removed here, or already). */
export function unlinkQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
