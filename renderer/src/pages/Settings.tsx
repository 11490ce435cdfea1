import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FieldErrors, SettingsView } from '../../../shared/ipc/contract';
import type { Settings as SettingsValues } from '../../../shared/settings';
import { api } from '../client';
import { LoadStatus, ManagedMark, Outcome } from '../components/widgets';
import { useLoad } from '../hooks';
import { settingsWords } from '../form-words';
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
  [
    'flappingSettleMinutes',
    'Flapping: held until settled for (minutes)',
    'A critical’s all-clear is never held longer.',
  ],
];

/** The form's fields as text, and its checkboxes, from settings as saved. */
function fieldsFrom(v: SettingsView) {
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

export function Settings() {
  const loaded = useLoad(() => api['settings.get']({}));
  return (
    <section aria-labelledby="settings-title">
      <header className="page-head">
        <h1 id="settings-title">Settings</h1>
        <LoadStatus load={loaded} what="the settings" />
      </header>
      {/* Drawn only once the saved settings are in it: a field typed in earlier would be overwritten. */}
      {loaded.value && <SettingsForm saved={loaded.value} onSaved={loaded.setValue} />}
    </section>
  );
}

function SettingsForm({ saved, onSaved }: { saved: SettingsView; onSaved: (v: SettingsView) => void }) {
  const disks = useLoad(() => api['disks.list']({}));
  const [start] = useState(() => fieldsFrom(saved));
  const [form, setForm] = useState(start.form);
  const [overrides, setOverrides] = useState<OverrideRow[]>(start.overrides);
  const [checks, setChecks] = useState(start.checks);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();
  // Errors show as the user types, for the fields changed so far; all of them once Save is pressed.
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  const [refused, setRefused] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!refused) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? formRef.current?.querySelector<HTMLElement>('.form-summary'))?.focus();
  }, [refused]);
  const change = (key: string, value: string) => {
    setForm({ ...form, [key]: value });
    if (touched !== 'all') setTouched(new Set([...touched, key]));
  };

  /**
   * What the user changed, as settings: numbers where they parse, the text itself where not (refused
   * by name). Only those are sent: a setting changed meanwhile elsewhere (the CLI, another window)
   * is kept, not overwritten with what this form was loaded with.
   */
  const collect = () => {
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
  };

  // Checked as the user types (a moment after the last key), by the same schema that saves.
  useEffect(() => {
    if (touched !== 'all' && touched.size === 0) return;
    let current = true; // an answer about values since changed is dropped
    const timer = setTimeout(() => {
      api['settings.update']({ settings: collect(), validateOnly: true }).then(
        (r) => current && setErrors('errors' in r ? r.errors : []),
        () => {},
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [form, overrides, touched]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setStatus('busy');
    setTouched('all');
    const settings = collect();
    try {
      const r = await api['settings.update']({
        settings,
        ...(checks.launchAtLogin === null ? {} : { launchAtLogin: checks.launchAtLogin }),
      });
      if ('errors' in r) {
        setErrors(r.errors);
        const elsewhere = r.errors.filter((e) => !placed(e.field));
        const n = r.errors.length;
        setStatus({
          ok: false,
          text: `Not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} a fix (marked in red; the first one has the focus).${elsewhere.map((e) => ` ${e.field}: ${settingsWords(e.message)}`).join('')}`,
        });
        setRefused((x) => x + 1);
      } else {
        setErrors([]);
        onSaved(r);
        const fields = fieldsFrom(r);
        setForm(fields.form);
        setOverrides(fields.overrides);
        setChecks(fields.checks);
        setStatus({ ok: true, text: ['Saved.', ...r.warnings].join(' ') });
      }
    } catch (error) {
      setStatus({ ok: false, text: `Not saved: ${(error as Error).message}` });
      setRefused((x) => x + 1);
    }
  };
  const errorOf = (k: string) =>
    touched === 'all' || touched.has(k)
      ? errors
          .filter((e) => e.field === k)
          .map((e) => settingsWords(e.message))
          .join('; ')
      : '';
  /** Whether a field's errors show beside it (the rest go into the status line). */
  const placed = (field: string) =>
    field.startsWith('mountOverrides') || [...THRESHOLDS, ...NUMBERS].some(([k]) => k === field);

  /** Set by the organisation's policy file: shown, but not editable here. */
  const locked = (k: string) => saved.managed?.keys.includes(k) ?? false;
  const mark = (k: string) => (locked(k) ? <ManagedMark id={`s-${k}-managed`} /> : null);

  const numberField = ([k, label, help]: [NumberKey, string, string]) => (
    <div key={k} className={`field${errorOf(k) ? ' field-error' : ''}`}>
      <label htmlFor={`s-${k}`}>{label}</label>
      <input
        id={`s-${k}`}
        inputMode="decimal"
        value={form[k] ?? ''}
        disabled={locked(k)}
        placeholder={NULLABLE.has(k) ? 'off' : undefined}
        aria-invalid={errorOf(k) ? true : undefined}
        aria-describedby={`s-${k}-help${errorOf(k) ? ` s-${k}-error` : ''}${locked(k) ? ` s-${k}-managed` : ''}`}
        onChange={(e) => change(k, e.target.value)}
      />
      {mark(k)}
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
    <>
      {saved.managed && (
        <p role="note" className="managed">
          Settings marked “Managed by your organisation” are set in {saved.managed.file} and cannot be changed
          here.
        </p>
      )}
      <form ref={formRef} className="card form" onSubmit={save} noValidate>
        {status && status !== 'busy' && !status.ok && (
          <div className="form-summary" tabIndex={-1}>
            <Outcome result={status} />
          </div>
        )}
        <fieldset className="stack">
          <legend>Thresholds</legend>
          <div className="pairs">{THRESHOLDS.map(numberField)}</div>
          <label className="inline">
            <input
              type="checkbox"
              checked={checks.watchInodes}
              disabled={locked('watchInodes')}
              onChange={(e) => setChecks({ ...checks, watchInodes: e.target.checked })}
            />{' '}
            Watch inodes too (a disk of many small files can be full with space left) {mark('watchInodes')}
          </label>
        </fieldset>
        <MountOverrides
          rows={overrides}
          onChange={(rows) => {
            setOverrides(rows);
            if (touched !== 'all') setTouched(new Set([...touched, 'mountOverrides']));
          }}
          errors={touched === 'all' || touched.has('mountOverrides') ? errors : []}
          known={disks.value?.map((d) => d.mount) ?? []}
          globals={form}
          disabled={locked('mountOverrides')}
        />
        {NUMBERS.map(numberField)}
        <div className="field">
          <label htmlFor="s-watched">Watched mounts (besides the disks found)</label>
          <input
            id="s-watched"
            value={form.watchedMounts ?? ''}
            disabled={locked('watchedMounts')}
            placeholder="/mnt/nas, /var/lib/docker"
            onChange={(e) => change('watchedMounts', e.target.value)}
          />
          {mark('watchedMounts')}
        </div>
        <div className="field">
          <label htmlFor="s-ignored">Ignored mounts</label>
          <input
            id="s-ignored"
            value={form.ignoredMounts ?? ''}
            disabled={locked('ignoredMounts')}
            placeholder="/mnt/scratch"
            onChange={(e) => change('ignoredMounts', e.target.value)}
          />
          {mark('ignoredMounts')}
        </div>
        <label className="inline">
          <input
            type="checkbox"
            checked={checks.nativeNotifications}
            disabled={locked('nativeNotifications')}
            onChange={(e) => setChecks({ ...checks, nativeNotifications: e.target.checked })}
          />{' '}
          Desktop notifications {mark('nativeNotifications')}
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
          {(status === 'busy' || status?.ok) && <Outcome result={status} />}
        </div>
      </form>
    </>
  );
}
