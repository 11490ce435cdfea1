import * as z from 'zod';
import { MOUNT_STATES, subjectKey, type MountState } from '../../shared/disk.js';
import { JsonStore, type StoreWarning } from '../json-store.js';
import type { OutboxEntry } from './outbox.js';

const state = z.enum(MOUNT_STATES);
/** What an integration was told of one alert, and when (files before reminders kept the state alone). */
const told = z.union([z.object({ state, at: z.number() }), state.transform((s) => ({ state: s, at: 0 }))]);
export type Told = z.output<typeof told>;

const schema = z.object({
  integrations: z.record(z.string(), z.record(z.string(), told)).default({}),
});

/**
 * The state each integration was last told for each alert (keyed by `subjectKey`), and when. Its
 * severity filter decides what it sees; this memory makes sure an alert it was sent always gets
 * its all-clear, one it was never sent never gets one, and reminders know how long it has been.
 */
export class NotifiedStore {
  private readonly store: JsonStore<typeof schema>;
  private pending: Record<string, Record<string, Told>> | undefined;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    // Written before each first attempt: the fsync finishes while the delivery goes out.
    this.store = new JsonStore(dir, 'notified', schema, onWarning, 'background', 'keep in memory');
  }

  lastSent(integrationId: string, key: string): MountState | undefined {
    return this.told(integrationId, key)?.state;
  }

  told(integrationId: string, key: string): Told | undefined {
    return (this.pending ?? this.store.get().integrations)[integrationId]?.[key];
  }

  /**
   * Remembers at once (in memory, for the next transition) and writes the file just after the
   * current deliveries have gone out: it is not on the path from a transition to its delivery.
   * Lost in a crash in between, the worst case is a notification sent twice, never one missed.
   */
  record(changes: { integrationId: string; key: string; state: MountState; at: number }[]): void {
    if (changes.length === 0) return;
    const all = this.pending ?? structuredClone(this.store.get().integrations);
    for (const c of changes) (all[c.integrationId] ??= {})[c.key] = { state: c.state, at: c.at };
    if (!this.pending) setImmediate(() => this.flush());
    this.pending = all;
  }

  /**
   * A delivery in the outbox is as good as told: the note of it (written a moment after the
   * outbox) may have died with the process, and without it the all-clear would not be owed.
   * An entry older than the note (a failed one retried by hand) does not override it.
   */
  countAsTold(entries: readonly OutboxEntry[]): void {
    this.record(
      entries
        .map(({ integrationId, event }) => ({
          integrationId,
          key: subjectKey(event.mount, event.kind),
          state: event.to,
          at: event.at,
        }))
        .filter((c) => (this.told(c.integrationId, c.key)?.at ?? -Infinity) < c.at),
    );
  }

  flush(): void {
    if (!this.pending) return;
    this.store.set({ integrations: this.pending });
    this.pending = undefined;
  }
}
