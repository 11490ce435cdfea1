import { z } from 'zod';
import type { MountState } from '../../../shared/disk.js';
import { JsonStore } from '../json-store.js';

const schema = z.object({
  integrations: z
    .record(z.string(), z.record(z.string(), z.enum(['ok', 'warning', 'critical', 'unreachable'])))
    .default({}),
});

/**
 * The state each integration was last told for each disk. Its severity filter decides what it
 * sees; this memory makes sure an alert it was sent always gets its all-clear, and one it was
 * never sent never gets one.
 */
export class NotifiedStore {
  private readonly store: JsonStore<typeof schema>;

  constructor(dir: string) {
    this.store = new JsonStore(dir, 'notified', schema);
  }

  lastSent(integrationId: string, mount: string): MountState | undefined {
    return this.store.get().integrations[integrationId]?.[mount];
  }

  record(changes: { integrationId: string; mount: string; state: MountState }[]): void {
    if (changes.length === 0) return;
    const all = structuredClone(this.store.get().integrations);
    for (const c of changes) (all[c.integrationId] ??= {})[c.mount] = c.state;
    this.store.set({ integrations: all });
  }
}
