/** What an adapter asks the dispatcher to send. No transport detail beyond what HTTP needs. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** PEM strings: a private CA to trust, and a client certificate for mutual TLS. */
  tls?: { ca?: string; cert?: string; key?: string };
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The first 64 KiB, as text: enough for every vendor's error reply. */
  body: string;
}

/**
 * One vocabulary of failure reasons for every channel: it becomes a column in the history, and
 * decides nothing by itself (the outcome kind does).
 */
export type ReasonCode =
  | 'authError'
  | 'rateLimited'
  | 'clientError'
  | 'serverError'
  | 'vendorError'
  | 'timeout'
  | 'networkError'
  | 'tlsError'
  | 'challengeFailed'
  | 'configError'
  /** A bug in Headroom itself, not the configuration nor the receiver: worth a bug report. */
  | 'internalError'
  /** This machine, not the receiver: out of open files, memory or disk. */
  | 'localResources'
  /** Headroom was stopped (killed, a power cut) after sending, before the answer came. */
  | 'interrupted';

export type Outcome =
  | { kind: 'delivered'; note?: string }
  | {
      kind: 'retry';
      reason: ReasonCode;
      message: string;
      retryAfterMs?: number;
      /** For replies that look transient but often are not (Rocket.Chat's 503): stop after this many. */
      maxAttempts?: number;
      /**
       * Some receivers took it and only the others are tried again (an Alertmanager peer that
       * missed a resolve): from this time (epoch ms) on they no longer need it, and it counts as
       * delivered.
       */
      enoughAt?: number;
    }
  | { kind: 'failed'; reason: ReasonCode; message: string };

/** Seconds or an HTTP date (RFC 9110 §10.2.3), as milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The HTTP layer of classification that most channels share: 2xx delivered, 408/429/5xx retried
 * (with Retry-After), a redirect not followed, 401/403 a bad credential, any other 4xx (413: too
 * large) a request the receiver will never accept. Adapters add the vendor's body on top.
 */
export function classifyStatus(res: HttpResponse, now: number): Outcome {
  const s = res.status;
  const said = res.body ? `: ${snippet(res.body)}` : '';
  if (s >= 200 && s < 300) return { kind: 'delivered' };
  if (s === 429) {
    return {
      kind: 'retry',
      reason: 'rateLimited',
      message: `rate limited (HTTP 429)${said}`,
      retryAfterMs: parseRetryAfter(res.headers['retry-after'], now),
    };
  }
  if (s === 408 || s >= 500) {
    const reason = s === 408 ? 'timeout' : 'serverError';
    return {
      kind: 'retry',
      reason,
      message: `the receiver failed (HTTP ${s})${said}`,
      retryAfterMs: parseRetryAfter(res.headers['retry-after'], now),
    };
  }
  if (s >= 300 && s < 400) {
    // Not followed: a POST redirected may lose its body, or go where the user did not say.
    const to = res.headers.location ? ` to ${snippet(res.headers.location)}` : '';
    return {
      kind: 'failed',
      reason: 'clientError',
      message: `the receiver answered with a redirect (HTTP ${s})${to}: use the URL it names`,
    };
  }
  if (s === 413) {
    return {
      kind: 'failed',
      reason: 'clientError',
      message: `the receiver refused the message as too large (HTTP 413)${said}`,
    };
  }
  if (s === 401 || s === 403) {
    return {
      kind: 'failed',
      reason: 'authError',
      message: `the receiver refused the credentials (HTTP ${s})${said}`,
    };
  }
  return {
    kind: 'failed',
    reason: 'clientError',
    message: `the receiver rejected the request (HTTP ${s})${said}`,
  };
}

/**
 * What a refused certificate means, by the code Node gives its OpenSSL verdict: the user has to
 * know which of these it is, since each is fixed in a different place.
 */
const TLS_PROBLEMS: [RegExp, string][] = [
  [/^CERT_HAS_EXPIRED$/, "the receiver's certificate has expired; it must be renewed on the receiver"],
  [/^CERT_NOT_YET_VALID$/, "the receiver's certificate is not valid yet; check both machines' clocks"],
  [
    /SELF_SIGNED|UNABLE_TO_VERIFY_LEAF|UNABLE_TO_GET_ISSUER|CERT_UNTRUSTED/,
    "the receiver's certificate is not trusted: no CA this machine trusts signed it; a private CA is trusted with the CA option",
  ],
  [
    /^ERR_TLS_CERT_ALTNAME_INVALID$/,
    "the receiver's certificate is for another host than the one in the URL",
  ],
];

/** Errors that say this machine is short of something, whatever the receiver does. */
const LOCAL_SHORTAGES: Record<string, string> = {
  EMFILE: 'open files',
  ENFILE: 'open files (system-wide)',
  ENOMEM: 'memory',
  ENOBUFS: 'network buffers',
  ENOSPC: 'disk space',
};

/** A retry for an error that says this machine is short of something, or null. */
export function localShortage(code: unknown): Outcome | null {
  const what = typeof code === 'string' ? LOCAL_SHORTAGES[code] : undefined;
  if (!what) return null;
  return {
    kind: 'retry',
    reason: 'localResources',
    message: `this machine ran out of ${what} (${String(code)}); Headroom tries again, and sends once there is room`,
  };
}

/**
 * Errors below HTTP, by their Node/undici code. All but a request undici refuses to build are
 * retried: a network that is down, a receiver restarting or a certificate about to be renewed all
 * come back, and an alert must not be lost to them; the message says what to fix if it does not.
 */
export function classifyTransportError(code: string | undefined, message: string): Outcome {
  const c = code ?? '';
  const local = localShortage(c);
  if (local) return local;
  // undici refused to build the request (a header it does not allow, saved before the settings
  // were checked for that): every retry would fail the same way.
  if (c === 'UND_ERR_INVALID_ARG' || c === 'UND_ERR_NOT_SUPPORTED') {
    return {
      kind: 'failed',
      reason: 'configError',
      message: `the request cannot be sent as configured (${message}); edit the integration's headers or credentials`,
    };
  }
  if (
    c === 'TimeoutError' ||
    c === 'UND_ERR_CONNECT_TIMEOUT' ||
    c === 'UND_ERR_HEADERS_TIMEOUT' ||
    c === 'UND_ERR_BODY_TIMEOUT' ||
    c === 'ETIMEDOUT'
  ) {
    return { kind: 'retry', reason: 'timeout', message: 'the receiver did not answer in time' };
  }
  if (/CERT|SSL|TLS|SELF_SIGNED|ERR_TLS|HOSTNAME/i.test(c) || /certificate/i.test(message)) {
    const known = TLS_PROBLEMS.find(([code]) => code.test(c))?.[1];
    return {
      kind: 'retry',
      reason: 'tlsError',
      message: known
        ? `TLS failed: ${known} (${c})`
        : `TLS failed: ${message} (check the receiver's certificate and the CA option)`,
    };
  }
  if (c === 'UND_ERR_SOCKET' || c === 'ECONNRESET' || c === 'EPIPE') {
    return {
      kind: 'retry',
      reason: 'networkError',
      message: `the connection was closed mid-request (${message}); with mutual TLS this is how a rejected client certificate shows`,
    };
  }
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN') {
    return {
      kind: 'retry',
      reason: 'networkError',
      message: `the host name did not resolve (${message}): check the URL, or this machine's DNS`,
    };
  }
  if (c === 'ECONNREFUSED')
    return {
      kind: 'retry',
      reason: 'networkError',
      message: 'connection refused: nothing listens at that address',
    };
  return { kind: 'retry', reason: 'networkError', message: c ? `${message} (${c})` : message };
}

/**
 * A result with the receiver's answer after it: "Test delivered (HTTP 200, 38 ms)". The status is
 * left out where the text already names it ("the receiver failed (HTTP 503)"), so it is said once.
 */
export function withAnswer(
  text: string,
  status: number | undefined,
  latencyMs: number | undefined,
  /** What the status is (see shared/channels/protocols.ts): e-mail's are SMTP replies. */
  protocol: 'HTTP' | 'SMTP' = 'HTTP',
): string {
  const meta = [
    status === undefined || text.includes(`${protocol} ${status}`) ? '' : `${protocol} ${status}`,
    latencyMs === undefined ? '' : `${latencyMs} ms`,
  ].filter(Boolean);
  return meta.length ? `${text} (${meta.join(', ')})` : text;
}
