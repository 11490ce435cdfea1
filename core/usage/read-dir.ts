import { constants, readdirSync } from 'node:fs';
import { pathFromBytes } from '../fs/path-bytes.js';
import { BLOCKS, DEV, INO, MODE, NLINK, SIZE, scanLstat } from './lstat-fields.js';
import type { MountPoints } from './mount-points.js';

/** A path as the scan holds it: bytes where a name is not valid UTF-8. */
export type Path = string | Buffer;

/** What reading one directory found: its files summed, its subdirectories to read next. */
export interface DirRead {
  /** The directory's index in the scan's table. */
  id: number;
  /** Its files' bytes and count, files with several names left out (see `links`). */
  bytes: number;
  files: number;
  /** Subdirectories on the same filesystem, by name, and each one's own bytes. */
  dirs: Path[];
  dirBytes: number[];
  /** Files with several names, as inode and bytes pairs: counted once by whoever gathers the reads. */
  links: number[];
  vanished: number;
  unreadable: { path: string; code: string }[];
  otherMounts: string[];
}

/**
 * Reads as a few flat arrays, for a helper's answer: the structured clone of a batch of DirRead
 * objects cost more than reading them (measured: a helper alone 25% slower than the scanner alone).
 */
export interface PackedReads {
  counts: number[]; // per read: id, bytes, files, vanished, subdirectories, links
  dirs: Path[];
  dirBytes: number[];
  links: number[];
  unreadable: DirRead['unreadable'][];
  otherMounts: string[][];
}

export function pack(reads: DirRead[]): PackedReads {
  const p: PackedReads = { counts: [], dirs: [], dirBytes: [], links: [], unreadable: [], otherMounts: [] };
  for (const r of reads) {
    p.counts.push(r.id, r.bytes, r.files, r.vanished, r.dirs.length, r.links.length);
    // A loop, not push(...): a directory may hold more subdirectories than a call takes arguments.
    for (let i = 0; i < r.dirs.length; i++) {
      p.dirs.push(r.dirs[i]!);
      p.dirBytes.push(r.dirBytes[i]!);
    }
    for (const n of r.links) p.links.push(n);
    p.unreadable.push(r.unreadable);
    p.otherMounts.push(r.otherMounts);
  }
  return p;
}

export function unpack(p: PackedReads): DirRead[] {
  const reads: DirRead[] = [];
  let dir = 0;
  let link = 0;
  for (let c = 0, r = 0; c < p.counts.length; c += 6, r++) {
    const [id, bytes, files, vanished, dirs, links] = p.counts.slice(c, c + 6) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    reads.push({
      id,
      bytes,
      files,
      vanished,
      dirs: p.dirs.slice(dir, dir + dirs),
      dirBytes: p.dirBytes.slice(dir, (dir += dirs)),
      links: p.links.slice(link, (link += links)),
      unreadable: p.unreadable[r]!,
      otherMounts: p.otherMounts[r]!,
    });
  }
  return reads;
}

export interface ReadOptions {
  /** The scanned filesystem's device: entries on another one are not entered (`du -x`). */
  device: number;
  /** Mount points below the root, never entered whatever their device (see mountPointsBelow). */
  mountPoints?: MountPoints;
  /** `st_size` instead of allocated blocks (`du --apparent-size`). */
  apparent: boolean;
}

const SEP = Buffer.from('/');
const REPLACEMENT = '\uFFFD';
const { S_IFMT, S_IFDIR } = constants;

/**
 * Lists `path` and lstats each entry, never following a symlink. With `here`, the process's
 * working directory is `path` already, and entries are looked up by name alone: the kernel then
 * resolves one component per file rather than the whole path (a fifth less CPU on a deep tree).
 * Whatever cannot be read is counted and listed, never thrown; an entry deleted meanwhile is only
 * counted as vanished.
 */
export function readDir(path: Path, id: number, o: ReadOptions, here = false): DirRead {
  const read: DirRead = {
    id,
    bytes: 0,
    files: 0,
    dirs: [],
    dirBytes: [],
    links: [],
    vanished: 0,
    unreadable: [],
    otherMounts: [],
  };
  const cannotRead = (at: Path, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') read.vanished++;
    else read.unreadable.push({ path: spelt(at), code });
  };
  const entries = list(here ? '.' : path, path, cannotRead);
  if (!entries) return read;
  // One prefix per directory rather than a join per entry: the loop below runs once per file.
  const prefix = typeof path === 'string' && typeof entries[0] === 'string' ? withSlash(path) : null;
  // One look-up per directory; only the few that hold a mount point check their entries.
  const mounted = o.mountPoints?.size ? o.mountPoints.get(spelt(path)) : undefined;
  const lstat = scanLstat();
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e]!;
    // Not even an lstat: it would be of the mounted root (and may hang on a dead network share).
    if (mounted?.has(spelt(entry))) {
      read.otherMounts.push(spelt(join(path, entry)));
      continue;
    }
    const child = here ? entry : prefix !== null ? prefix + (entry as string) : join(path, entry);
    let st;
    try {
      st = lstat(child);
    } catch (error) {
      cannotRead(here ? join(path, entry) : child, error);
      continue;
    }
    if (!st) {
      read.vanished++;
      continue;
    }
    // Another filesystem mounted here (or a file bind-mounted): not this disk's space.
    if (st[DEV] !== o.device) {
      read.otherMounts.push(spelt(join(path, entry)));
      continue;
    }
    const size = o.apparent ? st[SIZE]! : st[BLOCKS]! * 512;
    if ((st[MODE]! & S_IFMT) === S_IFDIR) {
      read.dirs.push(entry);
      read.dirBytes.push(size);
    } else if (st[NLINK]! > 1) read.links.push(st[INO]!, size);
    else {
      read.bytes += size;
      read.files++;
    }
  }
  return read;
}

/**
 * A directory's entries; null when it cannot be listed. Names that are not valid UTF-8 come back
 * with U+FFFD in them, which names no file: such a directory is read again as bytes.
 */
function list(at: Path, path: Path, cannotRead: (path: Path, error: unknown) => void): Path[] | null {
  try {
    // Names only: lstat tells the type anyway, and Dirent objects cost a quarter of the scan.
    const names: Path[] = readdirSync(at);
    if (!names.some((n) => (n as string).includes(REPLACEMENT))) return names;
    return readdirSync(at, { encoding: 'buffer' });
  } catch (error) {
    cannotRead(path, error);
    return null;
  }
}

/** A path or name as the mount table spells it (see shared/path-bytes.ts). */
function spelt(p: Path): string {
  return typeof p === 'string' ? p : pathFromBytes(p);
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

export function join(dir: Path, name: Path): Path {
  if (typeof dir === 'string' && typeof name === 'string')
    return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
  const d = Buffer.from(dir);
  return d.at(-1) === SEP[0]
    ? Buffer.concat([d, Buffer.from(name)])
    : Buffer.concat([d, SEP, Buffer.from(name)]);
}

/**
 * Reads `path` from inside it when this process may change its working directory (a process of
 * its own: a helper, or the scanning process), else by its whole path. process.chdir takes text
 * only: a path that is not UTF-8 is read by its whole path, and so is one that cannot be entered,
 * which then reports why it cannot be read, as any scan does.
 */
export function readFromInside(path: Path, id: number, o: ReadOptions): DirRead {
  if (typeof path === 'string' && enter(path)) return readDir(path, id, o, true);
  return readDir(path, id, o);
}

function enter(path: string): boolean {
  try {
    process.chdir(path);
    return true;
  } catch {
    return false;
  }
}
