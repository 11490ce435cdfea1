import { useEffect, useState, type FormEvent } from 'react';
import type { FieldErrors } from '../../../shared/ipc/contract';
import type { Settings as SettingsValues } from '../../../shared/settings';
import { api } from '../client';
import { Outcome } from '../components/widgets';
import { useLoad } from '../hooks';
import { numberOrText } from '../numbers';
import { MountOverrides, overridesFrom, overridesToText, type OverrideRow } from './MountOverrides';

type NumberKey = {
  [K in keyof SettingsValues]: SettingsValues[K] extends number | null ? K : never;
}[keyof SettingsValues];

/** Settings that may be null: an empty field switches them off. */
const NULLABLE = new Set<NumberKey>(['warningGiB', 'criticalGiB', 'predictiveMinutes']);

const THRESHOLDS: [NumberKey, string, string][] = [
  ['warningPercent', 'Warning below (% free)', 'The sources use 20.'],
  ['warningGiB', 'Warning below (GiB free)', 'With both, the smaller applies: “20% or 4 GiB”. Empty: off.'],
  ['criticalPercent', 'Critical below (% free)', 'The sources use 10; must be below the warning threshold.'],
  ['criticalGiB', 'Critical below (GiB free)', 'Empty: off. Must be below the warning GiB.'],
];

const NUMBERS: [NumberKey, string, string][] = [
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
  ['flappingSettleMinutes', 'Flapping: held until settled for (minutes)', ''],
  [
    'pagingAllClearMaxMinutes',
    'Paging all-clear held at most (minutes)',
    'PagerDuty, Opsgenie, Alertmanager: a critical’s all-clear is never held longer.',
  ],
];

export function Settings() {
  const loaded = useLoad(() => api['settings.get']({}));
  const disks = useLoad(() => api['disks.list']({}));
  const [form, setForm] = useState<Record<string, string>>({});
  const [overrides, setOverrides] = useState<OverrideRow[]>([]);
  const [checks, setChecks] = useState<{
    nativeNotifications: boolean;
    watchInodes: boolean;
    launchAtLogin: boolean | null;
  }>({ nativeNotifications: true, watchInodes: true, launchAtLogin: null });
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();

  useEffect(() => {
    const v = loaded.value;
    if (!v) return;
    setForm({
      ...Object.fromEntries(
        [...THRESHOLDS, ...NUMBERS].map(([k]) => [k, v.settings[k] === null ? '' : String(v.settings[k])]),
      ),
      watchedMounts: v.settings.watchedMounts.join(', '),
      ignoredMounts: v.settings.ignoredMounts.join(', '),
    });
    setOverrides(overridesToText(v.settings.mountOverrides));
    setChecks({
      nativeNotifications: v.settings.nativeNotifications,
      watchInodes: v.settings.watchInodes,
      launchAtLogin: v.launchAtLogin,
    });
  }, [loaded.value]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('busy');
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
    try {
      const r = await api['settings.update']({
        settings,
        ...(checks.launchAtLogin === null ? {} : { launchAtLogin: checks.launchAtLogin }),
      });
      if ('errors' in r) {
        setErrors(r.errors);
        const elsewhere = r.errors.filter((e) => !placed(e.field));
        setStatus({
          ok: false,
          text: `Not saved: fix the fields marked below.${elsewhere.map((e) => ` ${e.field}: ${e.message}`).join('')}`,
        });
      } else {
        setErrors([]);
        loaded.setValue(r);
        setStatus({ ok: true, text: ['Saved.', ...r.warnings].join(' ') });
      }
    } catch (error) {
      setStatus({ ok: false, text: `Not saved: ${(error as Error).message}` });
    }
  };
  const errorOf = (k: string) =>
    errors
      .filter((e) => e.field === k)
      .map((e) => e.message)
      .join('; ');
  /** Whether a field's errors show beside it (the rest go into the status line). */
  const placed = (field: string) =>
    field.startsWith('mountOverrides') || [...THRESHOLDS, ...NUMBERS].some(([k]) => k === field);

  const numberField = ([k, label, help]: [NumberKey, string, string]) => (
    <div key={k} className={`field${errorOf(k) ? ' field-error' : ''}`}>
      <label htmlFor={`s-${k}`}>{label}</label>
      <input
        id={`s-${k}`}
        inputMode="decimal"
        value={form[k] ?? ''}
        placeholder={NULLABLE.has(k) ? 'off' : undefined}
        aria-invalid={errorOf(k) ? true : undefined}
        aria-describedby={`s-${k}-help${errorOf(k) ? ` s-${k}-error` : ''}`}
        onChange={(e) => setForm({ ...form, [k]: e.target.value })}
      />
      <p id={`s-${k}-help`} className="hint">
        {help}
      </p>
      {errorOf(k) && (
        <p id={`s-${k}-error`} className="error" role="alert">
          {label}: {errorOf(k)}
        </p>
      )}
    </div>
  );

  return (
    <section aria-labelledby="settings-title">
      <header className="page-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <form className="card form" onSubmit={save} noValidate>
        <fieldset className="stack">
          <legend>Thresholds</legend>
          <div className="pairs">{THRESHOLDS.map(numberField)}</div>
          <label className="inline">
            <input
              type="checkbox"
              checked={checks.watchInodes}
              onChange={(e) => setChecks({ ...checks, watchInodes: e.target.checked })}
            />{' '}
            Watch inodes too (a disk of many small files can be full with space left)
          </label>
        </fieldset>
        <MountOverrides
          rows={overrides}
          onChange={setOverrides}
          errors={errors}
          known={disks.value?.map((d) => d.mount) ?? []}
          globals={form}
        />
        {NUMBERS.map(numberField)}
        <div className="field">
          <label htmlFor="s-watched">Watched mounts (besides the disks found)</label>
          <input
            id="s-watched"
            value={form.watchedMounts ?? ''}
            placeholder="/mnt/nas, /var/lib/docker"
            onChange={(e) => setForm({ ...form, watchedMounts: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="s-ignored">Ignored mounts</label>
          <input
            id="s-ignored"
            value={form.ignoredMounts ?? ''}
            placeholder="/mnt/scratch"
            onChange={(e) => setForm({ ...form, ignoredMounts: e.target.value })}
          />
        </div>
        <label className="inline">
          <input
            type="checkbox"
            checked={checks.nativeNotifications}
            onChange={(e) => setChecks({ ...checks, nativeNotifications: e.target.checked })}
          />{' '}
          Desktop notifications
        </label>
        {checks.launchAtLogin !== null && (
          <label className="inline">
            <input
              type="checkbox"
              checked={checks.launchAtLogin}
              onChange={(e) => setChecks({ ...checks, launchAtLogin: e.target.checked })}
            />{' '}
            Launch at login
          </label>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={status === 'busy'}>
            Save settings
          </button>
          <Outcome result={status} />
        </div>
      </form>
    </section>
  );
}
