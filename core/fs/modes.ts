import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Headroom's own files; in the desktop app the folder also holds Chromium's, left alone. */
const OURS = /\.(json|jsonl|lock|tmp|corrupt)$|^ui-url$/;

/**
 * Data files readable by their owner only (0600) in folders only the owner can enter (0700), as
 * docs/data-directory.md promises: files made before that rule, copied in, or restored from a backup with
 * looser modes are tightened at start. Symbolic links are left alone (and never written through).
 */
export function tightenModes(dir: string): void {
  if (process.platform === 'win32') return;
  for (const name of list(dir)) {
    if (name === 'outbox') {
      tighten(join(dir, name));
      for (const entry of list(join(dir, name))) tighten(join(dir, name, entry));
      for (const entry of list(join(dir, name, 'failed'))) tighten(join(dir, name, 'failed', entry));
    } else if (OURS.test(name)) tighten(join(dir, name));
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // nothing saved there yet
  }
}

function tighten(path: string): void {
  try {
    const s = lstatSync(path);
    if (s.isDirectory() && (s.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    else if (s.isFile() && (s.mode & 0o077) !== 0) chmodSync(path, s.mode & 0o700);
  } catch (error) {
    // Gone meanwhile (another Headroom process's lock or temp file, a delivery just sent), or
    // not ours to change: tightening is a safeguard, never a reason not to start.
    if (!['ENOENT', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
