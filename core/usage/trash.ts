import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { homedir } from '../builtins.js';
import { dirname, isAbsolute, join } from 'node:path';
import type { TrashView } from '../../shared/ipc/contract.js';
import { scanUsage } from './scanner.js';

/** A trash directory: `files/` holds what was thrown away, `info/` where it came from. */
export interface TrashPlace {
  dir: string;
  files: string;
}

/**
 * The trash directories of this process's user on the filesystem that holds `path`, as the
 * freedesktop Trash specification lays them out: the home trash when it lives on that
 * filesystem, then `$topdir/.Trash/$uid` and `$topdir/.Trash-$uid` of the filesystem's top
 * directory (https://specifications.freedesktop.org/trash-spec/latest/). Empty where there is no such trash
 * (Windows, macOS, or nothing thrown away yet). Reads only: Headroom never empties anything.
 */
export function trashPlaces(path: string): TrashPlace[] {
  const uid = process.getuid?.();
  const device = statOf(path)?.dev;
  if (uid === undefined || device === undefined) return [];
  const { XDG_DATA_HOME } = process.env;
  // The spec: $XDG_DATA_HOME when set to an absolute path, ~/.local/share otherwise.
  const dataHome =
    XDG_DATA_HOME && isAbsolute(XDG_DATA_HOME) ? XDG_DATA_HOME : join(homedir(), '.local', 'share');
  const top = topDir(path, device);
  const shared = lstatOf(join(top, '.Trash'));
  const candidates = [
    // The home trash may be a symlink (a dotfiles setup): followed, as file managers do.
    { dir: join(dataHome, 'Trash'), stat: statOf(join(dataHome, 'Trash')) },
    // §"Trash directories": an admin-made .Trash counts only when it is a real directory with the
    // sticky bit, so that no other user could have planted or swapped the per-user one inside it.
    ...(shared?.isDirectory() && (shared.mode & 0o1000) !== 0
      ? [{ dir: join(top, '.Trash', String(uid)), stat: lstatOf(join(top, '.Trash', String(uid))) }]
      : []),
    { dir: join(top, `.Trash-${uid}`), stat: lstatOf(join(top, `.Trash-${uid}`)) },
  ];
  const seen = new Set<string>();
  const places: TrashPlace[] = [];
  for (const { dir, stat } of candidates) {
    if (!stat?.isDirectory() || stat.dev !== device) continue;
    const real = realOf(dir);
    if (!real || seen.has(real)) continue;
    seen.add(real);
    places.push({
      dir: real,
      files: statOf(join(real, 'files'))?.isDirectory() ? join(real, 'files') : real,
    });
  }
  return places;
}

/**
 * The size of the user's Trash on the filesystem holding `path` (every trash directory there,
 * with its `info/` records), measured like the usage scan itself. Null where there is none.
 */
export async function trashOn(
  path: string,
  o: { signal?: AbortSignal; apparent?: boolean } = {},
): Promise<TrashView | null> {
  const places = trashPlaces(path);
  if (places.length === 0) return null;
  const sizes = await Promise.all(
    places.map((p) =>
      scanUsage(p.dir, { depth: 0, top: 1, apparent: o.apparent, signal: o.signal }).then((r) => r.size),
    ),
  );
  return { size: sizes.reduce((a, b) => a + b, 0), folders: places.map((p) => p.files) };
}

/** The highest directory above `path` still on the same filesystem: the spec's `$topdir`. */
function topDir(path: string, device: number): string {
  let dir = realOf(path) ?? path;
  for (;;) {
    const parent = dirname(dir);
    if (parent === dir || statOf(parent)?.dev !== device) return dir;
    dir = parent;
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function realOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
