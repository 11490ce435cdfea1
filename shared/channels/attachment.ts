import { details, facts, fullText, title, type AlertEvent } from '../event.js';
import { hexColor, STATE_COLORS } from './common.js';

/**
 * The Slack-compatible attachment that Mattermost and Rocket.Chat incoming webhooks both render:
 * a coloured card with the title, the details and one field per fact.
 */
export function attachmentOf(e: AlertEvent) {
  return {
    fallback: fullText(e),
    color: hexColor(STATE_COLORS[e.to]),
    title: title(e),
    text: details(e),
    fields: facts(e).map((f) => ({ title: f.label, value: f.value, short: f.label !== 'Free' })),
  };
}
