import * as fs from 'node:fs';
import { promisify } from '../builtins.js';

// The watcher's asynchronous file calls, promisified from node:fs rather than imported from
// node:fs/promises: that module loads Node's streams and readline along with it (for its
// FileHandle), 1 MiB of idle RSS for the life of the process. Same calls, same results.

export const readFile = promisify(fs.readFile);
export const stat = promisify(fs.stat);
export const statfs = promisify(fs.statfs);

/** The real path of `path`, as bytes: a path that is not UTF-8 stays what it is. */
export const realpathBytes = (path: string | Buffer): Promise<Buffer> =>
  promisify(fs.realpath)(path, { encoding: 'buffer' });

const open = promisify(fs.open);
const fsync = promisify(fs.fsync);
const close = promisify(fs.close);

/** Flushes a directory's entries (a rename in it) to the disk. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fsync(fd);
  } finally {
    await close(fd);
  }
}
