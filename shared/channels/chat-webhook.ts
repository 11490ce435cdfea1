import * as z from 'zod';
import type { HttpRequest } from '../http-outcome.js';
import { title, type AlertEvent } from '../event.js';
import { attachmentOf } from './attachment.js';
import { endpointUrl, USER_AGENT } from './common.js';
import { fitEvent } from './fit.js';
import type { Escape } from './markup.js';
import type { Setting } from './settings.js';

/**
 * The incoming webhook that Mattermost and Rocket.Chat both took from Slack's: a bold first line
 * (the title) and a coloured card (`attachmentOf`), posted as JSON to the webhook's URL.
 */
export interface ChatWebhook {
  /** The service's Markdown: how a text is escaped, and what makes it bold (`**`, `*`). */
  escape: Escape;
  bold: string;
  /** The most characters the message's text may have. */
  max: number;
}

/** The bold first line, cut to what the service takes (its title's variable parts first). */
function headline(style: ChatWebhook, event: AlertEvent) {
  return fitEvent(event, title, style.max - 2 * style.bold.length, style.escape);
}

/**
 * The request; `overrides` are the service's own optional fields (the channel, the name and
 * icon to post as), sent only when set.
 */
export function chatWebhookRequest(
  style: ChatWebhook,
  event: AlertEvent,
  url: string,
  link: string | undefined,
  overrides: Record<string, string | undefined>,
): HttpRequest {
  const set = Object.entries(overrides).filter(([, value]) => value);
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
    body: JSON.stringify({
      text: `${style.bold}${headline(style, event).text}${style.bold}`,
      attachments: [attachmentOf(event, style.escape, link)],
      ...Object.fromEntries(set),
    }),
  };
}

/** "Post as": the name a post appears from, where the webhook lets a message choose it. */
export const postAsSetting = (flag: string, help: string) =>
  ({
    type: () => z.string().trim().min(1, { error: 'cannot be empty' }).optional(),
    field: { flag, label: 'Post as', kind: 'text', help },
  }) satisfies Setting;

/** The picture a post appears with: an image's URL (`label`, e.g. "Icon URL"). */
export const pictureSetting = (flag: string, label: string, help: string) =>
  ({
    type: () => endpointUrl(`the ${label[0]!.toLowerCase()}${label.slice(1)}`).optional(),
    field: { flag, label, kind: 'url', help },
  }) satisfies Setting;
