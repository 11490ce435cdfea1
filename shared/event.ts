import { ALERT_KINDS } from './alert-kinds.js';
import type { AlertKind, Inodes, MountState } from './disk.js';
import { describeForecast, describePrediction, type Forecast } from './forecast.js';
import { formatBytes, formatDuration, formatPercent, groupDigits } from './format.js';
import {
  describeThresholds,
  effectiveThresholds,
  percentLimits,
  type MountThresholds,
} from './thresholds.js';
import { testFigures } from './test-event.js';
import type { UsageNote } from './usage-note.js';

export { testEvent, type TestDisk } from './test-event.js';

/**
 * One thing to tell one integration: a disk's state as that integration sees it (its severity
 * filter may hide warnings, say), with the figures behind it. What every channel renders.
 */
export interface AlertEvent {
  /** Unique per delivery: the idempotency key receivers can de-duplicate retries with. */
  id: string;
  host: string;
  mount: string;
  /** Space or inodes: each its own alert, with its own key at the vendor. */
  kind: AlertKind;
  fs: string;
  type: string;
  from: MountState;
  to: MountState;
  /** Null when the disk is unreachable. */
  freePercent: number | null;
  available: number | null;
  /** used + available: what users can fill. */
  usable: number | null;
  /** The size as df and the disk's card give it (reserved blocks included), where known. */
  size?: number;
  /** The disk's inode figures, where its filesystem has an inode count. */
  inodes?: Inodes;
  /** Why the disk is unreachable. */
  reason?: string;
  /** This mount's thresholds (overrides applied). */
  thresholds: MountThresholds;
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
  /** Where free space is heading, when enough samples tell; never on an all-clear. */
  forecast?: Forecast;
  /** A warning raised by the forecast (predictive alert), before any threshold was crossed. */
  predicted?: boolean;
  /** A reminder that a state still holds (from === to), sent on the integration's schedule. */
  reminder?: boolean;
  /**
   * Sent late: the change was held (quiet hours, snooze, flapping) and is still relevant; or, with
   * `cycling`, the one message saying the alert goes round between states while it is held.
   */
  held?: { reason: string; since: number; changes: number; cycling?: Cycling };
  /**
   * What grew on the disk since its previous usage scan: only for integrations that opted in
   * (`includeUsage`), as paths can be private. The text channels get `usage.lines` in `details`.
   */
  usage?: UsageNote;
  /** Sent once more after a stop mid-send, to a chat: its last line says so (`details`). */
  possibleRepeat?: boolean;
  /** The integration's own message template, rendered (see shared/template.ts). */
  custom?: { title?: string; text?: string; body?: string };
  /**
   * Where this alert's earlier messages went at the vendor (a Slack thread, a Discord forum post),
   * as the vendor answered the first one: set just before sending, never stored with the event.
   */
  thread?: Readonly<Record<string, string>>;
}

/** An alert going round between states: what the one "cycling" message says. */
export interface Cycling {
  /** The states it went between, mildest first ("ok and critical"). */
  states: MountState[];
  /** Changes within the flapping window, and the minutes they span. */
  changes: number;
  minutes: number;
}

/** `clear` is the all-clear (or a disk that is reachable again). */
export type Severity = 'critical' | 'warning' | 'clear' | 'unreachable';

export function severityOf(e: AlertEvent): Severity {
  return e.to === 'ok' ? 'clear' : e.to;
}

/**
 * A stable key per host, disk and kind: one incident/alert per disk at the vendor, updated and
 * resolved. Each kind has its own prefix, so no mount path can collide with one.
 */
export function alertKey(e: Pick<AlertEvent, 'host' | 'mount' | 'kind'>): string {
  return `${ALERT_KINDS[e.kind].vendorKey}/${e.host}/${e.mount}`;
}

/** One line that stands alone in a phone notification. */
export function title(e: AlertEvent): string {
  const prefix = e.test ? '[TEST] ' : '';
  if (e.custom?.title !== undefined) return prefix + e.custom.title;
  // A test claims no state: "warning" beside a disk with 76% free would be a made-up alarm.
  if (e.test)
    return `${prefix}${e.mount} on ${e.host} has ${freeText(e, e.freePercent ?? 0, 'space')} free: a test from Headroom`;
  const base = e.held?.cycling ? cyclingTitle(e, e.held.cycling) : TITLES[e.kind](e);
  if (!e.reminder) return prefix + base;
  return `${prefix}Reminder, ${formatDuration(e.durationSeconds * 1000)} on: ${base}`;
}

/**
 * A free percentage as this event's thresholds allow: never rounded across one of them (19.99 %
 * is not "20.0%" in a warning at 20 %).
 */
export function freeText(e: AlertEvent, percent: number, kind = e.kind): string {
  return formatPercent(percent, limitsOf(e, kind));
}

/** The percentages no free figure of this event may round across (its effective thresholds). */
export function limitsOf(e: Pick<AlertEvent, 'thresholds' | 'usable'>, kind: AlertKind): number[] {
  return percentLimits(effectiveThresholds(e.thresholds, kind, e.usable ?? 0));
}

/** A cycling alert's headline gives the figure of now: "critical" beside 30 % free would mislead. */
function cyclingTitle(e: AlertEvent, c: Cycling): string {
  const where = `${e.mount} on ${e.host}`;
  const { free, words } = ALERT_KINDS[e.kind];
  const figure = `${freeText(e, free(e) ?? 0)}${words.ofIts}`;
  return `${words.heading} cycling between ${between(c.states)}: ${where} has ${figure} free now (${c.changes} changes in ${c.minutes} min)`;
}

function inodeTitle(e: AlertEvent): string {
  const where = `${e.mount} on ${e.host}`;
  const free = freeText(e, e.inodes?.freePercent ?? 0);
  if (e.to === 'ok') return `All clear: ${where} is back to ${free} of inodes free`;
  if (e.to === 'unreachable') return `Disk unreachable: ${where} (${e.reason ?? 'no answer'})`;
  return `Inodes ${e.to}: ${where} has ${free} of its inodes free`;
}

function spaceTitle(e: AlertEvent): string {
  const where = `${e.mount} on ${e.host}`;
  const free = freeText(e, e.freePercent ?? 0);
  switch (e.to) {
    case 'critical':
      return `Disk critical: ${where} has ${free} free`;
    case 'warning':
      if (e.predicted && e.forecast && describePrediction(e.forecast)) {
        // The lead time from the current rate, with its uncertainty: "in about 6 min", "in 5–7 min".
        const rate = e.forecast.fillRateBytesPerSec
          ? `, filling at ${formatBytes(e.forecast.fillRateBytesPerSec)}/s`
          : '';
        return `Disk warning: ${where} ${describePrediction(e.forecast)} at the current rate (${free} free${rate})`;
      }
      return e.from === 'critical'
        ? `Disk warning: ${where} is no longer critical, ${free} free`
        : `Disk warning: ${where} has ${free} free`;
    case 'unreachable':
      return `Disk unreachable: ${where} (${e.reason ?? 'no answer'})`;
    case 'ok':
      return e.from === 'unreachable'
        ? `Disk reachable again: ${where}, ${free} free`
        : `All clear: ${where} is back to ${free} free`;
  }
}

/** Each kind's headline: adding a kind adds its own. */
const TITLES: Record<AlertKind, (e: AlertEvent) => string> = { space: spaceTitle, inodes: inodeTitle };

/** The forecast an alert carries, if any: an all-clear has none ("critical in 72 s" has no place in it). */
export function alertForecast(f: Forecast | undefined, to: MountState): Forecast | undefined {
  return f && f.fillRateBytesPerSec !== null && to !== 'ok' ? f : undefined;
}

/** The figures, in words: what a person needs to decide whether to act. */
export function details(e: AlertEvent): string {
  const text = figuresAndRules(e);
  return e.possibleRepeat ? `${text}\nPossibly a repeat: Headroom was stopped while sending it.` : text;
}

function figuresAndRules(e: AlertEvent): string {
  if (e.custom?.text !== undefined) return e.custom.text;
  if (e.test)
    return `This is a test notification from Headroom${
      e.available !== null && e.usable !== null && e.type !== 'test'
        ? `, with ${e.mount}'s figures of now (${e.type} on ${e.fs}): ${testFigures(e.available, e.usable, e.size)}`
        : ''
    }. No disk needs attention.`;
  const figures = FIGURES[e.kind](e) ?? `No figures: ${e.reason ?? 'the disk did not answer'}.`;
  const rules = describeThresholds(e.thresholds, e.kind);
  const f = e.to !== 'ok' && ALERT_KINDS[e.kind].bytes ? e.forecast : undefined;
  const trend = f ? describeForecast(f) : null;
  const parts = [figures];
  if (e.reminder) parts.push(`${capitalize(e.to)} for ${formatDuration(e.durationSeconds * 1000)}.`);
  if (trend) parts.push(`${capitalize(trend)}.`);
  else if (e.reminder && (f?.status === 'stable' || f?.status === 'freeing'))
    parts.push('Not getting worse at the moment.');
  else if (e.reminder && f?.status === 'fluctuating') parts.push('Fluctuating at the moment.');
  if (e.held) parts.push(heldNote(e.held));
  parts.push(rules);
  return withUsage(parts.join(' '), e);
}

const spaceFigures = (e: AlertEvent) =>
  e.available !== null && e.usable !== null
    ? `${formatBytes(e.available)} free of ${formatBytes(e.usable)} (${e.type} on ${e.fs}).`
    : null;

/** Each kind's figures in words (null: the disk gave none); adding a kind adds its own. */
const FIGURES: Record<AlertKind, (e: AlertEvent) => string | null> = {
  space: spaceFigures,
  inodes: (e) =>
    e.inodes
      ? `${groupDigits(e.inodes.free)} of ${groupDigits(e.inodes.total)} inodes free (${e.type} on ${e.fs}); space: ${freeText(e, e.freePercent ?? 0, 'space')} free.`
      : spaceFigures(e),
};

/** The usage lines, one a line below the figures, for the integrations that asked for them. */
export function withUsage(text: string, e: Pick<AlertEvent, 'usage'>): string {
  return e.usage?.lines.length ? `${text}\n${e.usage.lines.join('\n')}` : text;
}

/** "ok and critical", "ok, warning and critical" */
function between(states: readonly MountState[]): string {
  return states.length > 2 ? `${states.slice(0, -1).join(', ')} and ${states.at(-1)}` : states.join(' and ');
}

/** "cycling between ok and critical, 6 changes in 4 min; held until it settles" */
export function describeCycling(c: Cycling): string {
  return `cycling between ${between(c.states)}, ${c.changes} changes in ${c.minutes} min; held until it settles`;
}

function heldNote(h: NonNullable<AlertEvent['held']>): string {
  if (h.cycling) return `${capitalize(describeCycling(h.cycling))}.`;
  const since = new Date(h.since).toISOString().slice(11, 16);
  const n = h.changes === 1 ? '1 change' : `${h.changes} changes`;
  return `Held (${h.reason}) since ${since} UTC: ${n}, summed up here.`;
}

function capitalize(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

export function fullText(e: AlertEvent): string {
  return `${title(e)}\n${details(e)}`;
}

/** Label/value pairs for chat cards and attachments: host, disk, state, free space, time. */
export function facts(e: AlertEvent): { label: string; value: string }[] {
  const free =
    e.freePercent === null || e.available === null || e.usable === null
      ? (e.reason ?? 'no answer')
      : `${freeText(e, e.freePercent, 'space')} (${formatBytes(e.available)} of ${formatBytes(e.usable)})`;
  return [
    { label: 'Host', value: e.host },
    { label: 'Disk', value: `${e.mount} (${e.type})` },
    { label: 'State', value: e.from === e.to ? e.to : `${e.from} → ${e.to}` },
    { label: 'Free', value: free },
    ...(e.inodes ? [{ label: 'Inodes free', value: freeText(e, e.inodes.freePercent, 'inodes') }] : []),
    { label: 'Time', value: new Date(e.at).toISOString().replace(/\.\d+Z$/, 'Z') },
  ];
}
