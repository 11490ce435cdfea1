import { dirname, resolve } from 'node:path';
import type { MountInfo } from '../shared/disk.js';
import { createRequire } from './builtins.js';
import { readFile, stat, statfs } from './fs/promised.js';
import { withTimeout } from './with-timeout.js';

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
  'cramfs',
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
  'rootfs',
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

/** A mounted filesystem and its size in bytes: null when it did not say in time. */
export type Drive = MountInfo & { size: number | null };

/**
 * The machine's drives, without pseudo filesystems, and one mount per device: bind mounts and
 * btrfs subvolumes share their device's space. Linux's come from the kernel's table; elsewhere
 * systeminformation finds them (Windows drive letters, macOS volumes).
 */
export async function discoverMounts(
  drives: () => Promise<Drive[]> = process.platform === 'linux' ? kernelDrives : systeminformationDrives,
): Promise<MountInfo[]> {
  const byDevice = new Map<string, MountInfo>();
  for (const { size, ...info } of await drives()) {
    // A filesystem of no blocks holds nothing (df hides them too); one that did not answer is kept,
    // so that the sampler says it is unreachable.
    if (!info.mount || size === 0 || isPseudo(info)) continue;
    const seen = byDevice.get(info.fs);
    if (!seen || info.mount.length < seen.mount.length) byDevice.set(info.fs, info);
  }
  return [...byDevice.values()].sort((a, b) => byPath(a.mount, b.mount));
}

/**
 * What `df` reads — the kernel's table and a statfs of each filesystem — read here: no child
 * process every sample, and ~3 MB less for an idle watcher than systeminformation, whose Linux
 * path runs `cat /proc/mounts` synchronously (the watcher's thread waits) and then `df`.
 * Pseudo filesystems are left out before their statfs: on autofs, a statfs mounts the share.
 */
export async function kernelDrives(
  /** Replaceable so a test can stand in for a hung network mount. */
  statfsOf: (path: string) => Promise<{ blocks: number; bsize: number }> = statfs,
): Promise<Drive[]> {
  // A path mounted over again shows the last mount, as the kernel's table lists them in order.
  const byMount = new Map((await readProcMounts())?.map((m) => [m.mount, m]));
  const candidates = [...byMount.values()].filter((m) => !isPseudo(m));
  return Promise.all(candidates.map(async (m) => ({ ...m, size: await sizeOf(m.mount, statfsOf) })));
}

/** A statfs stuck on a stale network mount holds one of libuv's four threads: never ask it twice. */
const unanswered = new Set<string>();
const STATFS_WAIT_MS = 2000;

/** Its size, 0 when statfs fails (df skips those too), null when it did not answer in time. */
async function sizeOf(
  mount: string,
  statfsOf: (path: string) => Promise<{ blocks: number; bsize: number }>,
): Promise<number | null> {
  if (unanswered.has(mount)) return null;
  const asked = statfsOf(mount).then(
    (s) => s.blocks * s.bsize,
    () => 0,
  );
  // `asked` never rejects: a rejection here is the timeout.
  const size = await withTimeout(asked, STATFS_WAIT_MS).catch(() => null);
  if (size === null) {
    unanswered.add(mount);
    void asked.then(() => unanswered.delete(mount));
  }
  return size;
}

/**
 * systeminformation's list of drives. Its filesystem module alone, on first use: its index loads
 * every module (CPU, graphics, …), and this one child_process.
 */
export async function systeminformationDrives(): Promise<Drive[]> {
  const { fsSize } = createRequire(import.meta.url)('systeminformation/lib/filesystem.js') as Pick<
    typeof import('systeminformation'),
    'fsSize'
  >;
  return (await fsSize()).map((d) => ({ mount: d.mount, fs: d.fs, type: d.type, size: d.size }));
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
