import { parseSubject, type MountInfo } from '../shared/disk.js';
import type { Settings } from '../shared/settings.js';
import { fstabMountPoints } from './fstab.js';
import {
  discoverDrives,
  lookupMount,
  normaliseMountPath,
  parseMountTable,
  readMountTableText,
} from './mount-table.js';
import { MountTableProbe } from './mount-table-probe.js';
import type { StateStore } from './state-store.js';
import { watchList } from './watch-list.js';

export interface MountListOptions {
  settings: () => Settings;
  states: StateStore;
  /** Mounts named on the command line: exactly these, never discovered, never gone. */
  only?: MountInfo[];
  now: () => number;
  /** Where the machine's own mounts are listed (tests point it elsewhere). */
  fstab?: string;
}

/** The mounts to sample, and those that left the list quietly since it was last worked out. */
export interface WatchedMounts {
  mounts: MountInfo[];
  /** Discovered disks that are gone — unmounted, remounted read-only, ignored: forget them. */
  gone: string[];
  /** Mounts new to the list, or listed otherwise than before (remounted read-only, say). */
  changed: MountInfo[];
}

/**
 * Which mounts the watcher samples, worked out again when the kernel's mount table or the mounts
 * named in settings change (one read of the table tells) and at every full sample. Two kinds of
 * mount are told apart:
 * - those the user set up — named in `watchedMounts`, or in /etc/fstab once seen — stay watched
 *   when they vanish, and are reported unreachable;
 * - those discovery merely came across — another job's loop mount, a USB stick — are gone
 *   quietly when they vanish, and one that appears after the start is not announced before it
 *   has stayed mounted for `discoveryGraceSeconds` (sampled and shown meanwhile).
 */
export class MountList {
  private readonly probe = new MountTableProbe();
  private seenSettings: Settings | undefined;
  /** The table and the named mounts the list was worked out from. */
  private table: string | null | undefined;
  private named: string | undefined;
  private listed: MountInfo[] | undefined;
  /** Each listed mount's entry as last listed (see WatchedMounts.changed). */
  private entries = new Map<string, string>();
  /** When each disk discovery came across after the start was first seen (see inGrace). */
  private readonly firstSeen = new Map<string, number>();
  /** Listed disks that only discovery found: neither named nor in /etc/fstab. */
  private readonly found = new Set<string>();

  constructor(private readonly o: MountListOptions) {}

  /** Whether the kernel's table or the named mounts changed since this was last asked. */
  changed(): boolean {
    const table = this.probe.changed();
    // The store hands out the same object until the settings change: no key to build till then.
    const settings = this.o.settings();
    if (settings === this.seenSettings) return table;
    this.seenSettings = settings;
    return namedKey(settings) !== this.named || table;
  }

  /** The list, from discovery again; `gone` names what left it quietly (see MountList). */
  async current(): Promise<WatchedMounts> {
    this.table = readMountTableText();
    const settings = this.o.settings();
    this.named = namedKey(settings);
    if (this.o.only) return this.settle(this.onlyAsMounted(this.o.only), []);
    const fstab = fstabMountPoints(this.o.fstab);
    const named = new Set(settings.watchedMounts.map(normaliseMountPath));
    const records = this.o.states.all();
    const recorded = new Set(
      Object.entries(records)
        .filter(([, r]) => !r.adHoc)
        .map(([key]) => parseSubject(key).mount),
    );
    // A disk of the machine's own, seen before (a record), is watched while missing: unreachable.
    const remembered = [...recorded].filter((m) => fstab.has(m));
    const mounts = await watchList(settings, remembered, await discoverDrives());
    const now = new Set(mounts.map((m) => m.mount));
    const before = new Set(this.listed?.map((m) => m.mount));
    for (const m of mounts) {
      const known = !this.listed || before.has(m.mount) || recorded.has(m.mount);
      if (!known && !named.has(m.mount) && !fstab.has(m.mount)) this.firstSeen.set(m.mount, this.o.now());
    }
    for (const m of this.firstSeen.keys()) if (!now.has(m)) this.firstSeen.delete(m);
    this.found.clear();
    for (const m of mounts) if (!named.has(m.mount) && !fstab.has(m.mount)) this.found.add(m.mount);
    const gone = [...new Set([...before, ...recorded])].filter((m) => !now.has(m));
    this.listed = mounts;
    return this.settle(mounts, gone);
  }

  private settle(mounts: MountInfo[], gone: string[]): WatchedMounts {
    const changed = mounts.filter((m) => this.entries.get(m.mount) !== JSON.stringify(m));
    this.entries = new Map(mounts.map((m) => [m.mount, JSON.stringify(m)]));
    return { mounts, gone, changed };
  }

  /** Mounts named on the command line, read-only or not as the table says now (a remount). */
  private onlyAsMounted(only: MountInfo[]): MountInfo[] {
    const table = this.table ? parseMountTable(this.table) : [];
    return only.map(({ readOnly: _, ...m }) => {
      const now = table.findLast((t) => t.mount === m.mount);
      return now?.readOnly ? { ...m, readOnly: true } : m;
    });
  }

  /**
   * Whether this disk, which a re-read found unreachable, is one only discovery found and that is
   * no longer in the kernel's table: unmounted before the next look at the table, it is gone
   * quietly, not unreachable. One that is still mounted but does not answer is unreachable.
   */
  async vanished(mount: string): Promise<boolean> {
    return this.found.has(mount) && (await lookupMount(mount)) === null;
  }

  /**
   * Whether this disk is one discovery came across after the start, mounted for less than the
   * grace period: another job's short-lived mount says nothing. Disks mounted when the watcher
   * started, named or in /etc/fstab are announced at once.
   */
  inGrace(mount: string, settings: Settings): boolean {
    const since = this.firstSeen.get(mount);
    return since !== undefined && this.o.now() - since < settings.discoveryGraceSeconds * 1000;
  }
}

const namedKey = (s: Settings) => JSON.stringify([s.watchedMounts, s.ignoredMounts]);
