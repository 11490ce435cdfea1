import {
  mountOf,
  parseSubject,
  subjectKey,
  type AlertKind,
  type MountInfo,
  type MountState,
  type Reading,
} from '../shared/disk.js';
import { evaluate, type MountRecord, type Pending, type Transition } from '../shared/hysteresis.js';
import { FORECAST, type Forecast } from '../shared/forecast.js';
import type { Settings } from '../shared/settings.js';
import { readingThresholds } from '../shared/thresholds.js';
import { Sampler } from './sampler.js';
import type { StateStore } from './state-store.js';
import { watchList } from './watch-list.js';

export interface TickResult {
  readings: Reading[];
  transitions: Transition[];
  /** A full sample of every watched mount, not a fast re-read of some. */
  full: boolean;
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

export interface MonitorOptions {
  settings: () => Settings;
  states: StateStore;
  /** Mounts named on the command line: watch exactly these instead of discovering. */
  only?: MountInfo[];
  now?: () => number;
  /** The forecast for a mount, given the reading that caused a transition and the new state. */
  forecastFor?: (mount: string, reading: Reading, state: MountState) => Forecast;
  /**
   * What the trend says of this reading: the predictive alert's raise and hold (see
   * predictiveAlert), and whether it continues a steady fill followed for the confirmation time.
   */
  assess?: (mount: string, reading: Reading, settings: Settings) => Assessment;
}

/** Read lazily (getters): each needs the forecast, which most re-reads never ask for. */
export interface Assessment {
  predict: { raise: boolean; hold: boolean };
  steadyFill: boolean;
}

/**
 * Samples the watched mounts and runs each through the hysteresis state machine. Sinks (the
 * printer of `watch`, later the dispatcher and the tray) subscribe; the loop does not know them.
 */
export class Monitor {
  private readonly sinks: TransitionSink[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tickSinks: TickSink[] = [];
  private readonly now: () => number;
  private sampler: Sampler;
  private samplerTimeout: number;
  /**
   * Changes awaiting confirmation, per alert. In memory only: after a restart a change is
   * confirmed afresh, a few seconds later at most.
   */
  private readonly pending = new Map<string, Pending>();
  /** Each alert's free figure (bytes or inodes) at the previous reading: is the disk still filling? */
  private readonly lastFree = new Map<string, number>();

  constructor(private readonly options: MonitorOptions) {
    this.now = options.now ?? Date.now;
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
    const due = (['space', 'inodes'] as const)
      .map((kind) => this.pending.get(subjectKey(mount, kind)))
      .filter((p) => p !== undefined)
      .map((p) => p.since + settings.confirmSeconds * 1000);
    return due.length ? Math.min(...due) : null;
  }

  onTransition(sink: TransitionSink): void {
    this.sinks.push(sink);
  }

  /** Called after every sample, transitions or not: for re-sending active alerts, live views. */
  onTick(sink: TickSink): void {
    this.tickSinks.push(sink);
  }

  /** The explicit list if one was given, else every mount watched by default or seen before. */
  watchedMounts(): Promise<MountInfo[]> {
    if (this.options.only) return Promise.resolve(this.options.only);
    const remembered = Object.entries(this.options.states.all())
      .filter(([key, r]) => !r.adHoc && parseSubject(key).kind === 'space')
      .map(([mount]) => mount);
    return watchList(this.options.settings(), remembered);
  }

  /** One full sample of every watched mount. Mounts are read concurrently, each with its timeout. */
  tick(): Promise<TickResult> {
    return this.serialised(async () => this.evaluateAll(await this.watchedMounts(), true));
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

  /**
   * The figures under which a mount's alerts last stood still, by mount. A re-read of a disk held
   * in critical (every 700 ms) that finds the same figures under the same settings (the same
   * object: the stores hand out a new one only on a change) with nothing pending can change
   * nothing — critical is the one state of free space that no forecast and no passing time moves,
   * and inode alerts have no forecast — so it skips the state machine, and the device check
   * before believing a change.
   */
  private readonly settled = new Map<string, { settings: Settings; figures: string }>();

  private isSettled(reading: Reading, settings: Settings): boolean {
    const was = this.settled.get(mountOf(reading));
    return was !== undefined && was.settings === settings && was.figures === figuresOf(reading);
  }

  private async evaluateAll(mounts: MountInfo[], full: boolean): Promise<TickResult> {
    const settings = this.options.settings();
    if (settings.sampleTimeoutSeconds * 1000 !== this.samplerTimeout) {
      this.samplerTimeout = settings.sampleTimeoutSeconds * 1000;
      this.sampler = this.newSampler();
    }
    const records = this.options.states.all();
    const readings = await Promise.all(
      mounts.map((m) => (full ? this.sampler.read(m, this.now) : this.reread(m, settings, records))),
    );
    const changes: Record<string, MountRecord> = {};
    const transitions: Transition[] = [];
    for (const reading of readings) {
      if (!full && this.isSettled(reading, settings)) continue;
      const mount = mountOf(reading);
      const assessment = this.options.assess?.(mount, reading, settings);
      let settled = reading.ok;
      for (const kind of kindsOf(settings)) {
        const key = subjectKey(mount, kind);
        const result = this.judge(reading, kind, settings, records, assessment);
        if (!result) continue;
        // Only the forecast (space alerts below critical) and pending confirmations move with time.
        if (result.pending || result.transition || (kind === 'space' && result.record.state !== 'critical'))
          settled = false;
        if (result.pending) this.pending.set(key, result.pending);
        else this.pending.delete(key);
        if (result.record !== records[key]) {
          const adHoc = records[key] ? records[key].adHoc : this.options.only !== undefined;
          changes[key] = adHoc ? { ...result.record, adHoc } : result.record;
        }
        if (result.transition) transitions.push(result.transition);
      }
      if (settled) this.settled.set(mount, { settings, figures: figuresOf(reading) });
      else this.settled.delete(mount);
    }
    const states = { ...records, ...changes };
    for (const t of transitions) {
      const context = {
        previous: records[subjectKey(t.mount, t.kind)],
        states,
        settings,
        forecast: this.options.forecastFor?.(t.mount, t.reading, t.to),
      };
      for (const sink of this.sinks) await sink(t, context);
    }
    this.options.states.update(changes);
    const result = { readings, transitions, full };
    for (const sink of this.tickSinks) sink(result, { states, settings });
    return result;
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
    if (deviceChecked || this.isSettled(reading, settings)) return reading;
    const assessment = this.options.assess?.(m.mount, reading, settings);
    const changes = kindsOf(settings).some((kind) => {
      const key = subjectKey(m.mount, kind);
      // A trial: what `rising` remembers is left for the real pass.
      const result = this.judge(reading, kind, settings, records, assessment, true);
      return (
        result &&
        (result.transition || result.pending || this.pending.has(key) || result.record !== records[key])
      );
    });
    return changes ? this.sampler.read(m, this.now) : reading;
  }

  /** One alert of one reading through the state machine; null for an alert the disk cannot have. */
  private judge(
    reading: Reading,
    kind: AlertKind,
    settings: Settings,
    records: Record<string, MountRecord>,
    assessment: Assessment | undefined,
    trial = false,
  ): ReturnType<typeof evaluate> | null {
    const mount = mountOf(reading);
    const key = subjectKey(mount, kind);
    // A disk without an inode count (btrfs, ZFS) never gets an inode alert, nor a record.
    if (kind === 'inodes' && !records[key] && !(reading.ok && reading.sample.inodes)) return null;
    const trend = kind === 'space' ? assessment : undefined;
    return evaluate(
      mount,
      records[key],
      reading,
      readingThresholds(settings, reading, kind),
      {
        confirmMs: settings.confirmSeconds * 1000,
        pending: this.pending.get(key),
        rising: this.rising(key, reading, kind, trial),
        // Getters, not a copy: the forecast behind them is worked out only if `evaluate` asks.
        get predict() {
          return trend?.predict;
        },
        get steadyFill() {
          return trend?.steadyFill;
        },
      },
      kind,
    );
  }

  /**
   * Whether this alert's disk used more since its previous reading, by more than a few blocks
   * (space) or any inode: a critical that is still filling is not held for confirmation.
   */
  private rising(key: string, reading: Reading, kind: AlertKind, peek = false): boolean {
    const now = !reading.ok
      ? undefined
      : kind === 'space'
        ? reading.sample.available
        : reading.sample.inodes?.free;
    const before = this.lastFree.get(key);
    if (now === undefined) {
      if (!peek) this.lastFree.delete(key);
      return false;
    }
    if (!peek) this.lastFree.set(key, now);
    const noise = kind === 'space' ? FORECAST.noiseFloorBytes : 0;
    return before !== undefined && before - now > noise;
  }

  /**
   * Samples now and then every `intervalSeconds` until the signal aborts; resolves once the tick
   * in progress has finished, so nothing is cut off half-way.
   */
  async run(signal: AbortSignal, onError: (e: unknown) => void = () => {}): Promise<void> {
    while (!signal.aborted) {
      // The monotonic clock: a wall clock set back a day must not stop sampling for a day.
      const started = performance.now();
      await this.tick().catch(onError);
      // In slices, reading the interval again each time: a shorter one set while waiting (the
      // CLI, Settings) applies within a slice, not after the old interval has run out.
      for (;;) {
        const left = started + this.options.settings().intervalSeconds * 1000 - performance.now();
        if (left <= 0 || signal.aborted) break;
        await sleep(Math.min(left, INTERVAL_SLICE_MS), signal);
      }
    }
  }
}

const INTERVAL_SLICE_MS = 10_000;

/** What the state machine looks at in a reading: free and used space, free inodes. */
const figuresOf = (r: Reading): string =>
  r.ok ? `${r.sample.available}/${r.sample.used}/${r.sample.inodes?.free ?? ''}` : '';

const kindsOf = (settings: Settings): AlertKind[] => (settings.watchInodes ? ['space', 'inodes'] : ['space']);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
