import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './tls.js';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The verified client certificate's subject CN, with mutual TLS. */
  clientCn?: string;
  /** What the receiver answered (status), set once it answered. */
  answered?: number;
}

/**
 * How to answer one request: a status and body (after `delayMs`, a slow endpoint), or `hang` (never
 * answer), `reset` (drop the connection before answering) or `cut` (send the status and half the
 * announced body, then drop it).
 */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | 'hang'
  | 'reset'
  | 'cut';

/** A JSON answer, as the vendors' APIs give one. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/**
 * A real HTTPS server on 127.0.0.1 standing in for a vendor endpoint: it records every request
 * and answers from a script (then 200 by default). Tests wait on its requests, never on time.
 */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly script: (Reply | ((r: Received) => Reply))[] = [];
  private fallback: Reply | ((r: Received) => Reply) = { status: 200, body: 'ok' };
  private readonly waiters: (() => void)[] = [];
  private readonly hanging = new Map<ServerResponse, Received>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  static async start(pki: TestPki, options: { mtls?: boolean } = {}): Promise<Receiver> {
    const r = new Receiver();
    r.server = createServer(
      {
        cert: pki.serverCert,
        key: pki.serverKey,
        ca: pki.ca,
        requestCert: !!options.mtls,
        rejectUnauthorized: !!options.mtls,
      },
      (req, res) => r.handle(req, res),
    );
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    r.url = `https://127.0.0.1:${(r.server.address() as AddressInfo).port}`;
    return r;
  }

  /** Answers the next requests in this order, then falls back to `always` (default 200 ok). */
  reply(...replies: (Reply | ((r: Received) => Reply))[]): this {
    this.script.push(...replies);
    return this;
  }

  always(reply: Reply | ((r: Received) => Reply)): this {
    this.fallback = reply;
    return this;
  }

  /** Resolves with the n-th request (1-based) once it has arrived. */
  async request(n: number): Promise<Received> {
    await this.until(() => this.requests.length >= n);
    return this.requests[n - 1]!;
  }

  /** Resolves once `count` requests were answered with a 2xx. */
  async accepted(count: number): Promise<Received[]> {
    const ok = () => this.requests.filter((r) => r.answered !== undefined && r.answered < 300);
    await this.until(() => ok().length >= count);
    return ok();
  }

  /** Resolves once `ready()` holds, looked at after every request and every answer. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  /** Answers every request left hanging, with `status` (or the reply `answer` gives for each). */
  release(answer: number | ((r: Received) => Exclude<Reply, string>) = 200): void {
    for (const [res, received] of this.hanging) {
      if (typeof answer === 'function') this.answer(res, received, answer(received));
      else {
        received.answered = answer;
        res.writeHead(answer).end('released');
      }
    }
    this.hanging.clear();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Stops the server; safe to call twice. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.release(503);
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const peer = (req.socket as TLSSocket).getPeerCertificate?.();
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(peer?.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
      };
      this.requests.push(received);
      const step = this.script.shift() ?? this.fallback;
      const reply = typeof step === 'function' ? step(received) : step;
      if (reply === 'hang') this.hanging.set(res, received);
      else if (reply === 'reset') req.socket.destroy();
      else if (reply === 'cut') {
        const body = 'x'.repeat(4096);
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.slice(0, body.length / 2), () => req.socket.destroy());
      } else if (reply.delayMs) {
        const timer = setTimeout(() => {
          this.delayed.delete(timer);
          this.answer(res, received, reply);
        }, reply.delayMs);
        this.delayed.add(timer);
      } else this.answer(res, received, reply);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** `answered` is set when the answer is written, even if the client has gone meanwhile. */
  private answer(res: ServerResponse, received: Received, reply: Exclude<Reply, string>) {
    received.answered = reply.status;
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers }).end(reply.body ?? '');
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A receiver that answers the webhook challenge the way the contract says. */
export function answerChallenge(secret: string) {
  return (r: Received) => {
    const token = new URL(r.url, 'https://x').searchParams.get('crc_token');
    if (r.method !== 'GET' || !token) return { status: 200, body: 'ok' };
    const digest = createHmac('sha256', secret).update(token).digest('base64');
    return {
      status: 200,
      body: JSON.stringify({ response_token: `sha256=${digest}` }),
      headers: { 'content-type': 'application/json' },
    };
  };
}
