import { z } from 'zod';
import { classifyStatus, type HttpRequest } from '../delivery.js';
import { details, facts, fullText, title } from '../event.js';
import type { Channel, Field } from './channel.js';
import { endpointUrl, safeJson, STATE_COLORS, truncate, USER_AGENT, webhookUrlField } from './common.js';

// Execute Webhook: https://discord.com/developers/docs/resources/webhook#execute-webhook
const LIMITS = { content: 2000, title: 256, description: 4096, threadName: 100 };

const schema = z.object({
  webhookUrl: endpointUrl('the webhook URL'),
  threadName: z
    .string()
    .trim()
    .min(1, { error: 'cannot be empty' })
    .max(LIMITS.threadName, { error: `must be at most ${LIMITS.threadName} characters` })
    .optional(),
});

export type DiscordConfig = z.output<typeof schema>;

const fields: Field[] = [
  webhookUrlField('Server Settings → Integrations → Webhooks → Copy Webhook URL (the URL is the secret).'),
  {
    key: 'threadName',
    flag: 'thread-name',
    label: 'Thread name',
    kind: 'text',
    help: 'For a forum channel: the post each alert is made in (Discord requires one).',
  },
];

export const discord: Channel<DiscordConfig> = {
  type: 'discord',
  label: 'Discord',
  aliases: [],
  fields,
  schema,

  render(event, config): HttpRequest {
    const url = new URL(config.webhookUrl);
    // Without wait=true a 204 does not prove the message was saved.
    url.searchParams.set('wait', 'true');
    const embed = {
      title: truncate(title(event), LIMITS.title).text,
      description: truncate(details(event), LIMITS.description).text,
      color: STATE_COLORS[event.to],
      fields: facts(event).map((f) => ({ name: f.label, value: f.value, inline: f.label !== 'Free' })),
      timestamp: new Date(event.at).toISOString(),
      footer: { text: 'Headroom' },
    };
    return {
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify({
        content: truncate(title(event), LIMITS.content).text,
        embeds: [embed],
        // A mount named "@everyone" must not ping a whole server.
        allowed_mentions: { parse: [] },
        ...(config.threadName ? { thread_name: config.threadName } : {}),
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

  preview(event) {
    const content = truncate(title(event), LIMITS.content);
    return { title: content.text, text: fullText(event), truncated: content.truncated };
  },

  check(config) {
    // GET on the webhook URL returns the webhook (name, channel) without posting anything.
    return {
      request: { method: 'GET', url: config.webhookUrl, headers: { 'user-agent': USER_AGENT } },
      timeoutMs: 10_000,
      verify(res) {
        const outcome = discord.classify(res, undefined as never, config, Date.now());
        if (outcome.kind !== 'delivered') return outcome;
        const hook = safeJson(res.body) as { name?: string; channel_id?: string } | undefined;
        return {
          kind: 'delivered',
          note: `the webhook exists: "${hook?.name ?? '?'}" in channel ${hook?.channel_id ?? '?'}`,
        };
      },
    };
  },
};
