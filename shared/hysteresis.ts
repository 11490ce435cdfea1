import { freeOf, type AlertKind, type MountState, type Reading } from './disk.js';

/**
 * Free-space thresholds in percent. Web PaaS health notifications, which this product follows:
 * warning below 20 %, critical below 10 %, all-clear when free space goes back above 20 % after
 * having been lower.
 */
export interface Thresholds {
  warningPercent: number;
  criticalPercent: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningPercent: 20, criticalPercent: 10 };

/**
 * What a mount's state is after one reading, given the state it was in. Pure. An inode alert
 * holds its state while the disk is unreachable (the space alert says so) or has no inode count.
 */
export function nextState(
  prev: MountState,
  reading: Reading,
  t: Thresholds,
  predicted = false,
  kind: AlertKind = 'space',
): MountState {
  if (!reading.ok) return kind === 'space' ? 'unreachable' : prev;
  const free = freeOf(reading.sample, kind);
  if (free === null) return prev;
  if (free < t.criticalPercent) return 'critical';
  if (free < t.warningPercent) return 'warning';
  // Predictive alert (opt-in): above the thresholds, but the forecast says critical is near. It
  // clears like any warning once free space is above the threshold and the forecast recovers.
  if (predicted) return 'warning';
  // The band: exactly at the warning threshold. Not "below", so ok stays ok; not "above", so an
  // alert is not cleared yet. A critical mount that rose this far is down to a warning.
  if (free === t.warningPercent) return prev === 'ok' ? 'ok' : 'warning';
  return 'ok';
}

/** The state a mount seen for the first time is in: start-up is judged as a move from ok. */
export function levelOf(reading: Reading, t: Thresholds): MountState {
  return nextState('ok', reading, t);
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

/**
 * One step of the state machine. A state that holds emits nothing; a mount without a record
 * starts from ok, so a disk already low when Headroom starts is announced once.
 */
export function evaluate(
  mount: string,
  record: MountRecord | undefined,
  reading: Reading,
  t: Thresholds,
  predicted = false,
  kind: AlertKind = 'space',
): { record: MountRecord; transition?: Transition } {
  const from = record?.state ?? 'ok';
  const to = nextState(from, reading, t, predicted && kind === 'space', kind);
  const at = reading.ok ? reading.sample.at : reading.at;
  if (record && to === from) return { record };
  if (!record && to === 'ok') return { record: { state: 'ok', since: at } };
  // A warning that only the forecast raised says so: its message names the coming critical.
  const byForecast =
    predicted &&
    kind === 'space' &&
    to === 'warning' &&
    reading.ok &&
    reading.sample.freePercent >= t.warningPercent;
  return {
    record: { ...record, state: to, since: at },
    transition: { mount, kind, from, to, reading, at, ...(byForecast ? { predicted: true } : {}) },
  };
}

/** Whether the forecast puts critical closer than `minutes` (the predictive alert's setting). */
export function criticalPredicted(secondsToCritical: number | null, minutes: number | null): boolean {
  return (
    minutes !== null &&
    secondsToCritical !== null &&
    secondsToCritical > 0 &&
    secondsToCritical < minutes * 60
  );
}
