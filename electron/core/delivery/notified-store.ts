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
  private pending: Record<string, Record<string, MountState>> | undefined;

  constructor(dir: string) {
    // Written before each first attempt: the fsync finishes while the delivery goes out.
    this.store = new JsonStore(dir, 'notified', schema, undefined, 'background', 'keep in memory');
  }

  lastSent(integrationId: string, mount: string): MountState | undefined {
    return (this.pending ?? this.store.get().integrations)[integrationId]?.[mount];
  }

  /**
   * Remembers at once (in memory, for the next transition) and writes the file just after the
   * current deliveries have gone out: it is not on the path from a transition to its delivery.
   * Lost in a crash in between, the worst case is a notification sent twice, never one missed.
   */
  record(changes: { integrationId: string; mount: string; state: MountState }[]): void {
    if (changes.length === 0) return;
    const all = this.pending ?? structuredClone(this.store.get().integrations);
    for (const c of changes) (all[c.integrationId] ??= {})[c.mount] = c.state;
    if (!this.pending) setImmediate(() => this.flush());
    this.pending = all;
  }

  flush(): void {
    if (!this.pending) return;
    this.store.set({ integrations: this.pending });
    this.pending = undefined;
  }
}
