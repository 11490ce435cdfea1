import type { Field } from '../../../shared/channels/channel';
import type { FieldErrors, IntegrationView } from '../../../shared/ipc/contract';
import { DAYS, quietHoursSchema } from '../../../shared/quiet';
import type { Template } from '../../../shared/template';
import { parseWith } from '../../../shared/validation';
import { ApiFailure } from '../client';
import { numberOrText } from '../numbers';
import type { QuietForm, RemindersForm } from './NoiseFields';
import type { TemplateForm } from './TemplateFields';

/** The channel's own fields as the form holds them: text, a list one item a line. */
export type Values = Record<string, string>;

export const SEVERITIES = [
  ['all+unreachable', 'All alerts and unreachable'],
  ['all', 'All alerts'],
  ['critical', 'Critical only'],
] as const;

/** Secrets and keys are never sent back to the form: it only learns that one is set. */
export const writeOnly = (f: Field) => !!f.secret || f.kind === 'pem';

const toText = (v: unknown): string =>
  Array.isArray(v) ? v.join('\n') : v === undefined || v === null ? '' : String(v);

const hoursText = (h: number | null | undefined) => (h === null || h === undefined ? '' : String(h));

/** The form's starting values: the integration as saved, or a new one's defaults. */
export function startValues(
  fields: readonly Field[],
  existing?: IntegrationView,
): { values: Values; quiet: QuietForm; reminders: RemindersForm; template: TemplateForm } {
  return {
    values: Object.fromEntries(
      fields.filter((f) => !writeOnly(f)).map((f) => [f.key, toText(existing?.config[f.key])]),
    ),
    quiet: {
      enabled: !!existing?.quietHours,
      days: existing?.quietHours?.days ?? [...DAYS],
      start: existing?.quietHours?.start ?? '22:00',
      end: existing?.quietHours?.end ?? '07:00',
      critical: existing?.quietHours?.critical ?? 'send',
    },
    reminders: {
      warningHours: hoursText(existing?.reminders.warningHours),
      criticalHours: hoursText(existing?.reminders.criticalHours),
    },
    template: {
      title: existing?.template.title ?? '',
      text: existing?.template.text ?? '',
      body: existing?.template.body ?? '',
    },
  };
}

/**
 * The channel's settings to send, from the fields `shown`: an empty secret keeps what is saved
 * unless it was removed. A credential hidden for the chosen auth mode (Basic's user with Bearer) is
 * removed, as the form shows: kept, it would never be sent, and saving refuses that.
 */
export function configOf(
  fields: readonly Field[],
  values: Values,
  cleared: ReadonlySet<string>,
  shown: (f: Field) => boolean,
): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  for (const f of fields) {
    if (!shown(f)) {
      if (f.showWhen?.key === 'auth') out[f.key] = null;
      continue;
    }
    const v = values[f.key] ?? '';
    if (writeOnly(f) && !v) {
      if (cleared.has(f.key)) out[f.key] = null;
      continue;
    }
    out[f.key] = f.kind === 'list' ? v.split('\n').filter((l) => l.trim()) : v === '' ? null : v;
  }
  return out;
}

/** The template to send: empty parts left out (Headroom's own wording), the body only for webhooks. */
export function templateOf(t: TemplateForm, withBody: boolean): Template {
  return {
    ...(t.title ? { title: t.title } : {}),
    ...(t.text ? { text: t.text } : {}),
    ...(withBody && t.body ? { body: t.body } : {}),
  };
}

/**
 * The fields these errors mark, each once (the form's "n fields need a fix" counts these): a
 * channel field shows its nested errors too (its headers' lines), a section's field its own
 * (quietHours.days.0 on the days), and a field with two errors is one field to fix.
 */
export function markedFields(errors: FieldErrors, fields: readonly Field[]): Set<string> {
  const markOf = (field: string) =>
    fields.find((f) => field === f.key || field.startsWith(`${f.key}.`))?.key ??
    field.split('.').slice(0, 2).join('.');
  return new Set(errors.map((e) => markOf(e.field)));
}

/** An error the contract raised for one field (`field: message; …`), as the form shows it. */
export function failureErrors(e: unknown): FieldErrors | null {
  if (!(e instanceof ApiFailure) || !e.field) return null;
  const first = e.message.split('; ')[0] ?? e.message;
  return [{ field: e.field, message: first.replace(`${e.field}: `, '') }];
}

/** Checks what the contract would refuse outright, with the words the user needs. */
export function localErrors(quiet: QuietForm, reminders: RemindersForm): FieldErrors {
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
}
