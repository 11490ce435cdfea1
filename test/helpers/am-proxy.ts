import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One alert of a post, as Headroom sends it. */
interface PostedAlert {
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** What to do with a post: answer it here with `status`, or pass it on (with another Date header). */
export type PostVerdict = { status: number } | { date?: number } | undefined;

/**
 * A plain HTTP proxy on 127.0.0.1 in front of a real Alertmanager: each POST of alerts is shown to
 * `onPost`, which can answer it itself (a peer failing) or pass it on, with the answer's Date
 * header set to a given time (a peer whose clock reads otherwise). Everything else passes as is.
 */
export class AlertmanagerProxy {
  /** Every POST of alerts, in order, with what was answered. */
  readonly posts: { alerts: PostedAlert[]; answered: number }[] = [];
  onPost: (alerts: PostedAlert[]) => PostVerdict = () => undefined;
  private server!: Server;
  url = '';

  static async start(target: string): Promise<AlertmanagerProxy> {
    const proxy = new AlertmanagerProxy();
    proxy.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        void (async () => {
          const alerts = req.method === 'POST' ? (JSON.parse(body) as PostedAlert[]) : undefined;
          const verdict = alerts ? proxy.onPost(alerts) : undefined;
          if (verdict && 'status' in verdict) {
            proxy.posts.push({ alerts: alerts!, answered: verdict.status });
            res.writeHead(verdict.status, { 'content-type': 'text/plain' }).end('failing on purpose');
            return;
          }
          const answer = await fetch(`${target}${req.url}`, {
            method: req.method,
            headers: { 'content-type': 'application/json' },
            ...(alerts ? { body } : {}),
          });
          const text = await answer.text();
          if (alerts) proxy.posts.push({ alerts, answered: answer.status });
          const date = verdict?.date ?? Date.parse(answer.headers.get('date') ?? '');
          res
            .writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
              date: new Date(date).toUTCString(),
            })
            .end(text);
        })();
      });
    });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Whether a post carries a resolve (an alert that ends where it starts). */
export const hasResolve = (alerts: PostedAlert[]) =>
  alerts.some((a) => Date.parse(a.endsAt) <= Date.parse(a.startsAt));
