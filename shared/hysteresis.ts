import { ALERT_KINDS, DEFAULT_KIND } from './alert-kinds.js';
import { freeOf, type AlertKind, type MountState, type Reading } from './disk.js';
import type { Forecast } from './forecast.js';

/**
 * Free-space thresholds in percent. Web PaaS health notifications, which this product follows:
 * warning below 20 %, critical below 10 %, all-clear when free space goes back above 20 % after
 * having been lower.
 */
export interface Thresholds {
  warningPercent: number;
  criticalPercent: number;
  /**
   * The all-clear margin, in points: an alert clears only once free space is above its threshold
   * by more than this (warning 20 and margin 2: above 22 %), so a disk hovering at the threshold
   * is not told "all clear" at every wobble. 0 (or absent) clears just above the threshold.
   */
  clearMarginPercent?: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningPercent: 20, criticalPercent: 10 };

/**
 * What a mount's state is after one reading, given the state it was in. Pure. An alert not every
 * disk has (inodes) holds its state while the disk is unreachable (the disk's own alert says so)
 * or has no such figure.
 */
export function nextState(
  prev: MountState,
  reading: Reading,
  t: Thresholds,
  predicted = false,
  kind: AlertKind = DEFAULT_KIND,
): MountState {
  if (!reading.ok) return ALERT_KINDS[kind].everyDisk ? 'unreachable' : prev;
  const free = freeOf(reading.sample, kind);
  if (free === null) return prev;
  const margin = t.clearMarginPercent ?? 0;
  if (free < t.criticalPercent) return 'critical';
  // Leaving critical takes the margin too, though never above the warning threshold.
  if (prev === 'critical' && free < Math.min(t.criticalPercent + margin, t.warningPercent)) return 'critical';
  if (free < t.warningPercent) return 'warning';
  // An alert is not cleared until free space is above the threshold by more than the margin.
  // Exactly at the threshold is the band: not "below", so ok stays ok; not "above", so an alert
  // is not cleared yet (a critical mount that rose this far is down to a warning).
  if ((prev === 'warning' || prev === 'critical') && free <= t.warningPercent + margin) return 'warning';
  // Predictive alert (opt-in): above the thresholds, but the forecast says critical is near.
  if (predicted) return 'warning';
  if (free === t.warningPercent) return prev === 'ok' ? 'ok' : 'warning';
  return 'ok';
}

/** The persisted memory of one mount between samples (and across restarts). */
export interface MountRecord {
  state: MountState;
  /** Epoch ms of the transition into `state`. */
  since: number;
  /**
   * Set when the mount was only ever watched because a command named it (`watch --mount`): the
   * everyday watcher then does not keep reporting it unreachable once it is gone.
   */
  adHoc?: boolean;
}

export interface Transition {
  mount: string;
  /** Space or inodes: two alerts per mount, each with its own all-clear. */
  kind: AlertKind;
  from: MountState;
  to: MountState;
  /** The reading that caused it: figures for a reachable mount, the reason for an unreachable one. */
  reading: Reading;
  /** Epoch ms. */
  at: number;
  /** A warning raised by the forecast before the threshold was crossed. */
  predicted?: boolean;
}

/** A change the readings show but have not yet shown long enough to announce (see Judgement). */
export interface Pending {
  to: MountState;
  /** Epoch ms of the first reading that showed a change this way (a warning, on the way to critical). */
  since: number;
  /**
   * For a change two steps away (ok to critical, critical to ok): epoch ms since which readings
   * have shown the far state itself. It is announced only once it has lasted the confirmation.
   */
  farSince?: number;
}

/** What, beside the reading and thresholds, decides one step (all optional: off). */
export interface Judgement {
  /**
   * The predictive alert: `raise` a warning above the thresholds (the forecast has the evidence
   * that critical is near), or `hold` one already raised (the fill still heads for critical).
   */
  predict?: { raise: boolean; hold: boolean };
  /**
   * Confirmation: a warning, a critical or an all-clear is announced once readings have shown it
   * for this long, so a blip (a 2-second spike, a copy that is deleted, logrotate's copy before it
   * truncates) announces nothing at any level. Announced at once instead: a disk at
   * NEAR_FULL_PERCENT or less, and a crossing that continues a steady fill so fast that waiting
   * out the confirmation would let it reach the next level first (see steadyFillRate).
   */
  confirmMs?: number;
  /**
   * Points of free space per second taken by a steady fill the forecast has followed for
   * confirmMs; absent when there is none. A steady fill alone is no proof that a crossing will
   * last: `sort -T` writes its temporary files steadily for seconds, then deletes them.
   */
  steadyFillRate?: number;
  /** The change this alert had pending after the previous reading. */
  pending?: Pending;
}

const RANK: Record<MountState, number> = { unreachable: -1, ok: 0, warning: 1, critical: 2 };

/**
 * Free space (or inodes) at which a worsening is announced without confirmation: programs fail
 * at the next write, so waiting out a possible blip costs more than a rare false page.
 */
export const NEAR_FULL_PERCENT = 1;

/**
 * One step of the state machine. A state that holds emits nothing; a mount without a record
 * starts from ok, so a disk already low when Headroom starts is announced once. A change that
 * must still be confirmed comes back as `pending` (kept in memory by the caller) and no record
 * changes meanwhile.
 */
export function evaluate(
  mount: string,
  record: MountRecord | undefined,
  reading: Reading,
  t: Thresholds,
  j: Judgement = {},
  kind: AlertKind = DEFAULT_KIND,
): { record: MountRecord; transition?: Transition; pending?: Pending } {
  const from = record?.state ?? 'ok';
  // Raised from ok; a warning is kept while the fill still heads for critical (its hysteresis).
  // `predict` is read only in the states it applies to: a caller may work it out on demand.
  const predicted =
    ALERT_KINDS[kind].bytes &&
    (from === 'warning' ? j.predict?.hold : RANK[from] <= 0 ? j.predict?.raise : false) === true;
  const to = nextState(from, reading, t, predicted, kind);
  const at = reading.ok ? reading.sample.at : reading.at;
  if (record && to === from) return { record };
  if (!record && to === 'ok') return { record: { state: 'ok', since: at } };
  // A warning that only the forecast raised says so: its message names the coming critical.
  const byForecast =
    predicted &&
    RANK[from] <= 0 &&
    to === 'warning' &&
    reading.ok &&
    reading.sample.freePercent >= t.warningPercent;
  const worse = RANK[to] > RANK[from];
  const free = reading.ok ? (freeOf(reading.sample, kind) ?? 100) : 100;
  const nearFull = free <= NEAR_FULL_PERCENT;
  // Waiting would cost the next level its warning: a warning is critical, a critical full, by then.
  // A function: `steadyFillRate` may be a getter that works out the forecast, asked only if needed.
  const outruns = () => {
    const rate = j.steadyFillRate;
    const nextLevel = to === 'warning' ? t.criticalPercent : NEAR_FULL_PERCENT;
    return rate !== undefined && free - (rate * (j.confirmMs ?? 0)) / 1000 <= nextLevel;
  };
  const confirmed =
    !j.confirmMs ||
    !reading.ok ||
    from === 'unreachable' ||
    to === 'unreachable' ||
    byForecast ||
    (worse && (nearFull || outruns()));
  if (!confirmed) {
    // Further the same way (a warning deepening to critical) keeps the clock running; a wall
    // clock set back since starts it again rather than waiting for the lost time to come back.
    const prior =
      j.pending && RANK[j.pending.to] > RANK[from] === worse && j.pending.since <= at ? j.pending : null;
    const since = prior?.since ?? at;
    // The far state of a two-step change must have lasted the confirmation itself: a warning held
    // for 3 s that dips to 5 % at the third second is a warning (and waits for the dip to end or
    // to last), never a critical page for a copy that is gone a moment later.
    const far = Math.abs(RANK[to] - RANK[from]) === 2;
    const farSince = far
      ? prior?.farSince !== undefined && prior.farSince <= at
        ? prior.farSince
        : at
      : undefined;
    if (at - (farSince ?? since) < j.confirmMs!)
      return {
        record: record ?? { state: 'ok', since: at },
        pending: { to, since, ...(far ? { farSince } : {}) },
      };
  }
  return {
    record: { ...record, state: to, since: at },
    transition: { mount, kind, from, to, reading, at, ...(byForecast ? { predicted: true } : {}) },
  };
}

/**
 * The predictive alert's two questions, from the forecast and `predictiveMinutes` (null: off).
 * Raise: the forecast has the evidence (`sustained`) and puts critical closer than the minutes.
 * Hold: the disk is still filling and critical is no more than 1.5× the minutes away, or the
 * newest readings fluctuate or come in bursts (a fill that pauses) — so a warning raised stays raised
 * until the trend has really changed, not at the first reading that wobbles.
 */
export function predictiveAlert(f: Forecast, minutes: number | null): { raise: boolean; hold: boolean } {
  if (minutes === null) return { raise: false, hold: false };
  const toCritical = f.secondsToCritical;
  const raise = f.sustained && toCritical !== null && toCritical > 0 && toCritical < minutes * 60;
  const hold =
    f.status === 'fluctuating' ||
    f.status === 'bursts' ||
    (f.status === 'filling' && (toCritical === null || toCritical <= 1.5 * minutes * 60));
  return { raise, hold };
}
