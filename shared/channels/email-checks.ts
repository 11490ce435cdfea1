import type * as z from 'zod';

/** How the link to the mail server is encrypted (see the e-mail channel's `security`). */
export const SECURITY = ['starttls', 'tls', 'none'] as const;

/** The ports of each mode (RFC 8314 §3.3: 465 for TLS from the start; RFC 6409: 587 submission). */
export const DEFAULT_PORTS = { starttls: 587, tls: 465, none: 25 } as const;

/**
 * An address as mail servers take it in MAIL FROM / RCPT TO: a local part without spaces, quotes
 * or the characters that separate addresses, "@", and a domain of letters, digits and hyphens.
 * Quoted local parts and IP literals (RFC 5321 §4.1.2) are left out: no one sends alerts to them.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** The address a message is about: a list's error names the one of its items that is wrong. */
const quoted = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);

/** An address alone, or a display name before it in angle brackets: `Ops <ops@example.com>`. */
export function checkAddress(value: string, ctx: z.RefinementCtx): void {
  const named = /^([^<>]*)<([^<>]*)>$/.exec(value);
  const addr = named ? named[2]!.trim() : value;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value))
    ctx.addIssue({ code: 'custom', message: 'cannot contain line breaks or other control characters' });
  // A comma or semicolon would make two addresses of one, a quote open a quoted name.
  else if (named && /[,;"\\]/.test(named[1]!))
    ctx.addIssue({
      code: 'custom',
      message: `${quoted(value)}: its name before "<" cannot contain , ; " or \\: write it as "Name <name@example.com>"`,
    });
  else if (!ADDRESS.test(addr) || addr.length > 254)
    ctx.addIssue({
      code: 'custom',
      message: `${quoted(value)} is not an e-mail address: write it as name@example.com, or as "Name <name@example.com>"`,
    });
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]+\]?$/;

export function checkHost(value: string, ctx: z.RefinementCtx): void {
  if (value === '') ctx.addIssue({ code: 'custom', message: 'is required, e.g. smtp.example.com' });
  else if (/^[a-z]+:\/\//i.test(value))
    ctx.addIssue({
      code: 'custom',
      message: 'is a host name alone, e.g. smtp.example.com: no "smtp://", and the port goes in --port',
    });
  else if (!HOST.test(value) && !(value.includes(':') && IPV6.test(value)))
    ctx.addIssue({
      code: 'custom',
      message:
        'is not a host name: letters, digits, dots and hyphens, e.g. smtp.example.com (the port goes in --port)',
    });
}

/**
 * A login over a link nobody encrypts sends the password as readable as the alert: refused,
 * unless asked for in so many words (a relay on this machine that has no TLS).
 */
export function plaintextAuthProblem(c: {
  security: (typeof SECURITY)[number];
  user?: string;
  allowPlaintextAuth: 'no' | 'yes';
}): string | null {
  if (c.security !== 'none' || !c.user || c.allowPlaintextAuth === 'yes') return null;
  return (
    // Each choice as its flag and value, which the window words as its field and value (form-words.ts).
    'none would send the user and password unencrypted: use --security starttls or --security tls, ' +
    'or, for a relay on this machine only, --allow-plaintext-auth yes'
  );
}

/**
 * Encryption that does not match the port's, in plain words (null when the error is another):
 * still retried as a fault of the link, since a server may be briefly broken, but saying what to
 * change. TLS from the first byte against a STARTTLS port meets a plain-text greeting, which
 * OpenSSL calls a "wrong version number"; STARTTLS (or none) against a TLS port waits for a
 * greeting that never comes, as that server waits for a TLS hello (nodemailer's greetingTimeout:
 * ETIMEDOUT, "Greeting never received"). `where` is the server's host:port.
 */
export function wrongEncryption(
  tlsFromStart: boolean,
  where: string,
  code: string | undefined,
  message: string,
): { reason: 'tlsError' | 'timeout'; message: string } | null {
  if (tlsFromStart && /WRONG_VERSION_NUMBER|wrong version number/i.test(`${code} ${message}`))
    return {
      reason: 'tlsError',
      message: `the server at ${where} does not speak TLS from the first byte: it probably expects STARTTLS (port ${DEFAULT_PORTS.starttls}): choose --security starttls`,
    };
  if (!tlsFromStart && code === 'ETIMEDOUT' && /greeting/i.test(message))
    return {
      reason: 'timeout',
      message: `no SMTP greeting from ${where}: if it expects TLS from the first byte (port ${DEFAULT_PORTS.tls}), choose --security tls`,
    };
  return null;
}
