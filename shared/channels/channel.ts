import type * as z from 'zod';
import type { HttpRequest, HttpResponse, Outcome } from '../http-outcome.js';
import type { AlertEvent } from '../event.js';
import type { Limits } from './limits.js';
import { escapeHtml } from './markup.js';

/**
 * One setting of a channel, described as data: it drives the CLI flags, the GUI form, and which
 * values are secrets (sealed at rest, masked everywhere after saving).
 */
export interface Field {
  key: string;
  /** The CLI flag, without the dashes. */
  flag: string;
  label: string;
  help: string;
  kind: 'text' | 'url' | 'select' | 'list' | 'pem';
  secret?: boolean;
  /** A list of URLs (an Alertmanager cluster's peers): each is checked, and its query masked, as a URL's. */
  of?: 'url';
  options?: readonly string[];
  placeholder?: string;
  /**
   * Shown in forms only when another field has one of these values (Basic auth's user, say); ''
   * stands for empty, "set" for a saved secret (see renderer/src/field-visibility.ts).
   */
  showWhen?: { key: string; in: readonly string[] };
  /**
   * How the value travels in an HTTP header, so that saving refuses what would break it: `raw`, as
   * is (a bearer token); `encoded`, inside base64 (Basic user and password); `lines`, each a
   * `Name: value` header of its own.
   */
  header?: 'raw' | 'encoded' | 'lines';
}

/** What a person will see, for the GUI's preview and the CLI's `--dry-run` (see `previewOf`). */
export interface Preview {
  title: string;
  text: string;
  /** True when a vendor limit cut the text short. */
  truncated: boolean;
}

/** A remote check that raises no alert: Slack's auth.test, the webhook's crc challenge. */
export interface RemoteCheck {
  request: HttpRequest;
  /** How long the remote side has to answer (the webhook challenge allows 5 s). */
  timeoutMs: number;
  verify(response: HttpResponse): Outcome | Promise<Outcome>;
  /**
   * A second question, asked once this one passed, made from its answer (Telegram: getChat after
   * getMe showed the token works): its outcome and note are the check's. Not named `then`: that
   * would make every check a thenable, which `await` would call.
   */
  next?(response: HttpResponse): RemoteCheck;
}

/**
 * A further request of the same delivery, made from the answers so far: Opsgenie's request
 * status (its 202 only means queued) and priority update, Alertmanager's resolve sent again in
 * its own time. The delivery succeeds only if every step does; a retry starts from the first.
 */
export interface FollowUp {
  request: HttpRequest;
  classify(response: HttpResponse, now: number): Outcome;
  /**
   * Asked again while it answers "retry", up to `times` in all, waiting `delayMs`, then twice as
   * long each time (a request status polled until processed): the steps before it stay done.
   */
  poll?: { times: number; delayMs: number };
}

/** See `AlertEvent.thread`. */
export type Thread = NonNullable<AlertEvent['thread']>;

/** One request of a delivery and the answer to it (secrets already masked in the answer). */
export interface Step {
  request: HttpRequest;
  response: HttpResponse;
}

/** What a receiver does with what it is sent, which delivery must allow for. */
export interface Traits {
  /**
   * It keeps what it is sent open until it is resolved (an incident, an alert): it pages. A Send
   * test is resolved right after it, so that a test leaves nothing open.
   */
  pages?: boolean;
  /**
   * What it drops a repeat of a delivery by (PagerDuty's `dedup_key`): after a stop in the middle
   * of a send, such a delivery is simply sent again. Absent (a chat), a repeat shows as a second
   * message: it is sent once more at most, marked as a possible repeat.
   */
  deduplicates?: string;
  /**
   * It forgets an active alert that is not re-sent (Alertmanager's resolve_timeout): the
   * dispatcher re-sends every active alert after each sample, as Prometheus does.
   */
  refreshActive?: boolean;
  /**
   * Its thread is only headers of the message itself (e-mail's In-Reply-To): no receiver refuses
   * it, so a message that fails is never sent again on its own as if its thread had been.
   */
  threadInHeaders?: boolean;
}

/**
 * Several receivers that each get the whole delivery, each with the config of that one. The
 * delivery is made to all of them at once; it is delivered when at least one accepted it (see
 * `combineTargets` and the attempt's targets stage).
 */
export interface Targets<C> {
  of(config: C): { name: string; config: C }[];
  /**
   * When one target accepting is not enough for this event (an Alertmanager resolve: each peer
   * holds its own copy of the alert): the time (epoch ms) until which the targets that missed it
   * are tried again, after which they no longer need it. Null: one target is enough.
   */
  every?(event: AlertEvent, config: C): number | null;
}

/**
 * A channel adapter: pure data and pure functions. No transport, timers or retries here; those
 * live in the dispatcher, the one place that sends.
 */
export interface Channel<C = Record<string, unknown>> {
  type: string;
  label: string;
  /** Other names accepted on the command line (`health.webhook`, as the Web PaaS CLI calls it). */
  aliases: readonly string[];
  fields: readonly Field[];
  /**
   * Built on first use (`z.lazy`): every adapter is loaded at start, but a watcher parses only the
   * types it has integrations of, and the eight schemas are ~150 zod objects (0.25 MiB idle RSS).
   */
  schema: z.ZodType<C, unknown>;
  /** The vendor's limits on what `render` produces, each with its documentation link. */
  limits: Limits;
  render(event: AlertEvent, config: C): HttpRequest | Promise<HttpRequest>;
  classify(response: HttpResponse, event: AlertEvent, config: C, now: number): Outcome;
  /**
   * What a person sees first, when it is not the alert's whole title and text (a title cut to
   * the vendor's limit): the preview (`previewOf`) shows it, and learns from `render` whether
   * the message was cut.
   */
  shown?(event: AlertEvent, config: C): { title: string; text: string };
  check?(config: C, nonce: string): RemoteCheck | null;
  /** The next request of this delivery, after `steps` were all delivered; null when done. */
  followUp?(event: AlertEvent, config: C, steps: readonly Step[]): FollowUp | null;
  /**
   * Where this alert's next messages should go, from the vendor's answer to its first (the Slack
   * channel ID and ts, the Discord forum post): `render` then gets it as `event.thread`.
   */
  threadOf?(response: HttpResponse, event: AlertEvent, config: C): Thread | null;
  /** What the receiver does with what it is sent, which delivery allows for. */
  traits?: Traits;
  /** Several receivers that each get the whole delivery (an Alertmanager cluster's peers). */
  targets?: Targets<C>;
  /**
   * How long a Send test must stay open before its all-clear for the receiver's own receivers to
   * hear it (Alertmanager tells a new group only after its group_wait), asked of the receiver:
   * `holdMs` reads it from the answer (`what` names it for the history), null if it cannot tell.
   */
  testHold?(config: C): {
    request: HttpRequest;
    timeoutMs: number;
    holdMs(response: HttpResponse): { ms: number; what: string } | null;
  };
}

/**
 * Every secret value in a configuration, so that any text can be scrubbed of them. The query
 * values of every URL count as secrets, secret field or not: `?apikey=…` is a credential.
 */
export function secretValues(channel: Channel, config: Record<string, unknown>): string[] {
  return channel.fields
    .flatMap((f) => {
      const v = config[f.key];
      const values = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
      const query = f.kind === 'url' || f.of === 'url' ? values.flatMap(queryValues) : [];
      if (!f.secret) return query;
      // A secret URL (Slack, Discord, Mattermost webhooks) leaks through its path too: a server
      // error page that echoes "/hooks/<id>/<token>" must be caught as well as the whole URL.
      if (f.kind === 'url') return [...values.flatMap(urlParts), ...query];
      // "Name: value" header lines: the value alone is what a receiver would echo.
      if (f.kind === 'list') return values.flatMap((v) => [v, v.slice(v.indexOf(':') + 1).trim()]);
      return values;
    })
    .filter((v) => v.length >= 4);
}

function urlParts(value: string): string[] {
  try {
    const url = new URL(value);
    return [value, url.pathname, ...url.pathname.split('/').filter((segment) => segment.length >= 16)];
  } catch {
    return [value];
  }
}

/** Each query value of a URL, decoded and as written. */
function queryValues(value: string): string[] {
  try {
    const url = new URL(value);
    const raw = url.search
      .slice(1)
      .split('&')
      .map((pair) => pair.slice(pair.indexOf('=') + 1));
    return [...url.searchParams.values(), ...raw];
  } catch {
    return [];
  }
}

/**
 * Credentials as they travel in a request: the Authorization header whole and without its scheme
 * (a Basic header carries the password base64-encoded, which no config field holds as such).
 */
export function requestSecrets(headers: Record<string, string>): string[] {
  const auth = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (!auth) return [];
  return [auth, auth.slice(auth.indexOf(' ') + 1)].filter((v) => v.length >= 4);
}

export const REDACTED = '••••';

/**
 * Replaces every secret in `text` with a mask, in every form a receiver may echo it in: as is,
 * JSON-escaped (also with `\/` and `\uXXXX`, as PHP and Python write it), HTML-escaped,
 * URL-encoded, base64 (standalone, or inside a longer base64 text), and in any letter case.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const s of secrets) for (const form of echoForms(s)) forms.add(form);
  if (forms.size === 0) return text;
  // Longest first: a secret that contains another is masked whole.
  const pattern = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');
  return text.replace(new RegExp(pattern, 'giu'), REDACTED);
}

function echoForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const html = escapeHtml(secret);
  const uri = encodeURIComponent(secret);
  const forms = [
    secret,
    json,
    asciiJson,
    json.replace(/\//g, '\\/'),
    JSON.stringify(json).slice(1, -1),
    html,
    uri,
    uri.replace(/%20/g, '+'),
    encodeURI(secret),
    ...base64Forms(secret),
  ];
  return forms.filter((f) => f.length >= 4);
}

/**
 * The secret base64-encoded (standard and URL-safe, padded or not), and the parts of its encoding
 * that stay the same wherever it sits inside a longer encoded text: for each of the three byte
 * alignments, the groups of four characters made only of the secret's bytes.
 */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const b64 = (b: Uint8Array) => btoa(Array.from(b, (x) => String.fromCharCode(x)).join(''));
  const whole = b64(bytes);
  const forms = [whole, whole.replace(/=+$/, '')];
  for (const shift of [0, 1, 2]) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.set(bytes, shift);
    const fragment = b64(shifted).slice(shift === 0 ? 0 : 4, Math.floor(shifted.length / 3) * 4);
    if (fragment.length >= 8) forms.push(fragment);
  }
  return forms.flatMap((f) => [f, f.replace(/\+/g, '-').replace(/\//g, '_')]);
}
