import { details, facts, title, type AlertEvent } from '../event.js';
import type { MountState } from '../disk.js';
import { fitEvent } from './fit.js';
import { cut, noteCut, utf8Length, type Limits } from './limits.js';
import { neutralizeMentions, type Escape } from './markup.js';

/** U+200B ZERO WIDTH SPACE: invisible, and it breaks the run of characters a construct needs. */
const ZWSP = '\u200b';

// One pass over the text: what takes a backslash, and what a zero-width space goes after.
const BACKSLASHED = '\\*_~`';
const INLINE = /[\\*_~`]|\](?=\()|<|[{$](?=\{)|&(?=#?\w+;)/g;

/**
 * Text made inert in an Adaptive Card's TextBlock and Fact, where Teams renders a Markdown subset
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format)
 * and expands `{{DATE(…)}}` and `{{TIME(…)}}` (https://aka.ms/ACTextFeatures). Two renderers read
 * it: Teams on the desktop and the web (CommonMark, where a backslash escapes any punctuation) and
 * the native Adaptive Cards parser on phones (microsoft/AdaptiveCards MarkDownBlockParser.cpp,
 * which honours a backslash only before `*` and `_`). So a backslash goes before what starts
 * emphasis (`\`, `*`, `_`) and before `~` and `` ` ``, which only the desktop reads; every other
 * construct is broken with a zero-width space, which both read as a plain character: a link's
 * `](`, a tag's or mention's `<` (`<at>`, autolinks), `{{` and `${`, an entity's `&`, and the
 * start of a line that would make a list, a heading, a quote or a code block.
 */
export const escapeTeams: Escape = (text) =>
  neutralizeMentions(
    text
      .replace(INLINE, (c) => (BACKSLASHED.includes(c) ? `\\${c}` : `${c}${ZWSP}`))
      .replace(/^(?=[ \t]|[-+](?:\s|$)|#{1,6}(?:\s|$)|>|=+[ \t]*$|\d{1,9}[.)](?:\s|$))/gm, ZWSP),
  );

/**
 * What a card may hold. Teams documents no limit per text, only the whole message's: "The
 * message size limit is 28 KB. When the size exceeds 28 KB, you receive an error"
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook,
 * and https://learn.microsoft.com/microsoftteams/limits-specifications-teams#chat). The texts get
 * these shares of it, which `teamsMessage` shrinks further until the whole request fits
 * `MESSAGE_BYTES`: JSON escaping and UTF-8 make a character anything from 1 to 6 bytes.
 */
export const limits = {
  text: {
    // The title, in the header and as the fallback text.
    'attachments[].content.fallbackText': 500,
    'attachments[].content.body[0].items[].text': 500,
    'attachments[].content.body[1].facts[].title': 50,
    'attachments[].content.body[1].facts[].value': 500,
  },
  // The details are one TextBlock a line (a line break inside one is a space in CommonMark).
  items: { 'attachments[].content.body[2].items': 40 },
  sums: [{ paths: ['attachments[].content.body[2].items[].text'], max: 20_000 }],
} as const satisfies Limits;

/** 28 KB, counted as 1,000 bytes a KB to be safe, over the whole request body (the card is less). */
export const MESSAGE_BYTES = 28_000;

/**
 * Each state's colour, as Teams' theme gives it: the header's container style and the title's
 * colour (https://adaptivecards.io/explorer/Container.html, TextBlock.html).
 */
const STYLES: Record<MountState, { container: string; color: string }> = {
  critical: { container: 'attention', color: 'attention' },
  warning: { container: 'warning', color: 'warning' },
  ok: { container: 'good', color: 'good' },
  unreachable: { container: 'emphasis', color: 'default' },
};

/**
 * Version 1.4: it has everything this card uses, and every Teams client renders it; the repo's
 * schema (test/vendor-schemas) is 1.5's, which accepts every 1.4 card.
 */
const CARD_VERSION = '1.4';

/**
 * The message a Workflows webhook takes ("Send Adaptive Cards using an Incoming Webhook":
 * type "message", one attachment of content type application/vnd.microsoft.card.adaptive, with
 * `contentUrl` null and the card as `content`), cut until it fits `MESSAGE_BYTES`.
 */
export function teamsMessage(event: AlertEvent, link: string | undefined): unknown {
  let share = 1;
  for (let tries = 0; ; tries++) {
    const message = envelope(card(event, link, share));
    const bytes = utf8Length(JSON.stringify(message));
    if (bytes <= MESSAGE_BYTES || tries === 8) return message;
    // The fixed part (the JSON around the texts) stays: aim a little lower than in proportion.
    share *= (MESSAGE_BYTES / bytes) * 0.9;
  }
}

const envelope = (content: Record<string, unknown>) => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
});

/** The card with each text within `share` of its limit (at least 20 characters). */
function card(event: AlertEvent, link: string | undefined, share: number): Record<string, unknown> {
  const t = limits.text;
  const max = (n: number) => Math.max(20, Math.floor(n * share));
  const md = (text: (e: AlertEvent) => string, n: number) => fitEvent(event, text, max(n), escapeTeams).text;
  const style = STYLES[event.to];
  const heading = md(title, t['attachments[].content.body[0].items[].text']);
  const all = md(details, limits.sums[0].max)
    .split('\n')
    .filter((line) => line.trim() !== '');
  const most = limits.items['attachments[].content.body[2].items'];
  if (all.length > most) noteCut();
  const lines = all.slice(0, most);
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    // Shown by a client older than the card's version: the title, as fitted for the header.
    fallbackText: heading,
    body: [
      {
        type: 'Container',
        style: style.container,
        items: [
          {
            type: 'TextBlock',
            text: heading,
            weight: 'Bolder',
            size: 'Medium',
            color: style.color,
            wrap: true,
          },
        ],
      },
      {
        type: 'FactSet',
        facts: facts(event).map((f, i) => ({
          title: cut(f.label, t['attachments[].content.body[1].facts[].title']),
          value: md((e) => facts(e)[i]!.value, t['attachments[].content.body[1].facts[].value']),
        })),
      },
      {
        type: 'Container',
        items: lines.map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'Small' })),
      },
    ],
    ...(link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open', url: link }] } : {}),
  };
}
