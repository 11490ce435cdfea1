import { statSync } from 'node:fs';

/** Changes whenever the file is replaced (a new inode) or rewritten in place. */
export function fileVersion(file: string): string {
  try {
    // No exception for the usual missing file (no settings saved yet): asked at every re-read.
    const s = statSync(file, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.ino}:${s.mtimeNs}:${s.size}` : 'missing';
  } catch {
    return 'missing';
  }
}
