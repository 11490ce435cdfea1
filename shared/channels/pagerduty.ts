import * as z from 'zod';
import { ALERT_KINDS } from '../alert-kinds.js';
import { classifyStatus, type HttpRequest } from '../http-outcome.js';
import { alertKey, fullText, title, type AlertEvent } from '../event.js';
import { roundPercent } from '../format.js';
import { describeThresholds } from '../thresholds.js';
import type { Channel } from './channel.js';
import { apiUrlSetting, linkSetting, regionSetting, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';
import { fitEvent } from './fit.js';
import { shortenKey, type Limits } from './limits.js';

// Events API v2: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ — summary
// "maximum of 1024 characters", dedup_key "maximum permitted length … 255 characters".
const limits = {
  text: { 'payload.summary': 1024 },
  keys: { dedup_key: 255 },
} as const satisfies Limits;
const REGIONS = { us: 'https://events.pagerduty.com', eu: 'https://events.eu.pagerduty.com' } as const;

const { schema, fields } = channelSettings({
  routingKey: {
    type: () =>
      z
        .string({ error: 'is required: the 32-character Integration Key of an Events API v2 integration' })
        .superRefine((key, ctx) => {
          if (key.length !== 32)
            ctx.addIssue({ code: 'custom', message: `must be 32 characters, got ${key.length}` });
          else if (!/^[A-Za-z0-9]+$/.test(key))
            ctx.addIssue({
              code: 'custom',
              message:
                'must be letters and digits only (the Integration Key of an Events API v2 integration)',
            });
        }),
    field: {
      flag: 'routing-key',
      label: 'Integration key',
      kind: 'text',
      secret: true,
      help: 'The 32-character Integration Key (routing key) of an Events API v2 integration.',
    },
  },
  ...regionSetting('The service region of your PagerDuty account.'),
  ...apiUrlSetting(
    'Overrides the region: a gateway or proxy in front of events.pagerduty.com (its base, or the whole …/v2/enqueue URL).',
  ),
  ...linkSetting,
});

export type PagerDutyConfig = z.output<typeof schema>;

const SEVERITY = { critical: 'critical', warning: 'warning', unreachable: 'error', ok: 'info' } as const;

function body(e: AlertEvent, key: string, link: string | undefined) {
  // One incident per host and disk: warning → critical updates it, the all-clear resolves it.
  // A test gets its own key so it never touches a real incident.
  const dedup_key = shortenKey(
    e.test ? `headroom-test/${e.host}/${e.id}` : alertKey(e),
    limits.keys.dedup_key,
  );
  if (e.to === 'ok') return { routing_key: key, event_action: 'resolve', dedup_key };
  return {
    routing_key: key,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: fitEvent(e, title, limits.text['payload.summary']).text,
      source: e.host,
      severity: e.test ? 'info' : SEVERITY[e.to],
      timestamp: new Date(e.at).toISOString(),
      component: e.mount,
      group: 'disks',
      class: e.to === 'unreachable' ? 'disk_unreachable' : ALERT_KINDS[e.kind].vendors.pagerduty,
      custom_details: {
        mount: e.mount,
        filesystem: `${e.type} on ${e.fs}`,
        free_percent: e.freePercent === null ? null : roundPercent(e.freePercent),
        available_bytes: e.available,
        usable_bytes: e.usable,
        previous_state: e.from,
        thresholds: describeThresholds(e.thresholds, e.kind),
        ...(e.inodes
          ? { inodes_free_percent: roundPercent(e.inodes.freePercent), inodes_free: e.inodes.free }
          : {}),
        ...(e.reason ? { reason: e.reason } : {}),
        // A late message that sums up held changes says so: the summary text is not shown.
        ...(e.held ? { held: e.held } : {}),
        ...(e.usage ? { grew_most: e.usage.lines } : {}),
        ...(e.forecast?.secondsToFull != null
          ? {
              seconds_to_full: Math.round(e.forecast.secondsToFull),
              fill_rate_bytes_per_sec: Math.round(e.forecast.fillRateBytesPerSec!),
            }
          : {}),
      },
    },
    client: 'Headroom',
    // Shown on the alert and the incident: where to look next.
    ...(link ? { client_url: link, links: [{ href: link, text: 'Headroom' }] } : {}),
  };
}

export const pagerduty: Channel<PagerDutyConfig> = {
  type: 'pagerduty',
  label: 'PagerDuty',
  aliases: ['health.pagerduty'],
  fields,
  schema,
  limits,
  traits: { pages: true, deduplicates: 'dedup_key' },

  render(event, config): HttpRequest {
    // A gateway's base, or the whole endpoint as PagerDuty documents it (…/v2/enqueue): either works.
    const base = (config.apiUrl ?? REGIONS[config.region]).replace(/(\/v2\/enqueue)?\/*$/, '');
    return {
      method: 'POST',
      url: `${base}/v2/enqueue`,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify(body(event, config.routingKey, config.linkUrl)),
    };
  },

  classify(res, event, _config, now) {
    if (res.status === 400) {
      const json = safeJson(res.body) as { message?: string; errors?: string[] } | undefined;
      const why = json?.errors?.length ? json.errors.join('; ') : (json?.message ?? 'invalid event');
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `PagerDuty rejected the event (HTTP 400): ${why}`,
      };
    }
    const http = classifyStatus(res, now);
    if (http.kind !== 'delivered') return http;
    // 202 also for a resolve that matched no open incident: nothing to resolve is not a failure.
    return event.to === 'ok'
      ? { kind: 'delivered', note: 'resolve accepted (PagerDuty ignores it if no incident is open)' }
      : http;
  },

  shown: (event) => ({
    title: fitEvent(event, title, limits.text['payload.summary']).text,
    text: fullText(event),
  }),
};
