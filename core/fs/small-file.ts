import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * The most any file Headroom reads for a value may hold: a token, a URL, a certificate chain, the
 * policy itself. Far above any of them, and it keeps `/dev/zero` or a log given by mistake from
 * filling memory.
 */
export const MAX_SMALL_FILE_BYTES = 1024 * 1024;

/** The file cannot be one Headroom reads a value from; `message` says why (without the path). */
export class FileRefused extends Error {}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** What a file is, in words, when it is not a regular file or a pipe. */
function kindOf(s: Stats): string | null {
  if (s.isFile() || s.isFIFO()) return null;
  if (s.isDirectory()) return 'a folder';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a small text file in full, refusing (FileRefused) what cannot be one: larger than
 * `max` bytes, or a device, folder or socket (`/dev/zero`, `/dev/urandom` would never end). Its
 * kind is checked before it is opened, as opening some devices does something, and again once
 * open, in case it was swapped meanwhile. A pipe is read, up to the limit: `--token-file
 * <(pass show ops)` and standard input (`0`, of any kind) are how secrets stay off argv and
 * out of files. Other errors (ENOENT, EACCES) are thrown as they are.
 */
export function readSmallFile(path: string | 0, max = MAX_SMALL_FILE_BYTES): { text: string; stat: Stats } {
  if (path !== 0) {
    const kind = kindOf(statSync(path));
    if (kind) throw new FileRefused(`is ${kind}, not a file`);
  }
  const fd = path === 0 ? 0 : openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    // Standard input is whatever the caller connected: a pipe, a socket (Node's spawn), a terminal.
    const kind = path === 0 ? null : kindOf(stat);
    if (kind) throw new FileRefused(`is ${kind}, not a file`);
    if (stat.isFile() && stat.size > max) throw new FileRefused(tooLarge(max));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        // Standard input left non-blocking by a parent: wait for more rather than fail.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      // Read one byte past the limit to know it was passed, and no further: a pipe can be endless.
      if (total > max) throw new FileRefused(tooLarge(max));
    }
    return { text: Buffer.concat(chunks).toString('utf8'), stat };
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

function tooLarge(max: number): string {
  return `is larger than ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MB` : `${max} bytes`}, too large for a value Headroom reads from a file`;
}

/** Whether others than the owner may read it: worth a warning for a file holding a secret. */
export function readableByOthers(stat: Stats): boolean {
  return process.platform !== 'win32' && stat.isFile() && (stat.mode & 0o044) !== 0;
}
