import * as z from 'zod';
import { heartbeatMinutesSchema, heartbeatUrlSchema, maskHeartbeatUrl } from './heartbeat.js';
import { DEFAULT_THRESHOLDS } from './hysteresis.js';
import { mountIssues, mountRecord } from './paths.js';
import { thresholdsFor } from './thresholds.js';

// Messages leave the field's name out: a form shows them beside the field, and the CLI puts the
// name in front (`describeErrors`).
const percent = z
  .number({ error: 'must be a number of percent, e.g. 20' })
  .gt(0, { error: 'must be above 0 (percent of free space)' })
  .lt(100, { error: 'must be below 100 (percent of free space)' });

/** "Or N GiB, whichever is smaller": a percentage alone says little on a 4 TB disk. */
const gib = z
  .number({ error: 'must be a number of GiB, e.g. 4, or null to switch it off' })
  .gt(0, { error: 'must be above 0 GiB' })
  .max(1024 * 1024, { error: 'must be at most 1048576 GiB (1 PiB)' })
  .nullable();

/** A bound, with what a value past it is told (by default "must be at least 1" / "at most 60"). */
type Bound = number | [number, string];

/** A number setting: what it must be (said to a value that is none), its bounds, whole or not. */
function numberIn(what: string, min: Bound, max: Bound, whole = false) {
  const [lo, tooLow] = typeof min === 'number' ? [min, `must be at least ${min}`] : min;
  const [hi, tooHigh] = typeof max === 'number' ? [max, `must be at most ${max}`] : max;
  const n = z.number({ error: `must be ${what}` });
  return (whole ? n.int({ error: 'must be a whole number' }) : n)
    .min(lo, { error: tooLow })
    .max(hi, { error: tooHigh });
}

/** Points above the warning threshold an alert must rise before its all-clear (0: just above). */
const margin = numberIn(
  'a number of percentage points, e.g. 2, or 0 to clear just above warning',
  [0, 'must be 0 or more (percentage points above the warning threshold)'],
  [50, 'must be at most 50 (percentage points)'],
);

/** Thresholds for one mount, over the global ones: stricter for the system disk, say. */
export const mountOverrideSchema = z
  .object({
    warningPercent: percent.optional(),
    criticalPercent: percent.optional(),
    warningGiB: gib.optional(),
    criticalGiB: gib.optional(),
    clearMarginPercent: margin.optional(),
  })
  .strict();

const minutes = (eg: number, min: number, max: number) =>
  numberIn(`a number of minutes, e.g. ${eg}`, min, max);
export type MountOverride = z.output<typeof mountOverrideSchema>;

// Lenient when loading (a file saved before a rule existed keeps its thresholds); a save is held
// to settingsInputSchema.
const mountList = z.array(
  z.string().min(1, { error: 'a mount point cannot be empty: give a path such as /home' }),
);

export const settingsSchema = z
  .object({
    warningPercent: percent.default(DEFAULT_THRESHOLDS.warningPercent),
    criticalPercent: percent.default(DEFAULT_THRESHOLDS.criticalPercent),
    /** Off by default (null): the documented 20 % / 10 % alone. Platform.sh uses 4 and 2. */
    warningGiB: gib.default(null),
    criticalGiB: gib.default(null),
    /** Per-mount thresholds, keyed by mount point. */
    mountOverrides: mountRecord(mountOverrideSchema).default({}),
    /** Inode usage goes through the same thresholds as space, as its own alert. */
    watchInodes: z.boolean({ error: 'must be true or false' }).default(true),
    /** The sources sample every 5 minutes; the same default here. */
    intervalSeconds: numberIn(
      'a number of seconds, e.g. 300',
      [1, 'must be at least 1 second'],
      [86_400, 'must be at most 86400 (one day)'],
    ).default(300),
    /** A stale network mount can hang statfs for minutes: one bad mount must not block the rest. */
    sampleTimeoutSeconds: numberIn('a number of seconds, e.g. 5', 0.1, 300).default(5),
    /** How long a delivery is retried before it is recorded as failed. */
    deliveryDeadlineHours: numberIn(
      'a number of hours, e.g. 24',
      [0.01, 'must be above 0'],
      [24 * 30, 'must be at most 720 (30 days)'],
    ).default(24),
    historyMaxRecords: numberIn('a whole number, e.g. 10000', 10, 1_000_000, true).default(10_000),
    historyMaxAgeDays: numberIn('a number of days, e.g. 90', 1, 3650).default(90),
    /**
     * Re-read mounts near a threshold between full samples, so that a crossing is noticed within
     * seconds instead of at the next 5-minute sample.
     */
    fastDetection: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * Predictive alert, off by default: a warning as soon as the forecast puts critical fewer
     * than this many minutes away, before any threshold is crossed.
     */
    predictiveMinutes: numberIn(
      'a number of minutes, e.g. 30, or null to switch it off',
      [1, 'must be at least 1 minute'],
      [7 * 24 * 60, 'must be at most 10080 (a week)'],
    )
      .nullable()
      .default(null),
    /**
     * When a disk enters warning or critical, scan it to say what grew since the last scan, at
     * most once per this many minutes per disk; null switches the automatic scan off.
     */
    usageScanMinutes: numberIn(
      'a number of minutes, e.g. 60, or null to switch it off',
      [1, 'must be at least 1 minute'],
      [7 * 24 * 60, 'must be at most 10080 (a week)'],
    )
      .nullable()
      .default(60),
    /**
     * An alert clears only once free space is this many points above the warning threshold
     * (default 2: a warning at 20 % clears above 22 %), for space and inodes alike.
     */
    clearMarginPercent: margin.default(2),
    /**
     * A warning, critical or all-clear is announced once readings have shown it this long, so a
     * blip announces nothing at any level. A disk at 1 % free or less, and a crossing that a
     * steady fill would take to the next level within this time, are announced at once. 0: every
     * crossing at once.
     */
    confirmSeconds: numberIn(
      'a number of seconds, e.g. 3, or 0 to announce at once',
      [0, 'must be 0 or more'],
      [600, 'must be at most 600 (10 minutes)'],
    ).default(3),
    /** Flapping: more than this many changes of one alert within the window… */
    flappingChanges: numberIn('a whole number of changes, e.g. 4', 1, 1000, true).default(4),
    flappingWindowMinutes: minutes(60, 1, 24 * 60).default(60),
    /**
     * …hold its changes until it has kept one state this long, so every integration's last word
     * matches the disk within minutes of it settling; an all-clear owed after a critical is never
     * held longer than this after the disk left critical. (This replaced
     * `pagingAllClearMaxMinutes`: a file that still has it loads, the key is dropped.)
     */
    flappingSettleMinutes: minutes(5, 0, 24 * 60).default(5),
    /** Desktop notifications on every transition (the desktop app only). */
    nativeNotifications: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * A dead-man's switch pinged every `heartbeatMinutes` while watching (Healthchecks.io, Uptime
     * Kuma push); `heartbeatFailUrl` (default: the ping URL + `/fail`) when the watcher itself is
     * in trouble. Secrets (the token is in the URL): masked wherever shown.
     */
    heartbeatUrl: z.string().nullable().default(null),
    heartbeatFailUrl: z.string().nullable().default(null),
    heartbeatMinutes: heartbeatMinutesSchema.default(5),
    /** Watched even when discovery skips them (tmpfs, network mounts). */
    watchedMounts: mountList.default([]),
    /** Never watched, even when discovered. */
    ignoredMounts: mountList.default([]),
    /**
     * A disk discovery finds after the watcher started (not named, not in /etc/fstab) is sampled
     * and shown at once but announced only once it has stayed mounted this long: another job's
     * short-lived loop mount says nothing.
     */
    discoveryGraceSeconds: numberIn(
      'a number of seconds, e.g. 60, or 0 to announce a new disk at once',
      [0, 'must be 0 or more'],
      [3600, 'must be at most 3600 (one hour)'],
    ).default(60),
  })
  // `when`: checked even while other fields are wrong, so that every error shows at once. When
  // only the other side was changed, the error is put there (settings-pairs.ts).
  .refine((s) => s.criticalPercent < s.warningPercent, {
    error: 'must be below warningPercent (e.g. 10 and 20)',
    path: ['criticalPercent'],
    when: (p) => numbersIn(p.value, 'warningPercent', 'criticalPercent'),
  })
  .refine((s) => s.criticalGiB === null || s.warningGiB === null || s.criticalGiB < s.warningGiB, {
    error: 'must be below warningGiB (e.g. 2 and 4)',
    path: ['criticalGiB'],
    when: (p) => numbersIn(p.value, 'warningGiB', 'criticalGiB'),
  })
  .superRefine((s, ctx) => {
    for (const [mount, o] of Object.entries(s.mountOverrides)) {
      const t = thresholdsFor(s, mount);
      if (t.criticalPercent >= t.warningPercent)
        ctx.addIssue({
          code: 'custom',
          message: `criticalPercent (${t.criticalPercent}) must be below warningPercent (${t.warningPercent}) for this mount`,
          path: [
            'mountOverrides',
            mount,
            o.criticalPercent !== undefined ? 'criticalPercent' : 'warningPercent',
          ],
        });
      if (t.criticalGiB !== null && t.warningGiB !== null && t.criticalGiB >= t.warningGiB)
        ctx.addIssue({
          code: 'custom',
          message: `criticalGiB (${t.criticalGiB}) must be below warningGiB (${t.warningGiB}) for this mount`,
          path: ['mountOverrides', mount, o.criticalGiB !== undefined ? 'criticalGiB' : 'warningGiB'],
        });
    }
  });

export type Settings = z.output<typeof settingsSchema>;

/** Settings whose values are secrets: masked wherever settings are shown. */
export const SECRET_SETTINGS = ['heartbeatUrl', 'heartbeatFailUrl'] as const;

/** Settings as a save must have them: every mount named is an absolute path, URLs are endpoints. */
export const settingsInputSchema = settingsSchema.superRefine((s, ctx) => {
  for (const key of SECRET_SETTINGS) {
    const checked = heartbeatUrlSchema.safeParse(s[key]);
    if (!checked.success)
      ctx.addIssue({ code: 'custom', path: [key], message: checked.error.issues[0]!.message });
  }
  if (s.heartbeatFailUrl !== null && s.heartbeatUrl === null)
    ctx.addIssue({
      code: 'custom',
      path: ['heartbeatFailUrl'],
      message: 'goes with heartbeatUrl, which is not set',
    });
  // Held at save only: a file saved before the margin existed loads with its default.
  for (const mount of [null, ...Object.keys(s.mountOverrides)]) {
    const t = mount === null ? s : thresholdsFor(s, mount);
    if (t.warningPercent + t.clearMarginPercent! < 100) continue;
    const own = mount !== null && s.mountOverrides[mount]!.clearMarginPercent !== undefined;
    ctx.addIssue({
      code: 'custom',
      message: `with warningPercent ${t.warningPercent}, the all-clear margin must be below ${100 - t.warningPercent} points, or the alert could never clear`,
      path:
        mount === null
          ? ['clearMarginPercent']
          : ['mountOverrides', mount, own ? 'clearMarginPercent' : 'warningPercent'],
    });
  }
  mountIssues(ctx, ['watchedMounts'], s.watchedMounts.entries());
  mountIssues(ctx, ['ignoredMounts'], s.ignoredMounts.entries());
  mountIssues(
    ctx,
    ['mountOverrides'],
    Object.keys(s.mountOverrides).map((m) => [m, m]),
  );
});

/** Whether these keys of an input not yet validated are numbers (or null), for `when` above. */
function numbersIn(value: unknown, ...keys: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return keys.every((k) => {
    const v = (value as Record<string, unknown>)[k];
    return v === null || v === undefined || (typeof v === 'number' && Number.isFinite(v));
  });
}

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Settings as they may be shown (the CLI, the window, the web UI): secrets masked. */
export function shownSettings(s: Settings): Settings {
  return {
    ...s,
    heartbeatUrl: maskHeartbeatUrl(s.heartbeatUrl),
    heartbeatFailUrl: maskHeartbeatUrl(s.heartbeatFailUrl),
  };
}

export const SETTING_KEYS = Object.keys(settingsSchema.def.shape ?? {}) as (keyof Settings)[];

/**
 * Settings that were folded into others: a file that still has one loads (the key is dropped);
 * setting one says what replaced it.
 */
export const RETIRED_SETTINGS: Readonly<Record<string, string>> = {
  pagingAllClearMaxMinutes:
    'is no longer a setting: an all-clear after a critical now goes to every integration within flappingSettleMinutes (5 by default)',
};

/** The mount points in `after` that `before` did not name: the ones worth a word if unmounted. */
export const newlyNamed = (before: Iterable<string>, after: Iterable<string>): string[] => {
  const known = new Set(before);
  return [...after].filter((m) => !known.has(m));
};

/** The mounts a settings change newly names: watched mounts and per-mount thresholds. */
export const newlyWatched = (before: Settings, after: Settings): string[] =>
  newlyNamed(
    [...before.watchedMounts, ...Object.keys(before.mountOverrides)],
    [...after.watchedMounts, ...Object.keys(after.mountOverrides)],
  );
