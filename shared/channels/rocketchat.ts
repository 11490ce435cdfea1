import * as z from 'zod';
import { classifyStatus, type HttpRequest } from '../http-outcome.js';
import type { Channel } from './channel.js';
import { chatWebhookRequest, pictureSetting, postAsSetting, type ChatWebhook } from './chat-webhook.js';
import { endpointUrl, linkSetting, safeJson, USER_AGENT, webhookUrlSetting } from './common.js';
import { channelSettings } from './settings.js';
import type { Limits } from './limits.js';
import { escapeRocketChat } from './markup.js';

// Incoming webhooks: https://docs.rocket.chat/use-rocket.chat/workspace-administration/integrations
// A message's text is refused over Message_MaxAllowedSize, 5000 characters by default.
const limits = { text: { text: 5000 } } as const satisfies Limits;
const STYLE: ChatWebhook = { escape: escapeRocketChat, bold: '*', max: limits.text.text };
const { schema, fields } = channelSettings({
  ...webhookUrlSetting('https://<server>/hooks/<id>/<token> (the URL is the secret).', () =>
    endpointUrl('the webhook URL').refine((u) => /\/hooks\/[^/]+\/[^/]+/.test(new URL(u).pathname), {
      message: 'must be an incoming webhook URL: https://<server>/hooks/<id>/<token>',
    }),
  ),
  alias: postAsSetting('alias', 'The name shown on messages.'),
  emoji: {
    type: () =>
      z
        .string()
        .regex(/^:[\w+-]+:$/, { message: 'must be an emoji code like :floppy_disk:' })
        .optional(),
    field: {
      flag: 'emoji',
      label: 'Emoji',
      kind: 'text',
      help: 'An emoji used as avatar, like :floppy_disk:.',
    },
  },
  avatar: pictureSetting('avatar', 'Avatar URL', 'An image used as avatar.'),
  ...linkSetting,
});

export type RocketChatConfig = z.output<typeof schema>;

export const rocketchat: Channel<RocketChatConfig> = {
  type: 'rocketchat',
  label: 'Rocket.Chat',
  aliases: ['rocket.chat'],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    return chatWebhookRequest(STYLE, event, config.webhookUrl, config.linkUrl, {
      alias: config.alias,
      emoji: config.emoji,
      avatar: config.avatar,
    });
  },

  classify(res, _event, _config, now) {
    const json = safeJson(res.body) as { success?: boolean; error?: string } | undefined;
    if (res.status === 503) {
      // A disabled integration answers 503 too: it looks transient and is not, so retry briefly.
      return {
        kind: 'retry',
        reason: 'serverError',
        message:
          'Rocket.Chat answered 503: the server is busy, or the integration is disabled (Administration → Integrations)',
        maxAttempts: 5,
      };
    }
    if (json?.success === false) {
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `Rocket.Chat refused the message (HTTP ${res.status}): ${json.error ?? 'no reason given'}`,
      };
    }
    return classifyStatus(res, now);
  },

  check(config) {
    // /hooks/info/<id>/<token> checks the id and token without posting.
    const url = new URL(config.webhookUrl);
    url.pathname = url.pathname.replace(/\/hooks\//, '/hooks/info/');
    return {
      request: { method: 'GET', url: url.toString(), headers: { 'user-agent': USER_AGENT } },
      timeoutMs: 10_000,
      verify(res) {
        const json = safeJson(res.body) as { success?: boolean } | undefined;
        if (res.status === 200 && json?.success === true)
          return { kind: 'delivered', note: 'Rocket.Chat knows this webhook and its token' };
        return rocketchat.classify(
          res.status === 200 ? { ...res, body: '{"success":false,"error":"unexpected answer"}' } : res,
          undefined as never,
          config,
          Date.now(),
        );
      },
    };
  },
};
