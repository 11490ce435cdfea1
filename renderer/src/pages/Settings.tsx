import { useEffect, useState, type FormEvent } from 'react';
import type { FieldErrors } from '../../../shared/ipc/contract';
import type { Settings as SettingsValues } from '../../../shared/settings';
import { api } from '../client';
import { Outcome } from '../components/widgets';
import { useLoad } from '../hooks';

const NUMBERS: [keyof SettingsValues, string, string][] = [
  ['warningPercent', 'Warning below (% free)', 'The sources use 20.'],
  ['criticalPercent', 'Critical below (% free)', 'The sources use 10; must be below the warning threshold.'],
  ['intervalSeconds', 'Sample every (seconds)', '300 = 5 minutes.'],
  ['sampleTimeoutSeconds', 'A disk is unreachable after (seconds)', 'Bounds reads of stale network mounts.'],
  ['deliveryDeadlineHours', 'Retry failed deliveries for (hours)', 'Then they are recorded as failed.'],
  ['historyMaxRecords', 'Keep deliveries (count)', ''],
  ['historyMaxAgeDays', 'Keep deliveries (days)', ''],
  [
    'predictiveMinutes',
    'Warn when critical is predicted within (minutes)',
    'Empty: off. Warns before any threshold is crossed.',
  ],
];

export function Settings() {
  const loaded = useLoad(() => api['settings.get']({}));
  const [form, setForm] = useState<Record<string, string>>({});
  const [checks, setChecks] = useState<{ nativeNotifications: boolean; launchAtLogin: boolean | null }>({
    nativeNotifications: true,
    launchAtLogin: null,
  });
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();

  useEffect(() => {
    const v = loaded.value;
    if (!v) return;
    setForm({
      ...Object.fromEntries(NUMBERS.map(([k]) => [k, v.settings[k] === null ? '' : String(v.settings[k])])),
      watchedMounts: v.settings.watchedMounts.join(', '),
      ignoredMounts: v.settings.ignoredMounts.join(', '),
    });
    setChecks({ nativeNotifications: v.settings.nativeNotifications, launchAtLogin: v.launchAtLogin });
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
        NUMBERS.map(([k]) => [k, form[k] === '' ? (k === 'predictiveMinutes' ? null : '') : Number(form[k])]),
      ),
      watchedMounts: list(form.watchedMounts ?? ''),
      ignoredMounts: list(form.ignoredMounts ?? ''),
      nativeNotifications: checks.nativeNotifications,
    };
    const r = await api['settings.update']({
      settings,
      ...(checks.launchAtLogin === null ? {} : { launchAtLogin: checks.launchAtLogin }),
    });
    if ('errors' in r) {
      setErrors(r.errors);
      setStatus({ ok: false, text: 'Not saved: fix the fields marked below.' });
    } else {
      setErrors([]);
      setStatus({ ok: true, text: 'Saved' });
    }
  };
  const errorOf = (k: string) =>
    errors
      .filter((e) => e.field === k)
      .map((e) => e.message)
      .join('; ');

  return (
    <section aria-labelledby="settings-title">
      <header className="page-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <form className="card form" onSubmit={save} noValidate>
        {NUMBERS.map(([k, label, help]) => (
          <div key={k} className={`field${errorOf(k) ? ' field-error' : ''}`}>
            <label htmlFor={`s-${k}`}>{label}</label>
            <input
              id={`s-${k}`}
              inputMode="decimal"
              value={form[k] ?? ''}
              aria-invalid={errorOf(k) ? true : undefined}
              aria-describedby={`s-${k}-help`}
              onChange={(e) => setForm({ ...form, [k]: e.target.value })}
            />
            <p id={`s-${k}-help`} className="hint">
              {help}
            </p>
            {errorOf(k) && (
              <p className="error" role="alert">
                {label}: {errorOf(k)}
              </p>
            )}
          </div>
        ))}
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
          <button type="submit" className="primary">
            Save settings
          </button>
          <Outcome result={status} />
        </div>
      </form>
    </section>
  );
}
