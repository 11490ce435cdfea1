import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import {
  escapeDiscord,
  escapeHtml,
  escapeMattermost,
  escapeRocketChat,
  escapeSlack,
  escapeTelegramHtml,
  escapeTelegramMarkdown,
  escapeWithin,
  type Escape,
} from '../../shared/channels/markup.js';
import { MARKUP_MOUNT } from '../helpers/edge-inputs.js';
import { parseMarkdownV2, parseTelegramHtml } from '../helpers/telegram.js';

const ZWSP = /\u200b/g;

/**
 * Each dialect as its vendor documents it, written here independently of the escaping code: how
 * the service shows a text (`shown`), and what in it would still be live markup (`live`).
 */
const DIALECTS: Record<
  string,
  { escape: Escape; shown: (s: string) => string; live: RegExp[]; mentions?: false }
> = {
  // https://docs.slack.dev/messaging/formatting-message-text: &lt; &gt; &amp; are the escapes;
  // *bold* _italic_ ~strike~ `code` work at a word's edges; <…> is a link or mention.
  slack: {
    escape: escapeSlack,
    shown: (s) => s.replace(ZWSP, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    live: [
      /[<>]/,
      /&(?!amp;|lt;|gt;)/,
      /(?<![\p{L}\p{N}])([*_~`])[^\s\u200b][^\n]*?(?<![\s\u200b])\1(?![\p{L}\p{N}])/u,
    ],
  },
  // CommonMark: a backslash before ASCII punctuation shows the character; unescaped ones act.
  mattermost: {
    escape: escapeMattermost,
    shown: (s) => s.replace(ZWSP, '').replace(/\\([!-/:-@[-`{-~])/g, '$1'),
    live: [/(?<!\\)(?:\\\\)*[*_~`[\]<>|&]/],
  },
  discord: {
    escape: escapeDiscord,
    shown: (s) => s.replace(ZWSP, '').replace(/\\([!-/:-@[-`{-~])/g, '$1'),
    live: [/(?<!\\)(?:\\\\)*[*_~`[\]<>|]/],
  },
  // Rocket.Chat: Slack-like markers, [text](url), <url|text>, #channel; no escape character.
  rocketchat: {
    escape: escapeRocketChat,
    shown: (s) => s.replace(ZWSP, ''),
    live: [
      /(?<![\p{L}\p{N}])([*_~`])[^\s\u200b][^\n]*?(?<![\s\u200b])\1(?![\p{L}\p{N}])/u,
      /(?<!\u200b)[[<]/,
      /(?<![\u200b\p{L}\p{N}])#[\p{L}\p{N}]/u,
    ],
  },
  // https://core.telegram.org/bots/api#markdownv2-style: each reserved character escaped, anywhere;
  // shown as Telegram's parser (the stand-in's, test/helpers/telegram.ts) reads it.
  'telegram MarkdownV2': {
    escape: escapeTelegramMarkdown,
    shown: (s) => parseMarkdownV2(s).replace(ZWSP, ''),
    live: [/(?<!\\)(?:\\\\)*[_*[\]()~`>#+\-=|{}.!]/],
  },
  // https://core.telegram.org/bots/api#html-style: <, > and & only as entities.
  'telegram HTML': {
    escape: escapeTelegramHtml,
    shown: (s) => parseTelegramHtml(s).replace(ZWSP, ''),
    live: [/[<>]/, /&(?!amp;|lt;|gt;)/],
  },
  // The e-mail channel's HTML part (https://html.spec.whatwg.org/#escapingString, attribute mode
  // too): a tag, an entity or the end of a quoted attribute; an "@" pings no one in an e-mail.
  html: {
    escape: escapeHtml,
    shown: (s) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    live: [/[<>"']/, /&(?!amp;|lt;|gt;|quot;|#39;)/],
    mentions: false,
  },
};

/** A mention is an "@" at the start of a word, followed by a name. */
const LIVE_MENTION = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_.-]/u;

const alphabet = fc.constantFrom(...'*_~`[]()<>|&#@!\\:-. aZ9/é😀\n'.split(''), 'here', 'channel', '&amp;');
const tricky = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));

/** What must not be live in a dialect's escaped text: its markup, and mentions where they ping. */
const lives = (d: (typeof DIALECTS)[string]) => (d.mentions === false ? d.live : [...d.live, LIVE_MENTION]);

describe('escaping per chat dialect', () => {
  for (const [name, d] of Object.entries(DIALECTS)) {
    it(`${name}: the markup and mention mount shows as written, formats nothing and pings nobody`, () => {
      // The oracle is not vacuous: unescaped, each of its patterns finds live markup in the mount.
      for (const live of lives(d)) assert.match(MARKUP_MOUNT, live);
      const escaped = d.escape(MARKUP_MOUNT);
      assert.equal(d.shown(escaped), MARKUP_MOUNT);
      for (const live of lives(d)) assert.doesNotMatch(escaped, live);
    });

    it(`${name}: for any text, shown as written and nothing live`, () => {
      fc.assert(
        fc.property(tricky, (text) => {
          const escaped = d.escape(text);
          assert.equal(d.shown(escaped), text);
          for (const live of lives(d)) assert.doesNotMatch(escaped, live);
        }),
        { numRuns: 1000 },
      );
    });

    it(`${name}: cut to a limit after escaping, never inside an escape`, () => {
      fc.assert(
        fc.property(tricky, fc.integer({ min: 1, max: 80 }), (text, max) => {
          const { text: out, truncated } = escapeWithin(text, max, d.escape);
          assert.ok(out.length <= max, `${out.length} > ${max}`);
          const kept = truncated ? out.replace(/…$/, '') : out;
          assert.ok(text.startsWith(d.shown(kept)), JSON.stringify({ text, out }));
          for (const live of lives(d)) assert.doesNotMatch(kept, live);
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('cuts a text that escaping lengthens five times in proportion, never down to "…" alone', () => {
    for (const n of [700, 1999]) {
      const text = `/${'&'.repeat(n)}`;
      const { text: out, truncated } = escapeWithin(text, 3000, escapeSlack);
      assert.ok(truncated && out.length <= 3000, `${n}: ${out.length}`);
      // Every "&" is 5 characters escaped: 599 of them fit in 3000, with "/" and "…".
      assert.equal(out, `/${'&amp;'.repeat(599)}…`, `${n}`);
    }
  });

  it('keeps what needs no escaping readable: e-mail addresses, snake_case, paths and URLs', () => {
    assert.equal(escapeSlack('/mnt/my_data_disk ops@example.com'), '/mnt/my_data_disk ops@example.com');
    assert.equal(
      escapeDiscord('see https://wiki.example.com/disk-space'),
      'see https://wiki.example.com/disk-space',
    );
    assert.equal(escapeRocketChat('/srv/backup-2026.img'), '/srv/backup-2026.img');
  });
});
