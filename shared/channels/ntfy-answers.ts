import { classifyStatus, type HttpRequest, type HttpResponse, type Outcome } from '../http-outcome.js';
import type { RemoteCheck } from './channel.js';
import { safeJson } from './common.js';
import type { NtfyConfig } from './ntfy-settings.js';

/**
 * What ntfy answers, from its server (binwiederhier/ntfy@81a486a, server/errors.go): every error
 * is `{"code":40301,"http":403,"error":"forbidden","link":"…"}`, the code naming the case
 * (40101 unauthorized, 40301 forbidden, 40009 topic invalid, 41303 JSON body too large, 42901
 * too many requests, 42908 daily message quota…); a publish answers 200 with the message it made
 * (`"event":"message"`), the topic check `GET /<topic>/auth` 200 with `{"success":true}`.
 * https://github.com/binwiederhier/ntfy/blob/81a486adc11fe24efcbedefb28ae946028597c2f/server/errors.go
 */
interface NtfyError {
  code: number;
  error: string;
}

function errorOf(body: string): NtfyError | undefined {
  const json = safeJson(body) as { code?: unknown; error?: unknown } | undefined;
  return typeof json?.code === 'number' && typeof json.error === 'string'
    ? { code: json.code, error: json.error.slice(0, 200) }
    : undefined;
}

const said = (res: HttpResponse, e = errorOf(res.body)) =>
  e ? `HTTP ${res.status}, ${e.code} "${e.error}"` : `HTTP ${res.status}`;

const credentials = (c: NtfyConfig) =>
  c.auth === 'token' ? 'the access token' : c.auth === 'basic' ? 'the user and password' : 'no credentials';

const failed = (reason: 'authError' | 'vendorError' | 'clientError', message: string): Outcome => ({
  kind: 'failed',
  reason,
  message,
});

/** What 429's codes mean for the person reading the history. */
const RATE_LIMITS: Record<number, string> = {
  42908: ': the daily message quota is used up (ntfy.sh allows 250 a day without an account)',
  42909: ': too many failed logins from this machine; check the credentials',
};

export function ntfyClassify(res: HttpResponse, c: NtfyConfig, now: number): Outcome {
  const e = errorOf(res.body);
  const topic = `topic "${c.topic}" on ${c.serverUrl}`;
  if (res.status >= 200 && res.status < 300) {
    // A publish answers with the message made: a 200 without one came from something else (a
    // proxy's login page, another service at this address), and no notification was made.
    const json = safeJson(res.body) as { event?: unknown } | undefined;
    if (json?.event === 'message') return { kind: 'delivered' };
    return failed(
      'vendorError',
      `${c.serverUrl} answered HTTP ${res.status} without the message ntfy returns: is it an ntfy server?`,
    );
  }
  if (res.status === 401)
    return failed(
      'authError',
      c.auth === 'none'
        ? `ntfy asks for credentials (${said(res, e)}): give an access token with write access to ${topic}`
        : `ntfy did not accept ${credentials(c)} (${said(res, e)}): check ${credentials(c)}; a token may have been deleted or expired`,
    );
  if (res.status === 403)
    return failed(
      'authError',
      c.auth === 'none'
        ? `ntfy forbids publishing to ${topic} without credentials (${said(res, e)}): the topic is reserved or protected; give an access token with write access to it`
        : `ntfy forbids ${credentials(c)} to publish to ${topic} (${said(res, e)}): check the access token and the topic's access; the user needs write access to it`,
    );
  if (res.status === 429) {
    // 42904: the server holds as many topics as it allows; only its admin can change that.
    if (e?.code === 42904) return failed('vendorError', `ntfy refused a new topic (${said(res, e)})`);
    const http = classifyStatus(res, now);
    return http.kind === 'retry'
      ? { ...http, message: `ntfy rate limit (${said(res, e)})${(e && RATE_LIMITS[e.code]) ?? ''}` }
      : http;
  }
  if (res.status === 413)
    return failed('clientError', `ntfy refused the message as too large (${said(res, e)})`);
  // Its own words for the rest of 4xx: 40009 topic invalid, 40010 topic not allowed, 40014
  // attachments not allowed…
  if (e && res.status >= 400 && res.status < 500)
    return failed('vendorError', `ntfy rejected the message (${said(res, e)})`);
  const http = classifyStatus(res, now);
  return e && http.kind === 'retry' ? { ...http, message: `ntfy failed (${said(res, e)})` } : http;
}

/**
 * Validate: `GET /<topic>/auth`, the check ntfy's web app makes before subscribing (server.go
 * handleTopicAuth), publishes nothing. It tells whether these credentials (or none) may *read*
 * the topic: ntfy checks write access only on a publish, and grants read and write separately.
 */
export function ntfyCheck(c: NtfyConfig, request: HttpRequest): RemoteCheck {
  const topic = `topic "${c.topic}"`;
  return {
    request,
    timeoutMs: 10_000,
    verify(res) {
      if (res.status === 200) {
        const json = safeJson(res.body) as { success?: unknown } | undefined;
        if (json?.success !== true)
          return failed(
            'vendorError',
            `${c.serverUrl} answered the topic check without ntfy's {"success":true}: is it an ntfy server?`,
          );
        return {
          kind: 'delivered',
          note:
            c.auth === 'none'
              ? `${topic} is open: ${c.serverUrl} lets anyone who knows its name read it, without credentials`
              : `${c.serverUrl} accepts ${credentials(c)} for ${topic} (checked for reading: ntfy tells write access only on a publish, which Send test makes)`,
        };
      }
      if (res.status === 403)
        return failed(
          'authError',
          `${c.auth === 'none' ? 'anyone without credentials' : credentials(c)} may not read ${topic} on ${c.serverUrl} (${said(res)}): check the topic's access. ` +
            'ntfy checks only read access without publishing: if these credentials may only write, save without checking and use Send test',
        );
      if (res.status === 404)
        return failed(
          'vendorError',
          `${c.serverUrl} has no ntfy topic check (${said(res)}): is it the address of an ntfy server?`,
        );
      return ntfyClassify(res, c, Date.now());
    },
  };
}
