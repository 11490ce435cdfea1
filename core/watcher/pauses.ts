import type { DiskView } from '../../shared/ipc/contract.js';
import type { SnoozeChoice } from '../../shared/quiet.js';
import type { SnoozeStore } from '../snooze-store.js';
import type { WatcherEvents } from './events.js';

export interface AlertPausesOptions {
  snoozes: SnoozeStore;
  events: WatcherEvents;
  disks: () => DiskView[];
  /** Tells every integration what it is owed now (see Dispatcher.reconcile). */
  reconcile: () => void;
}

/**
 * Pausing all alerts and snoozing a disk's: disks are still sampled, changes meanwhile are held,
 * and when the pause or snooze ends every integration is told what changed, once. Views hear of
 * each change.
 */
export class AlertPauses {
  /** The pause views were last told of. */
  private told: number | null;

  constructor(private readonly o: AlertPausesOptions) {
    this.told = this.pausedUntil();
  }

  private tell(pausedUntil: number | null): void {
    this.told = pausedUntil;
    this.o.events.emit('paused', { pausedUntil });
  }

  /**
   * A pause set or ended by another process (`headroom snooze --all`) is told to views too: a
   * window showing "Pause alerts 1 h" over an 8-hour pause invites cutting it short.
   */
  tellIfChanged(): void {
    const now = this.pausedUntil();
    if (now !== this.told) this.tell(now);
  }

  pausedUntil(): number | null {
    return this.o.snoozes.pausedUntil();
  }

  paused(): boolean {
    return this.pausedUntil() !== null;
  }

  /** Until when each snoozed disk is snoozed, by mount. */
  snoozed(): Record<string, number> {
    return this.o.snoozes.mounts();
  }

  /** Holds alerts for `minutes`, or until resumed (null). */
  pause(minutes: number | null): number {
    const until = this.o.snoozes.pause(minutes);
    this.tell(until);
    return until;
  }

  /** Ends a pause and tells every integration what changed meanwhile, once. */
  resume(): void {
    this.o.snoozes.resume();
    this.tell(null);
    this.o.reconcile();
  }

  /** A timed pause that ran out ends like a manual resume: integrations catch up. */
  resumeIfDue(): void {
    // Read from the file, not through pausedUntil(), which already hides an expired pause.
    if (this.o.snoozes.pauseExpired()) this.resume();
  }

  /** Snoozes one disk's alerts (or everything, for null) for 1 h, 8 h or until tomorrow 08:00. */
  snooze(mount: string | null, choice: SnoozeChoice | number): number {
    const until = this.o.snoozes.snooze(mount, choice);
    if (mount === null) this.tell(until);
    this.o.events.emit('disks', this.o.disks());
    return until;
  }

  /** Ends one disk's snooze (or every snooze and the pause, for null) and sends what is owed. */
  unsnooze(mount: string | null): void {
    this.o.snoozes.unsnooze(mount);
    if (mount === null) this.tell(null);
    this.o.events.emit('disks', this.o.disks());
    this.o.reconcile();
  }
}
