import * as z from 'zod';
import { STATE_SEVERITY, type MountState } from './disk.js';
import type { Cycling } from './event.js';
import { DEFAULT_SETTINGS } from './settings.js';

/**
 * Noise control, as pure functions of an injected clock: quiet hours (per integration), snooze
 * (per disk or everything) and flapping (per alert). Each decides whether a change is held now
 * and until when; a held change is sent later as the net change, if it is still one.
 */

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time as HH:MM, e.g. 22:00' });

/** A weekly schedule in the machine's local time: from `start` to `end` on each listed day. */
export const quietHoursSchema = z
  .object({
    days: z
      .array(z.enum(DAYS, { error: `must be days among ${DAYS.join(', ')}` }))
      .min(1, { error: 'needs at least one day' })
      .default([...DAYS]),
    start: time,
    /** Earlier than start: the quiet period runs past midnight (22:00 → 07:00). */
    end: time,
    /** Critical breaks through by default: a disk about to fill should wake someone. */
    critical: z.enum(['send', 'hold'], { error: 'must be send or hold' }).default('send'),
  })
  .strict();
export type QuietHours = z.output<typeof quietHoursSchema>;

export interface Hold {
  reason: 'quiet hours' | 'snoozed' | 'paused' | 'flapping';
  /** Epoch ms when it ends; the held change is then sent if still relevant. */
  until: number;
  /** More about it, for the history (flapping: the rule that applied). */
  detail?: string;
  /**
   * Flapping only: the change is held, but the integration has not yet been told that the alert
   * is cycling — one message that says so goes out now instead (see Holds.holdFor).
   */
  cycling?: Cycling & { to: MountState };
}

function at(day: Date, hhmm: string, plusDays = 0): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() + plusDays, h, m).getTime();
}

/** The end of the quiet period `now` falls in, or null when it falls in none. */
export function quietUntil(q: QuietHours, now: number): number | null {
  const today = new Date(now);
  // A period that began yesterday evening may still be running this morning.
  for (const back of [0, 1]) {
    const day = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back);
    if (!q.days.includes(DAYS[day.getDay()]!)) continue;
    const start = at(day, q.start);
    const end = q.end > q.start ? at(day, q.end) : at(day, q.end, 1);
    if (start <= now && now < end) return end;
  }
  return null;
}

/** Snooze choices offered by the tray, the GUI and `headroom snooze`. */
export const SNOOZE_CHOICES = ['1h', '8h', 'tomorrow'] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

/** A snooze's length: one of the choices, or a number of minutes. */
export type SnoozeFor = SnoozeChoice | number;
export const SNOOZE_MAX_MINUTES = 7 * 24 * 60;
export const SNOOZE_FORMS =
  '1h, 8h, tomorrow (08:00), a duration as Nm, Nh or Nd (45m, 2h, 3d), or a number of minutes; from 1 minute to 7 days';
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

/**
 * How long to snooze, as `headroom snooze --for` and the API's `alerts.snooze` both take it: a
 * choice, `90` (minutes), or `90m` / `2h` / `3d`. Null when it is none of these or is outside
 * 1 minute to 7 days.
 */
export function parseSnoozeFor(raw: string): SnoozeFor | null {
  const text = raw.trim().toLowerCase();
  if ((SNOOZE_CHOICES as readonly string[]).includes(text)) return text as SnoozeChoice;
  const m = /^(\d{1,6})([mhd]?)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * UNIT_MINUTES[m[2] || 'm']!;
  return minutes >= 1 && minutes <= SNOOZE_MAX_MINUTES ? minutes : null;
}

/** `parseSnoozeFor` as a schema: the API's input and the CLI refuse the same values. */
export const snoozeForSchema = z.string().transform((raw, ctx): SnoozeFor => {
  const parsed = parseSnoozeFor(raw);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: `must be ${SNOOZE_FORMS}` });
    return z.NEVER;
  }
  return parsed;
});

/**
 * "Until tomorrow" means until 08:00 local time the next morning: the next day's, except in the
 * small hours (before 04:00), when the person snoozing has not slept yet and the coming 08:00 is
 * the morning they mean — not one 31 hours away.
 */
export function snoozeEnd(choice: SnoozeFor, now: number): number {
  if (typeof choice === 'number') return now + choice * 60_000;
  if (choice === '1h') return now + 3_600_000;
  if (choice === '8h') return now + 8 * 3_600_000;
  const d = new Date(now);
  const days = d.getHours() < SMALL_HOURS_END ? 0 : 1;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days, 8, 0).getTime();
}

const SMALL_HOURS_END = 4;

export interface Snoozes {
  /** Everything snoozed until then (the tray's "pause alerts"); null when not. */
  all: number | null;
  mounts: Record<string, number>;
}

export function snoozedUntil(s: Snoozes, mount: string, now: number): number | null {
  const until = Math.max(s.all ?? 0, s.mounts[mount] ?? 0);
  return until > now ? until : null;
}

/**
 * Flapping: an alert that changed state more than `changes` times within `windowMs` is held
 * until it has kept one state for `stableMs` (5 minutes by default), so the last word a channel
 * hears matches the disk within minutes of it settling. An all-clear owed after a critical is never
 * held longer than `stableMs` after the disk left critical. The settings `flappingChanges`,
 * `flappingWindowMinutes` and `flappingSettleMinutes` set it; their defaults are the rule below.
 */
export interface Flapping {
  changes: number;
  windowMs: number;
  stableMs: number;
}

export function flappingOf(s: {
  flappingChanges: number;
  flappingWindowMinutes: number;
  flappingSettleMinutes: number;
}): Flapping {
  return {
    changes: s.flappingChanges,
    windowMs: s.flappingWindowMinutes * 60_000,
    stableMs: s.flappingSettleMinutes * 60_000,
  };
}

/** The rule with the default settings. */
export const FLAPPING: Flapping = flappingOf(DEFAULT_SETTINGS);

export function flappingUntil(
  changeTimes: readonly number[],
  now: number,
  f: Flapping = FLAPPING,
): number | null {
  const recent = changeTimes.filter((t) => t > now - f.windowMs && t <= now);
  if (recent.length <= f.changes) return null;
  const until = Math.max(...recent) + f.stableMs;
  return until > now ? until : null;
}

/** One change of an alert's state, as flapping is judged on it. */
export interface StateChange {
  at: number;
  from: MountState;
  to: MountState;
}

/**
 * What the changes within the window went between, for the "cycling" message: only states that
 * lasted the confirmation (`confirmMs`), so a state the disk merely passed through is never named.
 */
export function cyclingOf(
  changes: readonly StateChange[],
  now: number,
  f: Flapping = FLAPPING,
  confirmMs = 0,
): Cycling {
  const recent = changes.filter((c) => c.at > now - f.windowMs && c.at <= now);
  const lasted = recent.filter((c, i) => (recent[i + 1]?.at ?? now) - c.at >= confirmMs).map((c) => c.to);
  const states = [...new Set([recent[0]!.from, ...lasted])].sort(
    (a, b) => STATE_SEVERITY[a] - STATE_SEVERITY[b],
  );
  return {
    states,
    changes: recent.length,
    minutes: Math.max(1, Math.ceil((now - recent[0]!.at) / 60_000)),
  };
}

/**
 * Whether the disk came back from critical within the window: only then is a critical part of a
 * cycle (held like the rest). A first critical is never held for flapping — a disk that fills
 * for real while it flaps must be heard of at once.
 */
export function cameBackFromCritical(changes: readonly StateChange[], now: number, f: Flapping = FLAPPING) {
  return changes.some((c) => c.from === 'critical' && c.at > now - f.windowMs && c.at <= now);
}

/** In words, for the history: why a flapping change is held and when it goes out. */
export function describeFlapping(f: Flapping): string {
  const window = f.windowMs === 3_600_000 ? 'an hour' : `${f.windowMs / 60_000} min`;
  return `state changed more than ${f.changes} times in ${window}; the net change is sent once it has settled for ${f.stableMs / 60_000} min`;
}
