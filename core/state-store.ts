import * as z from 'zod';
import { MOUNT_STATES } from '../shared/disk.js';
import type { MountRecord } from '../shared/hysteresis.js';
import { writeFailing } from './fs/storage-health.js';
import { JsonStore, type StoreWarning } from './json-store.js';

const recordSchema = z.object({
  state: z.enum(MOUNT_STATES),
  since: z.number(),
  adHoc: z.boolean().optional(),
});

const stateSchema = z.object({
  mounts: z.record(z.string(), recordSchema).default({}),
});

/**
 * Each mount's alert state, kept across restarts so that a restart neither re-announces a warning
 * already sent nor forgets that an all-clear is owed. Written only when a state changes.
 */
export class StateStore {
  private readonly store: JsonStore<typeof stateSchema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'state', stateSchema, onWarning, 'now', 'keep in memory');
  }

  all(): Record<string, MountRecord> {
    return this.store.get().mounts;
  }

  /**
   * Saves what changed. Called after every sample: a write that failed (the disk was full) is
   * made again at the next sample once it can be, not only at the next change of state.
   */
  update(changes: Record<string, MountRecord>): void {
    if (Object.keys(changes).length === 0 && !writeFailing(this.store.file)) return;
    this.store.set({ mounts: { ...this.all(), ...changes } });
  }

  /** Forgets these alerts: their disk is gone quietly (see MountList). */
  remove(keys: string[]): void {
    const mounts = { ...this.all() };
    for (const key of keys) delete mounts[key];
    if (keys.length > 0) this.store.set({ mounts });
  }
}
