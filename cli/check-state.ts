import { stillRunning } from '../core/fs/process-identity.js';
import { WatchLock } from '../core/watch-lock.js';
import { subjectKey, type AlertKind, type MountState, type Reading } from '../shared/disk.js';
import type { Point } from '../shared/forecast.js';
import { nextState, type MountRecord, type Thresholds } from '../shared/hysteresis.js';

/**
 * Where `check` took a disk's state from: the watcher running on the same data directory (the
 * state its alerts said), or this reading judged on the thresholds alone.
 */
export type StateFrom = 'watcher' | 'reading';

export interface CheckedState {
  state: MountState;
  from: StateFrom;
  /** Where the other judgement differs, in words ("a warning clears above 22%"); null if it agrees. */
  note: string | null;
}

/** What the data directory says of a watcher: its saved states, and its points for the forecast. */
export interface SavedWatch {
  records: Record<string, MountRecord>;
  points: Record<string, Point[]>;
  /** When the watcher running now took its lock; null when none runs. */
  runningSince: number | null;
}

/** When the watcher that holds this data directory's lock started, if it is still running. */
export function runningWatcherSince(dir: string): number | null {
  const holder = new WatchLock(dir).holder();
  return holder && stillRunning(holder) ? holder.since : null;
}

/**
 * One disk's state for `check`. With a watcher running that has sampled this disk since it
 * started, its saved state (the one its alerts said, margin and confirmation applied), noting a
 * reading it has not confirmed yet. Otherwise this reading on the plain thresholds, noting where
 * the saved state would still hold (the all-clear margin): "ok — a warning clears above 22%".
 */
export function checkedState(r: Reading, kind: AlertKind, t: Thresholds, saved: SavedWatch): CheckedState {
  const plain = nextState('ok', r, t, false, kind);
  const record = r.ok ? saved.records[subjectKey(r.sample.mount, kind)] : undefined;
  // An unreachable disk that reads again is announced at once: nothing of it is held.
  if (!r.ok || !record || record.state === 'unreachable')
    return { state: plain, from: 'reading', note: null };
  const held = nextState(record.state, r, t, false, kind);
  const lastPoint = saved.points[r.sample.mount]?.at(-1)?.at ?? -Infinity;
  if (saved.runningSince !== null && lastPoint >= saved.runningSince) {
    const note =
      held === record.state ? null : `this reading says ${held}; the watcher has not confirmed it yet`;
    return { state: record.state, from: 'watcher', note };
  }
  if (held === plain) return { state: plain, from: 'reading', note: null };
  // The levels nextState holds an alert to: a critical eases only above critical + margin (at
  // most the warning level), a warning clears only above warning + margin.
  const margin = t.clearMarginPercent ?? 0;
  const level =
    held === 'critical' ? Math.min(t.criticalPercent + margin, t.warningPercent) : t.warningPercent + margin;
  const change = held === 'critical' ? 'eases to warning' : 'clears';
  return {
    state: plain,
    from: 'reading',
    note: `a ${record.state} ${change} above ${Number(level.toFixed(2))}%`,
  };
}
