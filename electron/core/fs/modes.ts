import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Data files readable by their owner only (0600) in folders only the owner can enter (0700), as
 * the README promises: files made before that rule, copied in, or restored from a backup with
 * looser modes are tightened at start. Symbolic links are left alone (and never written through).
 */
export function tightenModes(dir: string): void {
  if (process.platform === 'win32') return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing saved yet
    throw error;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const s = lstatSync(path);
      if (s.isDirectory()) {
        if ((s.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
        tightenModes(path);
      } else if (s.isFile() && (s.mode & 0o077) !== 0) chmodSync(path, s.mode & 0o700);
    } catch (error) {
      // Gone meanwhile (another Headroom process's lock or temp file, a delivery just sent), or
      // not ours to change: tightening is a safeguard, never a reason not to start.
      if (!['ENOENT', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
}
