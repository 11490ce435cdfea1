import { classifyStatus, type HttpResponse, type Outcome } from '../http-outcome.js';
import { bodyText, safeJson } from './common.js';

/**
 * Every Bot API answer (https://core.telegram.org/bots/api#making-requests): `{"ok": true,
 * "result": …}`, or `{"ok": false, "error_code": N, "description": "…"}` with the same HTTP
 * status, and sometimes `parameters` (ResponseParameters: `retry_after` seconds on a 429, and
 * `migrate_to_chat_id` when a group became a supergroup).
 */
export interface TelegramAnswer {
  ok?: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/**
 * What Telegram's descriptions mean, and what to do about them. The Bot API documents no list of
 * them; these are the answers bots get and quote ("Forbidden: bot was blocked by the user", "Bad
 * Request: group chat was upgraded to a supergroup chat"), matched loosely as wording varies.
 */
const EXPLAIN: [RegExp, string][] = [
  [
    /chat not found/i,
    'no chat has this chat id, or the bot cannot see it: check the chat id (see getUpdates in the docs), ' +
      'add the bot to the group or channel, or for a private chat press Start in the chat with the bot',
  ],
  [
    /blocked by the user/i,
    'the user blocked the bot: they must open the chat with it and press Restart (or unblock it)',
  ],
  [
    /not a member|kicked|was removed/i,
    'the bot is not in this group or channel: add it again (in a channel, as an administrator allowed to post)',
  ],
  [/initiate conversation/i, 'a bot cannot write first: the user must open the chat with it and press Start'],
  [/user is deactivated/i, "the user's account was deleted"],
  [
    /not enough rights|administrator rights|have no rights|CHAT_WRITE_FORBIDDEN/i,
    'the bot may not post in this chat: make it an administrator allowed to post, or let members send messages',
  ],
  [
    /thread not found|TOPIC_(CLOSED|DELETED)|TOPIC_ID_INVALID/i,
    'the topic does not exist or is closed: check the topic ID (message thread ID), or leave it empty',
  ],
];

/** A fault of Headroom's own message (escaping, length): never the user's to fix in the settings. */
const OURS = /can't parse entities|message is too long|text is too long|text must be non-empty/i;

/**
 * A Bot API answer as an outcome, in words that say what to fix. A reply that is not the Bot
 * API's JSON (a proxy's error page) is classified by its HTTP status alone.
 */
export function telegramOutcome(res: HttpResponse, now: number): Outcome {
  const json = safeJson(res.body) as TelegramAnswer | undefined;
  const ok = res.status >= 200 && res.status < 300;
  if (json?.ok === true && ok) return { kind: 'delivered' };
  if (typeof json?.ok !== 'boolean') {
    const http = classifyStatus(res, now);
    if (!ok) return http;
    return {
      kind: 'failed',
      reason: 'vendorError',
      message: `the answer is not the Bot API's (HTTP ${res.status}: ${bodyText(res.body) || 'empty'}): check the API URL`,
    };
  }
  const code = json.error_code ?? res.status;
  const description = json.description ?? 'no description';
  const said = `Telegram answered ${code} "${description}"`;
  const after = json.parameters?.retry_after;
  if (code === 429 || res.status === 429) {
    const http = classifyStatus({ ...res, status: 429 }, now);
    return {
      kind: 'retry',
      reason: 'rateLimited',
      message: `${said}: too many messages; Headroom waits as long as Telegram asks`,
      // https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this: wait
      // exactly retry_after seconds (the header says the same, when there is one).
      retryAfterMs:
        typeof after === 'number' ? after * 1000 : http.kind === 'retry' ? http.retryAfterMs : undefined,
    };
  }
  const migrated = json.parameters?.migrate_to_chat_id;
  if (migrated !== undefined) {
    return {
      kind: 'failed',
      reason: 'configError',
      message: `${said}: the group was upgraded to a supergroup, whose chat id is ${migrated}; set the chat id to ${migrated}`,
    };
  }
  if (code >= 500 || code === 408)
    return { kind: 'retry', reason: code === 408 ? 'timeout' : 'serverError', message: said };
  if (code === 401)
    return {
      kind: 'failed',
      reason: 'authError',
      message: `${said}: the bot token is not valid; check the bot token (@BotFather's /mybots shows it)`,
    };
  if (code === 404)
    return {
      kind: 'failed',
      reason: 'clientError',
      message: `${said}: no such bot or method here; check the bot token and the API URL`,
    };
  if (OURS.test(description))
    return {
      kind: 'failed',
      reason: 'internalError',
      message: `${said}: Headroom's message was malformed, a bug in Headroom (please report it); the other parse mode may work meanwhile`,
    };
  const fix = EXPLAIN.find(([pattern]) => pattern.test(description))?.[1];
  return { kind: 'failed', reason: 'vendorError', message: fix ? `${said}: ${fix}` : said };
}
