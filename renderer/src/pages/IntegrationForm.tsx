import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Field } from '../../../shared/channels/channel';
import type { ChannelView, FieldErrors, IntegrationView } from '../../../shared/ipc/contract';
import { api } from '../client';
import { Outcome } from '../components/widgets';

type Values = Record<string, string>;
const SEVERITIES = [
  ['all+unreachable', 'All alerts and unreachable'],
  ['all', 'All alerts'],
  ['critical', 'Critical only'],
] as const;

const writeOnly = (f: Field) => !!f.secret || f.kind === 'pem';

/**
 * The add/edit form of one channel, generated from its fields. Secrets are write-only: after
 * saving, the form only knows that one is set, and leaving it empty keeps it.
 */
export function IntegrationForm({
  channel,
  existing,
  disks,
  onDone,
}: {
  channel: ChannelView;
  existing?: IntegrationView;
  disks: string[];
  onDone: (saved?: IntegrationView, note?: string) => void;
}) {
  const [name, setName] = useState(existing?.name ?? '');
  const [mounts, setMounts] = useState<string[]>(existing?.mounts ?? []);
  const [severity, setSeverity] = useState<string>(existing?.severity ?? 'all+unreachable');
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(
      channel.fields.filter((f) => !writeOnly(f)).map((f) => [f.key, toText(existing?.config[f.key])]),
    ),
  );
  const [cleared, setCleared] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [preview, setPreview] = useState<{ title: string; text: string; truncated: boolean }>();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();
  // Errors show for fields the user has touched, and for all of them once they try to save.
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  const formId = useId();

  const config = () => {
    const out: Record<string, string | string[] | null> = {};
    for (const f of channel.fields) {
      const v = values[f.key] ?? '';
      if (writeOnly(f) && !v) {
        if (cleared.has(f.key)) out[f.key] = null;
        continue;
      }
      out[f.key] = f.kind === 'list' ? v.split('\n').filter((l) => l.trim()) : v === '' ? null : v;
    }
    return out;
  };

  // Inline validation and the preview, from the same adapter code that sends.
  useEffect(() => {
    const timer = setTimeout(() => {
      api['integrations.preview']({ type: channel.type, id: existing?.id, config: config() }).then(
        (r) => {
          if ('errors' in r) {
            setErrors(r.errors);
            setPreview(undefined);
          } else {
            setErrors([]);
            setPreview(r);
          }
        },
        () => {},
      );
    }, 250);
    return () => clearTimeout(timer);
    // Re-validate whenever a value changes.
  }, [values, cleared]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched('all');
    setStatus('busy');
    const result = await api['integrations.save']({
      id: existing?.id,
      type: channel.type,
      name: name || undefined,
      mounts,
      severity: severity as never,
      config: config(),
    });
    if (result.ok) {
      setStatus(undefined);
      onDone(result.integration, result.check.checked ? `Validated: ${result.check.message}` : undefined);
    } else if ('errors' in result) {
      setErrors(result.errors);
      setStatus({ ok: false, text: 'Not saved: fix the fields marked below.' });
    } else {
      setStatus({
        ok: false,
        text: `Not saved: the receiver did not pass validation. ${result.check.message}`,
      });
    }
  };

  const errorOf = (key: string) =>
    touched === 'all' || touched.has(key)
      ? errors
          .filter((e) => e.field === key || e.field.startsWith(`${key}.`))
          .map((e) => e.message)
          .join('; ')
      : '';

  return (
    <form className="card form" onSubmit={submit} aria-labelledby={`${formId}-title`} noValidate>
      <h2 id={`${formId}-title`}>{existing ? `Edit ${existing.name}` : `Add ${channel.label}`}</h2>
      <label>
        Name
        <input value={name} placeholder={channel.label} onChange={(e) => setName(e.target.value)} />
      </label>
      {channel.fields
        .filter(
          (f) =>
            !f.showWhen ||
            f.showWhen.in.includes(
              values[f.showWhen.key] ||
                channel.fields.find((x) => x.key === f.showWhen!.key)?.options?.[0] ||
                '',
            ),
        )
        .map((f) => (
          <FieldInput
            key={f.key}
            field={f}
            value={values[f.key] ?? ''}
            isSet={!!existing?.secretsSet.includes(f.key) && !cleared.has(f.key)}
            error={errorOf(f.key)}
            onChange={(v) => {
              setValues({ ...values, [f.key]: v });
              if (touched !== 'all') setTouched(new Set([...touched, f.key]));
            }}
            onClear={() => setCleared(new Set([...cleared, f.key]))}
          />
        ))}
      <fieldset>
        <legend>Disks</legend>
        <p className="hint">None ticked: every watched disk.</p>
        {disks.map((m) => (
          <label key={m} className="inline">
            <input
              type="checkbox"
              checked={mounts.includes(m)}
              onChange={(e) => setMounts(e.target.checked ? [...mounts, m] : mounts.filter((x) => x !== m))}
            />{' '}
            {m}
          </label>
        ))}
      </fieldset>
      <label>
        Notify about
        <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {SEVERITIES.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {preview && (
        <div className="preview" aria-label="Message preview">
          <p className="hint">
            Preview of a warning{preview.truncated ? ' (cut to the channel’s limit)' : ''}
          </p>
          <strong>{preview.title}</strong>
          <pre>{preview.text}</pre>
        </div>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={status === 'busy'}>
          {existing ? 'Save' : 'Add integration'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
        <Outcome result={status} />
      </div>
    </form>
  );
}

function FieldInput({
  field: f,
  value,
  isSet,
  error,
  onChange,
  onClear,
}: {
  field: Field;
  value: string;
  isSet: boolean;
  error: string;
  onChange: (v: string) => void;
  onClear: () => void;
}) {
  const id = useId();
  const described = `${id}-help${error ? ` ${id}-error` : ''}`;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined } as const;
  let input;
  if (f.kind === 'select') {
    input = (
      <select {...common} value={value || f.options?.[0]} onChange={(e) => onChange(e.target.value)}>
        {f.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (f.kind === 'list' || f.kind === 'pem') {
    input = (
      <>
        <textarea
          {...common}
          rows={f.kind === 'pem' ? 4 : 2}
          value={value}
          placeholder={
            isSet
              ? 'Saved — leave empty to keep'
              : f.kind === 'pem'
                ? '-----BEGIN …'
                : 'Name: value (one per line)'
          }
          onChange={(e) => onChange(e.target.value)}
        />
        {f.kind === 'pem' && (
          <input
            type="file"
            aria-label={`${f.label} file`}
            accept=".pem,.crt,.key,.cer"
            onChange={(e) => e.target.files?.[0]?.text().then(onChange)}
          />
        )}
      </>
    );
  } else {
    input = (
      <input
        {...common}
        type={f.secret ? 'password' : f.kind === 'url' ? 'url' : 'text'}
        autoComplete="off"
        value={value}
        placeholder={isSet ? 'Saved — leave empty to keep' : f.placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>
        {f.label}
        {f.secret && <span className="hint"> (secret)</span>}
      </label>
      {input}
      <p id={`${id}-help`} className="hint">
        {f.help}
        {isSet && (
          <>
            {' '}
            <button type="button" className="link" onClick={onClear}>
              Remove saved value
            </button>
          </>
        )}
      </p>
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {f.label}: {error}
        </p>
      )}
    </div>
  );
}

function toText(v: unknown): string {
  return Array.isArray(v) ? v.join('\n') : v === undefined || v === null ? '' : String(v);
}
