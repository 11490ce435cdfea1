import * as z from 'zod';
import { classifyStatus, type HttpRequest } from '../http-outcome.js';
import type { Channel } from './channel.js';
import { chatWebhookRequest, pictureSetting, postAsSetting, type ChatWebhook } from './chat-webhook.js';
import { bodyText, endpointUrl, linkSetting, webhookUrlSetting } from './common.js';
import { channelSettings } from './settings.js';
import type { Limits } from './limits.js';
import { escapeMattermost } from './markup.js';

// Incoming webhooks: https://developers.mattermost.com/integrate/webhooks/incoming/ — a post's
// message holds at most 16383 characters (PostMessageMaxRunesV2).
const limits = { text: { text: 16_383 } } as const satisfies Limits;
const STYLE: ChatWebhook = { escape: escapeMattermost, bold: '**', max: limits.text.text };

const { schema, fields } = channelSettings({
  ...webhookUrlSetting('https://<server>/hooks/<id> (the URL is the secret).', () =>
    endpointUrl('the webhook URL'),
  ),
  channel: {
    type: () => z.string().trim().min(1, { error: 'cannot be empty' }).optional(),
    field: {
      flag: 'channel',
      label: 'Channel',
      kind: 'text',
      help: "Overrides the webhook's channel (if the webhook allows it): town-square, or @user.",
    },
  },
  username: postAsSetting('username', "Overrides the poster's name (if the server allows it)."),
  iconUrl: pictureSetting('icon-url', 'Icon URL', "Overrides the poster's icon."),
  ...linkSetting,
});

export type MattermostConfig = z.output<typeof schema>;

export const mattermost: Channel<MattermostConfig> = {
  type: 'mattermost',
  label: 'Mattermost',
  aliases: [],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    return chatWebhookRequest(STYLE, event, config.webhookUrl, config.linkUrl, {
      channel: config.channel,
      username: config.username,
      icon_url: config.iconUrl,
    });
  },

  classify(res, _event, _config, now) {
    // 501: incoming webhooks are disabled on the server — permanent, although a 5xx.
    if (res.status === 501) {
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: 'Mattermost has incoming webhooks disabled (HTTP 501): an admin must enable them',
      };
    }
    if (res.status === 400) {
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `Mattermost rejected the message (HTTP 400): ${bodyText(res.body) || 'invalid payload or unknown webhook'}`,
      };
    }
    return classifyStatus(res, now);
  },
};
