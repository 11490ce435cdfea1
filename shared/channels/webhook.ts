import { z } from 'zod';
import { classifyStatus, type HttpRequest } from '../delivery.js';
import { details, fullText, severityOf, title, type AlertEvent } from '../event.js';
import { hmacBase64, sharedKeyProblem, signDetached } from '../jws.js';
import type { Channel, Field } from './channel.js';
import { endpointUrl, headerLines, parseHeaderLines, pem, safeJson, USER_AGENT } from './common.js';

export const WEBHOOK_AUTH = ['none', 'basic', 'bearer', 'mtls'] as const;

const schema = z
  .object({
    url: endpointUrl(),
    sharedKey: z
      .string()
      .optional()
      .superRefine((k, ctx) => {
        const problem = k === undefined ? null : sharedKeyProblem(k);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    headers: headerLines,
    auth: z.enum(WEBHOOK_AUTH, { error: `must be one of ${WEBHOOK_AUTH.join(', ')}` }).default('none'),
    user: z.string().optional(),
    password: z.string().optional(),
    token: z.string().optional(),
    cert: pem('certificate').optional(),
    key: pem('private key').optional(),
    ca: pem('CA certificate').optional(),
    challengeSecret: z.string().min(1, { error: 'cannot be empty' }).optional(),
  })
  .superRefine((c, ctx) => {
    const need = (key: keyof typeof c, why: string) => {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: why });
    };
    if (c.auth === 'basic') {
      need('user', 'is required with --auth basic');
      need('password', 'is required with --auth basic');
      if (c.user?.includes(':'))
        ctx.addIssue({
          code: 'custom',
          path: ['user'],
          message: 'cannot contain ":" (Basic auth separates user and password with it)',
        });
    }
    if (c.auth === 'bearer') need('token', 'is required with --auth bearer');
    if (c.auth === 'mtls') {
      need('cert', 'is required with --auth mtls: the client certificate (PEM file)');
      need('key', 'is required with --auth mtls: the client private key (PEM file)');
    }
  });

export type WebhookConfig = z.output<typeof schema>;

const fields: Field[] = [
  {
    key: 'url',
    flag: 'url',
    label: 'URL',
    kind: 'url',
    help: 'Where the JSON is POSTed. HTTPS (plain HTTP only to this machine).',
    placeholder: 'https://example.com/hooks/disk',
  },
  {
    key: 'sharedKey',
    flag: 'shared-key',
    label: 'Shared key',
    kind: 'text',
    secret: true,
    help: 'Signs each request: X-JWS-Signature (RFC 7797, HS256). Base64url, at least 32 bytes.',
  },
  {
    key: 'headers',
    flag: 'header',
    label: 'Extra headers',
    kind: 'list',
    secret: true,
    help: 'Added to every request, as "Name: value".',
  },
  {
    key: 'auth',
    flag: 'auth',
    label: 'Authentication',
    kind: 'select',
    options: WEBHOOK_AUTH,
    help: 'none, Basic (user + password), Bearer token, or mutual TLS (client certificate).',
  },
  { key: 'user', flag: 'user', label: 'User', kind: 'text', help: 'Basic auth user name.' },
  {
    key: 'password',
    flag: 'password',
    label: 'Password',
    kind: 'text',
    secret: true,
    help: 'Basic auth password.',
  },
  {
    key: 'token',
    flag: 'token',
    label: 'Bearer token',
    kind: 'text',
    secret: true,
    help: 'Sent as "Authorization: Bearer <token>".',
  },
  { key: 'cert', flag: 'cert', label: 'Client certificate', kind: 'pem', help: 'PEM file, for mutual TLS.' },
  {
    key: 'key',
    flag: 'key',
    label: 'Client key',
    kind: 'pem',
    secret: true,
    help: 'PEM file, for mutual TLS.',
  },
  {
    key: 'ca',
    flag: 'ca',
    label: 'CA certificate',
    kind: 'pem',
    help: 'PEM file: trust a private CA for this receiver.',
  },
  {
    key: 'challengeSecret',
    flag: 'challenge-secret',
    label: 'Challenge secret',
    kind: 'text',
    secret: true,
    help: 'Validation sends GET ?crc_token=… and expects {"response_token":"sha256=<base64 HMAC>"} within 5 s.',
  },
];

function authHeaders(c: WebhookConfig): Record<string, string> {
  if (c.auth === 'basic') return { authorization: `Basic ${btoa(`${c.user}:${c.password}`)}` };
  if (c.auth === 'bearer') return { authorization: `Bearer ${c.token}` };
  return {};
}

function tlsOf(c: WebhookConfig): HttpRequest['tls'] {
  const tls = { ca: c.ca, ...(c.auth === 'mtls' ? { cert: c.cert, key: c.key } : {}) };
  return tls.ca || tls.cert ? tls : undefined;
}

/** Netdata Cloud's webhook schema, filled for a disk; both the 2023 and the 2024 field names. */
export function webhookBody(e: AlertEvent) {
  const severity = severityOf(e);
  const alert =
    e.to === 'unreachable' || (e.to === 'ok' && e.from === 'unreachable')
      ? 'disk_unreachable'
      : 'disk_space_usage';
  return {
    message: title(e),
    alarm: alert,
    alert,
    info: details(e),
    chart: `disk_space.${e.mount}`,
    context: 'disk.space',
    space: e.host,
    rooms: {},
    family: e.mount,
    class: alert === 'disk_unreachable' ? 'Errors' : 'Utilization',
    // Netdata has no "unreachable" severity: an unreachable disk is a warning about that disk.
    severity: severity === 'unreachable' ? 'warning' : severity,
    date: new Date(e.at).toISOString(),
    duration: e.durationSeconds,
    additional_active_critical_alerts: e.otherCritical,
    additional_active_warning_alerts: e.otherWarning,
    alarm_url: '',
    alert_url: '',
    headroom: {
      id: e.id,
      host: e.host,
      mount: e.mount,
      filesystem: e.fs,
      type: e.type,
      from: e.from,
      to: e.to,
      freePercent: e.freePercent,
      availableBytes: e.available,
      usableBytes: e.usable,
      ...(e.reason ? { reason: e.reason } : {}),
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

  async render(event, config) {
    const body = JSON.stringify(webhookBody(event));
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

  preview(event) {
    return { title: title(event), text: fullText(event), truncated: false };
  },

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
