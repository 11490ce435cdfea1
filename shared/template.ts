import * as z from 'zod';
import type { AlertEvent } from './event.js';
import { ALERT_KIND_NAMES } from './alert-kinds.js';
import { details, testEvent, title } from './event.js';
import { formatDuration } from './format.js';
import { describeForecast } from './forecast.js';
import { formatBytes, roundPercent } from './format.js';
import type { FieldError } from './validation.js';

/**
 * Message templates: an integration's own title and text (and, for the generic webhook, body),
 * with `{{variable}}` placeholders. Rendered by the same function for the GUI's preview and for
 * sending, so what the preview shows is what goes out.
 */
export const templateSchema = z
  .object({
    title: z.string().max(500, { error: 'must be at most 500 characters' }).optional(),
    text: z.string().max(4000, { error: 'must be at most 4000 characters' }).optional(),
    body: z.string().max(16_000, { error: 'must be at most 16000 characters' }).optional(),
  })
  .strict();
export type Template = z.output<typeof templateSchema>;

type Value = string | number | null;
interface Variable {
  help: string;
  value: (e: AlertEvent) => Value;
}

/**
 * Every variable, with what it holds: the documentation the GUI and `help` show. A null-prototype
 * object, and looked up with `variableOf` only: `{{constructor}}` or `{{__proto__}}` must not
 * reach Object.prototype.
 */
export const TEMPLATE_VARIABLES: Readonly<Record<string, Variable>> = Object.assign(Object.create(null), {
  host: { help: 'the host name', value: (e) => e.host },
  mount: { help: 'the mount point, e.g. /data', value: (e) => e.mount },
  kind: { help: ALERT_KIND_NAMES.map((k) => `"${k}"`).join(' or '), value: (e) => e.kind },
  state: { help: 'ok, warning, critical or unreachable', value: (e) => e.to },
  previous_state: { help: 'the state before this change', value: (e) => e.from },
  free_percent: { help: 'free space in percent (number)', value: (e) => round(e.freePercent) },
  free_bytes: { help: 'free space in bytes (number)', value: (e) => e.available },
  free: { help: 'free space in words, e.g. 4.10 GiB', value: (e) => bytes(e.available) },
  size: { help: 'usable size in words', value: (e) => bytes(e.usable) },
  inode_percent: {
    help: 'free inodes in percent (number; null without an inode count)',
    value: (e) => round(e.inodes?.freePercent ?? null),
  },
  forecast: {
    help: 'e.g. "at this rate, full in about 42 min", "filling in bursts", or empty',
    value: (e) => (e.forecast ? (describeForecast(e.forecast) ?? '') : ''),
  },
  duration: {
    help: 'time spent in the previous state, e.g. 3 h',
    value: (e) => formatDuration(e.durationSeconds * 1000),
  },
  duration_seconds: { help: 'the same in seconds (number)', value: (e) => e.durationSeconds },
  time: { help: 'the time of the change, ISO 8601 UTC', value: (e) => new Date(e.at).toISOString() },
  default_title: { help: "Headroom's own title", value: (e) => title({ ...e, custom: undefined }) },
  // The repeat note is added below whatever text the template makes, so not here too.
  default_text: {
    help: "Headroom's own text",
    value: (e) => details({ ...e, custom: undefined, possibleRepeat: undefined }),
  },
} satisfies Record<string, Variable>);

/** A documented variable by name, or undefined: own properties only. */
function variableOf(name: string): Variable | undefined {
  return Object.hasOwn(TEMPLATE_VARIABLES, name) ? TEMPLATE_VARIABLES[name] : undefined;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const VARIABLE_LIST = () =>
  Object.keys(TEMPLATE_VARIABLES)
    .map((v) => `{{${v}}}`)
    .join(', ');

/** Problems with one template string, each naming the placeholder (the fix is added on save). */
function problems(template: string): { message: string; unknown?: true }[] {
  const out: { message: string; unknown?: true }[] = [];
  for (const [, name] of template.matchAll(PLACEHOLDER))
    if (!variableOf(name!)) out.push({ message: `{{${name}}} is not a variable`, unknown: true });
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}'))
    out.push({ message: 'has a "{{" or "}}" that is not part of a {{variable}}' });
  return out;
}

/**
 * Fills the placeholders. In `json` mode every string is escaped for a JSON string (without its
 * quotes) and numbers go in as they are, so `"mount": "{{mount}}"` stays valid JSON whatever the
 * mount is called.
 */
export function fill(template: string, e: AlertEvent, mode: 'text' | 'json'): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const variable = variableOf(name);
    if (!variable) throw new Error(`{{${name}}} is not a variable`);
    const value = variable.value(e);
    if (mode === 'text') return value === null ? '' : String(value);
    if (typeof value === 'string') return JSON.stringify(value).slice(1, -1);
    return value === null ? 'null' : String(value);
  });
}

/**
 * The event with the integration's template applied (unchanged without one). Throws for a
 * template `validateTemplate` refuses: for sending, use `renderTemplate`.
 */
export function applyTemplate(e: AlertEvent, t: Template | undefined): AlertEvent {
  if (!t || (t.title === undefined && t.text === undefined && t.body === undefined)) return e;
  const custom: NonNullable<AlertEvent['custom']> = {};
  if (t.title) custom.title = fill(t.title, e, 'text').replace(/\s+/g, ' ').trim();
  if (t.text) custom.text = fill(t.text, e, 'text');
  if (t.body) custom.body = fill(t.body, e, 'json');
  return { ...e, custom };
}

/**
 * The event to send: with the template applied, or — when the template cannot be rendered (saved
 * before a check existed, or edited by hand) — with Headroom's own message and the reason in
 * `problem`. A template never costs an alert.
 */
export function renderTemplate(
  e: AlertEvent,
  t: Template | undefined,
): { event: AlertEvent; problem?: string } {
  const found = (['title', 'text', 'body'] as const).flatMap((key) =>
    t?.[key] === undefined ? [] : problems(t[key]).map((p) => `template.${key}: ${p.message}`),
  );
  if (found.length > 0) return { event: e, problem: found.join('; ') };
  let event: AlertEvent;
  try {
    event = applyTemplate(e, t);
    if (event.custom?.body !== undefined) JSON.parse(event.custom.body);
  } catch (error) {
    const problem =
      error instanceof SyntaxError
        ? 'template.body: does not make valid JSON for this disk'
        : (error as Error).message;
    return { event: e, problem };
  }
  return { event };
}

/**
 * Checks a template on save: unknown variables, stray braces, and a body that would not be JSON
 * for some disk (tried with ordinary figures and with a mount name full of quotes, backslashes
 * and newlines, and an unreachable disk whose figures are null).
 */
export function validateTemplate(t: Template, samples: AlertEvent[], bodyAllowed: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['title', 'text', 'body'] as const) {
    const value = t[key];
    if (value === undefined) continue;
    for (const { message, unknown } of problems(value))
      errors.push({
        field: `template.${key}`,
        message: unknown ? `${message}; use one of ${VARIABLE_LIST()}` : message,
      });
  }
  if (t.body !== undefined && !bodyAllowed)
    errors.push({
      field: 'template.body',
      message: 'only the webhook channel sends a body of your own; use template.title and template.text',
    });
  if (t.body && errors.length === 0) {
    for (const e of samples) {
      try {
        JSON.parse(fill(t.body, e, 'json'));
      } catch (error) {
        errors.push({
          field: 'template.body',
          message: `does not make valid JSON (${(error as Error).message}) for a disk like ${JSON.stringify(e.mount)} in state ${e.to}: put text variables inside quotes, e.g. "mount": "{{mount}}"`,
        });
        break;
      }
    }
  }
  return errors;
}

/**
 * Disks a template must work for: ordinary figures, a mount name with every character JSON must
 * escape, and an unreachable disk whose figures are null.
 */
export function templateSamples(): AlertEvent[] {
  const ordinary = { ...testEvent('host-1', Date.UTC(2026, 0, 1), 'sample'), test: false };
  return [
    ordinary,
    { ...ordinary, mount: '/mnt/"quoted"\\back\nline\t\u0001 ünï 😀', to: 'critical' },
    {
      ...ordinary,
      to: 'unreachable',
      freePercent: null,
      available: null,
      usable: null,
      reason: 'not mounted',
    },
    { ...ordinary, kind: 'inodes', inodes: { total: 1000, free: 50, freePercent: 5 }, to: 'critical' },
  ];
}

function round(n: number | null): number | null {
  return n === null ? null : roundPercent(n);
}

function bytes(n: number | null): string {
  return n === null ? '' : formatBytes(n);
}
