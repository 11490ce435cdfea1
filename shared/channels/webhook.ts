import * as z from 'zod';
import { ALERT_KINDS } from '../alert-kinds.js';
import { classifyStatus } from '../http-outcome.js';
import { details, severityOf, title, type AlertEvent } from '../event.js';
import { formatDuration } from '../format.js';
import { hmacBase64, sharedKeyProblem, signDetached } from '../jws.js';
import type { Channel } from './channel.js';
import { authHeaders, authSettings, checkAuth, inferAuth, tlsOf } from './auth.js';
import { endpointUrl, headerLines, linkSetting, parseHeaderLines, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';

const { schema, fields } = channelSettings(
  {
    url: {
      type: () => endpointUrl(),
      field: {
        flag: 'url',
        label: 'URL',
        kind: 'url',
        help: 'Where the JSON is POSTed. HTTPS (plain HTTP only to this machine).',
        placeholder: 'https://example.com/hooks/disk',
      },
    },
    sharedKey: {
      type: () =>
        z
          .string()
          .optional()
          .superRefine((k, ctx) => {
            const problem = k === undefined ? null : sharedKeyProblem(k);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
      field: {
        flag: 'shared-key',
        label: 'Shared key',
        kind: 'text',
        secret: true,
        help: 'Signs each request: X-JWS-Signature (RFC 7797, HS256). Base64url, at least 32 bytes.',
      },
    },
    headers: {
      type: () => headerLines,
      field: {
        flag: 'header',
        label: 'Extra headers',
        kind: 'list',
        secret: true,
        header: 'lines',
        help: 'Added to every request, as "Name: value".',
      },
    },
    ...authSettings,
    challengeSecret: {
      type: () => z.string().min(1, { error: 'cannot be empty' }).optional(),
      field: {
        flag: 'challenge-secret',
        label: 'Challenge secret',
        kind: 'text',
        secret: true,
        help: 'Validation sends GET ?crc_token=… and expects {"response_token":"sha256=<base64 HMAC>"} within 5 s.',
      },
    },
    ...linkSetting,
  },
  (object, fields) => z.preprocess(inferAuth(fields), object.superRefine(checkAuth)),
);

export type WebhookConfig = z.output<typeof schema>;

/**
 * How long the alert has been raised, as Netdata's schema has it (a string): nothing yet for a new
 * alert, else the time in the state it leaves or, for a reminder, holds ("30 min").
 */
function raisedFor(e: AlertEvent): string {
  const seconds = e.from === 'ok' && !e.reminder ? 0 : e.durationSeconds;
  return formatDuration(seconds * 1000);
}

/** Netdata Cloud's webhook schema, filled for a disk; both the 2023 and the 2024 field names. */
export function webhookBody(e: AlertEvent, link = '') {
  const severity = severityOf(e);
  const netdata = ALERT_KINDS[e.kind].vendors.netdata;
  const alert =
    e.to === 'unreachable' || (e.to === 'ok' && e.from === 'unreachable')
      ? 'disk_unreachable'
      : netdata.alert;
  return {
    message: title(e),
    alarm: alert,
    alert,
    info: details(e),
    // Netdata's own chart and context names for each kind (see ALERT_KINDS).
    chart: `${netdata.chart}.${e.mount}`,
    context: netdata.context,
    space: e.host,
    rooms: {},
    family: e.mount,
    class: alert === 'disk_unreachable' ? 'Errors' : 'Utilization',
    // Netdata has no "unreachable" severity: an unreachable disk is a warning about that disk.
    severity: severity === 'unreachable' ? 'warning' : severity,
    date: new Date(e.at).toISOString(),
    duration: raisedFor(e),
    additional_active_critical_alerts: e.otherCritical,
    additional_active_warning_alerts: e.otherWarning,
    alarm_url: link,
    alert_url: link,
    headroom: {
      id: e.id,
      host: e.host,
      mount: e.mount,
      kind: e.kind,
      filesystem: e.fs,
      type: e.type,
      from: e.from,
      to: e.to,
      freePercent: e.freePercent,
      durationSeconds: e.durationSeconds,
      availableBytes: e.available,
      usableBytes: e.usable,
      ...(e.inodes ? { inodes: e.inodes } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.reminder ? { reminder: true } : {}),
      ...(e.held ? { held: e.held } : {}),
      ...(e.forecast ? { forecast: e.forecast } : {}),
      ...(e.usage ? { usage: e.usage } : {}),
      ...(e.test ? { test: true } : {}),
    },
  };
}

export const webhook: Channel<WebhookConfig> = {
  type: 'webhook',
  label: 'Webhook',
  aliases: ['health.webhook'],
  fields,
  schema,
  // The receiver is the user's own: no vendor limits.
  limits: { text: {} },
  // Every request carries the delivery's id as Idempotency-Key, and docs/integrations.md asks receivers to
  // act once per key: at-least-once, as for the incident tools, rather than at most twice.
  traits: { deduplicates: 'the Idempotency-Key header' },

  async render(event, config) {
    // A body template of the integration's own (validated as JSON on save) replaces Netdata's.
    const body = event.custom?.body ?? JSON.stringify(webhookBody(event, config.linkUrl));
    const headers: Record<string, string> = {
      ...parseHeaderLines(config.headers),
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'idempotency-key': event.id,
      ...authHeaders(config),
    };
    if (config.sharedKey) headers['x-jws-signature'] = await signDetached(body, config.sharedKey);
    return { method: 'POST', url: config.url, headers, body, tls: tlsOf(config) };
  },

  classify: (response, _event, _config, now) => classifyStatus(response, now),

  check(config, nonce) {
    if (!config.challengeSecret) return null;
    const secret = config.challengeSecret;
    const url = new URL(config.url);
    url.searchParams.set('crc_token', nonce);
    return {
      request: {
        method: 'GET',
        url: url.toString(),
        headers: { ...parseHeaderLines(config.headers), 'user-agent': USER_AGENT, ...authHeaders(config) },
        tls: tlsOf(config),
      },
      timeoutMs: 5_000,
      async verify(res) {
        const fail = (message: string) => ({
          kind: 'failed' as const,
          reason: 'challengeFailed' as const,
          message,
        });
        if (res.status !== 200)
          return fail(`the challenge needs HTTP 200, the receiver answered ${res.status}`);
        const json = safeJson(res.body) as { response_token?: unknown } | undefined;
        if (typeof json?.response_token !== 'string') {
          return fail(
            'the challenge needs a JSON answer {"response_token": "sha256=…"}; the receiver sent something else',
          );
        }
        const expected = `sha256=${await hmacBase64(secret, nonce)}`;
        if (json.response_token !== expected) {
          return fail(
            'the response_token does not match: the receiver must answer "sha256=" + base64(HMAC-SHA256(challenge secret, crc_token))',
          );
        }
        return { kind: 'delivered', note: 'challenge answered correctly' };
      },
    };
  },
};
