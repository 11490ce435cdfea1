import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/** Why a folder is not opened, and which input to fix. */
export class FolderRefused extends Error {
  readonly field = 'path';
}

/**
 * The folder "Open in file manager" may open: `path` resolved (symlinks, `..`) must be a directory
 * inside `mount` and on the mount's own filesystem, not one mounted below it. A file is refused:
 * the file manager would run it with whatever application claims it, which is not what a person
 * looking at sizes asked for.
 */
export function folderToOpen(mount: string, path: string): string {
  const base = realpathSync(mount);
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FolderRefused(
      code === 'ENOENT'
        ? `${path} does not exist (any more): scan again to see what is there now`
        : `${path} cannot be read (${code})`,
    );
  }
  const rel = relative(base, real);
  if (rel.split(sep)[0] === '..' || isAbsolute(rel))
    throw new FolderRefused(`${path} is not on ${mount}: only folders of the disk shown can be opened`);
  const stat = statSync(real);
  if (!stat.isDirectory())
    throw new FolderRefused(`${path} is not a folder: Headroom opens folders only, never files`);
  if (stat.dev !== statSync(base).dev)
    throw new FolderRefused(`${path} is on another filesystem mounted inside ${mount}`);
  return real;
}
