import type { HttpRequest } from '../../shared/http-outcome.js';
import { smtpMessageOf } from '../../shared/channels/email-message.js';
import { wrongEncryption } from '../../shared/channels/email-checks.js';
import { loadNodemailer } from './modules.js';
import { isIP, monotonicMs } from '../builtins.js';
import type { SendResult } from './transport.js';

/**
 * The e-mail channel's request (an `smtp://` or `smtps://` URL, the message as JSON, the login
 * as Basic credentials: see shared/channels/email-message.ts) sent with nodemailer, one
 * connection per message. The SMTP reply becomes the answer: its code the status (250, 4xx, 5xx),
 * its text the body, for the channel to classify; a link that fails below SMTP (refused, TLS,
 * timed out) is an error with the system's code, classified as every channel's is. TLS is always
 * verified, as the HTTP transport's is.
 */
/** How long Validate waits for the server's first words: a greeting comes in well under a second. */
const VERIFY_GREETING_MS = 10_000;

export async function sendSmtp(
  req: HttpRequest,
  timeoutMs: number,
  extraCa: string | undefined,
): Promise<SendResult> {
  const started = monotonicMs();
  const latency = () => Math.round(monotonicMs() - started);
  let close = () => {};
  let url: URL | undefined;
  try {
    url = new URL(req.url);
    const message = smtpMessageOf(req.body);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const nodemailer = loadNodemailer();
    const login = credentials(req.headers.authorization);
    // As the HTTP transport: the channel's own CA replaces the public roots, an extra CA adds to them.
    const roots = () => process.getBuiltinModule('node:tls').rootCertificates;
    const ca = req.tls?.ca ?? (extraCa ? [...roots(), extraCa] : undefined);
    const transporter = nodemailer.createTransport({
      host,
      port: Number(url.port),
      secure: url.protocol === 'smtps:',
      requireTLS: message.security === 'starttls',
      ignoreTLS: message.security === 'none',
      ...(login ? { auth: login, forceAuth: true } : {}),
      // An IP address is checked against the certificate without SNI (RFC 6066 allows names only).
      tls: {
        ...(ca ? { ca } : {}),
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: true,
      },
      connectionTimeout: timeoutMs,
      // Validate waits less for the greeting: a server that sends none is most likely one that
      // expects TLS from the first byte (see wrongEncryption), and the user is waiting to hear so.
      // Always shorter than the socket's idle timeout, which would otherwise race it and end a
      // silent server with the plain "did not answer in time" instead of that advice.
      greetingTimeout: Math.min(Math.round(timeoutMs * 0.8), message.verify ? VERIFY_GREETING_MS : Infinity),
      socketTimeout: timeoutMs,
      // Nothing in a message may make nodemailer read a file or fetch a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    close = () => transporter.close();
    if (message.verify) {
      await transporter.verify();
      return ok(250, 'the server accepted the connection and the login', latency());
    }
    const info = await transporter.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      ...(message.inReplyTo ? { inReplyTo: message.inReplyTo, references: message.references } : {}),
      headers: message.headers,
    });
    const code = Number(/^\d{3}/.exec(info.response)?.[0] ?? 250);
    const refused =
      (info as { rejectedErrors?: { recipient?: string; response?: string }[] }).rejectedErrors ?? [];
    const lines = refused.map((e) => `refused: ${e.recipient ?? '?'} (${e.response ?? 'no reason given'})`);
    return ok(code, [info.response, ...lines].join('\n'), latency(), info.messageId);
  } catch (error) {
    const e = error as {
      code?: string;
      originalCode?: string;
      responseCode?: number;
      response?: string;
      message?: string;
    };
    if (typeof e.responseCode === 'number' && e.responseCode >= 200)
      return ok(e.responseCode, e.response ?? e.message ?? '', latency());
    // The system's code (ECONNREFUSED, a certificate's) says more than nodemailer's own (ESOCKET, ETLS).
    const code = e.originalCode ?? e.code;
    const message = e.message ?? String(error);
    const worded = url && wrongEncryption(url.protocol === 'smtps:', url.host, code, message);
    return { ok: false, error: { code, message, ...(worded ? { worded } : {}) }, latencyMs: latency() };
  } finally {
    close();
  }
}

function ok(status: number, body: string, latencyMs: number, messageId?: string): SendResult {
  const headers: Record<string, string> = messageId ? { 'message-id': messageId } : {};
  return { ok: true, response: { status, headers, body }, latencyMs };
}

/** The login the channel put in its Authorization header (RFC 7617 Basic, UTF-8). */
function credentials(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}
