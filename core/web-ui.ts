import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { serverTimeouts, shareConnections, type ServerLimits } from './http-limits.js';
import { createServer, monotonicMs } from './builtins.js';
import { readFile } from './fs/promised.js';
import { EVENTS, type EventName } from '../shared/ipc/names.js';
import type { createApi } from './api.js';
import { callApi } from './api-call.js';
import { webUiAuth } from './web-ui-auth.js';
import { hostPolicy, isLoopback, thisMachine, type UiHost } from './web-ui-hosts.js';
import { readBody, send } from './web-ui-http.js';
import type { Watcher } from './watcher.js';

/**
 * An event stream carries a comment this often: proxies keep it open, and the page, hearing nothing
 * for three times as long (renderer/src/client.ts), says it lost contact with the watcher.
 */
const KEEP_ALIVE_MS = 10_000;

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export interface WebUiOptions {
  host: string;
  port: number;
  staticDir: string;
  /** Binding anything but loopback exposes the UI to the network: only with explicit consent. */
  allowRemote?: boolean;
  /** With allowRemote: more names clients use (a proxy's), besides this machine's own. */
  uiHosts?: UiHost[];
  /** Told what the server refused since it last said (at most once a minute). */
  onRefused?: (counts: Refusals) => void;
  /** Told of logins, wrong passwords and rotations, and of credential files it could not use. */
  log?: (line: string) => void;
  /** Told the new access token after a rotation from the web UI. */
  onRotated?: (token: string) => void;
}

/**
 * What the UI may take from this process, so that no local user can starve the watcher of open
 * files (outbox, history, the next delivery's socket) by opening connections to its port. A page
 * uses a handful; the cap is larger so that a flood must be larger still before a page load has to
 * displace anyone (see shareConnections).
 */
export const WEB_UI_LIMITS: ServerLimits & { eventStreams: number; streamBacklogBytes: number } = {
  connections: 128,
  eventStreams: 16,
  /** An event stream whose client stops reading is dropped once this much waits for it. */
  streamBacklogBytes: 1024 * 1024,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

export interface Refusals {
  connections: number;
  eventStreams: number;
  slowStreams: number;
}

export { isLoopback };

/**
 * The headless daemon's web UI: the built renderer and the same API contract over HTTP, plus a
 * server-sent event stream. Every /api request needs the access token (kept in the data directory
 * until rotated) or a password login's session: see web-ui-auth.ts. Host and
 * Origin must name this server (DNS rebinding, cross-site requests): see web-ui-hosts.ts.
 */
export async function startWebUi(watcher: Watcher, handlers: ReturnType<typeof createApi>, o: WebUiOptions) {
  if (!isLoopback(o.host) && !o.allowRemote) {
    throw new Error(
      `--ui ${o.host}: not a loopback address. The web UI controls your integrations; expose it to the network only on purpose, with --ui-allow-remote (behind TLS, e.g. a reverse proxy).`,
    );
  }
  const limits = WEB_UI_LIMITS;
  const server = createServer(serverTimeouts(limits), (req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'failed', message: (error as Error).message } });
    });
  });
  const refused: Refusals = { connections: 0, eventStreams: 0, slowStreams: 0 };
  // A burst is said as one line once it has been quiet for a second (at most 10 s after it
  // began), then at most once a minute.
  let report: NodeJS.Timeout | undefined;
  let reportedAt = -Infinity;
  let burstStart: number | undefined;
  const refuse = (kind: keyof Refusals) => {
    refused[kind]++;
    const now = monotonicMs();
    burstStart ??= now;
    const at = Math.max(Math.min(now + 1_000, burstStart + 10_000), reportedAt + 60_000);
    clearTimeout(report);
    report = setTimeout(() => {
      report = burstStart = undefined;
      reportedAt = monotonicMs();
      o.onRefused?.({ ...refused });
      Object.assign(refused, { connections: 0, eventStreams: 0, slowStreams: 0 });
    }, at - now).unref();
  };
  shareConnections(server, limits, () => refuse('connections'));
  let streams = 0;
  // Each stream listens to every event: room for all of them besides the app's own listeners.
  watcher.events.setMaxListeners(watcher.events.getMaxListeners() + limits.eventStreams);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const hosts = hostPolicy({
    listenHost: o.host,
    port,
    allowRemote: o.allowRemote ?? false,
    uiHosts: o.uiHosts ?? [],
    machine: thisMachine(),
  });

  const auth = webUiAuth({
    dir: watcher.runtime.dir,
    log: o.log ?? (() => {}),
    // The connection's own TLS, or a name the user gave as a proxy's https:// address.
    overHttps: (req) =>
      ('encrypted' in req.socket && !!req.socket.encrypted) || hosts.overHttps(req.headers.host),
    onRotated: o.onRotated,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    if (!hosts.answersHost(req.headers.host))
      return send(res, 421, {
        ok: false,
        error: {
          code: 'forbidden',
          message: `this server does not answer to the Host ${quote(req.headers.host)} (a guard against DNS rebinding): open the web UI at ${hosts.base}/`,
        },
      });
    const origin = req.headers.origin;
    if (origin && !hosts.answersOrigin(origin))
      return send(res, 403, {
        ok: false,
        error: {
          code: 'forbidden',
          message: `cross-origin requests are refused: the Origin ${quote(origin)} is not this server`,
        },
      });
    let url: URL;
    let pathname: string;
    try {
      url = new URL(req.url ?? '/', 'http://x');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, {
        ok: false,
        error: { code: 'invalidInput', message: 'the request path is not a valid URL' },
      });
    }
    if (await auth.handle(req, res, url.pathname)) return;
    if (url.pathname.startsWith('/api/')) {
      if (!auth.authorised(req)) return send(res, 401, auth.refusal());
      if (url.pathname === '/api/events' && req.method === 'GET') return stream(req, res);
      if (req.method !== 'POST' || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        return send(res, 405, {
          ok: false,
          error: { code: 'invalidInput', message: 'POST application/json' },
        });
      }
      const body = await readBody(req);
      if (body === undefined)
        return send(res, 400, {
          ok: false,
          error: { code: 'invalidInput', message: 'the body is not JSON (or larger than 1 MB)' },
        });
      return send(res, 200, await callApi(handlers, url.pathname.slice('/api/'.length), body));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { ok: false, error: { code: 'invalidInput', message: 'GET only' } });
    return serveStatic(pathname, res);
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    if (streams >= limits.eventStreams) {
      refuse('eventStreams');
      return send(res, 503, {
        ok: false,
        error: { code: 'failed', message: `too many open event streams (${limits.eventStreams})` },
      });
    }
    streams++;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const write = (chunk: string) => {
      // A client that stopped reading is dropped rather than buffered for without end.
      if (res.writableLength > limits.streamBacklogBytes) {
        refuse('slowStreams');
        return void res.destroy();
      }
      res.write(chunk);
    };
    const forward = (name: EventName) => (payload: unknown) =>
      write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    const offs = EVENTS.map((name) => {
      const listener = forward(name);
      watcher.events.on(name, listener as never);
      return () => watcher.events.off(name, listener as never);
    });
    // A page asks for its first answers while this stream is still opening: a pause or a crossing in
    // between was pushed to no one, and is not pushed again. The stream starts from the present.
    forward('paused')({ pausedUntil: watcher.pauses.pausedUntil() });
    const disks = watcher.disks();
    if (disks.length) forward('disks')(disks);
    // A rotated token or a logout ends the streams it let in: at once from the web UI, at the next
    // beat when `headroom ui` rotated it.
    const stillAllowed = () => auth.authorised(req) || void res.destroy();
    const unguard = auth.onRevoke(stillAllowed);
    const heartbeat = setInterval(() => {
      if (!stillAllowed()) return;
      // While a page watches, a pause from the command line reaches it within one beat.
      watcher.pauses.tellIfChanged();
      write(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
    res.on('close', () => {
      streams--;
      clearInterval(heartbeat);
      unguard();
      for (const off of offs) off();
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    if (!existsSync(join(o.staticDir, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('The web UI is not built: run `npm run build` in the Headroom folder.');
    }
    const file = normalize(join(o.staticDir, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(o.staticDir + sep) && file !== join(o.staticDir, 'index.html'))
      return send(res, 404, { ok: false, error: { code: 'notFound', message: 'not found' } });
    const data = await readFile(file).catch(() => undefined);
    if (!data) return send(res, 404, { ok: false, error: { code: 'notFound', message: 'not found' } });
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': file.includes(`${sep}assets${sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-store',
    });
    res.end(data);
  }

  return {
    /** The address to open, with its token: a secret, never for a log. */
    url: `${hosts.base}/#token=${auth.token()}`,
    /** The same without the token. */
    base: `${hosts.base}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(report);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function quote(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value.slice(0, 100));
}
