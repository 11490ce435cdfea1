import { truncate } from './limits.js';

/**
 * Text from a disk (its mount point, file system, error) or a template, made inert in each chat
 * service's markup: it shows as written, formats nothing and pings nobody. Headroom adds its own
 * markup (a bold label, a link) around text escaped here, never inside it.
 */
export type Escape = (text: string) => string;

/** U+200B ZERO WIDTH SPACE: invisible, and it breaks the word a mention or a marker needs. */
const ZWSP = '\u200b';

/**
 * `@here`, `@channel`, `@everyone`, `@all`, `@alice`: every chat service has some of these, and
 * Mattermost and Rocket.Chat notify on a bare `@name` in a webhook's post. A zero-width space
 * after an "@" that starts a word leaves the text readable and matches no mention (an e-mail
 * address, whose "@" is inside a word, is left alone).
 */
export const neutralizeMentions: Escape = (text) =>
  text.replace(/(?<![\p{L}\p{N}])@(?=[\p{L}\p{N}_.-])/gu, `@${ZWSP}`);

/**
 * Slack mrkdwn (https://docs.slack.dev/messaging/formatting-message-text#escaping): `&`, `<` and
 * `>` as entities, as Slack asks, which also disarms `<!channel>`, `<@U…>` and `<url|text>`.
 * Slack has no escape for `*`, `_`, `~` and `` ` ``; they format only at a word's edge, so a
 * zero-width space goes before those that sit at one (`my_data_disk` keeps its underscores).
 */
export const escapeSlack: Escape = (text) =>
  neutralizeMentions(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu, `${ZWSP}$&`),
  );

/**
 * Markdown with backslash escapes (CommonMark, which Mattermost follows, and Discord's own
 * flavour): a backslash before each character that starts a construct inside a line — emphasis,
 * code, strike-through, links, spoilers and Discord's `<@id>`, `<#id>` and `<t:…>` (Discord pings
 * are also off through allowed_mentions). Characters that matter only at the start of a line
 * (`#`, `-`, `1.`) are left alone: escaped text is never put at one. `:` and `-` stay as they are
 * so that a URL in a template is still linked.
 */
const backslashed =
  (specials: RegExp): Escape =>
  (text) =>
    neutralizeMentions(text.replace(specials, '\\$&'));

/** Mattermost Markdown (https://docs.mattermost.com/collaborate/format-messages.html); `&` starts an entity. */
export const escapeMattermost = backslashed(/[\\`*_~[\]<>|&]/g);

/** Discord Markdown: https://support.discord.com/hc/en-us/articles/210298617 */
export const escapeDiscord = backslashed(/[\\`*_~[\]<>|]/g);

/**
 * Rocket.Chat's message parser has no escape character: like Slack, a zero-width space goes
 * before the markers at a word's edge, and before `[`, `<` and `#` that would start a link, a
 * `<url|text>` or a channel link (https://docs.rocket.chat/docs/message-formatting).
 */
export const escapeRocketChat: Escape = (text) =>
  neutralizeMentions(
    text.replace(/(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])|[[<]|#(?=[\p{L}\p{N}_-])/gu, `${ZWSP}$&`),
  );

/**
 * Telegram's MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style): "any character with
 * code between 1 and 126 inclusively can be escaped anywhere with a preceding '\'", and each of
 * `_ * [ ] ( ) ~ \` > # + - = | { } . !` must be, anywhere, or the whole message is refused
 * ("can't parse entities"). Mentions are broken first: an `@name` in a group notifies that user.
 */
export const escapeTelegramMarkdown: Escape = (text) =>
  neutralizeMentions(text).replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');

/**
 * Telegram's HTML (https://core.telegram.org/bots/api#html-style): "All <, > and & symbols that
 * are not a part of a tag or an HTML entity must be replaced with the corresponding HTML entities".
 */
export const escapeTelegramHtml: Escape = (text) =>
  neutralizeMentions(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));

/**
 * Escaped, then cut to `max` characters without splitting an escape: the longest cut of the raw
 * text whose escaped form fits, searched for (escaping lengthens a text by anything from nothing
 * to five times, so no single guess from the excess is right). To keep a message's words and
 * figures, cut its variable parts instead: `fitEvent`.
 */
export function escapeWithin(
  text: string,
  max: number,
  escape: Escape,
): { text: string; truncated: boolean } {
  const whole = escape(text);
  if (whole.length <= max) return { text: whole, truncated: false };
  let lo = 1;
  let hi = Math.min(text.length - 1, max);
  let best: string | undefined;
  while (lo <= hi) {
    const budget = Math.floor((lo + hi) / 2);
    const escaped = escape(truncate(text, budget).text);
    if (escaped.length <= max) {
      best = escaped;
      lo = budget + 1;
    } else hi = budget - 1;
  }
  return { text: best ?? (max >= 1 ? '…' : ''), truncated: true };
}

/**
 * HTML text and attribute values (the e-mail channel's HTML part): the five characters that start
 * markup or end an attribute, as entities. Nothing else is special in a text node.
 */
export const escapeHtml: Escape = (text) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
