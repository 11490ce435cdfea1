import { mountOf, type Reading } from '../../shared/disk.js';
import type { MountRecord, Transition } from '../../shared/hysteresis.js';
import type { DiskSnapshot } from '../../shared/notices.js';
import type { Hold } from '../../shared/quiet.js';
import type { Settings } from '../../shared/settings.js';
import type { UsageNote } from '../../shared/usage-note.js';
import type { Dispatcher } from '../delivery/dispatcher.js';
import type { Holds } from '../delivery/holds.js';
import type { TransitionContext } from '../monitor.js';

/** What the link is handed, each built before it: it never sees the watcher that owns it. */
export interface DeliveryLinkOptions {
  dispatcher: Dispatcher;
  holds: Holds;
  /** The disks as last read (see Watcher): what catch-ups, reminders and usage notes quote. */
  disks: () => DiskSnapshot;
  /** When a disk's pending change is due to be confirmed, if any (see Monitor.confirmationDue). */
  confirmationDue: (mount: string, settings: Settings) => number | null;
  /** Whether alerts are paused: no re-posts meanwhile. */
  paused: () => boolean;
}

/**
 * What the watcher hands the delivery side, and when: each transition into the outbox, and at
 * each full sample the re-posts, catch-ups and reminders owed. Every message built from the disks
 * as last read quotes the forecast the views show.
 */
export class DeliveryLink {
  /** Whether the full samples since the start caught up on what is owed, on every disk (see catchUp). */
  private caughtUp = false;

  constructor(private readonly o: DeliveryLinkOptions) {}

  /**
   * Queues a transition for the integrations (before anything else: once the outbox holds it,
   * nothing can lose it); says whether the desktop notification must hold it, by the
   * integrations' policy without quiet hours.
   */
  transition(t: Transition, context: TransitionContext): Hold | null {
    const { dispatcher, holds } = this.o;
    holds.noteTransition(t);
    dispatcher.enqueue(t, context);
    return holds.holdFor(null, t);
  }

  /** What a full sample (not a fast re-read) sets going. */
  afterFullSample(readings: Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    const { dispatcher, holds } = this.o;
    const { forecastFor } = this.o.disks();
    if (!this.o.paused()) dispatcher.refresh({ readings, states, settings, forecastFor });
    if (holds.holding()) this.reconcile();
    else if (!this.caughtUp) this.catchUp();
    dispatcher.remind({ readings: this.o.disks().readings, states, settings, forecastFor });
  }

  /** What a scan found on a disk in alert, to the integrations that hear of it. */
  tellUsage(mount: string, note: UsageNote): void {
    const now = this.o.disks();
    const reading = now.readings.find((r) => mountOf(r) === mount);
    if (reading) this.o.dispatcher.tellUsage(note, { ...now, readings: [reading] });
  }

  /**
   * What is held lives in memory: the samples after a start catch up on what a previous run held
   * (quiet hours, a snooze ended meanwhile), one message of the net change each, holding it again
   * where the hold still applies. A disk with a change awaiting confirmation waits for a later
   * sample: its saved state may be one a killed watcher had already left (what it told is saved
   * first), and would be told as owed — "critical" at 50 % free.
   */
  private catchUp(): void {
    const now = this.o.disks();
    const settled = now.readings.filter((r) => this.o.confirmationDue(mountOf(r), now.settings) === null);
    this.o.dispatcher.reconcile({ ...now, readings: settled });
    this.caughtUp = settled.length === now.readings.length;
  }

  /** Tells every integration what it is owed now (a hold is being kept: see Holds.holding). */
  private reconcile(): void {
    this.o.dispatcher.reconcile(this.o.disks());
  }
}
