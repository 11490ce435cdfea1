import type { AddressInfo } from 'node:net';
import { serverTimeouts, shareConnections, type ServerLimits } from '../http-limits.js';
import { createServer, monotonicMs } from '../builtins.js';
import { hostPolicy, isLoopback, thisMachine } from '../web-ui-hosts.js';
import { CONTENT_TYPE } from './exposition.js';

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** Binding anything but loopback exposes the metrics to the network: only with explicit consent. */
  allowRemote?: boolean;
  /** Told how many connections were closed or refused to keep within the cap (at most once a minute). */
  onRefused?: (connections: number) => void;
}

/**
 * What scrapers may take from the watcher. Prometheus keeps one connection per target; the cap is
 * larger so that a flood must be larger still before a scrape has to displace anyone (see
 * shareConnections), yet small enough that no one can starve the watcher of open files.
 */
export const METRICS_LIMITS: ServerLimits = {
  connections: 64,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/**
 * Serves `/metrics` in Prometheus's text format. The web UI's rules for where it may listen:
 * loopback unless `allowRemote`. On loopback the Host header must be a loopback name, so a web page
 * whose name an attacker rebound to 127.0.0.1 cannot read the mounts from a browser on this
 * machine (DNS rebinding). Listening for the network, any Host is answered: Prometheus addresses a
 * target by whatever name service discovery gives it, and what the page shows is readable by
 * anyone who can reach the port anyway. Read-only: no request changes anything.
 */
export async function startMetricsServer(page: () => Buffer, o: MetricsServerOptions) {
  if (!isLoopback(o.host) && !o.allowRemote)
    throw new Error(
      `--metrics ${o.host}: not a loopback address. The metrics name this machine's mounts and integrations; ` +
        `expose them to the network only on purpose, with --metrics-allow-remote.`,
    );
  const limits = METRICS_LIMITS;
  let hosts: ReturnType<typeof hostPolicy> | undefined;
  const server = createServer(serverTimeouts(limits), (req, res) => {
    const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
    if (hosts && !hosts.answersHost(req.headers.host))
      return plain(421, 'This server answers to loopback names only (a guard against DNS rebinding).\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(405, 'GET only.\n', { allow: 'GET, HEAD' });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      // Not gzipped, though Prometheus asks for it: compressing the page (~1 ms for 150 KB)
      // would cost the watcher more than sending it, and the page changes between most scrapes.
      const body = page();
      res.writeHead(200, { 'content-type': CONTENT_TYPE, 'cache-control': 'no-store' });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (path === '/') return plain(200, 'Headroom: the metrics are at /metrics\n');
    return plain(404, 'Not found: the metrics are at /metrics\n');
  });
  let refused = 0;
  let report: NodeJS.Timeout | undefined;
  let reportedAt = -Infinity;
  shareConnections(server, limits, () => {
    refused++;
    // A burst is said in one line a second after it began, then at most once a minute.
    report ??= setTimeout(
      () => {
        report = undefined;
        reportedAt = monotonicMs();
        o.onRefused?.(refused);
        refused = 0;
      },
      Math.max(1_000, reportedAt + 60_000 - monotonicMs()),
    ).unref();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  if (isLoopback(o.host))
    hosts = hostPolicy({ listenHost: o.host, port, allowRemote: false, uiHosts: [], machine: thisMachine() });
  const shown = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  return {
    port,
    url: `http://${shown}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(report);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
