import { details, facts, title, type AlertEvent } from '../event.js';
import { STATE_COLORS, hexColor } from './common.js';
import { fitEvent } from './fit.js';
import { escapeHtml } from './markup.js';

/**
 * The bridge between the e-mail channel and the one transport: SMTP is not HTTP, so the channel
 * renders an `HttpRequest` whose URL is `smtp://host:port` (STARTTLS or none) or
 * `smtps://host:port` (TLS from the first byte), whose Authorization header carries the login as
 * Basic credentials (so it is masked as every other credential is, see `requestSecrets`), and
 * whose body is this JSON. core/delivery/smtp-transport.ts sends it with nodemailer and answers
 * with the SMTP reply as the status (250, 4xx, 5xx) and the server's words as the body.
 */
export interface SmtpMessage {
  /** How the link is encrypted: STARTTLS required, TLS from the start, or not at all. */
  security: 'starttls' | 'tls' | 'none';
  /** Connect and log in, send nothing (Validate): the answer is 250 once logged in. */
  verify?: true;
  from?: string;
  to?: string[];
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  /** The alert's first message, on its follow-ups and its all-clear (RFC 5322 §3.6.4). */
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
}

export const SMTP_SCHEMES = ['smtp:', 'smtps:'] as const;

/**
 * The subject's longest, in characters: the state and the mount come first, and mail clients'
 * lists and phone notifications show well under this much, so a longer one is only cut off on
 * screen; cut here with "…", it stays readable and its header stays within RFC 5322's 998
 * characters a line (https://www.rfc-editor.org/rfc/rfc5322#section-2.1.1) once encoded.
 */
export const SUBJECT_MAX = 200;

/**
 * RFC 5322 §2.1.1: a line of a message is at most 998 characters. nodemailer folds headers and
 * encodes a body with longer lines (quoted-printable), so no text needs cutting for it; the
 * tests check every line that reaches the server.
 */
export const LINE_MAX = 998;

/** CR, LF and every other control character: a header cannot carry them (no header injection). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/gu;

/** Text for a header: on one line, whatever a mount is named. */
export const headerText = (text: string): string => text.replace(CONTROLS, ' ');

export function subjectOf(e: AlertEvent): string {
  return fitEvent(e, (x) => headerText(`[Headroom] ${title(x)}`), SUBJECT_MAX).text;
}

/**
 * The Message-ID of an alert's first message (RFC 5322 §3.6.4): unique to the delivery (a new
 * alert on the same disk starts a new thread; mail clients drop a second message with an ID they
 * have seen), the same on every retry of it, and made of nothing from the disk.
 */
export function messageIdOf(e: AlertEvent, from: string): string {
  const domain = (/@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'headroom.invalid').toLowerCase();
  const id = e.id.replace(/[^A-Za-z0-9.-]/g, '-');
  return `<headroom.${id}@${domain}>`;
}

export function plainText(e: AlertEvent, link: string | undefined): string {
  const lines = [
    title(e),
    '',
    details(e),
    '',
    ...facts(e).map((f) => `${f.label}: ${f.value}`),
    ...(link ? ['', link] : []),
    '',
    '-- ',
    'Sent by Headroom, the disk space watcher.',
  ];
  return lines.join('\n');
}

/**
 * The HTML part: every text from the disk or a template escaped (it shows as written and makes
 * no markup), styled inline as mail clients require, with the state's colour as chat cards have.
 */
export function htmlOf(e: AlertEvent, link: string | undefined): string {
  const color = hexColor(STATE_COLORS[e.to]);
  const rows = facts(e)
    .map(
      (f) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const paragraphs = details(e)
    .split('\n')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');
  const heading = escapeHtml(title(e));
  const linked = link ? `<a href="${escapeHtml(link)}">${heading}</a>` : heading;
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>',
    '<body style="font-family:sans-serif">',
    `<h2 style="border-left:6px solid ${color};padding-left:8px">${linked}</h2>`,
    paragraphs,
    `<table style="border-collapse:collapse">${rows}</table>`,
    '<p style="color:#667085;font-size:small">Sent by Headroom, the disk space watcher.</p>',
    '</body></html>',
  ].join('\n');
}

/** Parses a request made by `render` back, for the transport (which trusts only what it checks). */
export function smtpMessageOf(body: string | undefined): SmtpMessage {
  const m = JSON.parse(body ?? '{}') as SmtpMessage;
  if (!['starttls', 'tls', 'none'].includes(m.security)) throw new Error('no SMTP security mode');
  return m;
}
