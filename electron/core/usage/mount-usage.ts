import { statSync } from 'node:fs';
import {
  growthBetween,
  SNAPSHOT_DEPTH,
  SNAPSHOT_TOP,
  snapshotOf,
  type Growth,
  type ScanReport,
  type UsageSnapshot,
} from '../../../shared/usage.js';
import { lookupMount } from '../mount-table.js';
import { scanUsage, type ScanOptions } from './scanner.js';
import { SnapshotStore } from './snapshot-store.js';

export interface MountUsage {
  report: ScanReport;
  /** Whether the scan covered a whole mount, finished, and its snapshot was saved. */
  saved: boolean;
  /** Why no snapshot was saved, when `root` is a mount. */
  notSaved?: string;
  /** The snapshot before this one, and what grew since. */
  previous: UsageSnapshot | null;
  growth: Growth | null;
}

/**
 * Scans `root` (see scanner.ts); when it is a whole mount, compares with the last snapshot of that
 * mount and saves a new one. A scan that did not finish never replaces a snapshot: not when
 * cancelled (the promise rejects), and not when the mount went away or was replaced meanwhile.
 */
export async function scanMount(
  dataDir: string,
  root: string,
  options: ScanOptions & { growthTop?: number } = {},
): Promise<MountUsage> {
  const isMount = (await lookupMount(root)) !== null;
  // Deep and wide enough for the snapshot too; callers cut it to what they show (pruneTree).
  const report = await scanUsage(root, {
    ...options,
    depth: Math.max(options.depth ?? 0, SNAPSHOT_DEPTH),
    top: Math.max(options.top ?? 0, SNAPSHOT_TOP),
  });
  if (!isMount) return { report, saved: false, previous: null, growth: null };
  const store = new SnapshotStore(dataDir);
  const stillThere = (await lookupMount(root)) !== null && deviceOf(root) === report.device;
  const previous = store.load(root, report.apparent);
  if (!stillThere)
    return { report, saved: false, notSaved: 'the mount went away during the scan', previous, growth: null };
  const snapshot = snapshotOf(report);
  const growth = previous ? growthBetween(previous, snapshot, options.growthTop) : null;
  await store.save(snapshot);
  return { report, saved: true, previous, growth };
}

function deviceOf(path: string): number | null {
  try {
    return statSync(path).dev;
  } catch {
    return null;
  }
}
