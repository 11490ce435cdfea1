import { stat } from 'node:fs/promises';
import type { MountInfo } from '../../shared/disk.js';
import { lookupMount, normaliseMountPath } from '../core/mount-table.js';
import { UserError } from './errors.js';

/** Resolves `--mount` paths; a path that is not a mount point is an error that names it. */
export async function resolveNamedMounts(paths: string[]): Promise<MountInfo[]> {
  const mounts: MountInfo[] = [];
  for (const path of paths) {
    const mount = normaliseMountPath(path);
    const info = await lookupMount(mount);
    if (!info) {
      const exists = await stat(mount).then(
        () => true,
        () => false,
      );
      throw new UserError(
        exists
          ? `--mount ${path}: ${mount} is not a mount point. Give the directory a filesystem is mounted on (see \`headroom check\` for the list).`
          : `--mount ${path}: ${mount} does not exist.`,
      );
    }
    if (!mounts.some((m) => m.mount === info.mount)) mounts.push({ ...info, mount });
  }
  return mounts;
}
