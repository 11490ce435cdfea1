import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import type { HttpRequest, HttpResponse } from '../../shared/http-outcome.js';
import { loadUndici } from './modules.js';
import { SMTP_SCHEMES } from '../../shared/channels/email-message.js';
import { sendSmtp } from './smtp-transport.js';
import { monotonicMs } from '../builtins.js';

const MAX_BODY = 64 * 1024;

export type SendResult =
  | { ok: true; response: HttpResponse; latencyMs: number }
  | { ok: false; error: TransportError; latencyMs: number };

/**
 * A failure below HTTP (or SMTP): the system's code and words, and, where the transport knows
 * what it means for the settings (an SMTP port's encryption), `worded` in plain words, retried
 * with that reason.
 */
export interface TransportError {
  code?: string;
  message: string;
  worded?: { reason: 'tlsError' | 'timeout'; message: string };
}

export type Transport = (req: HttpRequest, timeoutMs: number) => Promise<SendResult>;

/**
 * The only code that talks HTTP (and, through smtp-transport.ts, SMTP). One connection pool per TLS configuration, reused across
 * deliveries; HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured; TLS is always verified (there is
 * deliberately no option to turn that off: a private CA is trusted with the `ca` option instead).
 * `lookup` replaces the system resolver (tests use it to fail name resolution without any DNS
 * traffic).
 */
/** The transport as the runtime holds it: `warm` loads what a first send needs, ahead of it. */
export type HttpClient = Transport & { close(): Promise<void>; warm?(): void };

export function createTransport(options: { extraCa?: string; lookup?: LookupFunction } = {}): HttpClient {
  const agents = new Map<string, Dispatcher>();
  // undici is loaded on the first send: an idle watcher with nothing to deliver does not pay for it.
  let undici: typeof import('undici') | undefined;
  const agentFor = (tls: HttpRequest['tls']): Dispatcher => {
    const key = JSON.stringify(tls ?? {});
    let agent = agents.get(key);
    if (!agent) {
      // An extra CA adds to the public roots (as NODE_EXTRA_CA_CERTS does); a channel's own
      // `ca` option replaces them, trusting that private CA alone for that receiver.
      const trust = tls?.ca
        ? {}
        : options.extraCa
          ? { ca: [...process.getBuiltinModule('node:tls').rootCertificates, options.extraCa] }
          : {};
      const connect = { ...trust, ...tls, ...(options.lookup ? { lookup: options.lookup } : {}) };
      // `connect` applies to direct connections, `requestTls` to the target behind a proxy.
      agent = new undici!.EnvHttpProxyAgent({ connect, requestTls: connect, keepAliveTimeout: 30_000 });
      agents.set(key, agent);
    }
    return agent;
  };

  const send: Transport = async (req, timeoutMs) => {
    // The e-mail channel's messages (see shared/channels/email-message.ts); nodemailer is loaded on the first.
    if (SMTP_SCHEMES.some((scheme) => req.url.startsWith(`${scheme}//`)))
      return sendSmtp(req, timeoutMs, options.extraCa);
    const started = monotonicMs();
    const latency = () => Math.round(monotonicMs() - started);
    try {
      undici ??= loadUndici();
      const res = await undici.request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: agentFor(req.tls),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await readCapped(res.body);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined)
          headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { ok: true, response: { status: res.statusCode, headers, body }, latencyMs: latency() };
    } catch (error) {
      return { ok: false, error: describe(error), latencyMs: latency() };
    }
  };

  return Object.assign(send, {
    /**
     * Loads undici now. Its first load takes 0.1 s on a quiet machine and 0.3–0.5 s on a busy
     * one, and it blocks: paid at the crossing, it delayed the first alert of every run by that
     * much. The watcher calls this once a disk nears a threshold, which an idle watcher far from
     * its thresholds never does.
     */
    warm() {
      try {
        undici ??= loadUndici();
      } catch {
        // The send loads it again, and says why if it cannot.
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
      agents.clear();
    },
  });
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BODY) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

/** The code that says what went wrong, from the error or the cause undici wraps it in. */
function describe(error: unknown): { code?: string; message: string } {
  const e = error as {
    code?: unknown;
    name?: string;
    message?: string;
    cause?: { code?: unknown; message?: string };
  };
  // AbortSignal.timeout() rejects with a DOMException whose `code` is the number 23.
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return { code: 'TimeoutError', message: 'timed out' };
  const str = (c: unknown) => (typeof c === 'string' ? c : undefined);
  const code = str(e.cause?.code) ?? str(e.code);
  const message = e.cause?.message ?? e.message ?? String(error);
  return { code, message };
}
