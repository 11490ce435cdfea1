import type { MountInfo } from '../shared/disk.js';
import { mountPointSchema } from '../shared/paths.js';
import { fsPath, pathFromBytes } from '../core/fs/path-bytes.js';
import { dirname } from 'node:path';
import { realpathBytes } from '../core/fs/promised.js';
import { lookupMount, normaliseMountPath, notMountedWarnings } from '../core/mount-table.js';
import type { CliIO } from './context.js';
import { UserError } from './errors.js';

/**
 * Resolves `--mount` paths. A file or directory that is not a mount point means the disk it is
 * on, as df takes it, and `note` is told so; a path that does not exist is an error naming it.
 */
export async function resolveNamedMounts(
  paths: string[],
  note: (line: string) => void,
): Promise<MountInfo[]> {
  const mounts: MountInfo[] = [];
  for (const path of paths) {
    const named = normaliseMountPath(path);
    let info = await lookupMount(named);
    let mount = named;
    if (!info) {
      const on = await mountOf(named);
      if (!on) throw new UserError(`--mount ${path}: ${named} does not exist.`);
      ({ info, mount } = { info: on, mount: on.mount });
      note(`${named} is not a mount point: using ${mount}, the disk it is on.`);
    }
    if (!mounts.some((m) => m.mount === info.mount)) mounts.push({ ...info, mount });
  }
  return mounts;
}

/** The mount a file or directory is on (its real path's nearest mount point), or null if it does not exist. */
async function mountOf(path: string): Promise<MountInfo | null> {
  const real = await realpathBytes(fsPath(path)).then(pathFromBytes, () => null);
  if (real === null) return null;
  for (let dir = real; ; dir = dirname(dir)) {
    const info = await lookupMount(dir);
    if (info) return info;
    if (dirname(dir) === dir) return null;
  }
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
