import type { SettingsView } from '../../../shared/ipc/contract';
import type { Settings as SettingsValues } from '../../../shared/settings';
import { numberOrText } from '../numbers';
import { overridesFrom, overridesToText, type OverrideRow } from './MountOverrides';

export type NumberKey = {
  [K in keyof SettingsValues]: SettingsValues[K] extends number | null ? K : never;
}[keyof SettingsValues];

/** Settings that may be null: an empty field switches them off. */
export const NULLABLE = new Set<NumberKey>(['warningGiB', 'criticalGiB', 'predictiveMinutes']);

/** A number setting's key, label and help. */
export type NumberSetting = [NumberKey, string, string];

export const THRESHOLDS: NumberSetting[] = [
  ['warningPercent', 'Warning below (% free)', 'Default: 20.'],
  ['warningGiB', 'Warning below (GiB free)', 'With both, the smaller applies: “20% or 4 GiB”. Empty: off.'],
  ['criticalPercent', 'Critical below (% free)', 'Default: 10; must be below the warning threshold.'],
  ['criticalGiB', 'Critical below (GiB free)', 'Empty: off. Must be below the warning GiB.'],
];

export const NUMBERS: NumberSetting[] = [
  ['intervalSeconds', 'Sample every (seconds)', '300 = 5 minutes.'],
  ['sampleTimeoutSeconds', 'A disk is unreachable after (seconds)', 'Bounds reads of stale network mounts.'],
  ['deliveryDeadlineHours', 'Retry failed deliveries for (hours)', 'Then they are recorded as failed.'],
  ['historyMaxRecords', 'Keep deliveries (count)', ''],
  ['historyMaxAgeDays', 'Keep deliveries (days)', ''],
  [
    'predictiveMinutes',
    'Warn when critical is predicted within (minutes)',
    'Empty: off. Warns before any threshold is crossed, once the fill has lasted long enough to tell.',
  ],
  [
    'clearMarginPercent',
    'All clear only this far above warning (points)',
    '2: a warning at 20% clears above 22%.',
  ],
  ['confirmSeconds', 'Confirm a change for (seconds)', 'Blips shorter than this send nothing. 0: at once.'],
  [
    'flappingChanges',
    'Flapping: more changes than',
    'Within the window below, an alert is held as flapping.',
  ],
  ['flappingWindowMinutes', 'Flapping window (minutes)', ''],
  [
    'flappingSettleMinutes',
    'Flapping: held until settled for (minutes)',
    'A critical’s all-clear is never held longer.',
  ],
];

/** The lists of mounts, typed comma-separated: key, the input's id, label and placeholder. */
export const MOUNT_LISTS = [
  ['watchedMounts', 's-watched', 'Watched mounts (besides the disks found)', '/mnt/nas, /var/lib/docker'],
  ['ignoredMounts', 's-ignored', 'Ignored mounts', '/mnt/scratch'],
] as const;

/** The form's fields as text, and its checkboxes, from settings as saved. */
export function fieldsFrom(v: SettingsView) {
  return {
    form: {
      ...Object.fromEntries(
        [...THRESHOLDS, ...NUMBERS].map(([k]) => [k, v.settings[k] === null ? '' : String(v.settings[k])]),
      ),
      watchedMounts: v.settings.watchedMounts.join(', '),
      ignoredMounts: v.settings.ignoredMounts.join(', '),
    } as Record<string, string>,
    overrides: overridesToText(v.settings.mountOverrides),
    checks: {
      nativeNotifications: v.settings.nativeNotifications,
      watchInodes: v.settings.watchInodes,
      launchAtLogin: v.launchAtLogin,
    },
  };
}

export type SettingsFields = ReturnType<typeof fieldsFrom>;

/** Whether a field's errors show beside it (the rest go into the status line). */
export const placed = (field: string) =>
  field.startsWith('mountOverrides') || [...THRESHOLDS, ...NUMBERS].some(([k]) => k === field);

/**
 * What the user changed, as settings: numbers where they parse, the text itself where not (refused
 * by name). Only those are sent: a setting changed meanwhile elsewhere (the CLI, another window)
 * is kept, not overwritten with what this form was loaded with.
 */
export function changedSettings(
  {
    form,
    overrides,
    checks,
  }: { form: Record<string, string>; overrides: OverrideRow[]; checks: SettingsFields['checks'] },
  saved: SettingsView,
): Record<string, unknown> {
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const settings = {
    ...Object.fromEntries(
      [...THRESHOLDS, ...NUMBERS].map(([k]) => [k, numberOrText(form[k] ?? '', NULLABLE.has(k))]),
    ),
    mountOverrides: overridesFrom(overrides),
    watchedMounts: list(form.watchedMounts ?? ''),
    ignoredMounts: list(form.ignoredMounts ?? ''),
    nativeNotifications: checks.nativeNotifications,
    watchInodes: checks.watchInodes,
  };
  const before = saved.settings as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(settings).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])),
  );
}
