import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Field } from '../../../shared/channels/channel';
import type { ChannelView, FieldErrors, IntegrationView } from '../../../shared/ipc/contract';
import { DAYS, quietHoursSchema } from '../../../shared/quiet';
import type { Template } from '../../../shared/template';
import { parseWith } from '../../../shared/validation';
import { ApiFailure, api } from '../client';
import { Outcome } from '../components/widgets';
import { fieldShown } from '../field-visibility';
import { formWords } from '../form-words';
import { numberOrText } from '../numbers';
import { QuietHoursFields, RemindersFields, type QuietForm, type RemindersForm } from './NoiseFields';
import { TemplateFields, type TemplateForm } from './TemplateFields';

type Values = Record<string, string>;
const SEVERITIES = [
  ['all+unreachable', 'All alerts and unreachable'],
  ['all', 'All alerts'],
  ['critical', 'Critical only'],
] as const;

const PREVIEW_STATES = ['warning', 'critical', 'ok', 'unreachable'] as const;
type PreviewState = (typeof PREVIEW_STATES)[number];

const writeOnly = (f: Field) => !!f.secret || f.kind === 'pem';

/** What the status line says when fields need a fix: how many, pointing at where focus went. */
const fixText = (n: number) =>
  `Not saved: ${n === 1 ? 'one field needs' : `${n} fields need`} a fix (marked in red; the first one has the focus).`;

const hoursText = (h: number | null | undefined) => (h === null || h === undefined ? '' : String(h));

/** The template to send: empty parts left out (Headroom's own wording), the body only for webhooks. */
function templateOf(t: TemplateForm, withBody: boolean): Template {
  return {
    ...(t.title ? { title: t.title } : {}),
    ...(t.text ? { text: t.text } : {}),
    ...(withBody && t.body ? { body: t.body } : {}),
  };
}

/** An error the contract raised for one field (`field: message; …`), as the form shows it. */
function failureErrors(e: unknown): FieldErrors | null {
  if (!(e instanceof ApiFailure) || !e.field) return null;
  const first = e.message.split('; ')[0] ?? e.message;
  return [{ field: e.field, message: first.replace(`${e.field}: `, '') }];
}

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
  const [includeUsage, setIncludeUsage] = useState(existing?.includeUsage ?? false);
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(
      channel.fields.filter((f) => !writeOnly(f)).map((f) => [f.key, toText(existing?.config[f.key])]),
    ),
  );
  const [cleared, setCleared] = useState<Set<string>>(new Set());
  const [quiet, setQuiet] = useState<QuietForm>(() => ({
    enabled: !!existing?.quietHours,
    days: existing?.quietHours?.days ?? [...DAYS],
    start: existing?.quietHours?.start ?? '22:00',
    end: existing?.quietHours?.end ?? '07:00',
    critical: existing?.quietHours?.critical ?? 'send',
  }));
  const [reminders, setReminders] = useState<RemindersForm>({
    warningHours: hoursText(existing?.reminders.warningHours),
    criticalHours: hoursText(existing?.reminders.criticalHours),
  });
  const [template, setTemplate] = useState<TemplateForm>({
    title: existing?.template.title ?? '',
    text: existing?.template.text ?? '',
    body: existing?.template.body ?? '',
  });
  const withBody = channel.type === 'webhook';
  const [previewAs, setPreviewAs] = useState<PreviewState>('warning');
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [preview, setPreview] = useState<{
    title: string;
    text: string;
    truncated: boolean;
    body?: string;
  }>();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();
  // The receiver did not pass the save-time check: offer to save without it.
  const [offerAnyway, setOfferAnyway] = useState(false);
  // Errors show for fields the user has touched, and for all of them once they try to save.
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  const formId = useId();
  // Opening the form moves focus to its heading: the next Tab is its first field.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  // After a refused save, focus goes to the first field marked invalid (or to the summary).
  const form = useRef<HTMLFormElement>(null);
  const [refused, setRefused] = useState(0);
  useEffect(() => {
    if (!refused) return;
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? form.current?.querySelector<HTMLElement>('.form-summary'))?.focus();
  }, [refused]);
  const isSet = (key: string) => !!existing?.secretsSet.includes(key) && !cleared.has(key);
  const shown = (f: Field) => fieldShown(f, channel.fields, values, isSet);

  const config = () => {
    const out: Record<string, string | string[] | null> = {};
    for (const f of channel.fields) {
      // A field hidden for the chosen mode (Basic's user with Bearer) keeps what is saved.
      if (!shown(f)) continue;
      const v = values[f.key] ?? '';
      if (writeOnly(f) && !v) {
        if (cleared.has(f.key)) out[f.key] = null;
        continue;
      }
      out[f.key] = f.kind === 'list' ? v.split('\n').filter((l) => l.trim()) : v === '' ? null : v;
    }
    return out;
  };

  // The preview checks the channel's settings and the template; other errors come from saving.
  const previewChecks = (field: string) =>
    field.startsWith('template.') ||
    channel.fields.some((f) => field === f.key || field.startsWith(`${f.key}.`));

  // Inline validation and the preview, from the same adapter and template code that sends.
  useEffect(() => {
    // An answer about values since changed is dropped: arriving late, it would put back an error
    // already fixed ("URL is required" under a filled URL).
    let current = true;
    const timer = setTimeout(() => {
      api['integrations.preview']({
        type: channel.type,
        id: existing?.id,
        config: config(),
        to: previewAs,
        template: templateOf(template, withBody),
      }).then(
        (r) => {
          if (!current) return;
          const found = 'errors' in r ? r.errors : [];
          setErrors((all) => [...all.filter((e) => !previewChecks(e.field)), ...found]);
          setPreview('errors' in r ? undefined : r);
        },
        (e: unknown) => {
          if (!current) return;
          const found = failureErrors(e);
          if (found) setErrors((all) => [...all.filter((x) => !previewChecks(x.field)), ...found]);
          setPreview(undefined);
        },
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // Re-validate whenever a value changes.
  }, [values, cleared, template, previewAs]);

  /** Checks what the contract would refuse outright, with the words the user needs. */
  const localErrors = (): FieldErrors => {
    const found: FieldErrors = [];
    if (quiet.enabled) {
      const { enabled: _, ...q } = quiet;
      const parsed = parseWith(quietHoursSchema, q);
      if (!parsed.ok) found.push(...parsed.errors.map((e) => ({ ...e, field: `quietHours.${e.field}` })));
    }
    for (const key of ['warningHours', 'criticalHours'] as const)
      if (typeof numberOrText(reminders[key], true) === 'string')
        found.push({
          field: `reminders.${key}`,
          message: 'must be a number of hours, e.g. 4, or empty for no reminders',
        });
    return found;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  /** Saves; `skipCheck` ("Save anyway") without asking the receiver. */
  const save = async (skipCheck: boolean) => {
    setOfferAnyway(false);
    setTouched('all');
    const local = localErrors();
    if (local.length) {
      setErrors((all) => [...all.filter((x) => previewChecks(x.field)), ...local]);
      setStatus({
        ok: false,
        text: fixText(local.length + errors.filter((x) => previewChecks(x.field)).length),
      });
      setRefused((n) => n + 1);
      return;
    }
    setStatus('busy');
    let result;
    try {
      const { enabled, ...q } = quiet;
      result = await api['integrations.save']({
        id: existing?.id,
        type: channel.type,
        name: name || undefined,
        mounts,
        severity: severity as never,
        includeUsage,
        quietHours: enabled ? q : null,
        reminders: {
          warningHours: numberOrText(reminders.warningHours, true) as number | null,
          criticalHours: numberOrText(reminders.criticalHours, true) as number | null,
        },
        template: templateOf(template, withBody),
        config: config(),
        ...(skipCheck ? { skipCheck } : {}),
        ...(existing ? { basedOn: existing.updatedAt } : {}),
      });
    } catch (error) {
      const found = failureErrors(error);
      if (found) setErrors((all) => [...all.filter((x) => previewChecks(x.field)), ...found]);
      setStatus({
        ok: false,
        text: found ? fixText(found.length) : `Not saved: ${(error as Error).message}`,
      });
      setRefused((n) => n + 1);
      return;
    }
    if (result.ok) {
      setStatus(undefined);
      const notes = [
        ...(result.check.level === 'ok' ? [`Validated: ${result.check.message}`] : []),
        ...(skipCheck ? ['Saved without asking the receiver: Validate or Send test when it is back.'] : []),
        ...result.warnings,
      ];
      onDone(result.integration, notes.join(' ') || undefined);
    } else if ('errors' in result) {
      setErrors(result.errors);
      setStatus({ ok: false, text: fixText(result.errors.length) });
      setRefused((n) => n + 1);
    } else {
      setStatus({
        ok: false,
        text: `Not saved: the receiver did not pass validation. ${result.check.message}`,
      });
      setOfferAnyway(true);
      setRefused((n) => n + 1);
    }
  };

  /** A section changed: its field counts as touched, and an error from the last save is stale. */
  const edited = (field: string) => {
    if (touched !== 'all') setTouched(new Set([...touched, field]));
    if (!previewChecks(field))
      setErrors((all) => all.filter((e) => !(e.field === field || e.field.startsWith(`${field}.`))));
  };

  const errorOf = (key: string) =>
    touched === 'all' || touched.has(key)
      ? errors
          .filter((e) => e.field === key || e.field.startsWith(`${key}.`))
          .map((e) => formWords(e.message, channel.fields))
          .join('; ')
      : '';

  return (
    <form ref={form} className="card form" onSubmit={submit} aria-labelledby={`${formId}-title`} noValidate>
      <h2 id={`${formId}-title`} ref={heading} tabIndex={-1}>
        {existing ? `Edit ${existing.name}` : `Add ${channel.label}`}
      </h2>
      {/* A refused save is said at the top, where focus goes, not under the fields. */}
      {status && status !== 'busy' && !status.ok && (
        <div className="form-summary" tabIndex={-1}>
          <Outcome result={status} />
        </div>
      )}
      <label>
        Name
        <input value={name} placeholder={channel.label} onChange={(e) => setName(e.target.value)} />
      </label>
      {channel.fields.filter(shown).map((f) => (
        <FieldInput
          key={f.key}
          field={f}
          value={values[f.key] ?? ''}
          isSet={isSet(f.key)}
          saved={existing?.secretHints?.[f.key]}
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
      <label className="inline">
        <input
          type="checkbox"
          checked={includeUsage}
          aria-describedby={`${formId}-usage-hint`}
          onChange={(e) => setIncludeUsage(e.target.checked)}
        />{' '}
        Say what grew on the disk
      </label>
      <p className="hint" id={`${formId}-usage-hint`}>
        Alerts name the folders that grew most since the last scan, and by how much. Off unless ticked: folder
        names can be private.
      </p>
      <QuietHoursFields
        value={quiet}
        errorOf={errorOf}
        onChange={(q, field) => {
          setQuiet(q);
          edited(field);
        }}
      />
      <RemindersFields
        value={reminders}
        errorOf={errorOf}
        onChange={(r, field) => {
          setReminders(r);
          edited(field);
        }}
      />
      <TemplateFields
        value={template}
        withBody={withBody}
        errorOf={errorOf}
        onChange={(t, field) => {
          setTemplate(t);
          edited(field);
        }}
      />
      <section className="preview" aria-labelledby={`${formId}-preview`}>
        <div className="preview-head">
          <h3 id={`${formId}-preview`}>Preview</h3>
          <label className="inline" htmlFor={`${formId}-preview-as`}>
            Preview as
          </label>
          <select
            id={`${formId}-preview-as`}
            value={previewAs}
            onChange={(e) => setPreviewAs(e.target.value as PreviewState)}
          >
            {PREVIEW_STATES.map((s) => (
              <option key={s} value={s}>
                {s === 'ok' ? 'all-clear' : s}
              </option>
            ))}
          </select>
        </div>
        {preview ? (
          <div className="preview-message">
            {preview.truncated && <p className="hint">Cut to the channel’s limit.</p>}
            <strong className="preview-title">{preview.title}</strong>
            {/* Channels whose text repeats the title as its first line: shown once. */}
            <pre>
              {preview.text.startsWith(preview.title)
                ? preview.text.slice(preview.title.length).trimStart()
                : preview.text}
            </pre>
            {preview.body !== undefined && (
              <>
                <p className="hint">Body</p>
                <pre className="code">{preview.body}</pre>
              </>
            )}
          </div>
        ) : (
          <p className="hint">Shown once the fields above are valid.</p>
        )}
      </section>
      <div className="actions">
        <button type="submit" className="primary" disabled={status === 'busy'}>
          {existing ? 'Save' : 'Add integration'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
        {offerAnyway && (
          <button type="button" onClick={() => void save(true)}>
            Save anyway
          </button>
        )}
        {(status === 'busy' || status?.ok) && <Outcome result={status} />}
      </div>
    </form>
  );
}

function FieldInput({
  field: f,
  value,
  isSet,
  saved,
  error,
  onChange,
  onClear,
}: {
  field: Field;
  value: string;
  isSet: boolean;
  /** What a saved secret shows of itself (header names, values masked). */
  saved?: string[];
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
              ? saved?.length
                ? `Saved: ${saved.join(', ')} — leave empty to keep`
                : 'Saved — leave empty to keep'
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
