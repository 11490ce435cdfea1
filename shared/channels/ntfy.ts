import type { HttpRequest } from '../http-outcome.js';
import { alertKey, details, fullText, title, type AlertEvent } from '../event.js';
import type { MountState } from '../disk.js';
import type { Channel } from './channel.js';
import { USER_AGENT } from './common.js';
import { fitEvent } from './fit.js';
import { fnv1a64, utf8Length, type Limits } from './limits.js';
import { ntfyCheck, ntfyClassify } from './ntfy-answers.js';
import { ntfyFields, ntfySchema, type NtfyConfig } from './ntfy-settings.js';

export type { NtfyConfig } from './ntfy-settings.js';

/**
 * Publish as JSON (https://docs.ntfy.sh/publish/#publish-as-json): `POST /` with the topic in the
 * body. Not `POST /<topic>` with X-Title and X-Tags headers: a header cannot carry a newline, and
 * carries non-ASCII only RFC 2047-encoded (https://docs.ntfy.sh/publish/#message-title), while
 * JSON carries any mount name as written. Markdown stays off, so nothing in a text formats.
 *
 * Limits (https://docs.ntfy.sh/publish/#limitations): "Each message can be up to 4,096 bytes
 * long. Longer messages are treated as attachments" — a file to download instead of a
 * notification to read — so the message is cut to 4,096 UTF-8 bytes. The whole JSON may be twice
 * that (server.go transformBodyJSON: `MessageSizeLimit*2`; above it 413, code 41303). ntfy sets no
 * limit of its own on the title: Headroom keeps it to 250 characters, a few lines on a phone.
 */
const MESSAGE_BYTES = 4096;
const BODY_BYTES = 2 * MESSAGE_BYTES;
const limits = {
  text: { title: 250, message: MESSAGE_BYTES },
  bytes: { message: MESSAGE_BYTES },
} as const satisfies Limits;

/**
 * Priority from the state (https://docs.ntfy.sh/publish/#message-priority): 5 urgent, "Really
 * long vibration bursts, default notification sound with a pop-over notification"; 4 high, "Long
 * vibration burst"; 3 default, "Short default vibration and sound". A Send test is 3, not 2 (low:
 * "No vibration or sound"): it should prove that a notification reaches the phone with a sound,
 * without sounding like a real alarm.
 */
const PRIORITY: Record<MountState, number> = { critical: 5, warning: 4, unreachable: 4, ok: 3 };
const TEST_PRIORITY = 3;

/** Tags from ntfy's emoji list (https://docs.ntfy.sh/emojis/): the state at a glance. */
const STATE_TAG: Record<MountState, string> = {
  critical: 'rotating_light',
  warning: 'warning',
  unreachable: 'grey_question',
  ok: 'white_check_mark',
};
const TEST_TAG = 'test_tube';

/**
 * One sequence per disk and alert kind: ntfy 2.16 and its apps replace the notification of the
 * same sequence ID ("Updating notifications", https://docs.ntfy.sh/publish/#updating-notifications),
 * so the all-clear takes the place of the alert on the phone instead of piling up beside it. An
 * older server ignores the unknown field (it reads publish JSON without DisallowUnknownFields) and
 * the all-clear follows as a notification of its own, whose title names the disk it clears. Made
 * of letters, digits and "-", 25 characters: within what ntfy accepts in a topic or message ID.
 */
export function sequenceId(event: AlertEvent): string {
  return `headroom-${fnv1a64(alertKey(event))}`;
}

const jsonBytes = (value: unknown) => utf8Length(JSON.stringify(value));

/**
 * The message, within 4,096 UTF-8 bytes and within what the rest of the JSON leaves of its 8,192
 * (a control character in a mount name takes 6 bytes as JSON): the longest fit `fitEvent` makes
 * whose size passes, found by halving. The mount and other variable parts give way, never the
 * figures.
 */
function fitMessage(event: AlertEvent, room: number): string {
  const fits = (text: string) => utf8Length(text) <= MESSAGE_BYTES && jsonBytes(text) - 2 <= room;
  const whole = fitEvent(event, details, limits.text.message).text;
  if (fits(whole)) return whole;
  let lo = 1;
  let hi = limits.text.message - 1;
  let best = fitEvent(event, details, 1).text;
  while (lo <= hi) {
    const n = Math.floor((lo + hi) / 2);
    const text = fitEvent(event, details, n).text;
    if (fits(text)) {
      best = text;
      lo = n + 1;
    } else hi = n - 1;
  }
  return best;
}

function authHeader(c: NtfyConfig): Record<string, string> {
  if (c.auth === 'token') return { authorization: `Bearer ${c.token}` };
  if (c.auth === 'basic') {
    // RFC 7617: UTF-8 before base64 (btoa alone refuses non-Latin-1).
    const bytes = new TextEncoder().encode(`${c.user}:${c.password}`);
    return { authorization: `Basic ${btoa(String.fromCharCode(...bytes))}` };
  }
  return {};
}

/** The headers and TLS options of every request to the server. */
export function serverRequest(c: NtfyConfig, method: HttpRequest['method'], path: string): HttpRequest {
  return {
    method,
    url: new URL(path, c.serverUrl).href,
    headers: { 'user-agent': USER_AGENT, ...authHeader(c) },
    ...(c.ca ? { tls: { ca: c.ca } } : {}),
  };
}

export const ntfy: Channel<NtfyConfig> = {
  type: 'ntfy',
  label: 'ntfy',
  aliases: [],
  fields: ntfyFields,
  schema: ntfySchema,
  limits,

  render(event, config): HttpRequest {
    const head = {
      topic: config.topic,
      title: fitEvent(event, title, limits.text.title).text,
      priority: event.test ? TEST_PRIORITY : PRIORITY[event.to],
      tags: [event.test ? TEST_TAG : STATE_TAG[event.to], ...config.tags],
      ...(config.linkUrl ? { click: config.linkUrl } : {}),
      // A test stands alone: it must not replace a real alert's notification.
      ...(event.test ? {} : { sequence_id: sequenceId(event) }),
    };
    const message = fitMessage(event, BODY_BYTES - jsonBytes({ ...head, message: '' }));
    const request = serverRequest(config, 'POST', '/');
    return {
      ...request,
      headers: { ...request.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...head, message }),
    };
  },

  classify: (res, _event, config, now) => ntfyClassify(res, config, now),

  shown: (event) => ({ title: fitEvent(event, title, limits.text.title).text, text: fullText(event) }),

  check: (config) => ntfyCheck(config, serverRequest(config, 'GET', `/${config.topic}/auth`)),
};
