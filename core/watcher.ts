import { EventEmitter } from 'node:events';
import { hostname } from './builtins.js';
import { mountOf, type MountInfo } from '../shared/disk.js';
import { FAST_DETECTION } from '../shared/fast-detection.js';
import type { DiskView } from '../shared/ipc/contract.js';
import type { DiskSnapshot } from '../shared/notices.js';
import type { ChartPoint, ChartRange } from '../shared/sample-history.js';
import type { Settings } from '../shared/settings.js';
import type { TestDisk } from '../shared/event.js';
import { Heartbeat, type PingResult } from './heartbeat.js';
import { Monitor } from './monitor.js';
import type { Runtime } from './runtime.js';
import { testDiskAmong } from './test-disk.js';
import { UsageOnAlert, UsageScanFailed } from './usage/usage-on-alert.js';
import { DeliveryLink } from './watcher/delivery-link.js';
import { diskViews } from './watcher/disk-views.js';
import { transitionEvent, type WatcherEvents } from './watcher/events.js';
import { FastReads } from './watcher/fast-reads.js';
import { Forecasts } from './watcher/forecasts.js';
import { watchMountTable } from './watcher/mount-watch.js';
import { AlertPauses } from './watcher/pauses.js';
import { RecentReadings } from './watcher/recent-readings.js';
import { watchForSleep } from './watcher/sleep-watch.js';
import { reportStorageTrouble } from './watcher/storage-trouble.js';

export interface WatcherOptions {
  /** Watch exactly these mounts (`watch --mount`). */
  only?: MountInfo[];
  /** Overrides of settings for this run (`watch --interval`). */
  override?: Partial<Settings>;
  now?: () => number;
  /** How often to look for a sleep the OS did not announce (tests shorten it). */
  sleepCheckMs?: number;
  /** Each heartbeat ping, for the log. */
  onHeartbeat?: (result: PingResult) => void;
  /** Where /etc/fstab is, and how often the mount table is read (tests change them). */
  fstab?: string;
  mountTableCheckMs?: number;
}

/**
 * The watching side of Headroom, as the desktop app, `headroom watch` and the web UI run it:
 * the monitor, its transitions into the dispatcher (unless alerts are paused), and live state for
 * views. Pushes `EventPayloads` through `events`. Each job is a part of its own (see watcher/);
 * this wires them to the runtime.
 */
export class Watcher {
  readonly monitor: Monitor;
  readonly events: WatcherEvents = new EventEmitter();
  /** The scan a warning or critical starts, and what it found. */
  readonly usage: UsageOnAlert;
  /** Tells a dead-man's switch outside that this watcher is alive, and whether it is well. */
  readonly heartbeat: Heartbeat;
  /** Each mount's latest reading, the forecast's recent points and the chart's history. */
  readonly recent: RecentReadings;
  /** Each mount's forecast, worked out once per reading. */
  readonly forecasts: Forecasts;
  /** Pausing all alerts, snoozing a disk's. */
  readonly pauses: AlertPauses;
  private readonly fastReads: FastReads;
  private readonly now: () => number;
  /** What views are told of the disks: what `disks()` returns. */
  private readonly views: () => DiskView[];
  private onError?: (e: unknown) => void;
  /**
   * The stored settings with this run's overrides: the same object until the stored ones change
   * (the monitor tells a change by identity).
   */
  readonly settings: () => Settings;

  /**
   * Builds the parts in order, each handed what it needs of those before it: readings and
   * forecasts, the monitor given its forecasts, the delivery link, then what reacts to a tick.
   */
  constructor(
    readonly runtime: Runtime,
    private readonly options: WatcherOptions = {},
  ) {
    const now = (this.now = options.now ?? Date.now);
    const { dispatcher, holds, history, transport } = runtime.delivery;
    const { states } = runtime;
    const settings = (this.settings = withOverride(() => runtime.settings.get(), options.override));
    const recent = (this.recent = new RecentReadings(runtime.dir, runtime.warn));
    const forecasts = (this.forecasts = new Forecasts(recent, states, settings));
    const monitor = (this.monitor = new Monitor({
      settings,
      states,
      only: options.only,
      now,
      forecasts,
      mountList: { fstab: options.fstab },
    }));
    const events = this.events;
    const forecastFor = (mount: string) => forecasts.forecastNow(mount);
    // The disks as last read: every message built outside a transition quotes what the views show.
    const disks = (): DiskSnapshot => ({
      readings: recent.readings(),
      states: states.all(),
      settings: settings(),
      forecastFor,
    });
    const views = (this.views = () =>
      diskViews(recent.readings(), {
        states: states.all(),
        settings: settings(),
        snoozed: holds.snoozes.mounts(),
        forecastNow: forecastFor,
      }));
    dispatcher.reconcileOnRelease(disks);
    const pauses = (this.pauses = new AlertPauses({
      snoozes: holds.snoozes,
      events,
      disks: views,
      reconcile: () => dispatcher.reconcile(disks()),
    }));
    const delivery = new DeliveryLink({
      dispatcher,
      holds,
      disks,
      confirmationDue: (mount, s) => monitor.confirmationDue(mount, s),
      paused: () => pauses.paused(),
    });
    const heartbeat = (this.heartbeat = new Heartbeat({
      settings,
      transport,
      host: hostname(),
      onPing: options.onHeartbeat,
    }));
    history.enforceRetention();
    dispatcher.onRecord((record) => events.emit('delivery', record));
    dispatcher.onRecord((record) => heartbeat.noteDelivery(record));
    const usage = (this.usage = new UsageOnAlert({
      dir: runtime.dir,
      onWarning: runtime.warn,
      settings,
      now,
      onNote: (mount, note) => {
        events.emit('usage', { mount, ...note });
        delivery.tellUsage(mount, note);
      },
      onError: (mount, error) => this.onError?.(new UsageScanFailed(mount, error)),
    }));
    const fastReads = (this.fastReads = new FastReads({
      monitor,
      states,
      forecast: (mount, s) => forecasts.forecast(mount, undefined, s),
      now,
      onError: (e) => this.onError?.(e),
    }));
    monitor.onTransition((t, context) => {
      const held = delivery.transition(t, context);
      events.emit('transition', transitionEvent(t, context, held));
      // After the alert is out: the scan forks a process, which started beside the send competed
      // with it for the CPU. A slow receiver holds the scan back 2 s at most.
      void idleOrAfter(dispatcher.idle(), USAGE_SCAN_WAIT_MS).then(() => usage.onTransition(t));
    });
    monitor.onTick(({ readings, transitions, full, gone }, { states, settings }) => {
      let news = full || transitions.length > 0 || gone.length > 0;
      for (const mount of gone) {
        recent.forget(mount);
        fastReads.forget(mount);
      }
      for (const r of readings) if (recent.add(r, full, states)) news = true;
      heartbeat.set('sampling', null);
      recent.save(full, now());
      if (full) {
        const enabled = runtime.delivery.integrations.load().integrations.filter((i) => i.enabled);
        heartbeat.keepIntegrations(enabled.map((i) => i.id));
        pauses.resumeIfDue();
        pauses.tellIfChanged();
        delivery.afterFullSample(readings, states, settings);
      }
      for (const r of readings) fastReads.schedule(r, settings);
      // A disk re-read within seconds is near a threshold (or in alert): have the alert path
      // loaded before the crossing, not at it.
      if (
        readings.some((r) => (fastReads.plannedDelay(mountOf(r)) ?? Infinity) <= FAST_DETECTION.warmWithinMs)
      )
        transport.warm?.();
      // A disk in alert is re-read several times a second; telling the views (tray, windows, web
      // UI) each time nothing changed would cost far more than the statfs; `headroom watch` alone
      // has no view at all.
      if (news && events.listenerCount('disks') > 0) events.emit('disks', views());
    });
  }

  /** Samples at start and every interval until the signal aborts. */
  async run(signal: AbortSignal, onError?: (e: unknown) => void): Promise<void> {
    this.runtime.delivery.dispatcher.start();
    const failed = (e: unknown) => {
      this.heartbeat.set('sampling', `sampling failed: ${(e as Error).message}`);
      onError?.(e);
    };
    this.onError = failed;
    this.fastReads.start();
    const stopSleepWatch = watchForSleep(this.now, this.options.sleepCheckMs ?? 15_000, () => {
      void this.wake().catch(failed);
    });
    const stopStorageWatch = reportStorageTrouble(this.heartbeat);
    const stopMountWatch = watchMountTable(this.monitor, failed, this.options.mountTableCheckMs);
    this.heartbeat.start();
    try {
      await this.monitor.run(signal, failed);
    } finally {
      this.fastReads.stop();
      stopSleepWatch();
      stopStorageWatch();
      stopMountWatch();
      await this.usage.stop();
      await this.heartbeat.stop();
    }
  }

  /**
   * After sleep (or the clock set forward): sample at once, and send what is pending now rather
   * than at its next retry. The app calls this on the OS's resume event.
   */
  async wake(): Promise<DiskView[]> {
    this.runtime.delivery.dispatcher.sendPendingNow();
    return this.checkNow();
  }

  /** "Check now": sample at once. */
  async checkNow(): Promise<DiskView[]> {
    await this.monitor.tick();
    return this.disks();
  }

  /** See FastReads.plannedDelay: the replay harness follows it instead of timers. */
  plannedReadDelay(mount: string): number | null {
    return this.fastReads.plannedDelay(mount);
  }

  /** A disk's figures of now for an integration's test message (see testDiskAmong). */
  testDisk(mounts: readonly string[]): TestDisk | undefined {
    return testDiskAmong(this.recent.readings(), mounts, this.settings());
  }

  /** A disk's free space over the last hour, day or week, for its chart. */
  chart(mount: string, range: ChartRange): ChartPoint[] {
    return this.recent.chart(mount, range, this.now());
  }

  disks(): DiskView[] {
    return this.views();
  }
}

/** The stored settings with `override` over them, merged once per change of the stored ones. */
function withOverride(stored: () => Settings, override: Partial<Settings> | undefined): () => Settings {
  if (!override) return stored;
  let merged: { base: Settings; value: Settings } | undefined;
  return () => {
    const base = stored();
    if (merged?.base !== base) merged = { base, value: { ...base, ...override } };
    return merged.value;
  };
}

const USAGE_SCAN_WAIT_MS = 2000;

/** Resolves once `idle` has, or after `ms`, whichever comes first (a timer that keeps no process up). */
function idleOrAfter(idle: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms).unref();
    void idle.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
