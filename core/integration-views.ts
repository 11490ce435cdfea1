import type { Channel } from '../shared/channels/channel.js';
import { channelFor } from '../shared/channels/registry.js';
import type { Outcome } from '../shared/http-outcome.js';
import { integrationSettingsOf, type Integration } from '../shared/integration.js';
import type { CheckView, IntegrationView, SaveIntegrationResult } from '../shared/ipc/contract.js';
import { maskedConfig, maskUrl } from '../shared/mask.js';
import { checkLevel, type CheckReport, type SaveResult } from './delivery/integration-service.js';

/**
 * A form's values to channel settings: '' and null clear a field, absent secrets stay as saved,
 * and so does a URL sent back as the form was given it (its query values masked: see `toView`).
 */
export function formConfig(
  channel: Channel,
  form: Record<string, string | string[] | null>,
  saved: Record<string, unknown> = {},
): Record<string, unknown> {
  // Keys of no field go on as they are, for the save to refuse by name (see inputProblems).
  const known = new Set(channel.fields.map((f) => f.key));
  const config: Record<string, unknown> = Object.fromEntries(
    Object.entries(form).filter(([key]) => !known.has(key)),
  );
  for (const field of channel.fields) {
    if (!Object.hasOwn(form, field.key)) continue;
    const value = form[field.key];
    const was = saved[field.key];
    config[field.key] =
      value === null || value === ''
        ? undefined
        : Array.isArray(value)
          ? value.filter((v) => v.trim() !== '')
          : field.kind === 'url' && typeof was === 'string' && value === maskUrl(was)
            ? was
            : value;
  }
  return config;
}

/** An integration as the forms and lists show it. */
export function toView(i: Integration): IntegrationView {
  const channel = channelFor(i.type)!;
  // Secrets and PEM files are write-only in forms: shown as "set", never sent back.
  const secretKeys = new Set(channel.fields.filter((f) => f.secret || f.kind === 'pem').map((f) => f.key));
  const shown = maskedConfig(channel, i.config);
  return {
    id: i.id,
    type: i.type,
    ...integrationSettingsOf(i),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    config: Object.fromEntries(Object.entries(shown).filter(([k]) => !secretKeys.has(k))),
    secretsSet: Object.keys(shown).filter((k) => secretKeys.has(k)),
    secretHints: Object.fromEntries(
      channel.fields
        .filter((f) => f.header === 'lines' && Array.isArray(shown[f.key]))
        .map((f) => [f.key, shown[f.key] as string[]]),
    ),
    managed: !!i.managed,
  };
}

/** A check of an integration's settings, as the form shows it. */
export function checkView(r: CheckReport): CheckView {
  const o: Outcome = r.outcome;
  return {
    ok: o.kind === 'delivered',
    checked: r.checked,
    level: checkLevel(r),
    message: o.kind === 'delivered' ? (o.note ?? 'ok') : o.message,
    ...(r.status === undefined ? {} : { status: r.status }),
    ...(r.latencyMs === undefined ? {} : { latencyMs: r.latencyMs }),
  };
}

/** A save's result, as the form shows it. */
export function saveView(r: SaveResult, warnings: string[] = []): SaveIntegrationResult {
  if (r.ok)
    return {
      ok: true,
      integration: toView(r.integration),
      check: checkView(r.check),
      warnings: [...r.notes, ...warnings],
    };
  if ('errors' in r) return { ok: false, errors: r.errors };
  return { ok: false, check: checkView(r.check) };
}
