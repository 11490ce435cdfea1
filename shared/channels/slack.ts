import { z } from 'zod';
import { classifyStatus, type HttpRequest, type Outcome } from '../delivery.js';
import { details, facts, fullText, title, type AlertEvent } from '../event.js';
import type { Channel, Field } from './channel.js';
import { bodyText, endpointUrl, escapeMrkdwn, safeJson, truncate, USER_AGENT } from './common.js';

// Block Kit limits: https://api.slack.com/reference/block-kit/blocks
const LIMITS = { headerText: 150, sectionText: 3000, fallbackText: 3000 };

const schema = z
  .object({
    token: z
      .string()
      .regex(/^xox[abpe]-[\w-]+$/, {
        message: 'is not a Slack token: the Bot User OAuth Token starts with xoxb-',
      })
      .optional(),
    channel: z
      .string()
      .regex(/^(#[a-z0-9_.-]{1,80}|[CGD][A-Z0-9]{6,})$/, {
        message: 'must be a channel name like #ops-alerts or an ID like C0123ABCD',
      })
      .optional(),
    webhookUrl: endpointUrl('the webhook URL').optional(),
    apiUrl: endpointUrl('the API URL').default('https://slack.com/api'),
  })
  .superRefine((c, ctx) => {
    if (c.webhookUrl && (c.token || c.channel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookUrl'],
        message: 'give either --webhook-url, or --token with --channel, not both',
      });
    } else if (!c.webhookUrl) {
      if (!c.token)
        ctx.addIssue({
          code: 'custom',
          path: ['token'],
          message: 'is required (or use --webhook-url for an incoming webhook)',
        });
      if (!c.channel)
        ctx.addIssue({
          code: 'custom',
          path: ['channel'],
          message: 'is required with --token: the channel the bot posts to',
        });
    }
  });

export type SlackConfig = z.output<typeof schema>;

const fields: Field[] = [
  {
    key: 'token',
    flag: 'token',
    label: 'Bot token',
    kind: 'text',
    secret: true,
    header: 'raw',
    help: 'Bot User OAuth Token (xoxb-…); the bot must be in the channel.',
  },
  {
    key: 'channel',
    flag: 'channel',
    label: 'Channel',
    kind: 'text',
    help: 'A channel name (#ops-alerts) or ID (C0123ABCD).',
    placeholder: '#ops-alerts',
  },
  {
    key: 'webhookUrl',
    flag: 'webhook-url',
    label: 'Incoming webhook URL',
    kind: 'url',
    secret: true,
    help: 'Instead of a bot: an incoming webhook (the URL is the secret).',
  },
  {
    key: 'apiUrl',
    flag: 'api-url',
    label: 'API URL',
    kind: 'url',
    help: 'Slack Web API base (default https://slack.com/api; GovSlack: https://slack-gov.com/api).',
  },
];

/** What Slack's error codes mean for the person reading the history. */
const EXPLAIN: Record<string, string> = {
  channel_not_found: 'the channel does not exist, or the bot cannot see it',
  not_in_channel: 'the bot is not in the channel: invite it with /invite @your-bot',
  is_archived: 'the channel is archived',
  channel_is_archived: 'the channel is archived',
  invalid_auth: 'the token is not valid',
  not_authed: 'no token was accepted',
  token_revoked: 'the token was revoked',
  token_expired: 'the token expired',
  account_inactive: 'the bot or its workspace was deactivated',
  missing_scope: 'the token lacks the chat:write scope',
  no_service: 'the webhook was removed or disabled',
  invalid_token: 'the webhook token is not valid',
  action_prohibited: 'an admin restricted posting to this channel',
  invalid_payload: 'Slack could not read the message',
  msg_too_long: 'the message was too long',
};
const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'invalid_token',
]);
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rollup_error',
]);

function slackError(code: string, status: number): Outcome {
  const message = `Slack answered "${code}"${EXPLAIN[code] ? `: ${EXPLAIN[code]}` : ''} (HTTP ${status})`;
  if (TRANSIENT.has(code)) return { kind: 'retry', reason: 'vendorError', message };
  return { kind: 'failed', reason: AUTH_ERRORS.has(code) ? 'authError' : 'vendorError', message };
}

function blocks(e: AlertEvent) {
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(title(e), LIMITS.headerText).text } },
    {
      type: 'section',
      fields: facts(e).map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${escapeMrkdwn(f.value)}` })),
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(details(e)), LIMITS.sectionText).text }],
    },
  ];
}

export const slack: Channel<SlackConfig> = {
  type: 'slack',
  label: 'Slack',
  aliases: ['health.slack'],
  fields,
  schema,

  render(event, config): HttpRequest {
    // `text` is what notifications and screen readers show: meaningful on its own.
    const text = truncate(fullText(event), LIMITS.fallbackText).text;
    if (config.webhookUrl) {
      return {
        method: 'POST',
        url: config.webhookUrl,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
        body: JSON.stringify({ text, blocks: blocks(event) }),
      };
    }
    return {
      method: 'POST',
      url: `${config.apiUrl.replace(/\/$/, '')}/chat.postMessage`,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${config.token}`,
        'user-agent': USER_AGENT,
      },
      body: JSON.stringify({ channel: config.channel, text, blocks: blocks(event), unfurl_links: false }),
    };
  },

  classify(res, _event, config, now) {
    if (config.webhookUrl) {
      // Incoming webhooks answer plain text: "ok", or an error code with a 4xx/5xx status.
      if (res.status >= 200 && res.status < 300) return { kind: 'delivered' };
      const code = bodyText(res.body);
      if (res.status === 429) return classifyStatus(res, now);
      return /^[a-z_]+$/.test(code) ? slackError(code, res.status) : classifyStatus(res, now);
    }
    // The Web API answers HTTP 200 for failures too: {"ok": false, "error": "…"}.
    const http = classifyStatus(res, now);
    if (http.kind !== 'delivered') return http;
    const json = safeJson(res.body) as { ok?: boolean; error?: string } | undefined;
    if (json?.ok === true) return { kind: 'delivered' };
    return slackError(json?.error ?? 'unreadable_reply', res.status);
  },

  preview(event) {
    const text = truncate(fullText(event), LIMITS.fallbackText);
    return { title: title(event), text: text.text, truncated: text.truncated };
  },

  check(config) {
    if (config.webhookUrl) return null; // an incoming webhook cannot be asked anything without posting
    return {
      request: {
        method: 'POST',
        url: `${config.apiUrl.replace(/\/$/, '')}/auth.test`,
        headers: { authorization: `Bearer ${config.token}`, 'user-agent': USER_AGENT },
      },
      timeoutMs: 10_000,
      verify(res) {
        const outcome = slack.classify(res, undefined as never, config, Date.now());
        if (outcome.kind !== 'delivered') return outcome;
        const who = safeJson(res.body) as { user?: string; team?: string };
        return {
          kind: 'delivered',
          note: `the token works: bot ${who.user ?? '?'} in workspace ${who.team ?? '?'}`,
        };
      },
    };
  },
};
