import { ALERT_KINDS } from './alert-kinds.js';
import { mountOf, usableOf, type AlertKind, type Reading } from './disk.js';
import type { Thresholds } from './hysteresis.js';
import type { MountOverride } from './settings.js';

const GIB = 1024 ** 3;

/** A mount's thresholds: the global ones, with that mount's overrides on top. */
export interface MountThresholds extends Thresholds {
  warningGiB: number | null;
  criticalGiB: number | null;
}

type ThresholdSettings = MountThresholds & {
  clearMarginPercent: number;
  mountOverrides: Record<string, MountOverride>;
};

export function thresholdsFor(s: ThresholdSettings, mount: string): MountThresholds {
  const o = s.mountOverrides[mount] ?? {};
  return {
    warningPercent: o.warningPercent ?? s.warningPercent,
    criticalPercent: o.criticalPercent ?? s.criticalPercent,
    warningGiB: o.warningGiB !== undefined ? o.warningGiB : s.warningGiB,
    criticalGiB: o.criticalGiB !== undefined ? o.criticalGiB : s.criticalGiB,
    clearMarginPercent: o.clearMarginPercent ?? s.clearMarginPercent,
  };
}

/**
 * The percentages the state machine applies to one reading. With an absolute threshold a state
 * starts below "P % or N GiB, whichever is smaller", i.e. below the smaller of the two as a
 * percentage of this disk's usable size. Kinds that do not count bytes (inodes) use the
 * percentages alone.
 */
export function effectiveThresholds(t: MountThresholds, kind: AlertKind, usableBytes: number): Thresholds {
  const clearMarginPercent = t.clearMarginPercent ?? 0;
  if (!ALERT_KINDS[kind].bytes || usableBytes <= 0)
    return { warningPercent: t.warningPercent, criticalPercent: t.criticalPercent, clearMarginPercent };
  const asPercent = (g: number | null) => (g === null ? Infinity : ((g * GIB) / usableBytes) * 100);
  const warningPercent = Math.min(t.warningPercent, asPercent(t.warningGiB));
  // Critical stays below warning whatever the disk's size.
  const criticalPercent = Math.min(t.criticalPercent, asPercent(t.criticalGiB), warningPercent);
  return { warningPercent, criticalPercent, clearMarginPercent };
}

/**
 * The percentages one reading is judged on for one kind of alert: its mount's thresholds, with
 * absolute ones sized to its disk. The watcher and `check` both judge through this.
 */
export function readingThresholds(s: ThresholdSettings, r: Reading, kind: AlertKind): Thresholds {
  return effectiveThresholds(thresholdsFor(s, mountOf(r)), kind, r.ok ? usableOf(r.sample) : 0);
}

/** The percentages no figure shown for this alert may round across: warning, critical, all-clear. */
export function percentLimits(t: Thresholds): number[] {
  const limits = [t.warningPercent, t.criticalPercent];
  if (t.clearMarginPercent) limits.push(t.warningPercent + t.clearMarginPercent);
  return limits;
}

/** In words, for messages: "below 20% (or 4 GiB) free". */
export function describeThresholds(t: MountThresholds, kind: AlertKind): string {
  const { bytes, words } = ALERT_KINDS[kind];
  const or = (g: number | null) => (bytes && g !== null ? ` or ${g} GiB` : '');
  const m = bytes && t.warningGiB !== null ? null : t.warningPercent + (t.clearMarginPercent ?? 0);
  const margin = !t.clearMarginPercent
    ? ''
    : m === null
      ? `; all clear ${t.clearMarginPercent} points above the warning level`
      : `; all clear above ${m}%`;
  return `Warning below ${t.warningPercent}%${or(t.warningGiB)} free${words.of}, critical below ${t.criticalPercent}%${or(t.criticalGiB)}${margin}.`;
}
