import { useEffect, useRef, useState, type ComponentProps, type FormEvent } from 'react';
import type { FieldErrors, SettingsView } from '../../../shared/ipc/contract';
import { api, inDesktopApp } from '../client';
import { LoadStatus, ManagedMark, Outcome } from '../components/widgets';
import { fixWords, settingsWords } from '../form-words';
import { useFocusOnRefusal, useLoad } from '../hooks';
import { MountOverrides, type OverrideRow } from './MountOverrides';
import {
  changedSettings,
  fieldsFrom,
  MOUNT_LISTS,
  NULLABLE,
  NUMBERS,
  placed,
  THRESHOLDS,
  type NumberSetting,
} from './settings-fields';
import { SettingInput } from './SettingInput';
import { WebUiAccess } from './WebUiAccess';

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
      {!inDesktopApp && <WebUiAccess />}
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
  const formRef = useRef<HTMLFormElement>(null);
  const refuse = useFocusOnRefusal(formRef);
  const change = (key: string, value: string) => {
    setForm({ ...form, [key]: value });
    if (touched !== 'all') setTouched(new Set([...touched, key]));
  };

  const collect = () => changedSettings({ form, overrides, checks }, saved);

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
        setStatus({
          ok: false,
          text: `${fixWords(r.errors.length)}${elsewhere.map((e) => ` ${e.field}: ${settingsWords(e.message)}`).join('')}`,
        });
        refuse();
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
      refuse();
    }
  };
  const errorOf = (k: string) =>
    touched === 'all' || touched.has(k)
      ? errors
          .filter((e) => e.field === k)
          .map((e) => settingsWords(e.message))
          .join('; ')
      : '';

  /** Set by the organisation's policy file: shown, but not editable here. */
  const locked = (k: string) => saved.managed?.keys.includes(k) ?? false;
  const mark = (k: string) => (locked(k) ? <ManagedMark id={`s-${k}-managed`} /> : null);

  /** A setting ticked on or off (launchAtLogin is this machine's, never in the policy file). */
  const checkField = (k: keyof typeof checks, label: string) => (
    <label className="inline">
      <input
        type="checkbox"
        checked={!!checks[k]}
        disabled={locked(k)}
        onChange={(e) => setChecks({ ...checks, [k]: e.target.checked })}
      />{' '}
      {label}
      {locked(k) && <> {mark(k)}</>}
    </label>
  );

  /** A setting typed as text; `more` gives its help, error and how it is typed. */
  const textField = (k: string, label: string, more: Partial<ComponentProps<typeof SettingInput>>) => (
    <SettingInput
      key={k}
      setting={k}
      label={label}
      managed={locked(k)}
      value={form[k] ?? ''}
      onChange={(v) => change(k, v)}
      {...more}
    />
  );
  const numberField = ([k, label, help]: NumberSetting) =>
    textField(k, label, {
      help,
      error: errorOf(k),
      inputMode: 'decimal',
      placeholder: NULLABLE.has(k) ? 'off' : undefined,
    });

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
          {checkField(
            'watchInodes',
            'Watch inodes too (a disk of many small files can be full with space left)',
          )}
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
        {MOUNT_LISTS.map(([k, id, label, placeholder]) => textField(k, label, { id, placeholder }))}
        {checkField('nativeNotifications', 'Desktop notifications')}
        {checks.launchAtLogin !== null && checkField('launchAtLogin', 'Launch at login')}
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
