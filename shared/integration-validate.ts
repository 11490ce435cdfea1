import type { Channel } from './channels/channel.js';
import { inputProblems } from './channels/input-checks.js';
import { maskUrl } from './mask.js';
import { channelFor, CHANNEL_TYPES } from './channels/registry.js';
import { baseInputProblems, integrationBaseSchema, type Integration } from './integration.js';
import { templateSamples, validateTemplate } from './template.js';
import { parseWith, type FieldError, type Parsed } from './validation.js';

/**
 * Validates a whole integration — the common settings and its channel's configuration — and
 * reports every problem at once, each under its field's key (`url`, `sharedKey`, `name`, …).
 */
export function validateIntegration(input: Record<string, unknown>): Parsed<Integration> {
  const channel = typeof input.type === 'string' ? channelFor(input.type) : undefined;
  if (!channel) {
    return {
      ok: false,
      errors: [{ field: 'type', message: `must be one of ${CHANNEL_TYPES().join(', ')}` }],
    };
  }
  const base = parseWith(integrationBaseSchema, { ...input, type: channel.type });
  const config = validateConfig(channel, input.config ?? {});
  const errors: FieldError[] = [...(base.ok ? [] : base.errors), ...(config.ok ? [] : config.errors)];
  if (base.ok)
    errors.push(
      ...baseInputProblems(base.value),
      ...validateTemplate(base.value.template, templateSamples(), channel.type === 'webhook'),
    );
  if (errors.length > 0 || !base.ok || !config.ok) return { ok: false, errors };
  return { ok: true, value: { ...base.value, config: config.value } };
}

/**
 * A channel configuration as it may be saved: its schema (what a stored one must pass to load)
 * and the checks made on save (`inputProblems`), one error per field.
 */
export function validateConfig(channel: Channel, input: unknown): Parsed<Record<string, unknown>> {
  const parsed = parseWith(channel.schema, input);
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const named = new Set(parsed.ok ? [] : parsed.errors.map((e) => e.field));
  const more = inputProblems(channel, record).filter((e) => !named.has(e.field));
  if (parsed.ok && more.length === 0) return { ok: true, value: parsed.value as Record<string, unknown> };
  // In the order of the form: field by field, a list's items in turn.
  const place = (e: FieldError) => {
    const [key, item] = e.field.split('.');
    const at = channel.fields.findIndex((f) => f.key === key);
    const n = Number(item);
    return (at < 0 ? channel.fields.length : at) * 1e6 + (Number.isFinite(n) ? n : 0);
  };
  const errors = [...(parsed.ok ? [] : parsed.errors), ...more];
  return { ok: false, errors: errors.sort((a, b) => place(a) - place(b)) };
}

/**
 * What saving wrote differently from what was given (a link percent-encoded: `normalizeUrl`), one
 * note a field, so the person sees what is stored. Secret fields are never quoted; a URL's query
 * values are masked, as everywhere.
 */
export function storedDifferently(
  channel: Channel,
  given: Record<string, unknown>,
  stored: Record<string, unknown>,
): string[] {
  return channel.fields.flatMap((f) => {
    const was = given[f.key];
    const now = stored[f.key];
    // Only a link is re-encoded; other fields may be stored tidied (a PEM keeps its last line
    // break, which the comparison's trim drops), which is nothing to tell.
    if (f.kind !== 'url' || f.secret || typeof was !== 'string' || typeof now !== 'string') return [];
    if (was.trim() === now) return [];
    return [
      `${f.label} is stored as ${maskUrl(now, true)}: characters a URL cannot carry as typed are percent-encoded`,
    ];
  });
}
