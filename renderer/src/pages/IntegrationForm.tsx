import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Field } from '../../../shared/channels/channel';
import type { ChannelView, FieldErrors, IntegrationView } from '../../../shared/ipc/contract';
import { api } from '../client';
import { Choice } from '../components/Choice';
import { FormField } from '../components/FormField';
import { Outcome } from '../components/widgets';
import { fieldShown } from '../field-visibility';
import { fixWords, formWords } from '../form-words';
import { useFocusOnRefusal } from '../hooks';
import { numberOrText } from '../numbers';
import { ChannelFieldInput } from './ChannelFieldInput';
import {
  configOf,
  failureErrors,
  localErrors,
  markedFields,
  SEVERITIES,
  startValues,
  templateOf,
  type Values,
} from './integration-form-values';
import { MessagePreview, usePreview, type PreviewState } from './MessagePreview';
import { QuietHoursFields, RemindersFields, type QuietForm, type RemindersForm } from './NoiseFields';
import { TemplateFields, type TemplateForm } from './TemplateFields';

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
  const [start] = useState(() => startValues(channel.fields, existing));
  const [name, setName] = useState(existing?.name ?? '');
  const [mounts, setMounts] = useState<string[]>(existing?.mounts ?? []);
  const [severity, setSeverity] = useState<string>(existing?.severity ?? 'all+unreachable');
  const [includeUsage, setIncludeUsage] = useState(existing?.includeUsage ?? false);
  const [values, setValues] = useState<Values>(start.values);
  const [cleared, setCleared] = useState<Set<string>>(new Set());
  const [quiet, setQuiet] = useState<QuietForm>(start.quiet);
  const [reminders, setReminders] = useState<RemindersForm>(start.reminders);
  const [template, setTemplate] = useState<TemplateForm>(start.template);
  const withBody = channel.type === 'webhook';
  const [previewAs, setPreviewAs] = useState<PreviewState>('warning');
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | 'busy'>();
  // The receiver did not pass the save-time check: offer to save without it.
  const [offerAnyway, setOfferAnyway] = useState(false);
  // Errors show for fields the user has touched, and for all of them once they try to save.
  const [touched, setTouched] = useState<Set<string> | 'all'>(new Set());
  const formId = useId();
  // Opening the form moves focus to its heading: the next Tab is its first field.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const form = useRef<HTMLFormElement>(null);
  const refuse = useFocusOnRefusal(form);
  const isSet = (key: string) => !!existing?.secretsSet.includes(key) && !cleared.has(key);
  const shown = (f: Field) => fieldShown(f, channel.fields, values, isSet);
  const config = () => configOf(channel.fields, values, cleared, shown);

  // The preview checks the channel's settings and the template; other errors come from saving.
  const previewChecks = (field: string) =>
    field.startsWith('template.') ||
    channel.fields.some((f) => field === f.key || field.startsWith(`${f.key}.`));

  const preview = usePreview(
    () => ({
      type: channel.type,
      id: existing?.id,
      config: config(),
      to: previewAs,
      template: templateOf(template, withBody),
    }),
    (found) => setErrors((all) => [...all.filter((e) => !previewChecks(e.field)), ...found]),
    [values, cleared, template, previewAs],
  );

  // Counts the fields marked, not the errors: two errors of one field are one field to fix.
  const fixText = (found: FieldErrors) => fixWords(markedFields(found, channel.fields).size);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };

  /** Saves; `skipCheck` ("Save anyway") without asking the receiver. */
  const save = async (skipCheck: boolean) => {
    setOfferAnyway(false);
    setTouched('all');
    const local = localErrors(quiet, reminders);
    if (local.length) {
      setErrors((all) => [...all.filter((x) => previewChecks(x.field)), ...local]);
      setStatus({ ok: false, text: fixText([...local, ...errors.filter((x) => previewChecks(x.field))]) });
      refuse();
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
        text: found ? fixText(found) : `Not saved: ${(error as Error).message}`,
      });
      refuse();
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
      setStatus({ ok: false, text: fixText(result.errors) });
      refuse();
    } else {
      setStatus({
        ok: false,
        text: `Not saved: the receiver did not pass validation. ${formWords(result.check.message, channel.fields)}`,
      });
      setOfferAnyway(true);
      refuse();
    }
  };

  /** A section changed: its field counts as touched, and an error from the last save is stale. */
  const edited = (field: string) => {
    if (touched !== 'all') setTouched(new Set([...touched, field]));
    if (!previewChecks(field))
      setErrors((all) => all.filter((e) => !(e.field === field || e.field.startsWith(`${field}.`))));
  };

  /** A section's onChange: its new value, and the field in it that changed. */
  const section =
    <T,>(set: (value: T) => void) =>
    (value: T, field: string) => {
      set(value);
      edited(field);
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
      <FormField label="Name" error={errorOf('name')}>
        {(p) => (
          <input
            {...p}
            value={name}
            placeholder={channel.label}
            onChange={(e) => {
              setName(e.target.value);
              edited('name');
            }}
          />
        )}
      </FormField>
      {channel.fields.filter(shown).map((f) => (
        <ChannelFieldInput
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
      <Choice label="Notify about" value={severity} options={SEVERITIES} onChange={setSeverity} />
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
      <QuietHoursFields value={quiet} errorOf={errorOf} onChange={section(setQuiet)} />
      <RemindersFields value={reminders} errorOf={errorOf} onChange={section(setReminders)} />
      <TemplateFields
        value={template}
        withBody={withBody}
        errorOf={errorOf}
        onChange={section(setTemplate)}
      />
      <MessagePreview preview={preview} previewAs={previewAs} onPreviewAs={setPreviewAs} />
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
