import { ALERT_KINDS, ALERT_KIND_NAMES, watchedKinds } from '../shared/alert-kinds.js';
import { mountOf, subjectKey, type AlertKind, type Reading } from '../shared/disk.js';
import { evaluate, type MountRecord, type Pending, type Transition } from '../shared/hysteresis.js';
import type { Settings } from '../shared/settings.js';
import { readingThresholds } from '../shared/thresholds.js';

/** Read lazily (getters): each needs the forecast, which most re-reads never ask for. */
export interface Assessment {
  predict: { raise: boolean; hold: boolean };
  /** Points of free space per second of a steady fill followed for the confirmation time. */
  steadyFillRate: number | undefined;
}

/** What a reading is judged against. */
export interface Against {
  settings: Settings;
  /** Every alert's record before this reading. */
  records: Record<string, MountRecord>;
  /** What the trend says of the reading, if the watcher follows one. */
  assessment?: Assessment;
}

/** What one reading changed: the alerts' records that are new, and their transitions. */
export interface Judged {
  records: Record<string, MountRecord>;
  transitions: Transition[];
}

/**
 * Runs each reading's alerts (space, and inodes if watched) through the hysteresis state machine,
 * with what that needs to remember between readings: changes awaiting confirmation, and the
 * figures under which a mount's alerts last stood still.
 */
export class AlertJudge {
  /**
   * Changes awaiting confirmation, per alert. In memory only: after a restart a change is
   * confirmed afresh, a few seconds later at most.
   */
  private readonly pending = new Map<string, Pending>();
  /**
   * The figures under which a mount's alerts last stood still, by mount. A re-read of a disk held
   * in critical (every 700 ms) that finds the same figures under the same settings (the same
   * object: the stores hand out a new one only on a change) with nothing pending can change
   * nothing — critical is the one state of free space that no forecast and no passing time moves,
   * and inode alerts have no forecast — so it skips the state machine, and the device check
   * before believing a change.
   */
  private readonly settled = new Map<string, { settings: Settings; figures: string }>();

  /** When the earliest change pending on this mount is due to be confirmed (epoch ms), if any. */
  confirmationDue(mount: string, settings: Settings): number | null {
    const due = ALERT_KIND_NAMES.map((kind) => this.pending.get(subjectKey(mount, kind)))
      .filter((p) => p !== undefined)
      .map((p) => (p.farSince ?? p.since) + settings.confirmSeconds * 1000);
    return due.length ? Math.min(...due) : null;
  }

  isSettled(reading: Reading, settings: Settings): boolean {
    const was = this.settled.get(mountOf(reading));
    return was !== undefined && was.settings === settings && was.figures === figuresOf(reading);
  }

  /** Judges every alert of one reading against the records, and remembers what it must. */
  judge(reading: Reading, against: Against): Judged {
    const { settings, records } = against;
    const mount = mountOf(reading);
    const judged: Judged = { records: {}, transitions: [] };
    let settled = reading.ok;
    for (const kind of watchedKinds(settings)) {
      const key = subjectKey(mount, kind);
      const result = this.step(reading, kind, against);
      if (!result) continue;
      // Only the forecast (of bytes, below critical) and pending confirmations move with time.
      if (
        result.pending ||
        result.transition ||
        (ALERT_KINDS[kind].bytes && result.record.state !== 'critical')
      )
        settled = false;
      if (result.pending) this.pending.set(key, result.pending);
      else this.pending.delete(key);
      if (result.record !== records[key]) judged.records[key] = result.record;
      if (result.transition) judged.transitions.push(result.transition);
    }
    if (settled) this.settled.set(mount, { settings, figures: figuresOf(reading) });
    else this.settled.delete(mount);
    return judged;
  }

  /** Whether judging this reading would change anything, or a change is pending: a trial. */
  wouldChange(reading: Reading, against: Against): boolean {
    const { settings, records } = against;
    const mount = mountOf(reading);
    return watchedKinds(settings).some((kind) => {
      const key = subjectKey(mount, kind);
      const result = this.step(reading, kind, against);
      return (
        result &&
        (result.transition || result.pending || this.pending.has(key) || result.record !== records[key])
      );
    });
  }

  /** One alert of one reading through the state machine; null for an alert the disk cannot have. */
  private step(
    reading: Reading,
    kind: AlertKind,
    { settings, records, assessment }: Against,
  ): ReturnType<typeof evaluate> | null {
    const mount = mountOf(reading);
    const key = subjectKey(mount, kind);
    const { everyDisk, bytes, free } = ALERT_KINDS[kind];
    // A disk without an inode count (btrfs, ZFS) never gets an inode alert, nor a record.
    if (!everyDisk && !records[key] && !(reading.ok && free(reading.sample) !== null)) return null;
    const trend = bytes ? assessment : undefined;
    return evaluate(
      mount,
      records[key],
      reading,
      readingThresholds(settings, reading, kind),
      {
        confirmMs: settings.confirmSeconds * 1000,
        pending: this.pending.get(key),
        // Getters, not a copy: the forecast behind them is worked out only if `evaluate` asks.
        get predict() {
          return trend?.predict;
        },
        get steadyFillRate() {
          return trend?.steadyFillRate;
        },
      },
      kind,
    );
  }
}

/** What the state machine looks at in a reading: free and used space, free inodes. */
const figuresOf = (r: Reading): string =>
  r.ok ? `${r.sample.available}/${r.sample.used}/${r.sample.inodes?.free ?? ''}` : '';
