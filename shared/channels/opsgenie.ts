import * as z from 'zod';
import { classifyStatus, type HttpRequest, type HttpResponse, type Outcome } from '../http-outcome.js';
import { alertKey, details, fullText, title, type AlertEvent } from '../event.js';
import { roundPercent } from '../format.js';
import type { Channel, FollowUp, Step } from './channel.js';
import { apiUrlSetting, linkSetting, regionSetting, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';
import { fitEvent } from './fit.js';
import { cut, shortenKey, type Limits } from './limits.js';

// Alert API: https://docs.opsgenie.com/docs/alert-api — its end of life is 2027-04-05; keep
// --api-url editable so users can point it at the Jira Service Management equivalent.
// The limits are the "Create Alert" and "Close Alert" tables of that page.
const limits = {
  text: {
    message: 130,
    description: 15_000,
    entity: 512,
    source: 100,
    user: 100,
    note: 25_000,
    'tags[]': 50,
  },
  items: { tags: 20 },
  keys: { alias: 512 },
  // "details: … limited to 8000 characters" (keys and values together).
  sums: [{ paths: ['details.*'], max: 8000 }],
} as const satisfies Limits;
/** Our own share of the 8000 for each value in details (six values at most). */
const DETAIL_VALUE = 1000;
const REGIONS = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;
const PRIORITY = { critical: 'P1', unreachable: 'P2', warning: 'P3', ok: 'P5' } as const;

const { schema, fields } = channelSettings({
  apiKey: {
    type: () =>
      z
        .string({ error: 'is required: the API key of an Opsgenie API integration' })
        .regex(/^[0-9a-fA-F-]{32,40}$/, { message: 'is not an Opsgenie API key (a UUID like 0a1b2c3d-…)' }),
    field: {
      flag: 'api-key',
      label: 'API key',
      kind: 'text',
      secret: true,
      header: 'raw',
      help: 'The API key of an Opsgenie "API" integration (Create and Update access).',
    },
  },
  ...regionSetting('The region of your Opsgenie account.'),
  ...apiUrlSetting('Overrides the region (a proxy, or the Jira Service Management equivalent).'),
  ...linkSetting,
});

export type OpsgenieConfig = z.output<typeof schema>;

/** One alert per host and disk: the alias de-duplicates repeats, and closes it on the all-clear. */
const aliasOf = (e: AlertEvent) =>
  shortenKey(e.test ? `headroom-test/${e.host}/${e.id}` : alertKey(e), limits.keys.alias);

const baseOf = (c: OpsgenieConfig) => (c.apiUrl ?? REGIONS[c.region]).replace(/\/$/, '');
const headersOf = (c: OpsgenieConfig) => ({
  'content-type': 'application/json',
  authorization: `GenieKey ${c.apiKey}`,
  'user-agent': USER_AGENT,
});

/**
 * Opsgenie de-duplicates a create on the alias of an open alert and keeps its priority: a warning
 * that turns critical stays P3 unless the priority is updated. So a change between warning,
 * critical and unreachable updates it (up or down) after the create.
 */
const changesPriority = (e: AlertEvent) => !e.test && e.from !== 'ok' && e.to !== 'ok' && e.from !== e.to;

/**
 * Every write answers 202 and is processed later; GET /v2/alerts/requests/{id} tells how it went
 * (https://docs.opsgenie.com/docs/alert-api#get-request-status): 404 while it is still queued.
 */
function requestStatus(config: OpsgenieConfig, write: Step, event: AlertEvent): FollowUp | null {
  const requestId = (safeJson(write.response.body) as { requestId?: unknown } | undefined)?.requestId;
  if (typeof requestId !== 'string') return null;
  const { 'content-type': _, ...headers } = headersOf(config);
  const closing = /\/close\?/.test(write.request.url);
  // A priority update, once processed, is told by its priority: its status would repeat the create's.
  const priority = /\/priority\?/.test(write.request.url)
    ? (safeJson(write.request.body ?? '') as { priority?: string } | undefined)?.priority
    : undefined;
  return {
    request: {
      method: 'GET',
      url: `${baseOf(config)}/v2/alerts/requests/${encodeURIComponent(requestId)}`,
      headers,
    },
    // Usually processed within a second: 0.25 + 0.5 + 1 + 2 s, then the delivery is retried.
    poll: { times: 5, delayMs: 250 },
    classify(res: HttpResponse, now: number): Outcome {
      if (res.status === 404)
        return {
          kind: 'retry',
          reason: 'vendorError',
          message: 'Opsgenie has not processed the request yet (it queues every write)',
        };
      if (res.status !== 200) return opsgenie.classify(res, event, config, now);
      const data = (safeJson(res.body) as { data?: { isSuccess?: boolean; status?: string } } | undefined)
        ?.data;
      const status = data?.status ?? 'no status given';
      if (data?.isSuccess === true)
        return { kind: 'delivered', note: priority ? `priority set to ${priority}` : `Opsgenie: ${status}` };
      // Closing an alert that is already closed (or was never created) leaves nothing open.
      if (closing && /already closed|does ?n[o']t exist|not found/i.test(status))
        return { kind: 'delivered', note: `Opsgenie: ${status} (nothing was open)` };
      return { kind: 'failed', reason: 'vendorError', message: `Opsgenie could not process it: ${status}` };
    },
  };
}

export const opsgenie: Channel<OpsgenieConfig> = {
  type: 'opsgenie',
  label: 'Opsgenie',
  aliases: [],
  fields,
  schema,
  limits,
  traits: { pages: true, deduplicates: 'alias' },

  render(event, config): HttpRequest {
    const base = baseOf(config);
    const headers = headersOf(config);
    if (event.to === 'ok') {
      // identifierType=alias is required: the default identifier is Opsgenie's own alert id.
      return {
        method: 'POST',
        url: `${base}/v2/alerts/${encodeURIComponent(aliasOf(event))}/close?identifierType=alias`,
        headers,
        body: JSON.stringify({
          source: 'Headroom',
          user: 'Headroom',
          note: fitEvent(event, title, limits.text.note).text,
        }),
      };
    }
    return {
      method: 'POST',
      url: `${base}/v2/alerts`,
      headers,
      body: JSON.stringify({
        message: fitEvent(event, title, limits.text.message).text,
        alias: aliasOf(event),
        // The message is the title: the description gives the rest, once.
        description: fitEvent(event, details, limits.text.description).text,
        priority: event.test ? 'P5' : PRIORITY[event.to],
        tags: ['headroom', 'disk', event.to, ...(event.test ? ['test'] : [])],
        details: {
          host: cut(event.host, DETAIL_VALUE),
          mount: cut(event.mount, DETAIL_VALUE),
          state: event.to,
          previousState: event.from,
          // Two decimals, but never rounded onto a whole threshold (19.999 is not "20.00").
          freePercent: event.freePercent === null ? 'unknown' : String(roundPercent(event.freePercent)),
          ...(event.reason ? { reason: cut(event.reason, DETAIL_VALUE) } : {}),
          // The Alert API has no link field: a URL in details shows as a link.
          ...(config.linkUrl ? { link: config.linkUrl } : {}),
        },
        entity: fitEvent(event, (e) => `${e.host}:${e.mount}`, limits.text.entity).text,
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
    // 202 means queued: the request status (a follow-up) says whether it worked.
    const followed = typeof (json as { requestId?: unknown } | undefined)?.requestId === 'string';
    return http.kind === 'delivered' && !followed
      ? { kind: 'delivered', note: 'accepted; Opsgenie gave no request id to follow up' }
      : http;
  },

  followUp(event, config, steps) {
    const last = steps.at(-1)!;
    if (last.request.method !== 'GET') return requestStatus(config, last, event);
    // The create was processed: raise (or lower) the open alert's priority, then check that too.
    const writes = steps.filter((s) => s.request.method !== 'GET');
    if (writes.length !== 1 || !changesPriority(event)) return null;
    const priority = PRIORITY[event.to];
    return {
      request: {
        method: 'PUT',
        url: `${baseOf(config)}/v2/alerts/${encodeURIComponent(aliasOf(event))}/priority?identifierType=alias`,
        headers: headersOf(config),
        body: JSON.stringify({ priority }),
      },
      // Accepted is not done: its request status says "priority set to …" once processed.
      classify: (res, now) => opsgenie.classify(res, event, config, now),
    };
  },

  shown: (event) => ({ title: fitEvent(event, title, limits.text.message).text, text: fullText(event) }),
};
