/** The product's vocabulary for disks: one mount, one sample of it, and its alert state. */

import { ALERT_KINDS, ALERT_KIND_NAMES, DEFAULT_KIND, type AlertKind } from './alert-kinds.js';

export type { AlertKind } from './alert-kinds.js';

export const MOUNT_STATES = ['ok', 'warning', 'critical', 'unreachable'] as const;
export type MountState = (typeof MOUNT_STATES)[number];

/** The key of one alert: its kind's prefix (see ALERT_KINDS) and the mount. */
export function subjectKey(mount: string, kind: AlertKind): string {
  return `${ALERT_KINDS[kind].keyPrefix}${mount}`;
}

export function parseSubject(key: string): { mount: string; kind: AlertKind } {
  const kind =
    ALERT_KIND_NAMES.find(
      (k) => ALERT_KINDS[k].keyPrefix !== '' && key.startsWith(ALERT_KINDS[k].keyPrefix),
    ) ?? DEFAULT_KIND;
  return { mount: key.slice(ALERT_KINDS[kind].keyPrefix.length), kind };
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
  return ALERT_KINDS[kind].free(sample);
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

/**
 * The blocks the filesystem keeps back (root's reserve; on some, far more), which df counts in
 * the size but not in used or available: 0 when under 0.5 % of the size, as nobody would miss it.
 */
export function reservedOf(s: Pick<Sample, 'size' | 'used' | 'available'>): number {
  const reserved = s.size - s.used - s.available;
  return reserved > s.size * 0.005 ? reserved : 0;
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
