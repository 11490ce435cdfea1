import { z } from 'zod';
import { classifyStatus, type HttpRequest } from '../delivery.js';
import { alertKey, details, fullText, title, type AlertEvent } from '../event.js';
import type { Channel, Field } from './channel.js';
import { endpointUrl, safeJson, truncate, USER_AGENT } from './common.js';

// Alert API: https://docs.opsgenie.com/docs/alert-api — its end of life is 2027-04-05; keep
// --api-url editable so users can point it at the Jira Service Management equivalent.
const LIMITS = { message: 130, alias: 512, description: 15_000 };
const REGIONS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;
const PRIORITY = { critical: 'P1', unreachable: 'P2', warning: 'P3', ok: 'P5' } as const;

const schema = z.object({
  apiKey: z
    .string({ error: 'is required: the API key of an Opsgenie API integration' })
    .regex(/^[0-9a-fA-F-]{32,40}$/, { message: 'is not an Opsgenie API key (a UUID like 0a1b2c3d-…)' }),
  region: z.enum(['us', 'eu'], { error: 'must be us or eu' }).default('us'),
  apiUrl: endpointUrl('the API URL').optional(),
});

export type OpsgenieConfig = z.output<typeof schema>;

const fields: Field[] = [
  {
    key: 'apiKey',
    flag: 'api-key',
    label: 'API key',
    kind: 'text',
    secret: true,
    header: 'raw',
    help: 'The API key of an Opsgenie "API" integration (Create and Update access).',
  },
  {
    key: 'region',
    flag: 'region',
    label: 'Region',
    kind: 'select',
    options: ['us', 'eu'],
    help: 'The region of your Opsgenie account.',
  },
  {
    key: 'apiUrl',
    flag: 'api-url',
    label: 'API URL',
    kind: 'url',
    help: 'Overrides the region (a proxy, or the Jira Service Management equivalent).',
  },
];

/** One alert per host and disk: the alias de-duplicates repeats, and closes it on the all-clear. */
const aliasOf = (e: AlertEvent) =>
  truncate(e.test ? `headroom-test/${e.host}/${e.id}` : alertKey(e), LIMITS.alias).text;

export const opsgenie: Channel<OpsgenieConfig> = {
  type: 'opsgenie',
  label: 'Opsgenie',
  aliases: [],
  fields,
  schema,

  render(event, config): HttpRequest {
    const base = (config.apiUrl ?? REGIONS[config.region]).replace(/\/$/, '');
    const headers = {
      'content-type': 'application/json',
      authorization: `GenieKey ${config.apiKey}`,
      'user-agent': USER_AGENT,
    };
    if (event.to === 'ok') {
      // identifierType=alias is required: the default identifier is Opsgenie's own alert id.
      return {
        method: 'POST',
        url: `${base}/v2/alerts/${encodeURIComponent(aliasOf(event))}/close?identifierType=alias`,
        headers,
        body: JSON.stringify({ source: 'Headroom', user: 'Headroom', note: title(event) }),
      };
    }
    return {
      method: 'POST',
      url: `${base}/v2/alerts`,
      headers,
      body: JSON.stringify({
        message: truncate(title(event), LIMITS.message).text,
        alias: aliasOf(event),
        description: truncate(`${details(event)}\n\n${fullText(event)}`, LIMITS.description).text,
        priority: event.test ? 'P5' : PRIORITY[event.to],
        tags: ['headroom', 'disk', event.to, ...(event.test ? ['test'] : [])],
        details: {
          host: event.host,
          mount: event.mount,
          state: event.to,
          previousState: event.from,
          freePercent: event.freePercent === null ? 'unknown' : event.freePercent.toFixed(2),
          ...(event.reason ? { reason: event.reason } : {}),
        },
        entity: `${event.host}:${event.mount}`,
        source: 'Headroom',
      }),
    };
  },

  classify(res, _event, _config, now) {
    const json = safeJson(res.body) as { message?: string; errors?: Record<string, string> } | undefined;
    if (res.status === 422) {
      const why = json?.errors
        ? Object.entries(json.errors)
            .map(([k, v]) => `${k}: ${v}`)
            .join('; ')
        : (json?.message ?? '');
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `Opsgenie rejected the alert (HTTP 422): ${why}`,
      };
    }
    if (res.status === 429) {
      const http = classifyStatus(res, now);
      const period = Number(res.headers['x-ratelimit-period-in-sec']);
      return http.kind === 'retry' && !http.retryAfterMs && period > 0
        ? { ...http, retryAfterMs: period * 1000 }
        : http;
    }
    const http = classifyStatus(res, now);
    // 202 means queued: Opsgenie processes requests asynchronously.
    return http.kind === 'delivered'
      ? { kind: 'delivered', note: 'accepted (Opsgenie processes it asynchronously)' }
      : http;
  },

  preview(event) {
    const message = truncate(title(event), LIMITS.message);
    return { title: message.text, text: fullText(event), truncated: message.truncated };
  },
};
