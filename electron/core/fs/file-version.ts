import { statSync } from 'node:fs';

/** Changes whenever the file is replaced (a new inode) or rewritten in place. */
export function fileVersion(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
