import * as z from 'zod';
import { snoozedUntil, snoozeEnd, type SnoozeChoice } from '../shared/quiet.js';
import { JsonStore, type StoreWarning } from './json-store.js';

/** "Pause alerts" snoozes everything; a disk can be snoozed on its own. */
const schema = z.object({
  pausedUntil: z.number().nullable().default(null),
  mounts: z.record(z.string(), z.number()).default({}),
});

/**
 * Pauses and snoozes, shared by the app, `headroom watch` and `headroom snooze` through one small
 * file: a watcher re-reads it at most once a second, so a snooze from the command line applies
 * to the running watcher within a second.
 */
export class SnoozeStore {
  private readonly store: JsonStore<typeof schema>;
  private readAt = 0;

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
    onWarning?: (w: StoreWarning) => void,
  ) {
    this.store = new JsonStore(dir, 'pause', schema, onWarning);
    this.readAt = now();
  }

  private current() {
    if (this.now() - this.readAt >= 1000) {
      this.readAt = this.now();
      return this.store.reload();
    }
    return this.store.get();
  }

  /** Until when everything is paused (MAX_SAFE_INTEGER: until resumed), or null. */
  pausedUntil(): number | null {
    const until = this.current().pausedUntil;
    return until !== null && until <= this.now() ? null : until;
  }

  /** A timed pause whose time has come (it still needs ending, with a catch-up). */
  pauseExpired(): boolean {
    const until = this.current().pausedUntil;
    return until !== null && until <= this.now();
  }

  /** Disks snoozed on their own, and until when (expired ones left out). */
  mounts(): Record<string, number> {
    return live(this.current().mounts, this.now());
  }

  /** Until when this disk's alerts are held by a pause or a snooze, or null. */
  heldUntil(mount: string): { reason: 'paused' | 'snoozed'; until: number } | null {
    const paused = this.pausedUntil();
    if (paused !== null) return { reason: 'paused', until: paused };
    const until = snoozedUntil({ all: null, mounts: this.current().mounts }, mount, this.now());
    return until === null ? null : { reason: 'snoozed', until };
  }

  /** Pauses everything for `minutes`, or until resumed (null). */
  pause(minutes: number | null): number {
    const until = minutes === null ? Number.MAX_SAFE_INTEGER : this.now() + minutes * 60_000;
    this.store.update((current) => ({ ...current, pausedUntil: until }));
    return until;
  }

  /** Snoozes one disk (or everything, for null) for 1 h, 8 h, until tomorrow 08:00, or N minutes. */
  snooze(mount: string | null, choice: SnoozeChoice | number): number {
    const until = snoozeEnd(choice, this.now());
    if (mount === null) return this.pause((until - this.now()) / 60_000);
    this.store.update((current) => ({
      ...current,
      mounts: { ...live(current.mounts, this.now()), [mount]: until },
    }));
    return until;
  }

  /** Ends one disk's snooze, or (null) the pause and every snooze. */
  unsnooze(mount: string | null): void {
    this.store.update((current) =>
      mount === null
        ? { pausedUntil: null, mounts: {} }
        : {
            ...current,
            mounts: Object.fromEntries(
              Object.entries(live(current.mounts, this.now())).filter(([m]) => m !== mount),
            ),
          },
    );
  }

  /** Ends the pause only (the tray's "Resume alerts"); per-disk snoozes stay. */
  resume(): void {
    this.store.update((current) => ({ ...current, pausedUntil: null }));
  }
}

function live(mounts: Record<string, number>, now: number): Record<string, number> {
  return Object.fromEntries(Object.entries(mounts).filter(([, until]) => until > now));
}
