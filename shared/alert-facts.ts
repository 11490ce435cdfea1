import { parseSubject, subjectKey, usableOf, type AlertKind, type MountState, type Reading } from './disk.js';
import { alertForecast, type AlertEvent } from './event.js';
import type { Forecast } from './forecast.js';
import type { MountRecord } from './hysteresis.js';
import type { Settings } from './settings.js';
import { thresholdsFor } from './thresholds.js';
import type { UsageNote } from './usage-note.js';

/**
 * What a transition (or a catch-up, a reminder, a usage note) says of one alert, the same for
 * every integration that hears of it: built once, then told to each as `eventFor` makes it.
 */
export interface AlertFacts extends Omit<AlertEvent, 'id' | 'from' | 'to' | 'startedAt' | 'held'> {
  /** When the disk entered the state it is leaving (for a re-sent state: when it began). */
  since?: number;
}

export function alertFacts(p: {
  host: string;
  reading: Reading;
  kind: AlertKind;
  at: number;
  /** When the disk entered the state it is leaving (for `durationSeconds`). */
  since?: number;
  states: Record<string, MountRecord>;
  settings: Settings;
  forecast?: Forecast;
  predicted?: boolean;
  reminder?: boolean;
  usage?: UsageNote;
}): AlertFacts {
  const r = p.reading;
  const info = r.ok ? r.sample : r.mount;
  // Other alerts of the same kind on this host (the inode alerts keyed apart, see subjectKey).
  const self = subjectKey(info.mount, p.kind);
  const others = Object.entries(p.states).filter(
    ([key]) => key !== self && parseSubject(key).kind === p.kind,
  );
  return {
    host: p.host,
    mount: info.mount,
    kind: p.kind,
    fs: info.fs,
    type: info.type,
    freePercent: r.ok ? r.sample.freePercent : null,
    available: r.ok ? r.sample.available : null,
    usable: r.ok ? usableOf(r.sample) : null,
    ...(r.ok && r.sample.inodes ? { inodes: r.sample.inodes } : {}),
    ...(r.ok ? {} : { reason: r.reason }),
    thresholds: thresholdsFor(p.settings, info.mount),
    at: p.at,
    durationSeconds: p.since === undefined ? 0 : Math.max(0, Math.round((p.at - p.since) / 1000)),
    otherCritical: others.filter(([, s]) => s.state === 'critical').length,
    otherWarning: others.filter(([, s]) => s.state === 'warning').length,
    intervalSeconds: p.settings.intervalSeconds,
    ...(p.since === undefined ? {} : { since: p.since }),
    ...(p.forecast && p.forecast.fillRateBytesPerSec !== null ? { forecast: p.forecast } : {}),
    ...(p.predicted ? { predicted: true } : {}),
    ...(p.reminder ? { reminder: true } : {}),
    ...(p.usage ? { usage: p.usage } : {}),
  };
}

/**
 * The event one integration is told: the alert's facts seen through that integration's filter
 * (its change), with its own id (the idempotency key) and what was held of it.
 */
export function eventFor(
  facts: AlertFacts,
  id: string,
  change: { from: MountState; to: MountState },
  held?: AlertEvent['held'],
): AlertEvent {
  const { since, forecast, ...rest } = facts;
  return {
    ...rest,
    id,
    from: change.from,
    to: change.to,
    ...(change.from === change.to && since !== undefined ? { startedAt: since } : {}),
    ...(alertForecast(forecast, change.to) ? { forecast } : {}),
    ...(held ? { held } : {}),
  };
}

/** `alertFacts` and `eventFor` in one call, for an event only one integration is told. */
export function eventFromReading(
  p: Parameters<typeof alertFacts>[0] & {
    id: string;
    change: { from: MountState; to: MountState };
    held?: AlertEvent['held'];
  },
): AlertEvent {
  return eventFor(alertFacts(p), p.id, p.change, p.held);
}
