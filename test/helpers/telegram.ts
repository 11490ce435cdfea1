import type { Received, Reply } from './receiver.js';
import { vendorJson } from './openapi.js';

/**
 * Telegram's two markups, parsed as strictly as the Bot API server does
 * (https://core.telegram.org/bots/api#formatting-options): the text a person sees, or the
 * reason Telegram gives for refusing it ("can't parse entities: …"). Written from the docs,
 * independently of the escaping code.
 */
const RESERVED = '_*[]()~`>#+-=|{}.!';

/** MarkdownV2: entities *bold* _italic_ __underline__ ~strike~ ||spoiler|| `code` [text](url). */
export function parseMarkdownV2(text: string): string {
  let shown = '';
  const open: string[] = [];
  const toggle = (marker: string) => {
    if (open.at(-1) === marker) open.pop();
    else if (open.includes(marker)) throw new Error(`can't parse entities: entity ${marker} is not nested`);
    else open.push(marker);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text.charCodeAt(i + 1);
      // "Any character with code between 1 and 126 inclusively can be escaped anywhere".
      if (!(next >= 1 && next <= 126)) throw new Error(`can't parse entities: bad escape at ${i}`);
      shown += text[++i];
    } else if (c === '`') {
      // Inside code only ` and \ are escaped, and must be.
      let j = i + 1;
      for (; j < text.length && text[j] !== '`'; j++) {
        if (text[j] === '\\') j++;
        shown += text[j] ?? '';
      }
      if (j >= text.length) throw new Error("can't parse entities: can't find end of Code entity");
      i = j;
    } else if ((c === '_' || c === '|') && text[i + 1] === c) toggle(c + text[++i]);
    else if (c === '*' || c === '_' || c === '~') toggle(c);
    else if (c === '[') open.push('[');
    else if (c === ']' && open.at(-1) === '[' && text[i + 1] === '(') {
      open.pop();
      const end = text.indexOf(')', i);
      if (end < 0) throw new Error("can't parse entities: can't find end of a URL");
      i = end;
    } else if (c === '>' && (i === 0 || text[i - 1] === '\n'))
      continue; // a blockquote line
    else if (RESERVED.includes(c))
      throw new Error(
        `can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`,
      );
    else shown += c;
  }
  if (open.length) throw new Error(`can't parse entities: can't find end of the entity ${open.at(-1)}`);
  return shown;
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'tg-spoiler',
  'blockquote',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** HTML: the documented tags, properly nested; `<`, `>` and `&` otherwise only as entities. */
export function parseTelegramHtml(text: string): string {
  let shown = '';
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '<') {
      const tag = /^<(\/?)([a-z-]+)(?: href="[^"<>]*")?>/.exec(text.slice(i));
      const name = tag?.[2] ?? '';
      if (!tag || (!TAGS.has(name) && name !== 'a'))
        throw new Error(`can't parse entities: Unsupported start tag at byte offset ${i}`);
      if (tag[1]) {
        if (open.pop() !== name) throw new Error(`can't parse entities: Unmatched end tag ${name}`);
      } else open.push(name);
      i += tag[0].length - 1;
    } else if (c === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(text.slice(i));
      if (!entity) throw new Error(`can't parse entities: an unescaped & at byte offset ${i}`);
      const name = entity[1]!;
      shown += name.startsWith('#')
        ? String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)))
        : ENTITIES[name.toLowerCase()];
      i += entity[0].length - 1;
    } else if (c === '>') throw new Error(`can't parse entities: an unescaped > at byte offset ${i}`);
    else shown += c;
  }
  if (open.length)
    throw new Error(`can't parse entities: Can't find end tag corresponding to start tag ${open.at(-1)}`);
  return shown;
}

/** The text as shown, by parse mode. */
export const shownTelegram = (text: string, mode: string): string =>
  mode === 'MarkdownV2' ? parseMarkdownV2(text) : mode === 'HTML' ? parseTelegramHtml(text) : text;

const answer = (status: number, body: unknown): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
/** An error as the Bot API answers one: the same code in the status and the body. */
const error = (code: number, description: string, parameters?: object): Reply =>
  answer(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

export interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  /** The bot was blocked (a person) or removed (a group). */
  gone?: 'blocked' | 'kicked';
  /** A group that became a supergroup with this ID. */
  migratedTo?: number;
  /** The forum topics (message_thread_id) of a supergroup with topics. */
  topics?: number[];
}

export interface Sent {
  chat: number;
  messageId: number;
  shown: string;
  replyTo?: number;
  body: Record<string, unknown>;
}

/**
 * The Bot API (https://core.telegram.org/bots/api) for one bot: getMe, getChat and sendMessage at
 * `/bot<token>/<method>`, each parameter checked against the documented ones (the extract in
 * test/vendor-schemas), the text parsed as Telegram parses it, and its errors in Telegram's words.
 * `limit(n, seconds)`: the next n sendMessage calls are answered 429 with retry_after.
 */
export function telegramMock(token: string, chats: Chat[]) {
  const spec = vendorJson('telegram-bot-api.sendMessage-getMe-getChat.api-extract.json');
  const sent: Sent[] = [];
  const problems: string[] = [];
  let nextId = 100;
  let limited: { times: number; seconds: number } = { times: 0, seconds: 0 };
  const chatOf = (id: unknown) =>
    chats.find((c) => String(c.id) === String(id) || (c.username && `@${c.username}` === id));

  /** Each parameter one the method documents, of a documented type, required ones present. */
  function checkParams(method: string, body: Record<string, unknown>) {
    const fields = (spec.methods[method].fields ?? []) as {
      name: string;
      types: string[];
      required: boolean;
    }[];
    for (const key of Object.keys(body))
      if (!fields.some((f) => f.name === key)) problems.push(`${method}: undocumented parameter ${key}`);
    for (const f of fields) {
      const v = body[f.name];
      if (v === undefined) {
        if (f.required) problems.push(`${method}: ${f.name} is required`);
        continue;
      }
      const ok = f.types.some((t) =>
        t === 'Integer'
          ? Number.isSafeInteger(v)
          : t === 'String'
            ? typeof v === 'string'
            : t === 'Boolean'
              ? typeof v === 'boolean'
              : spec.types[t]
                ? typeof v === 'object' && checkObject(t, v as Record<string, unknown>)
                : false,
      );
      if (!ok) problems.push(`${method}: ${f.name} is not ${f.types.join(' or ')}`);
    }
  }
  function checkObject(type: string, value: Record<string, unknown>): boolean {
    const fields = spec.types[type].fields as { name: string; required: boolean }[];
    return (
      Object.keys(value).every((k) => fields.some((f) => f.name === k)) &&
      fields.every((f) => !f.required || value[f.name] !== undefined)
    );
  }

  const handle = (r: Received): Reply => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(r.url.split('?')[0]!);
    if (!m || !/^\d+:[\w-]+$/.test(decodeURIComponent(m[1]!))) return error(404, 'Not Found');
    if (decodeURIComponent(m[1]!) !== token) return error(401, 'Unauthorized');
    const method = m[2]!;
    if (!spec.methods[method]) return error(404, 'Not Found: method not found');
    const body = r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
    checkParams(method, body);
    if (method === 'getMe')
      return answer(200, {
        ok: true,
        result: {
          id: Number(token.split(':')[0]),
          is_bot: true,
          first_name: 'Disk alerts',
          username: 'disk_alerts_bot',
        },
      });
    const chat = chatOf(body.chat_id);
    if (!chat) return error(400, 'Bad Request: chat not found');
    if (chat.migratedTo)
      return error(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: chat.migratedTo,
      });
    if (chat.gone === 'kicked') return error(403, 'Forbidden: bot was kicked from the supergroup chat');
    if (method === 'getChat') return answer(200, { ok: true, result: { ...chat, gone: undefined } });
    if (chat.gone === 'blocked') return error(403, 'Forbidden: bot was blocked by the user');
    if (limited.times > 0) {
      limited.times--;
      const s = limited.seconds;
      return error(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
    }
    let shown: string;
    try {
      shown = shownTelegram(String(body.text ?? ''), String(body.parse_mode ?? ''));
    } catch (e) {
      return error(400, `Bad Request: ${(e as Error).message}`);
    }
    if (!shown.trim()) return error(400, 'Bad Request: message text is empty');
    if (shown.length > 4096) return error(400, 'Bad Request: message is too long');
    const thread = body.message_thread_id;
    if (thread !== undefined && !chat.topics?.includes(thread as number))
      return error(400, 'Bad Request: message thread not found');
    const reply = body.reply_parameters as
      { message_id: number; allow_sending_without_reply?: boolean } | undefined;
    const found = reply && sent.some((s) => s.chat === chat.id && s.messageId === reply.message_id);
    if (reply && !found && !reply.allow_sending_without_reply)
      return error(400, 'Bad Request: message to be replied not found');
    const messageId = nextId++;
    sent.push({ chat: chat.id, messageId, shown, ...(found ? { replyTo: reply.message_id } : {}), body });
    return answer(200, {
      ok: true,
      result: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat.id, type: chat.type },
        text: shown,
      },
    });
  };
  return {
    handle,
    sent,
    /** Every way a request strayed from the documented parameters: a test expects none. */
    problems,
    limit(times: number, seconds: number) {
      limited = { times, seconds };
    },
  };
}
