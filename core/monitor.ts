import {
  mountOf,
  parseSubject,
  subjectKey,
  type MountInfo,
  type MountState,
  type Reading,
} from '../shared/disk.js';
import type { Forecast } from '../shared/forecast.js';
import type { MountRecord, Transition } from '../shared/hysteresis.js';
import type { Settings } from '../shared/settings.js';
import { AlertJudge, type Assessment, type Judged } from './alert-judge.js';
import { MountList, type MountListOptions } from './mount-list.js';
import { judgeReadOnly } from './read-only.js';
import { everyInterval } from './sample-loop.js';
import { Sampler } from './sampler.js';
import type { StateStore } from './state-store.js';

export interface TickResult {
  readings: Reading[];
  transitions: Transition[];
  /** A full sample of every watched mount, not a fast re-read of some. */
  full: boolean;
  /** Discovered disks no longer watched (unmounted, say): gone quietly, views drop them. */
  gone: string[];
}

/** What a sink may want beside the transition: every disk's state after this tick. */
export interface TransitionContext {
  /** The mount's record before the transition (absent for a mount seen for the first time). */
  previous?: MountRecord;
  states: Record<string, MountRecord>;
  settings: Settings;
  /** Where the mount's free space is heading, when the watcher knows. */
  forecast?: Forecast;
}

/** Called for every transition, in order, before the state is persisted: a sink that writes its
 *  own record first (the outbox) can never miss one, even if the process dies right after. */
export type TransitionSink = (t: Transition, context: TransitionContext) => void | Promise<void>;

export type TickSink = (result: TickResult, context: Omit<TransitionContext, 'previous'>) => void;

/** What the monitor asks of the trend. A part built before it: the monitor never asks its owner. */
export interface Forecaster {
  /**
   * What the trend says of this reading: the predictive alert's raise and hold (see
   * predictiveAlert), and whether it continues a steady fill followed for the confirmation time.
   */
  assess(mount: string, reading: Reading, settings: Settings): Assessment;
  /** The forecast for a mount, given the reading that caused a transition and the new state. */
  forecastFor(mount: string, reading: Reading, state: MountState): Forecast;
}

export interface MonitorOptions {
  settings: () => Settings;
  states: StateStore;
  /** Mounts named on the command line: watch exactly these instead of discovering. */
  only?: MountInfo[];
  now?: () => number;
  /** Where each mount's free space is heading (see Forecasts): without it, no predictive alert. */
  forecasts?: Forecaster;
  /** Where /etc/fstab is (see MountList). */
  mountList?: Pick<MountListOptions, 'fstab'>;
}

/**
 * Samples the watched mounts and runs each through the hysteresis state machine (see
 * AlertJudge). Sinks (the printer of `watch`, the dispatcher, the views) subscribe; the loop does
 * not know them.
 */
export class Monitor {
  private readonly sinks: TransitionSink[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tickSinks: TickSink[] = [];
  private readonly now: () => number;
  private sampler: Sampler;
  private samplerTimeout: number;
  private readonly judge = new AlertJudge();
  private readonly mounts: MountList;

  constructor(private readonly options: MonitorOptions) {
    this.now = options.now ?? Date.now;
    this.mounts = new MountList({
      ...options.mountList,
      settings: options.settings,
      states: options.states,
      only: options.only,
      now: this.now,
    });
    this.samplerTimeout = options.settings().sampleTimeoutSeconds * 1000;
    this.sampler = this.newSampler();
  }

  /** Seen mounted: in an earlier run (saved state), or at start (named mounts were looked up). */
  private newSampler(): Sampler {
    const seen = Object.entries(this.options.states.all()).filter(([, r]) => r.state !== 'unreachable');
    return new Sampler(this.samplerTimeout)
      .remember(seen.map(([mount]) => mount))
      .remember((this.options.only ?? []).map((m) => m.mount));
  }

  /** When the earliest change pending on this mount is due to be confirmed (epoch ms), if any. */
  confirmationDue(mount: string, settings: Settings): number | null {
    return this.judge.confirmationDue(mount, settings);
  }

  /** Whether this disk is new and not yet announced (see MountList.inGrace). */
  inGrace(mount: string, settings: Settings): boolean {
    return this.mounts.inGrace(mount, settings);
  }

  onTransition(sink: TransitionSink): void {
    this.sinks.push(sink);
  }

  /** Called after every sample, transitions or not: for re-sending active alerts, live views. */
  onTick(sink: TickSink): void {
    this.tickSinks.push(sink);
  }

  /** The explicit list if one was given, else every mount watched by default (see MountList). */
  async watchedMounts(): Promise<MountInfo[]> {
    return (await this.mounts.current()).mounts;
  }

  /** One full sample of every watched mount. Mounts are read concurrently, each with its timeout. */
  tick(): Promise<TickResult> {
    return this.serialised(async () => {
      const { mounts, gone } = await this.mounts.current();
      return this.evaluateAll(mounts, true, gone);
    });
  }

  /**
   * Whether the kernel's mount table or the named mounts changed since the list was worked out:
   * one read of the table (the watcher asks every few seconds; see watchMountTable).
   */
  mountsChanged(): boolean {
    return this.mounts.changed();
  }

  /**
   * Reads the mounts new to the list (or listed otherwise, as after a remount) and forgets those
   * gone, so a disk that is mounted, or added to `watchedMounts`, is sampled and shown within
   * seconds. Only what changed: a busy machine's mounts come and go often.
   */
  tickChangedMounts(): Promise<TickResult> {
    return this.serialised(async () => {
      const { changed, gone } = await this.mounts.current();
      return this.evaluateAll(changed, false, gone, true);
    });
  }

  /** A cheap re-read of some mounts between full samples (fast detection): no discovery. */
  readMounts(mounts: MountInfo[]): Promise<TickResult> {
    return this.serialised(() => this.evaluateAll(mounts, false));
  }

  /** Samples never overlap: two evaluations of one mount at once could announce a change twice. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** `fresh`: read with the device check, as a full sample does (a mount new to the list). */
  private async evaluateAll(
    mounts: MountInfo[],
    full: boolean,
    gone: string[] = [],
    fresh = full,
  ): Promise<TickResult> {
    const settings = this.options.settings();
    if (settings.sampleTimeoutSeconds * 1000 !== this.samplerTimeout) {
      this.samplerTimeout = settings.sampleTimeoutSeconds * 1000;
      this.sampler = this.newSampler();
    }
    const records = this.options.states.all();
    const read = await Promise.all(
      mounts.map((m) => (fresh ? this.sampler.read(m, this.now) : this.reread(m, settings, records))),
    );
    // A disk only discovery found, unmounted since the table was last read: gone quietly.
    const vanished = await Promise.all(read.map((r) => !r.ok && this.mounts.vanished(mountOf(r))));
    const readings = read.filter((_, i) => !vanished[i]);
    gone = [...gone, ...read.filter((_, i) => vanished[i]).map(mountOf)];
    const changes: Record<string, MountRecord> = {};
    const transitions: Transition[] = [];
    for (const reading of readings) {
      if (!fresh && this.judge.isSettled(reading, settings)) continue;
      const judged = this.judged(reading, settings, records);
      // Sampled and shown, but neither announced nor recorded until the grace period is over.
      if (this.mounts.inGrace(mountOf(reading), settings)) continue;
      for (const [key, record] of Object.entries(judged.records)) {
        const adHoc = records[key] ? records[key].adHoc : this.options.only !== undefined;
        changes[key] = adHoc ? { ...record, adHoc } : record;
      }
      transitions.push(...judged.transitions);
    }
    const removed = this.forget(gone, records);
    const states = { ...records, ...changes };
    for (const key of removed) delete states[key];
    for (const t of transitions) {
      const context = {
        previous: records[subjectKey(t.mount, t.kind)],
        states,
        settings,
        forecast: this.options.forecasts?.forecastFor(t.mount, t.reading, t.to),
      };
      for (const sink of this.sinks) await sink(t, context);
    }
    this.options.states.update(changes);
    const result = { readings, transitions, full, gone };
    for (const sink of this.tickSinks) sink(result, { states, settings });
    return result;
  }

  /** The reading through the alert judge, unless the disk is read-only (see judgeReadOnly). */
  private judged(reading: Reading, settings: Settings, records: Record<string, MountRecord>): Judged {
    if (reading.ok && reading.sample.readOnly) return judgeReadOnly(reading.sample, records);
    const assessment = this.options.forecasts?.assess(mountOf(reading), reading, settings);
    return this.judge.judge(reading, { settings, records, assessment });
  }

  /** Drops the records of the disks gone quietly; says which. */
  private forget(gone: string[], records: Record<string, MountRecord>): string[] {
    if (gone.length === 0) return [];
    const mounts = new Set(gone);
    const keys = Object.keys(records).filter((k) => mounts.has(parseSubject(k).mount) && !records[k]!.adHoc);
    this.options.states.remove(keys);
    return keys;
  }

  /**
   * A fast re-read, with the device check `Sampler.reread` may skip made before anything changes:
   * a mount that vanished reads as the filesystem beneath it, and its free space must never pass
   * for an all-clear. An alert whose change is pending is checked at every re-read until then.
   */
  private async reread(
    m: MountInfo,
    settings: Settings,
    records: Record<string, MountRecord>,
  ): Promise<Reading> {
    const { reading, deviceChecked } = await this.sampler.reread(m, this.now);
    if (deviceChecked || this.judge.isSettled(reading, settings)) return reading;
    const assessment = this.options.forecasts?.assess(m.mount, reading, settings);
    const changes = this.judge.wouldChange(reading, { settings, records, assessment });
    return changes ? this.sampler.read(m, this.now) : reading;
  }

  /**
   * Samples now and then every `intervalSeconds` until the signal aborts; resolves once the tick
   * in progress has finished, so nothing is cut off half-way.
   */
  run(signal: AbortSignal, onError: (e: unknown) => void = () => {}): Promise<void> {
    return everyInterval(
      () => this.tick(),
      () => this.options.settings().intervalSeconds * 1000,
      signal,
      onError,
    );
  }
}
