import * as z from 'zod';
import { classifyStatus, type HttpRequest } from '../http-outcome.js';
import { details, facts, fullText, title, type AlertEvent } from '../event.js';
import type { Channel } from './channel.js';
import { endpointUrl, linkSetting, safeJson, STATE_COLORS, USER_AGENT, webhookUrlSetting } from './common.js';
import { channelSettings } from './settings.js';
import { fitEvent } from './fit.js';
import { cut, type Limits } from './limits.js';
import { escapeDiscord } from './markup.js';

// Execute Webhook: https://discord.com/developers/docs/resources/webhook#execute-webhook, and the
// embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const EMBED_TEXTS = [
  'embeds[].title',
  'embeds[].description',
  'embeds[].fields[].name',
  'embeds[].fields[].value',
  'embeds[].footer.text',
] as const;
const limits = {
  text: {
    content: 2000,
    thread_name: 100,
    'embeds[].title': 256,
    'embeds[].description': 4096,
    'embeds[].fields[].name': 256,
    'embeds[].fields[].value': 1024,
    'embeds[].footer.text': 2048,
  },
  items: { embeds: 10, 'embeds[].fields': 25 },
  // "The combined sum of characters in all title, description, field.name, field.value,
  // footer.text, and author.name fields across all embeds attached to a message must not exceed 6000".
  sums: [{ paths: EMBED_TEXTS, max: 6000 }],
} as const satisfies Limits;

const { schema, fields } = channelSettings({
  ...webhookUrlSetting(
    'Server Settings → Integrations → Webhooks → Copy Webhook URL (the URL is the secret).',
    () => endpointUrl('the webhook URL'),
  ),
  threadName: {
    type: () =>
      z
        .string()
        .trim()
        .min(1, { error: 'cannot be empty' })
        .max(limits.text.thread_name, { error: `must be at most ${limits.text.thread_name} characters` })
        .optional(),
    field: {
      flag: 'thread-name',
      label: 'Thread name',
      kind: 'text',
      help: 'For a forum channel: the post each alert is made in (Discord requires one).',
    },
  },
  ...linkSetting,
});

export type DiscordConfig = z.output<typeof schema>;

export const discord: Channel<DiscordConfig> = {
  type: 'discord',
  label: 'Discord',
  aliases: [],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    const url = new URL(config.webhookUrl);
    // Without wait=true a 204 does not prove the message was saved.
    url.searchParams.set('wait', 'true');
    // A forum post already made for this alert: its follow-ups go there, not into a new post.
    const thread = event.thread?.threadId;
    if (thread) url.searchParams.set('thread_id', thread);
    const t = limits.text;
    // Every text from the disk or a template is escaped Markdown: it formats nothing.
    const md = (text: (e: AlertEvent) => string, max: number) =>
      fitEvent(event, text, max, escapeDiscord).text;
    const embedTitle = md(title, t['embeds[].title']);
    const embedFields = facts(event).map((f, i) => ({
      name: cut(f.label, t['embeds[].fields[].name']),
      value: md((e) => facts(e)[i]!.value, t['embeds[].fields[].value']),
      inline: f.label !== 'Free',
    }));
    const footer = { text: 'Headroom' };
    // The description gets what the 6000 of the whole embed leaves.
    const used = [embedTitle, footer.text, ...embedFields.flatMap((f) => [f.name, f.value])];
    const room = limits.sums[0].max - used.reduce((n, s) => n + s.length, 0);
    const embed = {
      title: embedTitle,
      // The title links there.
      ...(config.linkUrl ? { url: config.linkUrl } : {}),
      description: md(details, Math.min(t['embeds[].description'], room)),
      color: STATE_COLORS[event.to],
      fields: embedFields,
      timestamp: new Date(event.at).toISOString(),
      footer,
    };
    return {
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify({
        content: md(title, t.content),
        embeds: [embed],
        // A mount named "@everyone" must not ping a whole server.
        allowed_mentions: { parse: [] },
        ...(config.threadName && !thread ? { thread_name: config.threadName } : {}),
      }),
    };
  },

  classify(res, _event, _config, now) {
    const json = safeJson(res.body) as { message?: string; code?: number; retry_after?: number } | undefined;
    if (res.status === 429) {
      // The JSON retry_after (seconds, float) is more precise than the header.
      const after = typeof json?.retry_after === 'number' ? Math.ceil(json.retry_after * 1000) : undefined;
      const http = classifyStatus(res, now);
      return http.kind === 'retry'
        ? { ...http, message: 'Discord rate limit (HTTP 429)', retryAfterMs: after ?? http.retryAfterMs }
        : http;
    }
    if (res.status === 404 && json?.code === 10015) {
      return {
        kind: 'failed',
        reason: 'vendorError',
        message:
          'Discord: Unknown Webhook (10015): the webhook was deleted; create a new one and edit this integration',
      };
    }
    if (res.status === 400 && json?.message) {
      const forum = /thread_name|forum/i.test(res.body) ? ' (a forum channel needs --thread-name)' : '';
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `Discord rejected the message (HTTP 400): ${json.message}${forum}`,
      };
    }
    return classifyStatus(res, now);
  },

  // With wait=true the answer is the message; in a forum, its channel_id is the post it opened.
  threadOf(res, _event, config) {
    if (!config.threadName) return null;
    const json = safeJson(res.body) as { channel_id?: unknown } | undefined;
    return typeof json?.channel_id === 'string' ? { threadId: json.channel_id } : null;
  },

  shown: (event) => ({ title: fitEvent(event, title, limits.text.content).text, text: fullText(event) }),

  check(config) {
    // GET on the webhook URL returns the webhook (name, channel) without posting anything.
    return {
      request: { method: 'GET', url: config.webhookUrl, headers: { 'user-agent': USER_AGENT } },
      timeoutMs: 10_000,
      verify(res) {
        const outcome = discord.classify(res, undefined as never, config, Date.now());
        if (outcome.kind !== 'delivered') return outcome;
        // Discord may leave out (or null) the name and the channel: say only what it told.
        const hook = safeJson(res.body) as { name?: unknown; channel_id?: unknown } | undefined;
        const name = typeof hook?.name === 'string' && hook.name ? ` "${hook.name}"` : '';
        const channel =
          typeof hook?.channel_id === 'string' ? ` and posts to channel ${hook.channel_id}` : '';
        return { kind: 'delivered', note: `the webhook${name} exists${channel}` };
      },
    };
  },
};
