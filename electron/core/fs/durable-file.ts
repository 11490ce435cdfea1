import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces a file so that it holds either the old or the new content, never a mix: a temp file,
 * then a rename. Once this returns the new content survives the process being killed (kill -9):
 * it is in the kernel. `sync` decides what happens about power loss:
 * - 'now': fsync file and directory before returning (~1 ms here);
 * - 'background': the same fsyncs, started now and finished a moment later, so a delivery can go
 *   out meanwhile; the returned promise settles when the data is on the disk;
 * - 'none': for files that are rebuilt if lost (state that is re-derived at the next sample).
 */
export function replaceFile(
  path: string,
  data: string,
  sync: 'now' | 'background' | 'none' = 'now',
): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, data);
    if (sync === 'now') fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  if (sync === 'now') syncDir(dirname(path));
  return sync === 'background' ? syncLater(path) : Promise.resolve();
}

async function syncLater(path: string): Promise<void> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return; // already delivered and removed: nothing left to make durable
  try {
    await file.sync();
  } finally {
    await file.close();
  }
  if (process.platform === 'win32') return;
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
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
