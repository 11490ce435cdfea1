import { z } from 'zod';
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

/** Thresholds for one mount, over the global ones: stricter for the system disk, say. */
export const mountOverrideSchema = z
  .object({
    warningPercent: percent.optional(),
    criticalPercent: percent.optional(),
    warningGiB: gib.optional(),
    criticalGiB: gib.optional(),
  })
  .strict();
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
    intervalSeconds: z
      .number({ error: 'must be a number of seconds, e.g. 300' })
      .min(1, { error: 'must be at least 1 second' })
      .max(86_400, { error: 'must be at most 86400 (one day)' })
      .default(300),
    /** A stale network mount can hang statfs for minutes: one bad mount must not block the rest. */
    sampleTimeoutSeconds: z
      .number({ error: 'must be a number of seconds, e.g. 5' })
      .min(0.1, { error: 'must be at least 0.1' })
      .max(300, { error: 'must be at most 300' })
      .default(5),
    /** How long a delivery is retried before it is recorded as failed. */
    deliveryDeadlineHours: z
      .number({ error: 'must be a number of hours, e.g. 24' })
      .min(0.01, { error: 'must be above 0' })
      .max(24 * 30, { error: 'must be at most 720 (30 days)' })
      .default(24),
    historyMaxRecords: z
      .number({ error: 'must be a whole number, e.g. 10000' })
      .int({ error: 'must be a whole number' })
      .min(10, { error: 'must be at least 10' })
      .max(1_000_000, { error: 'must be at most 1000000' })
      .default(10_000),
    historyMaxAgeDays: z
      .number({ error: 'must be a number of days, e.g. 90' })
      .min(1, { error: 'must be at least 1' })
      .max(3650, { error: 'must be at most 3650' })
      .default(90),
    /**
     * Re-read mounts near a threshold between full samples, so that a crossing is noticed within
     * seconds instead of at the next 5-minute sample.
     */
    fastDetection: z.boolean({ error: 'must be true or false' }).default(true),
    /**
     * Predictive alert, off by default: a warning as soon as the forecast puts critical fewer
     * than this many minutes away, before any threshold is crossed.
     */
    predictiveMinutes: z
      .number({ error: 'must be a number of minutes, e.g. 30, or null to switch it off' })
      .min(1, { error: 'must be at least 1 minute' })
      .max(7 * 24 * 60, { error: 'must be at most 10080 (a week)' })
      .nullable()
      .default(null),
    /** Desktop notifications on every transition (the desktop app only). */
    nativeNotifications: z.boolean({ error: 'must be true or false' }).default(true),
    /** Watched even when discovery skips them (tmpfs, network mounts). */
    watchedMounts: mountList.default([]),
    /** Never watched, even when discovered. */
    ignoredMounts: mountList.default([]),
  })
  .refine((s) => s.criticalPercent < s.warningPercent, {
    error: 'must be below warningPercent (e.g. 10 and 20)',
    path: ['criticalPercent'],
  })
  .refine((s) => s.criticalGiB === null || s.warningGiB === null || s.criticalGiB < s.warningGiB, {
    error: 'must be below warningGiB (e.g. 2 and 4)',
    path: ['criticalGiB'],
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

/** Settings as a save must have them: every mount named is an absolute path. */
export const settingsInputSchema = settingsSchema.superRefine((s, ctx) => {
  mountIssues(ctx, ['watchedMounts'], s.watchedMounts.entries());
  mountIssues(ctx, ['ignoredMounts'], s.ignoredMounts.entries());
  mountIssues(
    ctx,
    ['mountOverrides'],
    Object.keys(s.mountOverrides).map((m) => [m, m]),
  );
});

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export const SETTING_KEYS = Object.keys(settingsSchema.def.shape ?? {}) as (keyof Settings)[];

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
