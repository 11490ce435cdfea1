import { z } from 'zod';
import type { Point } from '../../shared/forecast.js';
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
