import { channelFor, CHANNEL_TYPES } from './channels/registry.js';
import { integrationBaseSchema, type Integration } from './integration.js';
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
  const config = parseWith(channel.schema, input.config ?? {});
  const errors: FieldError[] = [...(base.ok ? [] : base.errors), ...(config.ok ? [] : config.errors)];
  if (base.ok)
    errors.push(...validateTemplate(base.value.template, templateSamples(), channel.type === 'webhook'));
  if (errors.length > 0 || !base.ok || !config.ok) return { ok: false, errors };
  return { ok: true, value: { ...base.value, config: config.value as Record<string, unknown> } };
}
