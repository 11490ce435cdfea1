import { readFileSync } from 'node:fs';
import { pathFromBytes } from './fs/path-bytes.js';
import { normaliseMountPath, unescapeMountField } from './mount-table.js';

export const FSTAB = '/etc/fstab';

/**
 * The mount points `/etc/fstab` lists: the machine's own disks, which the user set up to be
 * there. One of those that goes missing is reported unreachable, where a disk discovery merely
 * came across (another job's loop mount, a USB stick) is gone quietly. Swap and `none` are not
 * mount points. No fstab (not Linux, a container) lists nothing.
 */
export function fstabMountPoints(path: string = FSTAB): Set<string> {
  // As bytes, as the kernel's table is read: a path that is not UTF-8 must match its mount there.
  // Synchronously, once per full sample: a few hundred bytes of the system disk, as the watcher's
  // own files are written. Node's asynchronous readFile would stay loaded for the life of the
  // watcher: 0.1 MiB of idle RSS.
  let text = '';
  try {
    text = pathFromBytes(readFileSync(path));
  } catch {
    // No fstab: nothing listed.
  }
  const mounts = new Set<string>();
  for (const line of text.split('\n')) {
    const [, field] = line.trim().split(/\s+/);
    if (!field || line.trim().startsWith('#')) continue;
    const mount = unescapeMountField(field);
    if (mount.startsWith('/')) mounts.add(normaliseMountPath(mount));
  }
  return mounts;
}
