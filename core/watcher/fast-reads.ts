import { usableOf, type MountInfo, type Reading } from '../../shared/disk.js';
import { FAST_DETECTION, nextReadDelay } from '../../shared/fast-detection.js';
import type { Forecast } from '../../shared/forecast.js';
import type { Settings } from '../../shared/settings.js';
import { readingThresholds } from '../../shared/thresholds.js';
import type { Monitor } from '../monitor.js';
import type { StateStore } from '../state-store.js';

export interface FastReadsOptions {
  monitor: Monitor;
  states: StateStore;
  forecast: (mount: string, settings: Settings) => Forecast;
  now: () => number;
  onError: (e: unknown) => void;
}

/**
 * Fast detection: a mount near its next threshold, or with a change awaiting confirmation, is
 * re-read before the next full sample, as soon as `nextReadDelay` says a crossing could have
 * happened.
 */
export class FastReads {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The delay fast detection chose for each mount's next re-read (null: none before the next sample). */
  private readonly planned = new Map<string, number | null>();
  /** Mounts whose re-read fell due in this turn of the event loop (see readSoon). */
  private readonly due = new Map<string, MountInfo>();
  private running = false;
  private stopped = false;

  constructor(private readonly o: FastReadsOptions) {}

  /** Re-reads are timed only from here on: a one-off `checkNow` (tests, tools) leaves no timers behind. */
  start(): void {
    this.running = true;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  /**
   * The delay fast detection chose after this mount's latest reading: null when none is due
   * before the next full sample. The replay harness follows it instead of timers.
   */
  plannedDelay(mount: string): number | null {
    return this.planned.get(mount) ?? null;
  }

  /** A disk no longer watched: no re-read of it is due. */
  forget(mount: string): void {
    clearTimeout(this.timers.get(mount));
    this.timers.delete(mount);
    this.planned.delete(mount);
  }

  /** Plans this mount's next re-read after the reading `r`, replacing the one planned before. */
  schedule(r: Reading, settings: Settings): void {
    const info = r.ok ? r.sample : r.mount;
    clearTimeout(this.timers.get(info.mount));
    this.timers.delete(info.mount);
    const delay = this.delay(r, settings);
    this.planned.set(info.mount, delay);
    if (!this.running || this.stopped || delay === null) return;
    const mount: MountInfo = { mount: info.mount, fs: info.fs, type: info.type };
    this.timers.set(
      info.mount,
      setTimeout(() => this.readSoon(mount), delay),
    );
  }

  /**
   * Mounts read together at a full sample and re-read at the same cadence (every disk in alert)
   * fall due together: one read of them all costs one wake-up, where a read each would queue one
   * behind the other, a thread-pool round trip apiece.
   */
  private readSoon(mount: MountInfo): void {
    this.due.set(mount.mount, mount);
    if (this.due.size > 1) return;
    setImmediate(() => {
      const mounts = [...this.due.values()];
      this.due.clear();
      if (!this.stopped) void this.o.monitor.readMounts(mounts).catch(this.o.onError);
    });
  }

  /**
   * When to re-read: fast detection's cadence (if on), and — fast detection or not — no later
   * than a change awaiting confirmation is due, so confirming never waits for the next sample.
   */
  private delay(r: Reading, settings: Settings): number | null {
    // A read-only disk cannot fill: nothing to watch closely, whatever its figures.
    if (r.ok && r.sample.readOnly) return null;
    const info = r.ok ? r.sample : r.mount;
    const state = this.o.states.all()[info.mount]?.state ?? 'ok';
    const reading = r.ok ? { freePercent: r.sample.freePercent, usable: usableOf(r.sample) } : null;
    const interval = settings.intervalSeconds * 1000;
    let delay = !settings.fastDetection
      ? null
      : nextReadDelay(
          reading,
          state,
          () => this.o.forecast(info.mount, settings),
          readingThresholds(settings, r, 'space'),
          interval,
        );
    const due = this.o.monitor.confirmationDue(info.mount, settings);
    if (due !== null) {
      const untilDue = Math.max(FAST_DETECTION.minDelayMs, due - this.o.now());
      delay = Math.min(delay ?? interval, untilDue, FAST_DETECTION.pendingRecheckMs);
    }
    // A new disk in its grace period announces nothing yet: its figures for the views, and its
    // change at the end of the grace, want no more than a disk in alert gets — not the 10 reads
    // a second of a crossing about to be announced.
    if (delay !== null && this.o.monitor.inGrace(info.mount, settings))
      delay = Math.max(delay, FAST_DETECTION.alertRecheckMs);
    return delay !== null && delay < interval ? Math.round(delay) : null;
  }
}
