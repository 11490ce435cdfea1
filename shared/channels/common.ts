import type { Setting } from './settings.js';
import * as z from 'zod';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * An endpoint URL: HTTPS, or plain HTTP to this machine only (a local relay, a test receiver).
 * Alerts carry host names and disk layouts; they do not cross a network in clear text.
 */
export function endpointUrl(what = 'URL', options: { allowHttp?: boolean } = {}) {
  return z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} is required` })
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `is not a valid URL; give the full address, e.g. https://example.com/hook`,
        });
        return;
      }
      if (url.protocol === 'https:') return;
      if (url.protocol === 'http:' && (options.allowHttp || LOOPBACK.test(url.hostname))) return;
      ctx.addIssue({
        code: 'custom',
        message:
          url.protocol === 'http:'
            ? 'must use https:// (plain http:// is allowed only to this machine: localhost, 127.0.0.1, [::1])'
            : `must be an https:// URL, not ${url.protocol}//`,
      });
    });
}

/** RFC 9110 §5.6.2: a header name is a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers Headroom sets itself: letting a user override them would break signing or auth. */
const RESERVED_HEADERS = [
  'content-type',
  'content-length',
  'host',
  'authorization',
  'x-jws-signature',
  'idempotency-key',
];

/**
 * What makes a `Name: value` line unusable, naming the header but never quoting the line: without
 * its colon, it may be all secret. (Values HTTP cannot carry are refused on save: `inputProblems`.)
 */
function headerLineProblem(line: string, n: number): string | null {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim();
  if (colon < 1 || name === '') return `header ${n} has no name before a ":"; write each as "Name: value"`;
  if (!HEADER_NAME.test(name))
    return `header ${n}: its name is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces)`;
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.includes(lower))
    return `${name} is set by Headroom itself; ${lower === 'authorization' ? 'use the auth options instead' : 'remove it'}`;
  if (/[\r\n]/.test(line)) return `the value of ${name} cannot contain line breaks`;
  return null;
}

/** Extra headers as `Name: value` lines, the way curl's `-H` takes them. */
export const headerLines = z
  .array(z.string())
  .superRefine((lines, ctx) =>
    lines.forEach((line, i) => {
      const problem = headerLineProblem(line, i + 1);
      if (problem) ctx.addIssue({ code: 'custom', path: [i], message: problem });
    }),
  )
  .default([]);

export function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export const pem = (what: string) =>
  z.string().refine((v) => /-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----/.test(v), {
    message: `is not a PEM ${what} (expected a "-----BEGIN …-----" block)`,
  });

/** Text bodies from vendor endpoints, trimmed for a one-line reason. */
export function bodyText(body: string): string {
  return body.trim().slice(0, 200);
}

export function safeJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export const USER_AGENT = 'Headroom/0.1 (+disk space alerts)';

/** Colours by state, as chat cards show them: red, amber, green, grey. */
export const STATE_COLORS = {
  critical: 0xd92d20,
  warning: 0xf79009,
  ok: 0x12b76a,
  unreachable: 0x667085,
} as const;

export function hexColor(n: number): string {
  return `#${n.toString(16).padStart(6, '0')}`;
}

/** What RFC 3986 lets a path, query or fragment hold as it is; "%" only before two hex digits. */
const URI_UNENCODED = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu;

/**
 * A URL written the standard way (RFC 3986), for the vendors' `uri` fields: parsed as browsers do
 * (WHATWG URL: host lower-cased and in punycode, spaces, `<`, `>`, `"` and non-ASCII
 * percent-encoded), then what WHATWG leaves raw and RFC 3986 forbids — `|`, `^`, `` ` ``, `{`,
 * `}`, `[`, `]`, `\`, a second `#`, a stray `%` — percent-encoded too. A link means the same
 * after it: servers decode these characters either way. Assumes a URL `new URL` accepts.
 */
export function normalizeUrl(raw: string): string {
  const url = new URL(raw);
  // An empty query or fragment ("…/d?", "…#") is dropped, so that `rest` ends the href.
  if (!url.search) url.search = '';
  if (!url.hash) url.hash = '';
  const rest = url.pathname + url.search + url.hash;
  const encode = (part: string) => part.replace(URI_UNENCODED, (c) => encodeURIComponent(c));
  return (
    url.href.slice(0, url.href.length - rest.length) +
    encode(url.pathname) +
    (url.search ? `?${encode(url.search.slice(1))}` : '') +
    (url.hash ? `#${encode(url.hash.slice(1))}` : '')
  );
}

/**
 * Where a message links to (the team's dashboard, this machine's web UI): the webhook's
 * alarm_url/alert_url, PagerDuty's links and client_url, Alertmanager's generatorURL, the title
 * link of chat cards. Plain http is allowed: nothing is sent there, a person opens it. Stored
 * written the standard way (`normalizeUrl`: Discord and Alertmanager refuse a raw `<` or `|`), and
 * 2048 characters at most so written, Discord's limit for an embed's URL.
 */
export const linkUrl = endpointUrl('the link', { allowHttp: true })
  .transform(normalizeUrl)
  .refine((u) => u.length <= 2048, { message: 'must be at most 2048 characters (percent-encoded)' })
  .optional();

/** Where each message links to: a setting of every channel. */
export const linkSetting = {
  linkUrl: {
    type: () => linkUrl,
    field: {
      flag: 'link-url',
      label: 'Link',
      kind: 'url',
      help: "Optional: where each message links to, e.g. the team's dashboard or this machine's web UI.",
      placeholder: 'https://grafana.example.com/d/disks',
    },
  },
} satisfies Record<string, Setting>;

/** The incoming-webhook URL of chat services: the URL itself is the credential. */
export function webhookUrlSetting<T extends z.ZodType>(help: string, type: () => T) {
  return {
    webhookUrl: {
      type,
      field: { flag: 'webhook-url', label: 'Webhook URL', kind: 'url', secret: true, help },
    },
  } satisfies Record<string, Setting>;
}

/** The service region of the incident tools (PagerDuty, Opsgenie): their US or EU service. */
export function regionSetting(help: string) {
  return {
    region: {
      type: () => z.enum(['us', 'eu'], { error: 'must be us or eu' }).default('us'),
      field: { flag: 'region', label: 'Region', kind: 'select', options: ['us', 'eu'], help },
    },
  } satisfies Record<string, Setting>;
}

/**
 * A server URL that carries what belongs in another setting (ntfy's topic, Telegram's bot token):
 * one wording, so each channel says it alike. `what` is what was found in the path.
 */
export const addressAlone = (examples: string, what: string) =>
  `must be the server's address alone, e.g. ${examples}, without ${what}`;

/** A vendor API's base URL (a gateway, a proxy, another region); `showWhen` as `Field`'s. */
export function apiUrlSetting<K extends string = never>(
  help: string,
  showWhen?: { key: K; in: readonly string[] },
) {
  return {
    apiUrl: {
      type: () => endpointUrl('the API URL').optional(),
      field: { flag: 'api-url', label: 'API URL', kind: 'url', help, ...(showWhen ? { showWhen } : {}) },
    },
  } satisfies Record<string, Setting<z.ZodType, K>>;
}
