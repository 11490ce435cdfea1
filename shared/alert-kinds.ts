import type { Inodes } from './disk.js';

/**
 * What can run out on a disk, one row per kind of alert: space, or inodes (a disk of small files
 * can be "full" with gigabytes free). Each kind is its own alert with its own all-clear. Every
 * place that treats kinds differently reads it here; adding a kind is adding a row (and the code
 * that reads its figure off a disk).
 */
export interface AlertKindRow {
  /**
   * Its state key is this prefix and the mount. The disk's own alert has none (its key is the
   * mount itself, as before inodes were watched); any other prefix is one no mount path can start
   * with (a mount is absolute: `/…` or `C:\…`).
   */
  keyPrefix: string;
  /** Its key at the vendors (dedup key, alias, fingerprint): `<vendorKey>/<host>/<mount>`. */
  vendorKey: string;
  /** The free percentage it is judged on, of a sample or an event; null where the disk has none. */
  free(figures: { freePercent: number | null; inodes?: Inodes }): number | null;
  /**
   * Every disk has it, so it has a record from the first reading on, and it is the alert that
   * says when the disk does not answer (the others keep their state meanwhile). A kind without
   * it has a record only on disks that have its figure (btrfs, ZFS have no inode count).
   */
  everyDisk: boolean;
  /**
   * Every kind is judged on the mount's percentages (settings and per-mount overrides, see
   * thresholds.ts), shown never rounded across them. A figure that counts bytes adds the absolute
   * (GiB) thresholds, the fill-rate forecast (predictive warnings, steady fills) and the listing
   * of what grew on the disk.
   */
  bytes: boolean;
  /** The setting that turns it on; null for always on. */
  setting: 'watchInodes' | null;
  words: {
    /** What its titles start with: "Disk critical: …", "Inodes no longer critical: …". */
    heading: string;
    /** After a free percentage: "12.0% of inodes free". */
    of: string;
    /** After a free percentage the disk has: "has 5.0% of its inodes free". */
    ofIts: string;
    /** Beside the mount where lists name the alert (History, CLI): "/data (inodes)"; null: the mount alone. */
    tag: string | null;
    /** The desktop notification as it is raised: its titles, why beside the figure, what to do. */
    notification: { critical: string; warning: string; why: string; act: string };
  };
  /** What the vendors call it where they name kinds apart (each for routes and silences). */
  vendors: {
    /** Alertmanager's `alertname` label. */
    alertmanager: string;
    /** PagerDuty's `payload.class`. */
    pagerduty: string;
    /** Netdata's alert name, chart (before `.<mount>`) and context, as its own disk alerts use them. */
    netdata: { alert: string; chart: string; context: string };
  };
}

export const ALERT_KINDS = {
  space: {
    keyPrefix: '',
    vendorKey: 'headroom',
    free: (f) => f.freePercent,
    everyDisk: true,
    bytes: true,
    setting: null,
    words: {
      heading: 'Disk',
      of: '',
      ofIts: '',
      tag: null,
      notification: {
        critical: 'Disk almost full',
        warning: 'Disk space low',
        why: '',
        act: 'Free some space now.',
      },
    },
    vendors: {
      alertmanager: 'DiskSpaceLow',
      pagerduty: 'disk_space',
      netdata: { alert: 'disk_space_usage', chart: 'disk_space', context: 'disk.space' },
    },
  },
  inodes: {
    keyPrefix: 'inodes:',
    vendorKey: 'headroom-inodes',
    free: (f) => f.inodes?.freePercent ?? null,
    everyDisk: false,
    bytes: false,
    setting: 'watchInodes',
    words: {
      heading: 'Inodes',
      of: ' of inodes',
      ofIts: ' of its inodes',
      tag: 'inodes',
      notification: {
        critical: 'Inodes almost used up',
        warning: 'Inodes running low',
        why: ': too many files, whatever the space left',
        act: 'Remove files now.',
      },
    },
    vendors: {
      alertmanager: 'DiskInodesLow',
      pagerduty: 'disk_inodes',
      netdata: { alert: 'disk_inode_usage', chart: 'disk_inodes', context: 'disk.inodes' },
    },
  },
} satisfies Record<string, AlertKindRow>;

export type AlertKind = keyof typeof ALERT_KINDS;

/** Every kind, in the table's order (the order alerts of one disk are judged and listed in). */
export const ALERT_KIND_NAMES = Object.keys(ALERT_KINDS) as [AlertKind, ...AlertKind[]];

/** One kind's row. */
export const kindOf = (kind: AlertKind): AlertKindRow => ALERT_KINDS[kind];

/** What a key without prefix, and a history record without kind, is of: they predate the others. */
export const DEFAULT_KIND = ALERT_KIND_NAMES.find((k) => ALERT_KINDS[k].keyPrefix === '')!;

/** The kinds these settings watch. */
export const watchedKinds = (settings: { watchInodes: boolean }): AlertKind[] =>
  ALERT_KIND_NAMES.filter((k) => {
    const s = kindOf(k).setting;
    return s === null || settings[s];
  });

/** A mount as lists name one of its alerts: "/data", "/data (inodes)". */
export function kindLabel(mount: string, kind: AlertKind): string {
  const { tag } = kindOf(kind).words;
  return tag === null ? mount : `${mount} (${tag})`;
}
