import { realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fsPath, pathFromBytes } from '../fs/path-bytes.js';
import { parseMountTable, readMountTableText } from '../mount-table.js';

/**
 * The mount points below a scan's root: for each directory that holds one (spelt as the scan
 * spells the paths it reads), the names of its entries that are mount points.
 */
export type MountPoints = Map<string, Set<string>>;

/**
 * Where a scan must not go: every mount point below `root` that the kernel's table lists. A
 * different device is not enough to tell: a bind mount of the same filesystem has the same one,
 * and entering it counts its folder twice (and, a hard link seen there first, credits the bytes to
 * the bind path). Read once at the start; a mount made during the scan is still caught by its
 * device when it is another filesystem. Elsewhere than Linux (no table) nothing is listed, and the
 * device check alone applies.
 */
export function mountPointsBelow(root: string): MountPoints {
  const points: MountPoints = new Map();
  const table = readMountTableText();
  if (table === null) return points;
  const scanned = resolve(root);
  let real: string;
  try {
    // The table lists real paths; the scan reads by the path it was given (a symlink, say).
    real = pathFromBytes(realpathSync(fsPath(scanned), { encoding: 'buffer' }));
  } catch {
    return points;
  }
  const prefix = real === '/' ? '/' : `${real}/`;
  for (const { mount } of parseMountTable(table)) {
    if (!mount.startsWith(prefix) || mount.length === prefix.length) continue;
    const below = mount.slice(prefix.length);
    const path = scanned === '/' ? `/${below}` : `${scanned}/${below}`;
    const dir = dirname(path);
    const names = points.get(dir) ?? new Set<string>();
    names.add(basename(path));
    points.set(dir, names);
  }
  return points;
}
