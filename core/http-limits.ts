import type { ServerOptions } from 'node:http';

/** How long a client of one of Headroom's own servers may take (the web UI, /metrics). */
export interface ServerTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/**
 * Node's server options for those limits. Counted from the connection, checked every second: an
 * idle socket that never sends a request is closed too, so idle connections cannot pile up.
 */
export function serverTimeouts(limits: ServerTimeouts): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
}
