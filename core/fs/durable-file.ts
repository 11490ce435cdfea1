import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { noSpaceOr } from './no-space.js';
import { fsyncDir } from './promised.js';

/** Write-only, created 0600, truncated, and never through a symlink someone left in its place. */
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
/**
 * A temp file is created, never opened (O_EXCL, the 'wx' flag): its folder may not be Headroom's
 * (`--textfile`), where anyone who can write there could otherwise plant a file or link by the name.
 */
const CREATE_ONLY = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/**
 * Replaces a file so that it holds either the old or the new content, never a mix: a temp file,
 * fsynced, then a rename. Once this returns the new content survives the process being killed
 * (kill -9): it is in the kernel. `sync` decides what happens about power loss:
 * - 'now': the data fsynced before the rename, the directory after, both before returning;
 * - 'background': the data fsynced before the rename (a power cut must not leave an empty file
 *   under the new name), the directory a moment later, so a delivery can go out meanwhile; the
 *   returned promise settles when the rename is on the disk;
 * - 'none': for files that are rebuilt if lost (state that is re-derived at the next sample).
 * `mode` other than 0600 is for files another user's process reads (node_exporter's textfile
 * collector): set exactly, whatever the umask.
 */
export function replaceFile(
  path: string,
  data: string,
  sync: 'now' | 'background' | 'none' = 'now',
  mode?: number,
): Promise<void> {
  // The pid lets removeStaleTemps tell a dead writer's; the random part cannot be guessed ahead.
  const temp = `${path}.${process.pid}.${tempSuffix()}.tmp`;
  let fd: number;
  try {
    fd = openNoFollow(temp, CREATE_ONLY);
  } catch (error) {
    throw noSpaceOr(error, path);
  }
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeSync(fd, data);
      if (sync !== 'none') fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    // A full disk fails the write: leave no empty temp file behind.
    rmSync(temp, { force: true });
    throw noSpaceOr(error, path);
  }
  if (sync === 'now') syncDir(dirname(path));
  return sync === 'background' ? syncLater(path) : Promise.resolve();
}

/**
 * 48 random bits for a temp file's name (and a file lock's mark). Math.random, not node:crypto:
 * another process cannot see its state, so cannot guess the name ahead, and a name planted anyway
 * is refused (O_EXCL). The watcher's first state write would otherwise load node:crypto for this
 * alone: ~2 MB of idle RSS (its module and the OpenSSL pages it touches).
 */
export const tempSuffix = () =>
  Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');

/** Opens `path` for writing, refusing a symlink with a message that names the file. */
export function openNoFollow(path: string, flags = WRITE_NEW): number {
  try {
    return openSync(path, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw Object.assign(
        new Error(
          `${path} is a symbolic link: Headroom writes its data files only as plain files; remove the link`,
        ),
        { code: 'ELOOP' },
      );
    throw error;
  }
}

async function syncLater(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  await fsyncDir(dirname(path));
}

export function syncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
