import * as z from 'zod';
import type { HttpRequest } from '../http-outcome.js';
import { details, fullText, title, type AlertEvent } from '../event.js';
import type { Channel, RemoteCheck } from './channel.js';
import { addressAlone, apiUrlSetting, endpointUrl, linkSetting, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';
import { fitEvent } from './fit.js';
import type { Limits } from './limits.js';
import { escapeTelegramHtml, escapeTelegramMarkdown, escapeWithin, type Escape } from './markup.js';
import { telegramOutcome, type TelegramAnswer } from './telegram-errors.js';

// sendMessage: https://core.telegram.org/bots/api#sendmessage — "Text of the message to be sent,
// 1-4096 characters after entities parsing". The text is kept within 4096 as sent, markup and
// escapes included: the text left after parsing is never longer, so it is within the limit too.
const limits = { text: { text: 4096 } } as const satisfies Limits;
/** The bold first line: a long mount must leave room for the figures below it. */
const TITLE_MAX = 1024;
/** The link, on its own last line. */
const LINK_MAX = 2048;

const TELEGRAM_API = 'https://api.telegram.org';

/**
 * Formatting options: https://core.telegram.org/bots/api#formatting-options. HTML is the default:
 * it has three characters to escape where MarkdownV2 has eighteen, and a character left
 * unescaped makes Telegram refuse the whole message ("can't parse entities"), so the alert with it.
 */
const DIALECTS = {
  HTML: { escape: escapeTelegramHtml, bold: (s: string) => `<b>${s}</b>` },
  MarkdownV2: { escape: escapeTelegramMarkdown, bold: (s: string) => `*${s}*` },
} satisfies Record<string, { escape: Escape; bold: (s: string) => string }>;
const PARSE_MODES = Object.keys(DIALECTS) as (keyof typeof DIALECTS)[];

/** An ID written as a JSON number (a policy file, getUpdates' `"chat":{"id":-100…}` pasted), as text. */
const numberAsText = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v);

/**
 * A Bot API server's address, with any base path of a proxy in front of it: a path with /bot… in
 * it is a request URL pasted whole (step 3 of the docs opens …/bot<token>/getUpdates), which
 * would put the token in the stored, listed URL and make every request's path wrong.
 */
const botApiUrl = endpointUrl('the API URL')
  .refine(
    (value) =>
      !URL.canParse(value) || !new URL(value).pathname.split('/').some((p) => /^bot(?![a-z])/i.test(p)),
    {
      message: addressAlone(
        "https://api.telegram.org or a local server's http://127.0.0.1:8081",
        '/bot…: the bot token goes in --token',
      ),
    },
  )
  .optional();

const { schema, fields } = channelSettings({
  token: {
    // https://core.telegram.org/bots/api#authorizing-your-bot: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11".
    type: () =>
      z
        .string({ error: 'is required: the token @BotFather gave the bot' })
        .trim()
        .regex(/^\d{1,20}:[A-Za-z0-9_-]{20,}$/, {
          message: 'is not a Telegram bot token: @BotFather gives one like 123456789:AAE…',
        }),
    field: {
      flag: 'token',
      label: 'Bot token',
      kind: 'text',
      secret: true,
      help: "@BotFather's token for the bot, 123456789:AAE… (/newbot makes one; /mybots shows it again).",
    },
  },
  chatId: {
    // https://core.telegram.org/bots/api#sendmessage: "Unique identifier for the target chat or
    // username of the target channel (in the format @channelusername)".
    type: () =>
      z.preprocess(
        numberAsText,
        z
          .string({ error: 'is required: the chat the bot posts to' })
          .trim()
          .superRefine((id, ctx) => {
            if (/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/.test(id)) return;
            // A channel's name without its "@" is the likeliest slip: offer it with one.
            const named = /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(id) ? `; for a public channel, "@${id}"` : '';
            ctx.addIssue({
              code: 'custom',
              message: `must be a numeric chat id (a person's, a group's -…, a supergroup's or channel's -100…) or a public channel's @username${named}`,
            });
          }),
      ),
    field: {
      flag: 'chat-id',
      label: 'Chat ID',
      kind: 'text',
      help: 'The chat to post to: -1001234567890 for a supergroup or channel (getUpdates shows it), or @channelname.',
      placeholder: '-1001234567890',
    },
  },
  topicId: {
    type: () =>
      z.preprocess(
        numberAsText,
        z
          .string()
          .trim()
          .regex(/^[1-9]\d{0,9}$/, { message: 'must be the numeric ID of a topic (message_thread_id)' })
          .optional(),
      ),
    field: {
      flag: 'topic-id',
      label: 'Topic ID',
      kind: 'text',
      help: "Optional: in a group with topics, the topic to post in (the number after the group's ID in a message link).",
    },
  },
  parseMode: {
    type: () => z.enum(PARSE_MODES, { error: `must be ${PARSE_MODES.join(' or ')}` }).default('HTML'),
    field: {
      flag: 'parse-mode',
      label: 'Formatting',
      kind: 'select',
      options: PARSE_MODES,
      help: "How the message's bold title is marked up; both show the same (HTML needs the fewest escapes).",
    },
  },
  apiUrl: {
    ...apiUrlSetting(
      'Bot API server (default https://api.telegram.org; or your own telegram-bot-api server).',
    ).apiUrl,
    type: () => botApiUrl,
  },
  ...linkSetting,
});

export type TelegramConfig = z.output<typeof schema>;

/** `/bot<token>/<method>`: the token is in the path (https://core.telegram.org/bots/api#making-requests). */
const methodUrl = (c: TelegramConfig, method: string) =>
  `${(c.apiUrl ?? TELEGRAM_API).replace(/\/$/, '')}/bot${c.token}/${method}`;

const post = (c: TelegramConfig, method: string, body: unknown): HttpRequest => ({
  method: 'POST',
  url: methodUrl(c, method),
  headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT },
  body: JSON.stringify(body),
});

/** The bold title, the figures below it, the link last: all within 4096 as sent. */
function messageText(e: AlertEvent, c: TelegramConfig): string {
  const { escape, bold } = DIALECTS[c.parseMode];
  const head = bold(fitEvent(e, title, TITLE_MAX, escape).text);
  // Shown as the address itself, which Telegram links where it can: Telegram checks the URL of an
  // inline button, and one to a local address (localhost, grafana.lan) could cost the alert.
  // An "@" in it (https://example.social/@ops) is a URL's, not a mention: it is left whole (a
  // stored link is percent-encoded, so no zero-width space of its own can be in it).
  const link = c.linkUrl
    ? `\n${escapeWithin(c.linkUrl, LINK_MAX, escape).text.replace(/@\u200b/g, '@')}`
    : '';
  const room = limits.text.text - head.length - link.length - 1;
  return `${head}\n${fitEvent(e, details, room, escape).text}${link}`;
}

/** The alert's first message, when this is a later one in the same chat (see `threadOf`). */
function replyTo(e: AlertEvent, c: TelegramConfig) {
  const to = e.thread?.chat === c.chatId ? Number(e.thread.messageId) : NaN;
  // "Pass True if the message should be sent even if the specified replied-to message is not
  // found" (ReplyParameters): a deleted alert message must not cost its all-clear.
  return Number.isSafeInteger(to)
    ? { reply_parameters: { message_id: to, allow_sending_without_reply: true } }
    : {};
}

/** getChat, asked once getMe has shown the token works. */
function chatCheck(config: TelegramConfig, bot: string): RemoteCheck {
  return {
    request: post(config, 'getChat', { chat_id: config.chatId }),
    timeoutMs: 10_000,
    verify(res) {
      const outcome = telegramOutcome(res, Date.now());
      if (outcome.kind !== 'delivered')
        return outcome.kind === 'failed'
          ? { ...outcome, message: `${bot}; but ${outcome.message}` }
          : outcome;
      const chat = (safeJson(res.body) as TelegramAnswer | undefined)?.result as
        { type?: unknown; title?: unknown; username?: unknown } | undefined;
      const name =
        typeof chat?.title === 'string'
          ? ` "${chat.title}"`
          : typeof chat?.username === 'string'
            ? ` @${chat.username}`
            : '';
      const type = typeof chat?.type === 'string' ? ` (${chat.type})` : '';
      return {
        kind: 'delivered',
        note: `${bot}, and it sees the chat${name}${type}; whether it may post there shows only when it posts (Send test)`,
      };
    },
  };
}

export const telegram: Channel<TelegramConfig> = {
  type: 'telegram',
  label: 'Telegram',
  aliases: [],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    return post(config, 'sendMessage', {
      chat_id: config.chatId,
      ...(config.topicId ? { message_thread_id: Number(config.topicId) } : {}),
      text: messageText(event, config),
      parse_mode: config.parseMode,
      // A preview of the link would be larger than the alert itself.
      link_preview_options: { is_disabled: true },
      ...replyTo(event, config),
    });
  },

  classify: (res, _event, _config, now) => telegramOutcome(res, now),

  // sendMessage answers the Message: its message_id, which the alert's later messages reply to.
  // The chat is the configured one: a reply is made only while the chat ID stays the same.
  threadOf(res, _event, config) {
    const result = (safeJson(res.body) as TelegramAnswer | undefined)?.result as
      { message_id?: unknown } | undefined;
    return typeof result?.message_id === 'number'
      ? { chat: config.chatId, messageId: String(result.message_id) }
      : null;
  },

  shown: (event) => ({ title: fitEvent(event, title, TITLE_MAX).text, text: fullText(event) }),

  // getMe (https://core.telegram.org/bots/api#getme): the token works, and whose it is; then getChat.
  check(config) {
    return {
      request: { method: 'GET', url: methodUrl(config, 'getMe'), headers: { 'user-agent': USER_AGENT } },
      timeoutMs: 10_000,
      verify: (res) => {
        const outcome = telegramOutcome(res, Date.now());
        return outcome.kind === 'delivered' ? { kind: 'delivered', note: botOf(res.body) } : outcome;
      },
      next: (res) => chatCheck(config, botOf(res.body)),
    };
  },
};

function botOf(body: string): string {
  const bot = (safeJson(body) as TelegramAnswer | undefined)?.result as { username?: unknown } | undefined;
  return `the token works: bot @${typeof bot?.username === 'string' ? bot.username : '?'}`;
}
