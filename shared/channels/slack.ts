import * as z from 'zod';
import { classifyStatus, type HttpRequest } from '../http-outcome.js';
import { details, facts, fullText, title, type AlertEvent } from '../event.js';
import type { Channel } from './channel.js';
import { apiUrlSetting, bodyText, endpointUrl, linkSetting, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';
import { fitEvent } from './fit.js';
import type { Limits } from './limits.js';
import { escapeSlack, neutralizeMentions } from './markup.js';
import { slackError } from './slack-errors.js';

// Block Kit: https://api.slack.com/reference/block-kit/blocks (header text 150, section fields 10
// of 2000 each, context elements 10, 50 blocks); chat.postMessage: "text … truncated at 40,000".
const limits = {
  text: {
    text: 40_000,
    'blocks[0].text.text': 150,
    'blocks[1].fields[].text': 2000,
    'blocks[2].elements[].text': 3000,
  },
  items: { blocks: 50, 'blocks[1].fields': 10, 'blocks[2].elements': 10 },
} as const satisfies Limits;
/** The notification text: the title and the figures, not a wall of text on a lock screen. */
const FALLBACK = 3000;

const SLACK_API = 'https://slack.com/api';

const { schema, fields } = channelSettings(
  {
    token: {
      type: () =>
        z
          .string()
          .regex(/^xox[abpe]-[\w-]+$/, {
            message: 'is not a Slack token: the Bot User OAuth Token starts with xoxb-',
          })
          .optional(),
      field: {
        flag: 'token',
        label: 'Bot token',
        kind: 'text',
        secret: true,
        header: 'raw',
        help: 'Bot User OAuth Token (xoxb-…); the bot must be in the channel.',
      },
    },
    channel: {
      type: () =>
        z
          .string()
          .regex(/^(#[a-z0-9_.-]{1,80}|[CGD][A-Z0-9]{6,})$/, {
            message: 'must be a channel name like #ops-alerts or an ID like C0123ABCD',
          })
          .optional(),
      field: {
        flag: 'channel',
        label: 'Channel',
        kind: 'text',
        help: 'A channel name (#ops-alerts) or ID (C0123ABCD).',
        placeholder: '#ops-alerts',
      },
    },
    webhookUrl: {
      type: () => endpointUrl('the webhook URL').optional(),
      field: {
        flag: 'webhook-url',
        label: 'Incoming webhook URL',
        kind: 'url',
        secret: true,
        help: 'Instead of a bot: an incoming webhook (the URL is the secret).',
      },
    },
    // The bot's: an incoming webhook posts to its own URL.
    ...apiUrlSetting(
      'Slack Web API base (default https://slack.com/api; GovSlack: https://slack-gov.com/api).',
      { key: 'webhookUrl', in: [''] },
    ),
    ...linkSetting,
  },
  (object) =>
    object
      .superRefine((c, ctx) => {
        // The default API URL is let through: integrations saved before were given it by default.
        if (c.webhookUrl && c.apiUrl && c.apiUrl !== SLACK_API)
          ctx.addIssue({
            code: 'custom',
            path: ['apiUrl'],
            message: "is the bot's (--token): an incoming webhook posts to its own URL; remove it",
          });
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
      })
      // The API URL is the bot's: an incoming webhook posts to its own URL, so it has none to show.
      .transform(({ apiUrl, ...c }): typeof c & { apiUrl?: string } =>
        c.webhookUrl ? c : { ...c, apiUrl: apiUrl ?? SLACK_API },
      ),
);

export type SlackConfig = z.output<typeof schema>;

const apiBase = (c: SlackConfig) => (c.apiUrl ?? SLACK_API).replace(/\/$/, '');

/**
 * The channel, or the alert's thread once it has one: its later messages are replies, and one
 * that turns critical is also shown in the channel (reply_broadcast).
 */
function where(e: AlertEvent, config: SlackConfig) {
  if (!e.thread) return { channel: config.channel };
  return {
    channel: e.thread.channel,
    thread_ts: e.thread.ts,
    ...(e.to === 'critical' ? { reply_broadcast: true } : {}),
  };
}

/**
 * `<url|host>`: a link in mrkdwn. Inside the brackets `&`, `<` and `>` are entities and `|` would
 * end the URL, so it is percent-encoded.
 */
function slackLink(link: string): string {
  const url = link.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return `<${url}|${escapeSlack(new URL(link).host)}>`;
}

/** Every text from the disk or a template goes through escapeSlack: it formats and pings nothing. */
function blocks(e: AlertEvent, link: string | undefined) {
  const t = limits.text;
  const mrkdwn = (text: (e: AlertEvent) => string, max: number) => fitEvent(e, text, max, escapeSlack).text;
  return [
    {
      type: 'header',
      // plain_text is shown as is: only mentions (and emoji codes) could still come alive.
      text: {
        type: 'plain_text',
        text: fitEvent(e, title, t['blocks[0].text.text'], neutralizeMentions).text,
        emoji: false,
      },
    },
    {
      type: 'section',
      fields: facts(e).map((f, i) => {
        const label = `*${f.label}*\n`;
        const value = (x: AlertEvent) => facts(x)[i]!.value;
        return { type: 'mrkdwn', text: label + mrkdwn(value, t['blocks[1].fields[].text'] - label.length) };
      }),
    },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: mrkdwn(details, t['blocks[2].elements[].text']) },
        ...(link ? [{ type: 'mrkdwn', text: slackLink(link) }] : []),
      ],
    },
  ];
}

export const slack: Channel<SlackConfig> = {
  type: 'slack',
  label: 'Slack',
  aliases: ['health.slack'],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    // `text` is what notifications and screen readers show: meaningful on its own. It is mrkdwn
    // too: a mount named "/mnt/<!channel>" would otherwise ping the whole channel.
    const text = fitEvent(event, fullText, Math.min(FALLBACK, limits.text.text), escapeSlack).text;
    if (config.webhookUrl) {
      return {
        method: 'POST',
        url: config.webhookUrl,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
        body: JSON.stringify({ text, blocks: blocks(event, config.linkUrl) }),
      };
    }
    return {
      method: 'POST',
      url: `${apiBase(config)}/chat.postMessage`,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${config.token}`,
        'user-agent': USER_AGENT,
      },
      body: JSON.stringify({
        ...where(event, config),
        text,
        blocks: blocks(event, config.linkUrl),
        unfurl_links: false,
      }),
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

  // chat.postMessage answers the channel's ID and the message's ts: the alert's thread. The ID,
  // not the name the user gave: a channel can be renamed while its alert is open.
  threadOf(res, _event, config) {
    if (config.webhookUrl) return null; // an incoming webhook answers "ok", nothing to thread on
    const json = safeJson(res.body) as { channel?: unknown; ts?: unknown } | undefined;
    return typeof json?.channel === 'string' && typeof json.ts === 'string'
      ? { channel: json.channel, ts: json.ts }
      : null;
  },

  // The notification text, as a lock screen shows it.
  shown: (event) => ({ title: title(event), text: fitEvent(event, fullText, FALLBACK).text }),

  check(config) {
    if (config.webhookUrl) return null; // an incoming webhook cannot be asked anything without posting
    return {
      request: {
        method: 'POST',
        url: `${apiBase(config)}/auth.test`,
        headers: { authorization: `Bearer ${config.token}`, 'user-agent': USER_AGENT },
      },
      timeoutMs: 10_000,
      verify(res) {
        const outcome = slack.classify(res, undefined as never, config, Date.now());
        if (outcome.kind !== 'delivered') return outcome;
        const who = safeJson(res.body) as { user?: string; team?: string };
        return {
          kind: 'delivered',
          note:
            `the token works: bot ${who.user ?? '?'} in workspace ${who.team ?? '?'}; ` +
            `whether it may post in ${config.channel} shows only when it posts (Send test)`,
        };
      },
    };
  },
};
