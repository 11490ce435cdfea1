import { z } from 'zod';
import type { Point } from '../../shared/forecast.js';
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
