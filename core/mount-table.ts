import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { MountInfo } from '../shared/disk.js';
import { createRequire } from './builtins.js';
import { fsPath, pathFromBytes } from './fs/path-bytes.js';
import { stat, statfs } from './fs/promised.js';
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
 * FUSE filesystems that serve an image or an archive: read-only by nature, whatever their mount
 * options say. An AppImage mounts itself as `fuse.<its file name>` at `$TMPDIR/.mount_XXXXXX`, so
 * it is told by that name (see isImageMount) rather than by a type of its own.
 */
const IMAGE_FUSE_TYPES = new Set([
  'fuse.archivemount',
  'fuse.erofsfuse',
  'fuse.fuse-zip',
  'fuse.fuseiso',
  'fuse.mount-zip',
  'fuse.ratarmount',
  'fuse.squashfuse',
  'fuse.squashfuse_ll',
]);

/** An image mounted with FUSE: an AppImage, squashfuse, archivemount, fuseiso… */
export function isImageMount(m: MountInfo): boolean {
  const type = m.type.toLowerCase();
  if (!type.startsWith('fuse.')) return false;
  const appImage =
    /\.appimage$/i.test(type) || /\.appimage$/i.test(m.fs) || /[\\/]\.mount_[^\\/]+$/.test(m.mount);
  return appImage || IMAGE_FUSE_TYPES.has(type);
}

/**
 * Whether the filesystem can fill: not when mounted read-only or an image. Such a disk reports 0
 * bytes available (df says 100 % used), which is no cause for alarm — GNOME's low-disk notifier
 * skips read-only mounts for the same reason.
 */
export function cannotFill(m: MountInfo): boolean {
  return m.readOnly === true || isImageMount(m);
}

/** What discovery found: the drives it watches, and the read-only ones it leaves alone. */
export interface Discovered {
  writable: MountInfo[];
  readOnly: MountInfo[];
}

/**
 * The machine's drives, without pseudo filesystems, and one mount per device: bind mounts and
 * btrfs subvolumes share their device's space. Linux's come from the kernel's table; elsewhere
 * systeminformation finds them (Windows drive letters, macOS volumes). Read-only ones (and
 * images) are listed apart: they cannot fill. They are set apart before one mount per device is
 * chosen, so a read-only bind mount never hides its writable device.
 */
export async function discoverDrives(
  drives: () => Promise<Drive[]> = process.platform === 'linux' ? kernelDrives : systeminformationDrives,
): Promise<Discovered> {
  const writable = new Map<string, MountInfo>();
  const readOnly = new Map<string, MountInfo>();
  for (const { size, ...info } of await drives()) {
    // A filesystem of no blocks holds nothing (df hides them too); one that did not answer is kept,
    // so that the sampler says it is unreachable.
    if (!info.mount || size === 0 || isPseudo(info)) continue;
    const readOnlyDrive = cannotFill(info);
    const byDevice = readOnlyDrive ? readOnly : writable;
    const seen = byDevice.get(info.fs);
    if (!seen || info.mount.length < seen.mount.length)
      byDevice.set(info.fs, readOnlyDrive ? { ...info, readOnly: true } : info);
  }
  const sorted = (m: Map<string, MountInfo>) => [...m.values()].sort((a, b) => byPath(a.mount, b.mount));
  const watched = new Set(writable.keys());
  return {
    writable: sorted(writable),
    readOnly: sorted(readOnly).filter((m) => !watched.has(m.fs)),
  };
}

/** The drives discovery watches (see discoverDrives). */
export async function discoverMounts(drives?: () => Promise<Drive[]>): Promise<MountInfo[]> {
  return (await discoverDrives(drives)).writable;
}

/**
 * What `df` reads — the kernel's table and a statfs of each filesystem — read here: no child
 * process every sample, and ~3 MB less for an idle watcher than systeminformation, whose Linux
 * path runs `cat /proc/mounts` synchronously (the watcher's thread waits) and then `df`.
 * Pseudo filesystems are left out before their statfs: on autofs, a statfs mounts the share.
 */
export async function kernelDrives(
  /** Replaceable so a test can stand in for a hung network mount. */
  statfsOf: (path: string) => Promise<{ blocks: number; bsize: number }> = (path) => statfs(fsPath(path)),
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
  return (await fsSize()).map((d) => ({
    mount: d.mount,
    fs: d.fs,
    type: d.type,
    size: d.size,
    // `rw` is null where systeminformation could not tell: then the disk is watched.
    ...(d.rw === false ? { readOnly: true } : {}),
  }));
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

/**
 * The mount table escapes space, tab, newline and backslash as octal; every other byte comes
 * raw. A byte above 0x7f, were it escaped, is spelt as an invalid byte is (shared/path-bytes.ts).
 */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => {
    const byte = parseInt(oct, 8);
    return String.fromCharCode(byte < 0x80 ? byte : 0xdc00 + byte);
  });
}

/**
 * The kernel's mount table, `mountinfo` rather than `mounts`: only it tells the filesystem's own
 * read-only flag from a read-only view of it. A service under systemd's ProtectSystem=strict or
 * ProtectHome=read-only sees every mount as `ro` in /proc/self/mounts — each is a read-only bind of
 * its filesystem — while the filesystems still fill (docs/service.md).
 */
export const MOUNT_TABLE = '/proc/self/mountinfo';

/**
 * The kernel's mount table as text, null where there is none (not Linux). Read synchronously, as
 * MountTableProbe says why: from memory, and a sixth of the CPU of an asynchronous read. Read as
 * bytes: a mount path need not be UTF-8, and one decoded as UTF-8 no longer names its mount.
 */
export function readMountTableText(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return pathFromBytes(readFileSync(MOUNT_TABLE));
  } catch {
    return null;
  }
}

/**
 * Each mount of the table (`id parent major:minor root mount-point mount-options [optional…] -
 * type source super-options`): source, mount point, type. Read-only means the filesystem's `ro`
 * (its super options), or an image: Node's statfs does not return f_flag (ST_RDONLY), and a
 * read-only view of a filesystem that fills elsewhere is still a disk that fills.
 */
export function parseMountTable(text: string): MountInfo[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(' ');
      const [type = '', fs = '', options = ''] = fields.slice(fields.indexOf('-', 6) + 1);
      const mount = unescapeMountField(fields[4] ?? '');
      const info: MountInfo = { fs: unescapeMountField(fs), mount, type };
      return options.split(',').includes('ro') || isImageMount(info) ? { ...info, readOnly: true } : info;
    });
}

/** Linux's own list of every mount, tmpfs included; null elsewhere. */
export async function readProcMounts(): Promise<MountInfo[] | null> {
  const text = readMountTableText();
  return text === null ? null : parseMountTable(text);
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
