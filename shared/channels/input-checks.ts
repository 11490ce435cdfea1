import { MASK } from '../mask.js';
import type { FieldError } from '../validation.js';
import { authMismatches } from './auth.js';
import type { Channel } from './channel.js';

/**
 * Checks made when settings are saved, on top of the channel's schema (which a stored integration
 * must pass to be loaded at all). Kept apart, as template checks are, so that an integration saved
 * before a check existed still loads and alerts — and is told what to fix at its next edit —
 * instead of going quiet. No message quotes a value: any of them may be a secret.
 */
export function inputProblems(channel: Channel, config: Record<string, unknown>): FieldError[] {
  // A key no field declares would be dropped by the schema without a word: a typo looks saved.
  const known = channel.fields.map((f) => f.key);
  const errors: FieldError[] = Object.keys(config)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      field: key || '""', // a key with no name still has to be named
      message: `is not a ${channel.label} setting; its settings are ${known.join(', ')}`,
    }));
  errors.push(...authMismatches(channel.fields, config));
  const basicAuth = channel.fields.some((f) => f.key === 'auth' && f.options?.includes('basic'));
  for (const f of channel.fields) {
    const value = config[f.key];
    if ((f.kind === 'url' || f.of === 'url') && typeof value === 'string') {
      const problem = urlProblem(value, basicAuth);
      if (problem) errors.push({ field: f.key, message: problem });
    }
    if (f.of === 'url' && Array.isArray(value)) {
      value.forEach((url, i) => {
        const problem = typeof url === 'string' ? urlProblem(url, basicAuth) : null;
        if (problem) errors.push({ field: `${f.key}.${i}`, message: problem });
      });
    }
    if (f.header === 'lines' && Array.isArray(value)) {
      value.forEach((line, i) => {
        const problem = typeof line === 'string' ? headerLineProblem(line) : null;
        if (problem) errors.push({ field: `${f.key}.${i}`, message: problem });
      });
    }
    if ((f.header === 'raw' || f.header === 'encoded') && typeof value === 'string') {
      const problem =
        f.header === 'raw'
          ? headerValueProblem(value)
          : hasControl(value)
            ? 'cannot contain line breaks or other control characters'
            : headerSizeProblem(Math.ceil(value.length / 3) * 4);
      if (problem) errors.push({ field: f.key, message: problem });
    }
  }
  return errors;
}

/**
 * Headers that belong to the connection, not to the message (RFC 9110 §7.6.1, RFC 9112 §6–7),
 * which undici refuses outright or which would corrupt the request: every send would fail.
 * (Content-Length and Host are refused by the schema, as headers Headroom sets itself.)
 */
const CONNECTION_HEADERS = [
  'connection',
  'expect',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * RFC 9110 §5.5: a field value is visible ASCII, spaces, tabs and obs-text (\x80–\xff, which
 * travels as Latin-1). undici refuses anything else, at every send.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Whether the text has a C0 control or DEL (a tab only counts without `allowTab`). */
function hasControl(value: string, allowTab = false): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && !(allowTab && c === 0x09)) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Receivers refuse a request header line over 8 KiB (nginx's large_client_header_buffers and
 * Apache's LimitRequestFieldSize defaults): a longer token would fail every send, and a file
 * given by mistake (a log, a key pair) is not a token.
 */
const MAX_HEADER_VALUE = 8 * 1024;

function headerSizeProblem(length: number): string | null {
  return length > MAX_HEADER_VALUE
    ? `is too long for an HTTP header (${length} characters; receivers refuse one over ${MAX_HEADER_VALUE})`
    : null;
}

/** Why a value cannot go into a header as it is, or null. */
function headerValueProblem(value: string): string | null {
  const size = headerSizeProblem(value.length);
  if (size) return size;
  if (/[\r\n]/.test(value)) return 'cannot contain line breaks';
  if (hasControl(value, true)) return 'cannot contain control characters';
  if (!HEADER_VALUE.test(value))
    return 'can hold only Latin-1 characters (HTTP headers cannot carry other Unicode characters)';
  return null;
}

/** A `Name: value` line the schema accepted (it has a valid name), checked for what HTTP allows. */
function headerLineProblem(line: string): string | null {
  const colon = line.indexOf(':');
  if (colon < 1) return null; // the schema says what is wrong with it
  const name = line.slice(0, colon).trim();
  const lower = name.toLowerCase();
  if (CONNECTION_HEADERS.includes(lower) || lower.startsWith('proxy-'))
    return `${name} belongs to the HTTP connection and cannot be set; remove it`;
  const problem = headerValueProblem(line.slice(colon + 1).trim());
  return problem ? `the value of ${name} ${problem}` : null;
}

/**
 * A URL with what a URL must not hold: control characters (a pasted line break), a masked value
 * pasted back from `integration list` or a form (saving it would lose the real one), or
 * `user:password@`, which fetch never sends — no Authorization header would go out.
 */
function urlProblem(raw: string, basicAuth: boolean): string | null {
  const value = raw.trim();
  if (hasControl(value)) return 'cannot contain line breaks, tabs or other control characters';
  if (value.includes(MASK) || safeDecode(value).includes(MASK))
    return `still holds a masked value (${MASK}): give the whole URL, with its real query values`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null; // the schema says what is wrong with it
  }
  const problem = userInfoProblem(url);
  return problem && basicAuth ? `${problem}; use --auth basic with --user and --password` : problem;
}

/** `user:password@` in a URL: fetch never sends it, so no Authorization header would go out. */
export function userInfoProblem(url: URL): string | null {
  return url.username || url.password
    ? 'cannot hold a user name or password (user:password@ is never sent)'
    : null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
