import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { freeOf, subjectKey, usableOf, type MountInfo, type Reading, type Sample } from '../shared/disk.js';
import type { DiskView, EventPayloads } from '../shared/ipc/contract.js';
import type { EventName } from '../shared/ipc/names.js';
import { FAST_DETECTION, nextReadDelay } from '../shared/fast-detection.js';
import {
  addPoint,
  forecast,
  FORECAST,
  forState,
  pointOf,
  type Forecast,
  type Point,
} from '../shared/forecast.js';
import { predictiveAlert } from '../shared/hysteresis.js';
import type { DiskSnapshot } from '../shared/notices.js';
import type { SnoozeChoice } from '../shared/quiet.js';
import type { Settings } from '../shared/settings.js';
import { alertForecast, type TestDisk } from '../shared/event.js';
import { storageHealth } from './fs/storage-health.js';
import { Heartbeat, type PingResult } from './heartbeat.js';
import { effectiveThresholds, readingThresholds, thresholdsFor } from '../shared/thresholds.js';
import type { SnoozeStore } from './snooze-store.js';
import { Monitor, type Assessment } from './monitor.js';
import type { Runtime } from './runtime.js';
import { SampleHistoryStore, SampleStore } from './sample-store.js';
import { testDiskOf } from './test-disk.js';
import { pointsFor, type ChartPoint, type ChartRange } from '../shared/sample-history.js';
import { UsageOnAlert, UsageScanFailed } from './usage/usage-on-alert.js';

/** How often a fast re-read that found nothing changed still adds a point (see remember)… */
const UNCHANGED_POINT_MS = 5_000;
/** …except for this long after a change, when one a second shows a fill has stopped. */
const SETTLING_MS = 10_000;
/**
 * Between full samples, the forecast's points are saved at most this often (for `check`), once
 * the figures changed: the points a disk holding still adds wait for the next full sample.
 */
const SAVE_POINTS_MS = 5_000;

const sameFigures = (a: Sample, b: Sample) =>
  a.available === b.available &&
  a.used === b.used &&
  a.size === b.size &&
  a.inodes?.free === b.inodes?.free &&
  a.inodes?.total === b.inodes?.total;

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
}

/**
 * The watching side of Headroom, as the desktop app, `headroom watch` and the web UI run it:
 * the monitor, its transitions into the dispatcher (unless alerts are paused), and live state for
 * views. Pushes `EventPayloads` through `events`.
 */
export class Watcher {
  readonly monitor: Monitor;
  readonly events = new EventEmitter<{ [E in EventName]: [EventPayloads[E]] }>();
  private readonly recent = new Map<string, Point[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly samples: SampleStore;
  private readonly history: SampleHistoryStore;
  private stopped = false;
  private running = false;
  private readonly latest = new Map<string, Reading>();
  readonly snoozes: SnoozeStore;
  private readonly now: () => number;
  /** The scan a warning or critical starts, and what it found. */
  readonly usage: UsageOnAlert;
  /** Tells a dead-man's switch outside that this watcher is alive, and whether it is well. */
  readonly heartbeat: Heartbeat;
  /** When each mount's figures last changed (see remember). */
  private readonly lastChange = new Map<string, number>();
  /** The delay fast detection chose for each mount's next re-read (null: none before the next sample). */
  private readonly planned = new Map<string, number | null>();
  /** Mounts whose re-read fell due in this turn of the event loop (see readSoon). */
  private readonly due = new Map<string, MountInfo>();
  private pointsChanged = false;
  private readonly forecasts = new Map<string, { key: string; forecast: Forecast }>();
  private pointsSavedAt = -Infinity;

  constructor(
    readonly runtime: Runtime,
    private readonly options: WatcherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const { dispatcher, holds } = runtime.delivery;
    this.snoozes = holds.snoozes;
    this.samples = new SampleStore(runtime.dir, runtime.warn);
    for (const [mount, points] of Object.entries(this.samples.all())) this.recent.set(mount, [...points]);
    this.history = new SampleHistoryStore(runtime.dir, runtime.warn);
    this.monitor = new Monitor({
      settings: () => this.settings(),
      states: runtime.states,
      only: options.only,
      now: this.now,
      forecastFor: (mount, reading, state) => forState(this.forecast(mount, reading), state),
      assess: (mount, reading, settings) => this.assess(mount, reading, settings),
    });
    this.usage = new UsageOnAlert({
      dir: runtime.dir,
      settings: () => this.settings(),
      now: this.now,
      onNote: (mount, note) => {
        this.events.emit('usage', { mount, ...note });
        const reading = this.latest.get(mount);
        if (reading) dispatcher.tellUsage(note, this.snapshot([reading]));
      },
      onError: (mount, error) => this.onError?.(new UsageScanFailed(mount, error)),
    });
    this.heartbeat = new Heartbeat({
      settings: () => this.settings(),
      transport: runtime.delivery.transport,
      host: hostname(),
      onPing: options.onHeartbeat,
    });
    runtime.delivery.history.enforceRetention();
    dispatcher.onRecord((record) => this.events.emit('delivery', record));
    dispatcher.onRecord((record) => this.heartbeat.noteDelivery(record));
    holds.onRelease(() => this.reconcile());
    // The outbox first: once it holds the delivery, nothing can lose it.
    this.monitor.onTransition((t, context) => {
      holds.noteTransition(t);
      dispatcher.enqueue(t, context);
      const r = t.reading;
      // The desktop notification asks the integrations' policy, without quiet hours.
      const held = holds.holdFor(null, t);
      const told = t.kind === 'space' ? alertForecast(context.forecast, t.to) : undefined;
      this.events.emit('transition', {
        mount: t.mount,
        kind: t.kind,
        from: t.from,
        to: t.to,
        at: t.at,
        freePercent: r.ok ? freeOf(r.sample, t.kind) : null,
        thresholds: readingThresholds(context.settings, r, t.kind),
        ...(t.predicted ? { predicted: true } : {}),
        ...(told ? { forecast: told } : {}),
        ...(held ? { held: held.reason } : {}),
      });
      // After the alert is on its way: the scan runs on its own thread and tells what it found.
      this.usage.onTransition(t);
    });
    this.monitor.onTick(({ readings, transitions, full }, { states, settings }) => {
      let news = full || transitions.length > 0;
      for (const r of readings) {
        // An unchanged re-read of a disk in alert adds nothing, to the chart's history either.
        if (!this.remember(r, full)) continue;
        news = true;
        const info = r.ok ? r.sample : r.mount;
        this.history.add(info.mount, {
          at: r.ok ? r.sample.at : r.at,
          available: r.ok ? r.sample.available : null,
          usable: r.ok ? usableOf(r.sample) : null,
          state: states[info.mount]?.state ?? 'ok',
        });
      }
      this.heartbeat.set('sampling', null);
      const now = this.now();
      if (full || (this.pointsChanged && now - this.pointsSavedAt >= SAVE_POINTS_MS)) {
        this.samples.save(Object.fromEntries(this.recent));
        this.pointsChanged = false;
        this.pointsSavedAt = now;
      }
      if (full) {
        this.heartbeat.keepIntegrations(
          runtime.delivery.integrations
            .load()
            .integrations.filter((i) => i.enabled)
            .map((i) => i.id),
        );
        this.history.save(this.now());
        this.resumeIfDue();
        const forecastFor = (mount: string) => this.forecastNow(mount);
        if (!this.paused()) dispatcher.refresh({ readings, states, settings, forecastFor });
        if (holds.holding()) this.reconcile();
        dispatcher.remind({ readings: [...this.latest.values()], states, settings, forecastFor });
      }
      for (const r of readings) this.scheduleFastRead(r, settings);
      // A disk in alert is re-read several times a second; telling the views (tray, windows, web
      // UI) each time nothing changed would cost far more than the statfs; `headroom watch` alone
      // has no view at all.
      if (news && this.events.listenerCount('disks') > 0) this.events.emit('disks', this.disks());
    });
  }

  /** The same object until the stored settings change: the monitor tells a change by identity. */
  settings(): Settings {
    const base = this.runtime.settings.get();
    if (!this.options.override) return base;
    if (this.merged?.base !== base) this.merged = { base, value: { ...base, ...this.options.override } };
    return this.merged.value;
  }

  private merged: { base: Settings; value: Settings } | undefined;

  /** Samples at start and every interval until the signal aborts. */
  async run(signal: AbortSignal, onError?: (e: unknown) => void): Promise<void> {
    this.runtime.delivery.dispatcher.start();
    this.onError = (e) => {
      this.heartbeat.set('sampling', `sampling failed: ${(e as Error).message}`);
      onError?.(e);
    };
    this.running = true;
    const sleeps = this.watchForSleep();
    const unwatch = this.watchStorage();
    this.heartbeat.start();
    try {
      await this.monitor.run(signal, this.onError);
    } finally {
      this.stopped = true;
      clearInterval(sleeps);
      unwatch();
      for (const timer of this.timers.values()) clearTimeout(timer);
      await this.usage.stop();
      await this.heartbeat.stop();
    }
  }

  /** A data file that cannot be written or read is trouble the heartbeat tells of. */
  private watchStorage(): () => void {
    const failed = (file: string, reason: string) =>
      this.heartbeat.set(`file:${file}`, `cannot write ${file} (${reason})`);
    const unreadable = (file: string, reason: string) =>
      this.heartbeat.set(`file:${file}`, `cannot read ${file} (${reason})`);
    const recovered = (file: string) => this.heartbeat.set(`file:${file}`, null);
    storageHealth.on('failed', failed);
    storageHealth.on('readFailed', unreadable);
    storageHealth.on('recovered', recovered);
    return () => {
      storageHealth.off('failed', failed);
      storageHealth.off('readFailed', unreadable);
      storageHealth.off('recovered', recovered);
    };
  }

  /**
   * After sleep (or the clock set forward): sample at once, and send what is pending now rather
   * than at its next retry. The app calls this on the OS's resume event.
   */
  async wake(): Promise<DiskView[]> {
    this.runtime.delivery.dispatcher.sendPendingNow();
    return this.checkNow();
  }

  /**
   * Where no OS event tells of a resume (`headroom watch` on a laptop or a suspended VM): timers
   * stand still during sleep while the wall clock runs on, so a gap between them means a wake.
   */
  private watchForSleep(): NodeJS.Timeout {
    const CHECK = this.options.sleepCheckMs ?? 15_000;
    let wall = this.now();
    let mono = performance.now();
    const timer = setInterval(() => {
      const [w, m] = [this.now(), performance.now()];
      const slept = w - wall - (m - mono) > 2 * CHECK;
      [wall, mono] = [w, m];
      if (slept) void this.wake().catch(this.onError ?? (() => {}));
    }, CHECK);
    timer.unref();
    return timer;
  }

  private onError?: (e: unknown) => void;

  /**
   * The forecast from the recent points and the latest reading (or `reading`), against this
   * mount's own thresholds. The same points are saved for `check`, so every view quotes one
   * forecast.
   */
  forecast(mount: string, reading?: Reading, settings = this.settings()): Forecast {
    const points = this.recent.get(mount) ?? [];
    const last = points.at(-1);
    const latest = reading ?? this.latest.get(mount);
    const extra = latest?.ok && (!last || latest.sample.at > last.at) ? [pointOf(latest.sample)] : [];
    const all = [...points, ...extra];
    const newest = all.at(-1);
    const t = effectiveThresholds(thresholdsFor(settings, mount), 'space', newest?.usable ?? 0);
    // One reading is judged, scheduled and shown: the same forecast three times over, so once.
    const key = `${all.length}:${all[0]?.at}:${newest?.at}:${newest?.available}:${t.warningPercent}:${t.criticalPercent}`;
    const cached = this.forecasts.get(mount);
    if (cached?.key === key) return cached.forecast;
    const f = forecast(all, t);
    this.forecasts.set(mount, { key, forecast: f });
    return f;
  }

  /** The forecast as views and messages show it: no time to a threshold the disk is already past. */
  forecastNow(mount: string): Forecast {
    return forState(this.forecast(mount), this.runtime.states.all()[mount]?.state ?? 'ok');
  }

  /**
   * What the monitor asks of the trend for one reading (see Assessment), worked out only if asked:
   * most re-reads of a disk in alert need no forecast (none in critical, none while it holds).
   */
  private assess(mount: string, reading: Reading, settings: Settings): Assessment {
    const f = () => this.forecast(mount, reading, settings);
    const at = reading.ok ? reading.sample.at : reading.at;
    return {
      get predict() {
        const minutes = settings.predictiveMinutes;
        return minutes === null ? { raise: false, hold: false } : predictiveAlert(f(), minutes);
      },
      get steadyFill() {
        const trend = f();
        return (
          trend.status === 'filling' &&
          trend.trendSince !== null &&
          trend.points >= 4 &&
          (trend.fit ?? 0) >= FORECAST.minFit &&
          at - trend.trendSince >= settings.confirmSeconds * 1000
        );
      },
    };
  }

  /**
   * The delay fast detection chose after this mount's latest reading: null when none is due
   * before the next full sample. The replay harness follows it instead of timers.
   */
  plannedReadDelay(mount: string): number | null {
    return this.planned.get(mount) ?? null;
  }

  /**
   * Fast detection: a mount near its next threshold is re-read before the next full sample, as
   * soon as `nextReadDelay` says a crossing could have happened.
   */
  private scheduleFastRead(r: Reading, settings: Settings): void {
    const info = r.ok ? r.sample : r.mount;
    clearTimeout(this.timers.get(info.mount));
    this.timers.delete(info.mount);
    const delay = this.readDelay(r, settings);
    this.planned.set(info.mount, delay);
    // Only while `run` watches: a one-off `checkNow` (tests, tools) leaves no timers behind.
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
      if (!this.stopped) void this.monitor.readMounts(mounts).catch(this.onError ?? (() => {}));
    });
  }

  /**
   * The figures of now of a disk an integration hears of (its first, else `/`, else any), for a
   * test message that quotes real numbers.
   */
  testDisk(mounts: readonly string[]): TestDisk | undefined {
    const readings = [...this.latest.values()].filter((r) => r.ok);
    const pick =
      readings.find((r) => mounts.includes(r.sample.mount)) ??
      (mounts.length ? undefined : (readings.find((r) => r.sample.mount === '/') ?? readings[0]));
    return pick && testDiskOf(pick, this.settings());
  }

  /** A disk's free space over the last hour, day or week, for its chart. */
  chart(mount: string, range: ChartRange): ChartPoint[] {
    return pointsFor(this.history.get(mount), range, this.now());
  }

  /** The recent samples the forecast is made from, oldest first. */
  recentSamples(mount: string): readonly Point[] {
    return this.recent.get(mount) ?? [];
  }

  /**
   * When to re-read: fast detection's cadence (if on), and — fast detection or not — no later
   * than a change awaiting confirmation is due, so confirming never waits for the next sample.
   */
  private readDelay(r: Reading, settings: Settings): number | null {
    const info = r.ok ? r.sample : r.mount;
    const state = this.runtime.states.all()[info.mount]?.state ?? 'ok';
    const reading = r.ok ? { freePercent: r.sample.freePercent, usable: usableOf(r.sample) } : null;
    const interval = settings.intervalSeconds * 1000;
    let delay = !settings.fastDetection
      ? null
      : nextReadDelay(
          reading,
          state,
          () => this.forecast(info.mount, undefined, settings),
          readingThresholds(settings, r, 'space'),
          interval,
        );
    const due = this.monitor.confirmationDue(info.mount, settings);
    if (due !== null) {
      const untilDue = Math.max(FAST_DETECTION.minDelayMs, due - this.now());
      delay = Math.min(delay ?? interval, untilDue, FAST_DETECTION.alertRecheckMs);
    }
    return delay !== null && delay < interval ? Math.round(delay) : null;
  }

  /** "Check now": sample at once. */
  async checkNow(): Promise<DiskView[]> {
    await this.monitor.tick();
    return this.disks();
  }

  pausedUntil(): number | null {
    return this.snoozes.pausedUntil();
  }

  /**
   * Snoozes one disk's alerts (or everything, for null) for 1 h, 8 h or until tomorrow 08:00.
   * Disks are still sampled; changes meanwhile are held and summed up when the snooze ends.
   */
  snooze(mount: string | null, choice: SnoozeChoice | number): number {
    const until = this.snoozes.snooze(mount, choice);
    if (mount === null) this.events.emit('paused', { pausedUntil: until });
    this.events.emit('disks', this.disks());
    return until;
  }

  /** Ends one disk's snooze (or every snooze and the pause, for null) and sends what is owed. */
  unsnooze(mount: string | null): void {
    this.snoozes.unsnooze(mount);
    if (mount === null) this.events.emit('paused', { pausedUntil: null });
    this.events.emit('disks', this.disks());
    this.reconcile();
  }

  /** Tells every integration what it is owed now (after a pause, a snooze or a hold ended). */
  private reconcile(): void {
    this.runtime.delivery.dispatcher.reconcile(this.snapshot());
  }

  /** The disks as last read; reminders, catch-ups and re-posts quote the same forecast as the views. */
  private snapshot(readings: readonly Reading[] = [...this.latest.values()]): DiskSnapshot {
    return {
      readings,
      states: this.runtime.states.all(),
      settings: this.settings(),
      forecastFor: (mount) => this.forecastNow(mount),
    };
  }

  paused(): boolean {
    return this.pausedUntil() !== null;
  }

  /** Holds alerts for `minutes`, or until resumed (null). Disks are still sampled. */
  pauseAlerts(minutes: number | null): number {
    const until = this.snoozes.pause(minutes);
    this.events.emit('paused', { pausedUntil: until });
    return until;
  }

  /** Ends a pause and tells every integration what changed meanwhile, once. */
  resumeAlerts(): void {
    this.snoozes.resume();
    this.events.emit('paused', { pausedUntil: null });
    this.reconcile();
  }

  /** The latest reading of every watched mount, as sampled (cheap: no forecast, no history). */
  readings(): Reading[] {
    return [...this.latest.values()];
  }

  disks(): DiskView[] {
    const states = this.runtime.states.all();
    const settings = this.settings();
    return [...this.latest.values()].map((r) => {
      const info = r.ok ? r.sample : r.mount;
      const record = states[info.mount];
      return {
        mount: info.mount,
        fs: info.fs,
        type: info.type,
        size: r.ok ? r.sample.size : null,
        used: r.ok ? r.sample.used : null,
        available: r.ok ? r.sample.available : null,
        freePercent: r.ok ? r.sample.freePercent : null,
        state: record?.state ?? 'ok',
        since: record?.since ?? (r.ok ? r.sample.at : r.at),
        ...(r.ok ? {} : { reason: r.reason }),
        thresholds: readingThresholds(settings, r, 'space'),
        inodes:
          r.ok && r.sample.inodes
            ? {
                ...r.sample.inodes,
                state: states[subjectKey(info.mount, 'inodes')]?.state ?? 'ok',
                thresholds: readingThresholds(settings, r, 'inodes'),
              }
            : null,
        snoozedUntil: this.snoozes.mounts()[info.mount] ?? null,
        forecast: this.forecastNow(info.mount),
      };
    });
  }

  /**
   * Keeps the latest reading, and a point for the forecast and sparkline; says whether a view
   * would show anything new. Points are thinned by age (see addPoint). A fast re-read that found
   * the disk as it was adds a point only every UNCHANGED_POINT_MS — a disk in alert is re-read
   * every 700 ms — except within SETTLING_MS of a change, when one a second lets the forecast
   * see a fill stop within seconds.
   */
  private remember(r: Reading, full: boolean): boolean {
    const mount = r.ok ? r.sample.mount : r.mount.mount;
    const before = this.latest.get(mount);
    this.latest.set(mount, r);
    if (!r.ok) return true;
    const list = this.recent.get(mount) ?? [];
    const last = list.at(-1);
    const unchanged = before?.ok === true && sameFigures(before.sample, r.sample);
    if (before?.ok && !unchanged) this.lastChange.set(mount, r.sample.at);
    if (!full && last && last.at < r.sample.at && unchanged) {
      const settling = r.sample.at - (this.lastChange.get(mount) ?? -Infinity) <= SETTLING_MS;
      if (r.sample.at - last.at < (settling ? FORECAST.recentSpacingMs : UNCHANGED_POINT_MS)) return false;
    }
    // A clock set back: addPoint drops the samples "from the future", which would bend the trend.
    this.recent.set(mount, addPoint(list, pointOf(r.sample)));
    if (!unchanged) this.pointsChanged = true;
    return true;
  }

  /** A timed pause that ran out ends like a manual resume: integrations catch up. */
  private resumeIfDue(): void {
    // Read from the file, not through pausedUntil(), which already hides an expired pause.
    if (this.snoozes.pauseExpired()) this.resumeAlerts();
  }
}
