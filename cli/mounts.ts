import type { MountInfo } from '../shared/disk.js';
import { mountPointSchema } from '../shared/paths.js';
import { fsPath } from '../core/fs/path-bytes.js';
import { stat } from '../core/fs/promised.js';
import { lookupMount, normaliseMountPath, notMountedWarnings } from '../core/mount-table.js';
import type { CliIO } from './context.js';
import { UserError } from './errors.js';

/** Resolves `--mount` paths; a path that is not a mount point is an error that names it. */
export async function resolveNamedMounts(paths: string[]): Promise<MountInfo[]> {
  const mounts: MountInfo[] = [];
  for (const path of paths) {
    const mount = normaliseMountPath(path);
    const info = await lookupMount(mount);
    if (!info) {
      const exists = await stat(fsPath(mount)).then(
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

/** A mount point typed as an argument: absolute and plain, or a usage error naming it. */
export function mountArgument(what: string, path: string): string {
  const checked = mountPointSchema.safeParse(path);
  if (!checked.success)
    throw new UserError(`${what} ${JSON.stringify(path)}: ${checked.error.issues[0]!.message}.`);
  return path;
}

/** Says which of `paths` are not mounted now (they are saved all the same). */
export async function warnNotMounted(io: CliIO, paths: Iterable<string>): Promise<void> {
  for (const warning of await notMountedWarnings(paths)) io.err(`headroom: warning: ${warning}.`);
}
