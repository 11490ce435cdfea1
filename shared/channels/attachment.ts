import { details, facts, fullText, title, type AlertEvent } from '../event.js';
import { hexColor, STATE_COLORS } from './common.js';
import { neutralizeMentions, type Escape } from './markup.js';

/**
 * The Slack-compatible attachment that Mattermost and Rocket.Chat incoming webhooks both render:
 * a coloured card with the title, the details and one field per fact. The text and the field
 * values are Markdown (escaped in the service's dialect); the fallback (notifications) and the
 * title are shown as plain text, so they only lose their mentions.
 */
export function attachmentOf(e: AlertEvent, escape: Escape, link: string | undefined) {
  return {
    fallback: neutralizeMentions(fullText(e)),
    color: hexColor(STATE_COLORS[e.to]),
    title: neutralizeMentions(title(e)),
    ...(link ? { title_link: link } : {}),
    text: escape(details(e)),
    fields: facts(e).map((f) => ({ title: f.label, value: escape(f.value), short: f.label !== 'Free' })),
  };
}
