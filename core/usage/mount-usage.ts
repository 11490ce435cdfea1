import { statSync } from 'node:fs';
import {
  growthBetween,
  SNAPSHOT_DEPTH,
  SNAPSHOT_TOP,
  snapshotOf,
  type Growth,
  type ScanReport,
  type UsageSnapshot,
} from '../../shared/usage.js';
import { fsPath } from '../fs/path-bytes.js';
import { lookupMount } from '../mount-table.js';
import { scanUsage, type ScanOptions } from './scanner.js';
import { SnapshotStore } from './snapshot-store.js';
import type { StoreWarning } from '../json-store.js';

export interface MountUsage {
  report: ScanReport;
  /** A whole mount, scanned to the end while it stayed mounted: its snapshot tells the truth. */
  complete: boolean;
  /** This scan's snapshot, when `complete` (null otherwise, and when `root` is not a mount). */
  snapshot: UsageSnapshot | null;
  /** Whether the snapshot was saved, and why not when it was not. */
  saved: boolean;
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
  options: ScanOptions & { growthTop?: number; onWarning?: (w: StoreWarning) => void } = {},
): Promise<MountUsage> {
  const isMount = (await lookupMount(root)) !== null;
  // Deep and wide enough for the snapshot too; callers cut it to what they show (pruneTree).
  const report = await scanUsage(root, {
    ...options,
    depth: Math.max(options.depth ?? 0, SNAPSHOT_DEPTH),
    top: Math.max(options.top ?? 0, SNAPSHOT_TOP),
  });
  const none = { report, complete: false, saved: false, snapshot: null, previous: null, growth: null };
  if (!isMount) return none;
  const stillThere = (await lookupMount(root)) !== null && deviceOf(root) === report.device;
  if (!stillThere) return { ...none, notSaved: 'the mount went away during the scan' };
  const store = new SnapshotStore(dataDir, options.onWarning);
  const previous = store.load(root, report.apparent);
  const snapshot = snapshotOf(report);
  const growth = previous ? growthBetween(previous, snapshot, options.growthTop) : null;
  const result = { report, complete: true, snapshot, previous, growth };
  try {
    await store.save(snapshot);
  } catch (error) {
    // The data directory's disk full, say: what was found still stands, only it is not kept.
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ...result, saved: false, notSaved: `it could not be written (${code})` };
  }
  return { ...result, saved: true };
}

function deviceOf(path: string): number | null {
  try {
    return statSync(fsPath(path)).dev;
  } catch {
    return null;
  }
}
