/** The product's vocabulary for disks: one mount, one sample of it, and its alert state. */

export const MOUNT_STATES = ['ok', 'warning', 'critical', 'unreachable'] as const;
export type MountState = (typeof MOUNT_STATES)[number];

/**
 * What can run out on a disk: space, or inodes (a disk of small files can be "full" with
 * gigabytes free). Each kind is its own alert with its own all-clear.
 */
export type AlertKind = 'space' | 'inodes';

const INODES_PREFIX = 'inodes:';

/**
 * The key of one alert: a mount's space alert is keyed by the mount itself (as before inodes
 * were watched); its inode alert by `inodes:<mount>`, which no mount path can be (a mount is
 * absolute: `/…` or `C:\…`).
 */
export function subjectKey(mount: string, kind: AlertKind): string {
  return kind === 'space' ? mount : `${INODES_PREFIX}${mount}`;
}

export function parseSubject(key: string): { mount: string; kind: AlertKind } {
  return key.startsWith(INODES_PREFIX)
    ? { mount: key.slice(INODES_PREFIX.length), kind: 'inodes' }
    : { mount: key, kind: 'space' };
}

/** statfs `files` / `ffree`: filesystems without a fixed inode table (btrfs, ZFS, FAT) have none. */
export interface Inodes {
  total: number;
  free: number;
  /** free / total × 100. */
  freePercent: number;
}

/** Most severe first: the order used for "worst disk" (tray icon, `check` exit code). */
export const STATE_SEVERITY: Record<MountState, number> = {
  critical: 3,
  warning: 2,
  unreachable: 1,
  ok: 0,
};

export interface MountInfo {
  /** Where it is mounted: `/`, `/home`, `C:\`. The identity of a mount everywhere in Headroom. */
  mount: string;
  /** The device or source: `/dev/nvme0n1p2`, `tmpfs`, `server:/export`. */
  fs: string;
  /** The filesystem type: `ext4`, `apfs`, `NTFS`, `tmpfs`. */
  type: string;
  /**
   * Mounted read-only (the `ro` option, or an image such as an AppImage): it cannot fill, so it
   * has no level to report — a watched one says "read-only" and raises no alert.
   */
  readOnly?: boolean;
}

/**
 * Sizes in bytes, computed as `df` does: `used + available` is what an unprivileged user can
 * fill, which is smaller than `size` when the filesystem reserves blocks for root.
 */
export interface Sample extends MountInfo {
  size: number;
  used: number;
  available: number;
  /** available / (used + available) × 100, the figure `df`'s Use% complements. */
  freePercent: number;
  /** Absent where the filesystem keeps no inode count. */
  inodes?: Inodes;
  /** Epoch milliseconds. */
  at: number;
}

/** The free percentage an alert of this kind is judged on; null when the disk has no such figure. */
export function freeOf(sample: Sample, kind: AlertKind): number | null {
  return kind === 'space' ? sample.freePercent : (sample.inodes?.freePercent ?? null);
}

export type Reading =
  { ok: true; sample: Sample } | { ok: false; mount: MountInfo; reason: string; at: number };

/** The mount a reading is of, whether it answered or not. */
export function mountOf(r: Reading): string {
  return r.ok ? r.sample.mount : r.mount.mount;
}

/** What users can fill: `used + available` (root's reserved blocks left out, as `df` does). */
export function usableOf(s: Sample): number {
  return s.used + s.available;
}

/** `df`'s arithmetic, from statfs-style block counts (all in the same unit). */
export function freePercentOf(used: number, available: number): number {
  const usable = used + available;
  // An empty filesystem of zero size can never fill: report it as entirely free.
  return usable > 0 ? (available / usable) * 100 : 100;
}

export function worstState(states: Iterable<MountState>): MountState {
  let worst: MountState = 'ok';
  for (const s of states) if (STATE_SEVERITY[s] > STATE_SEVERITY[worst]) worst = s;
  return worst;
}
