import { z } from 'zod';
import type { Point } from '../../shared/forecast.js';
import {
  addSample,
  emptyHistory,
  prune,
  type MountHistory,
  type SampleInput,
} from '../../shared/sample-history.js';
import { JsonStore, type StoreWarning } from './json-store.js';

const pointSchema = z.object({ at: z.number(), available: z.number(), usable: z.number() });
const schema = z.object({ mounts: z.record(z.string(), z.array(pointSchema)).default({}) });

/** Points kept per mount: three hours of 5-minute samples, enough for the forecast window. */
const KEEP = 36;

/**
 * Recent full samples of each mount, so that a forecast survives a restart and `headroom check`
 * can tell the trend the watcher saw. Written once per full sample, never by fast re-reads.
 */
export class SampleStore {
  private readonly store: JsonStore<typeof schema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'samples', schema, onWarning, 'now', 'keep in memory');
  }

  all(): Record<string, Point[]> {
    return this.store.get().mounts;
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
