import type * as z from 'zod';

/** How the link to the mail server is encrypted (see the e-mail channel's `security`). */
export const SECURITY = ['starttls', 'tls', 'none'] as const;

/**
 * An address as mail servers take it in MAIL FROM / RCPT TO: a local part without spaces, quotes
 * or the characters that separate addresses, "@", and a domain of letters, digits and hyphens.
 * Quoted local parts and IP literals (RFC 5321 §4.1.2) are left out: no one sends alerts to them.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

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
      message: 'its name before "<" cannot contain , ; " or \\: write it as "Name <name@example.com>"',
    });
  else if (!ADDRESS.test(addr) || addr.length > 254)
    ctx.addIssue({
      code: 'custom',
      message: 'is not an e-mail address: write it as name@example.com, or as "Name <name@example.com>"',
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
    'none would send the user and password unencrypted: use --security starttls or tls, ' +
    'or, for a relay on this machine only, --allow-plaintext-auth yes'
  );
}
