import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { MountInfo } from '../shared/disk.js';
import { createRequire } from './builtins.js';

// systeminformation's filesystem module alone: its index loads every module (CPU, graphics, …),
// ~8 MB more memory for an idle watcher.
const { fsSize } = createRequire(import.meta.url)('systeminformation/lib/filesystem.js') as Pick<
  typeof import('systeminformation'),
  'fsSize'
>;

/**
 * Filesystems that hold no user data or cannot fill up: kernel interfaces, container layers,
 * read-only images. Skipped by discovery; a mount named explicitly is watched whatever its type.
 */
const PSEUDO_TYPES = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fusectl',
  'hugetlbfs',
  'iso9660',
  'mqueue',
  'nsfs',
  'nullfs',
  'overlay',
  'proc',
  'pstore',
  'ramfs',
  'rpc_pipefs',
  'securityfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
  'udf',
  'fuse.gvfsd-fuse',
  'fuse.portal',
  'fuse.snapfuse',
]);

/** macOS mounts volumes of the system's APFS container that share its space with `/`. */
const PSEUDO_MOUNT_PREFIXES = ['/System/Volumes/', '/private/var/vm', '/snap/', '/var/lib/docker/'];

export function isPseudo(m: MountInfo): boolean {
  // A container's own root is an overlay, and it is the disk that fills.
  if (m.mount === '/') return false;
  return PSEUDO_TYPES.has(m.type.toLowerCase()) || PSEUDO_MOUNT_PREFIXES.some((p) => m.mount.startsWith(p));
}

/**
 * The machine's drives, found portably by systeminformation (Windows drive letters, macOS
 * volumes, Linux block devices; it leaves out tmpfs by design), without pseudo filesystems, and
 * one mount per device: bind mounts and btrfs subvolumes share their device's space.
 */
export async function discoverMounts(): Promise<MountInfo[]> {
  const drives = await fsSize();
  const byDevice = new Map<string, MountInfo>();
  for (const d of drives) {
    const info: MountInfo = { mount: d.mount, fs: d.fs, type: d.type };
    if (!d.mount || d.size <= 0 || isPseudo(info)) continue;
    const seen = byDevice.get(d.fs);
    if (!seen || d.mount.length < seen.mount.length) byDevice.set(d.fs, info);
  }
  return [...byDevice.values()].sort((a, b) => byPath(a.mount, b.mount));
}

/**
 * Case-insensitive, then by code unit: the order people expect of paths (as `localeCompare` gave,
 * but for punctuation), without making ICU's collation data resident (~3 MB, for the life of the
 * process) for one sort at start.
 */
const byPath = (a: string, b: string) => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/** `/proc/self/mounts` escapes space, tab, newline and backslash as octal. */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Linux's own list of every mount, tmpfs included; null elsewhere. */
export async function readProcMounts(): Promise<MountInfo[] | null> {
  if (process.platform !== 'linux') return null;
  const text = await readFile('/proc/self/mounts', 'utf8').catch(() => null);
  if (text === null) return null;
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [fs = '', mount = '', type = ''] = line.split(' ');
      return { fs: unescapeMountField(fs), mount: unescapeMountField(mount), type };
    });
}

/** Normalises a user-given mount path: absolute, no trailing separator (except the root). */
export function normaliseMountPath(p: string): string {
  const abs = resolve(p);
  return abs.length > 1 && /[\\/]$/.test(abs) && dirname(abs) !== abs ? abs.slice(0, -1) : abs;
}

/**
 * What is mounted at `path`, or null if it is not a mount point. On Linux the kernel's table is
 * authoritative (the last entry wins, as later mounts hide earlier ones); elsewhere a path is a
 * mount point when it is a root or sits on another device than its parent directory.
 */
export async function lookupMount(path: string): Promise<MountInfo | null> {
  const mount = normaliseMountPath(path);
  const table = await readProcMounts();
  if (table) return table.findLast((m) => m.mount === mount) ?? null;
  const known = (await discoverMounts()).find((m) => m.mount === mount);
  if (known) return known;
  try {
    const [self, parent] = await Promise.all([stat(mount), stat(dirname(mount))]);
    const isRoot = dirname(mount) === mount;
    if (!self.isDirectory() || (!isRoot && self.dev === parent.dev)) return null;
    return { mount, fs: 'unknown', type: 'unknown' };
  } catch {
    return null;
  }
}

/**
 * Warnings for the paths among `paths` that are not a mount point now: a disk that is plugged in
 * or mounted later is a fair thing to name, so it is saved, but never silently.
 */
export async function notMountedWarnings(paths: Iterable<string>): Promise<string[]> {
  const warnings: string[] = [];
  for (const path of new Set(paths))
    if (!(await lookupMount(path)))
      warnings.push(`${path} is not a mount point now; it is watched once something is mounted there`);
  return warnings;
}
