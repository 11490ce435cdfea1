import { mountOf, type Reading } from '../../shared/disk.js';
import type { MountRecord, Transition } from '../../shared/hysteresis.js';
import type { DiskSnapshot } from '../../shared/notices.js';
import type { Hold } from '../../shared/quiet.js';
import type { Settings } from '../../shared/settings.js';
import type { UsageNote } from '../../shared/usage-note.js';
import type { TransitionContext } from '../monitor.js';
import type { Watcher } from '../watcher.js';

/** The parts of the watcher the delivery side is told from. */
export type LinkedWatcher = Pick<
  Watcher,
  'runtime' | 'monitor' | 'recent' | 'forecasts' | 'pauses' | 'heartbeat' | 'events' | 'settings'
>;

/**
 * What the watcher hands the delivery side, and when: each transition into the outbox, and at
 * each full sample the re-posts, catch-ups and reminders owed. Every message built from the disks
 * as last read quotes the forecast the views show.
 */
export class DeliveryLink {
  /** Whether the full samples since the start caught up on what is owed, on every disk (see catchUp). */
  private caughtUp = false;

  constructor(private readonly o: LinkedWatcher) {
    const { dispatcher, holds, history } = o.runtime.delivery;
    history.enforceRetention();
    dispatcher.onRecord((record) => o.events.emit('delivery', record));
    dispatcher.onRecord((record) => o.heartbeat.noteDelivery(record));
    holds.onRelease(() => this.reconcile());
  }

  /**
   * Queues a transition for the integrations (before anything else: once the outbox holds it,
   * nothing can lose it); says whether the desktop notification must hold it, by the
   * integrations' policy without quiet hours.
   */
  transition(t: Transition, context: TransitionContext): Hold | null {
    const { dispatcher, holds } = this.o.runtime.delivery;
    holds.noteTransition(t);
    dispatcher.enqueue(t, context);
    return holds.holdFor(null, t);
  }

  /** What a full sample (not a fast re-read) sets going. */
  afterFullSample(readings: Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    const { dispatcher, holds, integrations } = this.o.runtime.delivery;
    const enabled = integrations.load().integrations.filter((i) => i.enabled);
    this.o.heartbeat.keepIntegrations(enabled.map((i) => i.id));
    this.o.pauses.resumeIfDue();
    this.o.pauses.tellIfChanged();
    const forecastFor = (mount: string) => this.o.forecasts.forecastNow(mount);
    if (!this.o.pauses.paused()) dispatcher.refresh({ readings, states, settings, forecastFor });
    if (holds.holding()) this.reconcile();
    else if (!this.caughtUp) this.catchUp();
    dispatcher.remind({ readings: this.o.recent.readings(), states, settings, forecastFor });
  }

  /** What a scan found on a disk in alert, to the integrations that hear of it. */
  tellUsage(mount: string, note: UsageNote): void {
    const reading = this.o.recent.reading(mount);
    if (reading) this.o.runtime.delivery.dispatcher.tellUsage(note, this.snapshot([reading]));
  }

  /**
   * What is held lives in memory: the samples after a start catch up on what a previous run held
   * (quiet hours, a snooze ended meanwhile), one message of the net change each, holding it again
   * where the hold still applies. A disk with a change awaiting confirmation waits for a later
   * sample: its saved state may be one a killed watcher had already left (what it told is saved
   * first), and would be told as owed — "critical" at 50 % free.
   */
  private catchUp(): void {
    const now = this.snapshot();
    const settled = now.readings.filter(
      (r) => this.o.monitor.confirmationDue(mountOf(r), now.settings) === null,
    );
    this.o.runtime.delivery.dispatcher.reconcile({ ...now, readings: settled });
    this.caughtUp = settled.length === now.readings.length;
  }

  /** Tells every integration what it is owed now (after a pause, a snooze or a hold ended). */
  reconcile(): void {
    this.o.runtime.delivery.dispatcher.reconcile(this.snapshot());
  }

  /** The disks as last read; reminders, catch-ups and re-posts quote the same forecast as the views. */
  private snapshot(readings: readonly Reading[] = this.o.recent.readings()): DiskSnapshot {
    return {
      readings,
      states: this.o.runtime.states.all(),
      settings: this.o.settings(),
      forecastFor: (mount) => this.o.forecasts.forecastNow(mount),
    };
  }
}
