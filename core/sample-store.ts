import * as z from 'zod';
import type { Point } from '../shared/forecast.js';
import {
  addSample,
  emptyHistory,
  prune,
  type MountHistory,
  type SampleInput,
} from '../shared/sample-history.js';
import { JsonStore, type StoreWarning } from './json-store.js';

const pointSchema = z.object({ at: z.number(), available: z.number(), usable: z.number() });
const schema = z.object({ mounts: z.record(z.string(), z.array(pointSchema)).default({}) });

/** A bound on what a hand-edited file can hold; the watcher saves ~300 thinned points a mount. */
const KEEP = 1000;

/**
 * The forecast's points for each mount (the last hour, thinned by age: see addPoint), so that a
 * forecast survives a restart and `headroom check` quotes the forecast the watcher's window and
 * messages quote. Written at every full sample and, while fast re-reads add points, at most every
 * few seconds.
 */
export class SampleStore {
  private readonly store: JsonStore<typeof schema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'samples', schema, onWarning, 'now', 'keep in memory');
  }

  /** Each mount's points, oldest first (a hand-edited file may have them in any order). */
  all(): Record<string, Point[]> {
    const mounts = this.store.get().mounts;
    return Object.fromEntries(
      Object.entries(mounts).map(([m, points]) => [m, [...points].sort((a, b) => a.at - b.at)]),
    );
  }

  save(mounts: Record<string, Point[]>): void {
    this.store.set({
      mounts: Object.fromEntries(Object.entries(mounts).map(([m, points]) => [m, points.slice(-KEEP)])),
    });
  }
}

const bucketSchema = z.tuple([z.number(), z.number().nullable(), z.number().nullable(), z.number().int()]);
const historySchema = z.object({
  mounts: z
    .record(z.string(), z.object({ fine: z.array(bucketSchema), coarse: z.array(bucketSchema) }))
    .default({}),
});

/**
 * A week of each mount's free space, downsampled (see shared/sample-history.ts) for the charts:
 * about 80 KB per mount at most, rewritten at each full sample, never by fast re-reads. A mount
 * no longer sampled ages out within 8 days.
 */
export class SampleHistoryStore {
  private readonly store: JsonStore<typeof historySchema>;
  private readonly mounts = new Map<string, MountHistory>();

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(
      dir,
      'sample-history',
      historySchema,
      onWarning,
      'background',
      'keep in memory',
    );
    for (const [mount, h] of Object.entries(this.store.get().mounts))
      this.mounts.set(mount, h as MountHistory);
  }

  add(mount: string, sample: SampleInput): void {
    this.mounts.set(mount, addSample(this.mounts.get(mount) ?? emptyHistory(), sample));
  }

  get(mount: string): MountHistory {
    return this.mounts.get(mount) ?? emptyHistory();
  }

  save(now: number): void {
    for (const [mount, h] of this.mounts) {
      const kept = prune(h, now);
      if (kept.coarse.length === 0) this.mounts.delete(mount);
      else this.mounts.set(mount, kept);
    }
    this.store.set({ mounts: Object.fromEntries(this.mounts) });
  }
}
