import type { MountState, Reading } from './disk.js';
import type { MountRecord } from './hysteresis.js';
import { describeForecast, type Forecast } from './forecast.js';
import type { Settings } from './settings.js';
import { formatBytes, formatPercent } from './format.js';

/**
 * One thing to tell one integration: a disk's state as that integration sees it (its severity
 * filter may hide warnings, say), with the figures behind it. What every channel renders.
 */
export interface AlertEvent {
  /** Unique per delivery: the idempotency key receivers can de-duplicate retries with. */
  id: string;
  host: string;
  mount: string;
  fs: string;
  type: string;
  from: MountState;
  to: MountState;
  /** Null when the disk is unreachable. */
  freePercent: number | null;
  available: number | null;
  /** used + available: what users can fill. */
  usable: number | null;
  /** Why the disk is unreachable. */
  reason?: string;
  thresholds: { warningPercent: number; criticalPercent: number };
  /** Epoch ms of the transition. */
  at: number;
  /** Seconds the disk spent in the previous state. */
  durationSeconds: number;
  /** How many other disks on this host are critical / warning right now. */
  otherCritical: number;
  otherWarning: number;
  /** A synthetic event from "Send test": nothing is wrong with any disk. */
  test?: boolean;
  /**
   * Seconds between samples: channels whose receivers expire alerts that are not re-sent
   * (Alertmanager) get the event again every sample while it is active, and time it out after a
   * few missed ones.
   */
  intervalSeconds: number;
  /** For a re-sent active alert (from === to): when that state began. */
  startedAt?: number;
  /** Where free space is heading, when enough samples tell. */
  forecast?: Forecast;
  /** A warning raised by the forecast (predictive alert), before any threshold was crossed. */
  predicted?: boolean;
}

/** `clear` is the all-clear (or a disk that is reachable again). */
export type Severity = 'critical' | 'warning' | 'clear' | 'unreachable';

export function severityOf(e: AlertEvent): Severity {
  return e.to === 'ok' ? 'clear' : e.to;
}

/** A stable key per host and disk: one incident/alert per disk at the vendor, updated and resolved. */
export function alertKey(e: Pick<AlertEvent, 'host' | 'mount'>): string {
  return `headroom/${e.host}/${e.mount}`;
}

/** One line that stands alone in a phone notification. */
export function title(e: AlertEvent): string {
  const prefix = e.test ? '[TEST] ' : '';
  const where = `${e.mount} on ${e.host}`;
  switch (e.to) {
    case 'critical':
      return `${prefix}Disk critical: ${where} has ${formatPercent(e.freePercent ?? 0)} free`;
    case 'warning':
      if (e.predicted && e.forecast?.secondsToCritical != null) {
        return `${prefix}Disk warning: ${where} will be critical in ${roughDuration(e.forecast.secondsToCritical)} at this rate (${formatPercent(e.freePercent ?? 0)} free)`;
      }
      return e.from === 'critical'
        ? `${prefix}Disk warning: ${where} is no longer critical, ${formatPercent(e.freePercent ?? 0)} free`
        : `${prefix}Disk warning: ${where} has ${formatPercent(e.freePercent ?? 0)} free`;
    case 'unreachable':
      return `${prefix}Disk unreachable: ${where} (${e.reason ?? 'no answer'})`;
    case 'ok':
      return e.from === 'unreachable'
        ? `${prefix}Disk reachable again: ${where}, ${formatPercent(e.freePercent ?? 0)} free`
        : `${prefix}All clear: ${where} is back to ${formatPercent(e.freePercent ?? 0)} free`;
  }
}

/** The figures, in words: what a person needs to decide whether to act. */
export function details(e: AlertEvent): string {
  if (e.test) return 'This is a test notification from Headroom. No disk needs attention.';
  const figures =
    e.available !== null && e.usable !== null
      ? `${formatBytes(e.available)} free of ${formatBytes(e.usable)} (${e.type} on ${e.fs}).`
      : `No figures: ${e.reason ?? 'the disk did not answer'}.`;
  const rules = `Warning below ${e.thresholds.warningPercent}% free, critical below ${e.thresholds.criticalPercent}%.`;
  const trend = e.to !== 'ok' && e.forecast ? describeForecast(e.forecast) : null;
  return trend ? `${figures} ${trend[0]!.toUpperCase()}${trend.slice(1)}. ${rules}` : `${figures} ${rules}`;
}

export function fullText(e: AlertEvent): string {
  return `${title(e)}\n${details(e)}`;
}

/** What "Send test" sends: plausible figures, clearly marked, through the normal path. */
export function testEvent(host: string, now: number, id: string): AlertEvent {
  const usable = 100 * 1024 ** 3;
  return {
    id,
    host,
    mount: '/',
    fs: 'headroom-test',
    type: 'test',
    from: 'ok',
    to: 'warning',
    freePercent: 15,
    available: usable * 0.15,
    usable,
    thresholds: { warningPercent: 20, criticalPercent: 10 },
    at: now,
    durationSeconds: 0,
    otherCritical: 0,
    otherWarning: 0,
    test: true,
    intervalSeconds: 300,
  };
}

/** Label/value pairs for chat cards and attachments: host, disk, state, free space, time. */
export function facts(e: AlertEvent): { label: string; value: string }[] {
  const free =
    e.freePercent === null || e.available === null || e.usable === null
      ? (e.reason ?? 'no answer')
      : `${formatPercent(e.freePercent)} (${formatBytes(e.available)} of ${formatBytes(e.usable)})`;
  return [
    { label: 'Host', value: e.host },
    { label: 'Disk', value: `${e.mount} (${e.type})` },
    { label: 'State', value: e.from === e.to ? e.to : `${e.from} → ${e.to}` },
    { label: 'Free', value: free },
    { label: 'Time', value: new Date(e.at).toISOString().replace(/\.\d+Z$/, 'Z') },
  ];
}

/** The event one integration is told: the disk's reading, seen through that integration's filter. */
export function eventFromReading(p: {
  id: string;
  host: string;
  reading: Reading;
  change: { from: MountState; to: MountState };
  at: number;
  /** When the disk entered the state it is leaving (for `durationSeconds`). */
  since?: number;
  states: Record<string, MountRecord>;
  settings: Settings;
  forecast?: Forecast;
  predicted?: boolean;
}): AlertEvent {
  const r = p.reading;
  const info = r.ok ? r.sample : r.mount;
  const others = Object.entries(p.states).filter(([mount]) => mount !== info.mount);
  const resent = p.change.from === p.change.to;
  return {
    id: p.id,
    host: p.host,
    mount: info.mount,
    fs: info.fs,
    type: info.type,
    from: p.change.from,
    to: p.change.to,
    freePercent: r.ok ? r.sample.freePercent : null,
    available: r.ok ? r.sample.available : null,
    usable: r.ok ? r.sample.used + r.sample.available : null,
    ...(r.ok ? {} : { reason: r.reason }),
    thresholds: { warningPercent: p.settings.warningPercent, criticalPercent: p.settings.criticalPercent },
    at: p.at,
    durationSeconds: p.since === undefined ? 0 : Math.max(0, Math.round((p.at - p.since) / 1000)),
    otherCritical: others.filter(([, s]) => s.state === 'critical').length,
    otherWarning: others.filter(([, s]) => s.state === 'warning').length,
    intervalSeconds: p.settings.intervalSeconds,
    ...(resent && p.since !== undefined ? { startedAt: p.since } : {}),
    ...(p.forecast && p.forecast.fillRateBytesPerSec !== null ? { forecast: p.forecast } : {}),
    ...(p.predicted ? { predicted: true } : {}),
  };
}

function roughDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
