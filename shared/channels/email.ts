import * as z from 'zod';
import type { HttpRequest, HttpResponse, Outcome } from '../http-outcome.js';
import type { AlertEvent } from '../event.js';
import type { Channel } from './channel.js';
import { authSettings, base64Utf8 } from './auth.js';
import { bodyText, linkSetting } from './common.js';
import { htmlOf, messageIdOf, plainText, subjectOf, SUBJECT_MAX, type SmtpMessage } from './email-message.js';
import { checkAddress, checkHost, DEFAULT_PORTS, plaintextAuthProblem, SECURITY } from './email-checks.js';
import type { Limits } from './limits.js';
import { channelSettings } from './settings.js';

const limits = {
  text: { subject: SUBJECT_MAX },
  // Gmail takes at most 100 recipients in one message sent over SMTP
  // (https://support.google.com/a/answer/166852); other servers allow more.
  items: { to: 100 },
} as const satisfies Limits;

const address = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .superRefine(checkAddress);

const { schema, fields } = channelSettings(
  {
    host: {
      type: () => z.string({ error: 'is required' }).trim().superRefine(checkHost),
      field: {
        flag: 'host',
        label: 'SMTP server',
        kind: 'text',
        help: "The mail server's host name, e.g. smtp.gmail.com, smtp.office365.com or localhost for a local relay.",
        placeholder: 'smtp.example.com',
      },
    },
    security: {
      type: () => z.enum(SECURITY, { error: `must be one of ${SECURITY.join(', ')}` }).default('starttls'),
      field: {
        flag: 'security',
        label: 'Encryption',
        kind: 'select',
        options: SECURITY,
        help: 'starttls (port 587 by default), tls: encrypted from the start (port 465), or none (port 25; a relay on this machine or a trusted network only).',
      },
    },
    port: {
      type: () =>
        z
          .string()
          .trim()
          // One check, not a regex and a range: zod runs both, and "abc" was refused twice.
          .refine((p) => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535, {
            error: 'must be a port number, 1 to 65535',
          })
          .optional(),
      field: {
        flag: 'port',
        label: 'Port',
        kind: 'text',
        help: 'Optional: 587 with starttls, 465 with tls, 25 with none unless given.',
        placeholder: '587',
      },
    },
    user: {
      type: () =>
        z
          .string()
          .min(1, { error: 'cannot be empty' })
          .refine((u) => !u.includes(':'), { error: 'cannot contain ":"' })
          .optional(),
      field: {
        flag: 'user',
        label: 'User',
        kind: 'text',
        help: 'The login, usually the full address; leave out for a relay that takes mail without one.',
      },
    },
    password: {
      type: () => z.string().min(1, { error: 'cannot be empty' }).optional(),
      field: {
        flag: 'password',
        label: 'Password',
        kind: 'text',
        secret: true,
        help: 'The password, or an app password (Gmail and Office 365 require one with two-step sign-in).',
      },
    },
    allowPlaintextAuth: {
      type: () => z.enum(['no', 'yes'], { error: 'must be no or yes' }).default('no'),
      field: {
        flag: 'allow-plaintext-auth',
        label: 'Send the password unencrypted',
        kind: 'select',
        options: ['no', 'yes'],
        help: 'yes lets the user and password cross a link with encryption none: only for a relay on this machine.',
        showWhen: { key: 'security', in: ['none'] },
      },
    },
    from: {
      type: () => address('the sender'),
      field: {
        flag: 'from',
        label: 'From',
        kind: 'text',
        help: 'The sender: an address the server lets this login send as, e.g. alerts@example.com or "Headroom <alerts@example.com>".',
        placeholder: 'alerts@example.com',
      },
    },
    to: {
      type: () =>
        z
          .array(address('an address'), { error: 'is required: at least one address' })
          .min(1, { error: 'is required: at least one address' })
          .max(limits.items.to, { error: `can be at most ${limits.items.to} addresses` }),
      field: {
        flag: 'to',
        label: 'To',
        kind: 'list',
        help: 'Who gets the alerts: up to 100 addresses (repeat --to; one a line in forms).',
        placeholder: 'oncall@example.com (one per line)',
      },
    },
    ca: authSettings.ca,
    ...linkSetting,
  },
  (object) =>
    object.superRefine((c, ctx) => {
      if (c.password && !c.user)
        ctx.addIssue({ code: 'custom', path: ['user'], message: 'is required with a password' });
      if (c.user && !c.password)
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'is required with a user' });
      const plain = plaintextAuthProblem(c);
      if (plain) ctx.addIssue({ code: 'custom', path: ['security'], message: plain });
    }),
);

export type EmailConfig = z.output<typeof schema>;

/** What the server is reached at: `smtps://` for TLS from the first byte, `smtp://` otherwise. */
function serverUrl(c: EmailConfig): string {
  const host = c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host;
  return `${c.security === 'tls' ? 'smtps' : 'smtp'}://${host}:${c.port ?? DEFAULT_PORTS[c.security]}`;
}

function requestOf(c: EmailConfig, message: SmtpMessage): HttpRequest {
  const login: Record<string, string> = c.user
    ? { authorization: `Basic ${base64Utf8(`${c.user}:${c.password ?? ''}`)}` }
    : {};
  return {
    method: 'POST',
    url: serverUrl(c),
    headers: { 'content-type': 'application/json', ...login },
    body: JSON.stringify(message),
    ...(c.ca ? { tls: { ca: c.ca } } : {}),
  };
}

/**
 * SMTP replies (RFC 5321 §4.2.1): 2yz done, 4yz a temporary failure worth trying again, 5yz a
 * permanent one; 530/534/535 refuse the login (RFC 4954 §6).
 */
function classifyReply(res: HttpResponse, what: string): Outcome {
  const said = bodyText(res.body) || `SMTP ${res.status}`;
  if (res.status >= 200 && res.status < 300) return { kind: 'delivered' };
  if ([530, 534, 535, 538].includes(res.status))
    return {
      kind: 'failed',
      reason: 'authError',
      message: `the mail server refused the login (${said}): check user and password (Gmail and Office 365 need an app password)`,
    };
  // 454: TLS not available now (RFC 3207 §4), or no STARTTLS at all on a server that is plain.
  if (res.status === 454)
    return {
      kind: 'retry',
      reason: 'tlsError',
      message: `the mail server could not start TLS (${said}); if it offers none, --security tls (port 465) or a relay may`,
    };
  if (res.status >= 400 && res.status < 500)
    return {
      kind: 'retry',
      reason: 'serverError',
      message: `the mail server deferred ${what} (${said}); it asks to try again later`,
    };
  return { kind: 'failed', reason: 'vendorError', message: `the mail server refused ${what} (${said})` };
}

export const email: Channel<EmailConfig> = {
  type: 'email',
  label: 'E-mail',
  aliases: ['smtp'],
  fields,
  schema,
  limits,

  render(event, config): HttpRequest {
    const thread = event.thread?.messageId;
    return requestOf(config, {
      security: config.security,
      from: config.from,
      to: config.to,
      subject: subjectOf(event),
      text: plainText(event, config.linkUrl),
      html: htmlOf(event, config.linkUrl),
      messageId: messageIdOf(event, config.from),
      ...(thread ? { inReplyTo: thread, references: thread } : {}),
      // RFC 3834: an automatic message, which vacation responders must not answer.
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  },

  classify(res) {
    const outcome = classifyReply(res, 'the message');
    // Some recipients refused, the others took it (the transport lists the refused ones).
    if (outcome.kind === 'delivered' && /^refused:/m.test(res.body))
      return { kind: 'delivered', note: res.body.slice(res.body.search(/^refused:/m)).trim() };
    return outcome;
  },

  // The first message of an alert starts its thread: the follow-ups and the all-clear answer it.
  threadOf(_res, event: AlertEvent, config) {
    return { messageId: messageIdOf(event, config.from) };
  },

  // The subject first, as a mail client lists it, then the text part.
  shown: (event, config) => ({
    title: subjectOf(event),
    text: `${subjectOf(event)}\n\n${plainText(event, config.linkUrl)}`,
  }),

  // Neither pages nor de-duplicates: a test leaves nothing open to resolve, and a message sent
  // again after a stop mid-send arrives twice, the second marked as a possible repeat. Its thread
  // is In-Reply-To alone, which no server refuses.
  traits: { threadInHeaders: true },

  check(config) {
    return {
      request: requestOf(config, { security: config.security, verify: true }),
      timeoutMs: 15_000,
      verify(res) {
        const outcome = classifyReply(res, 'the connection');
        if (outcome.kind !== 'delivered') return outcome;
        const how = { starttls: 'over STARTTLS', tls: 'over TLS', none: 'unencrypted' }[config.security];
        const who = config.user ? `logged in as ${config.user}` : 'connected (no login set)';
        return {
          kind: 'delivered',
          note: `the mail server at ${serverUrl(config).replace(/^smtps?:\/\//, '')} ${who} ${how}; nothing was sent`,
        };
      },
    };
  },
};
