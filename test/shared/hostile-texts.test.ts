import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { previewOf } from '../../shared/channels/preview.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { details, facts, fullText, title, type AlertEvent } from '../../shared/event.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { MARKUP_MOUNT } from '../helpers/edge-inputs.js';
import { sampleEvent } from '../helpers/events.js';
import { limitViolations, valuesAt } from '../helpers/limits.js';
import { parseTelegramHtml } from '../helpers/telegram.js';
import { wellFormed } from '../helpers/text.js';

/** Names that escaping lengthens up to five times, or that are simply long. */
const HOSTILE: { name: string; mount: string }[] = [
  { name: '"/" and 1,999 "&"', mount: `/${'&'.repeat(1999)}` },
  { name: '"/" and 700 "&"', mount: `/${'&'.repeat(700)}` },
  { name: '"<" and ">" runs', mount: `/mnt/${'<'.repeat(500)}${'>'.repeat(500)}` },
  { name: 'emoji', mount: `/mnt/${'👩‍👩‍👧‍👦🇫🇷😀e\u0301'.repeat(120)}` },
  { name: '600 characters', mount: `/srv/${'a'.repeat(595)}` },
  { name: 'mentions and markup', mount: `${MARKUP_MOUNT}${' @here <!channel>'.repeat(60)}` },
];

type Render = (e: AlertEvent) => string;
const fact =
  (label: string): Render =>
  (e) =>
    facts(e).find((f) => f.label === label)!.value;

/**
 * Where each channel puts a text a person reads, and which text it is. Headroom's words and
 * figures in it (all of it but the mount) must survive whatever the mount is called.
 */
const TEXTS: Record<string, [path: string, render: Render][]> = {
  slack: [
    ['text', fullText],
    ['blocks[0].text.text', title],
    ['blocks[1].fields[3].text', fact('Free')],
    ['blocks[1].fields[1].text', fact('Disk')],
    ['blocks[2].elements[0].text', details],
  ],
  discord: [
    ['content', title],
    ['embeds[0].title', title],
    ['embeds[0].description', details],
    ['embeds[0].fields[1].value', fact('Disk')],
  ],
  mattermost: [['text', title]],
  rocketchat: [['text', title]],
  opsgenie: [
    ['message', title],
    ['note', title],
  ],
  pagerduty: [['payload.summary', title]],
  alertmanager: [['[0].annotations.summary', title]],
  webhook: [['message', title]],
  ntfy: [
    ['title', title],
    ['message', details],
  ],
  telegram: [['text', fullText]],
  teams: [
    ['attachments[0].content.body[0].items[0].text', title],
    ['attachments[0].content.body[1].facts[1].value', fact('Disk')],
  ],
  // The HTML part is checked for escaping in email.test.ts, read back by a real mail parser.
  email: [
    ['subject', (e) => `[Headroom] ${title(e)}`],
    ['text', title],
    ['text', details],
  ],
};

const ZWSP = /\u200b/g;
/** What a person sees of an escaped text (each dialect's escapes undone). */
const shown = (type: string, text: string): string =>
  type === 'telegram'
    ? parseTelegramHtml(text).replace(ZWSP, '')
    : type === 'slack'
      ? text.replace(ZWSP, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
      : text.replace(ZWSP, '').replace(/\\([!-/:-@[-`{-~])/g, '$1');

const PLACE = 'MOUNT-GOES-HERE';

/** The parts of a text that are not the mount, in order (the text rendered for a stand-in mount). */
const fixedParts = (render: Render, e: AlertEvent): string[] =>
  render({ ...e, mount: PLACE })
    .split(PLACE)
    .map((s) => s.trim())
    .filter(Boolean);

describe('hostile mount names in every channel', () => {
  for (const { name, mount } of HOSTILE) {
    it(
      `${name}: the title, host and figures survive, within every vendor limit`,
      { timeout: 30_000 },
      async () => {
        const samples = sampleConfigs('https://127.0.0.1:1');
        let checked = 0;
        for (const c of CHANNELS) {
          assert.ok(TEXTS[c.type], `say where ${c.type} puts its texts`);
          const config = c.schema.parse(samples[c.type]);
          for (const [from, to] of [
            ['warning', 'critical'],
            ['critical', 'ok'],
          ] as const) {
            const event = sampleEvent({ mount, from, to });
            const body = JSON.parse((await c.render(event, config)).body!);
            const where = `${c.type} ${from}→${to}`;
            assert.deepEqual(limitViolations(body, c.limits), [], where);
            for (const [path, render] of TEXTS[c.type]!) {
              const found = valuesAt(body, path);
              if (found.length === 0) continue; // a resolve without that text (PagerDuty's, Opsgenie's)
              const text = shown(c.type, String(found[0]!.value));
              assert.ok(wellFormed(text), `${where} ${path}: a lone surrogate`);
              let at = 0;
              for (const part of fixedParts(render, event)) {
                const i = text.indexOf(part, at);
                assert.ok(
                  i >= 0,
                  `${where} ${path}: "${part}" is lost from ${JSON.stringify(text.slice(0, 300))}`,
                );
                at = i + part.length;
              }
              // Where the text names the mount, its start is still shown.
              if (render({ ...event, mount: PLACE }).includes(PLACE))
                assert.ok(text.includes(mount.slice(0, 4)), `${where} ${path}: no trace of the mount`);
              checked++;
            }
          }
          const preview = previewOf(c, sampleEvent({ mount }), config);
          for (const part of fixedParts(title, sampleEvent()))
            assert.ok(preview.title.includes(part), `${c.type} preview: "${part}" is lost`);
        }
        assert.ok(checked >= 20, `${checked} texts checked`);
      },
    );
  }
});
