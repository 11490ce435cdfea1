import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What one of Headroom's own servers (the web UI, /metrics) gives its clients. */
export interface ServerLimits {
  /** Open connections at most: each is an open file the watcher may need for its own work. */
  connections: number;
  /** From connecting, or from the last answer on a kept-alive connection, to a complete request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** A kept-alive connection with no request for this long is closed. */
  keepAliveTimeoutMs: number;
}

/**
 * Node's server options for those limits: Node closes a connection with no complete request
 * within the headers timeout (answering 408), and a kept-alive one idle past the keep-alive
 * timeout, checked every second (its default, 30 s, would let silent sockets pile up). 60 silent
 * sockets were all closed within 6 s. (An earlier note here said Node closed only a sole one:
 * the test's sockets read nothing, so they never saw the close that followed the 408.)
 */
export function serverTimeouts(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: 1_000,
  };
}

interface Held {
  /** Whose it is: the client's address, an IPv6 one by its /64 (one host's usual share). */
  client: string;
  /** Requests read and not yet answered: a socket with one is never closed to make room. */
  inFlight: number;
}

/**
 * Keeps `server` within `limits.connections` without letting anyone lock the others out. A plain
 * cap (Node's maxConnections) refuses whoever comes last, so a few idle sockets that reconnect as
 * soon as they are closed hold every place, and a scrape or a page load never gets one. Here a
 * newcomer is let in, and what goes to make room is a socket with no request in flight (one that
 * has sent no complete request, or a kept-alive one between requests): of the client holding the
 * most connections, the one idle longest. A well-behaved client's new connection is the last to
 * go and is safe once its request is read; in remote mode a flood from one address displaces only
 * itself. A newcomer is refused only when every place is busy answering (Node's own timeouts,
 * serverTimeouts, close the silent and the idle meanwhile). `onShed` is told of each connection
 * closed or refused to keep within the cap.
 *
 * How long a newcomer lasts in a flood larger than the cap is the time the flood takes to
 * reconnect `cap` times: the cap's size against the flood's, not the machine's speed, is what
 * decides whether a client that is slow to send its request (a busy machine) is served.
 */
export function shareConnections(server: Server, limits: ServerLimits, onShed: () => void): void {
  // In order of last activity: the first is the longest idle.
  const held = new Map<Socket, Held>();
  const perClient = new Map<string, number>();

  const forget = (socket: Socket) => {
    const h = held.get(socket);
    if (!h) return;
    held.delete(socket);
    const n = perClient.get(h.client)! - 1;
    if (n) perClient.set(h.client, n);
    else perClient.delete(h.client);
  };
  const close = (socket: Socket) => {
    forget(socket);
    socket.destroy();
  };
  const victim = (): Socket | undefined => {
    let chosen: Socket | undefined;
    let most = 0;
    for (const [socket, h] of held) {
      if (h.inFlight > 0) continue;
      const n = perClient.get(h.client)!;
      if (n > most) [chosen, most] = [socket, n];
    }
    return chosen;
  };

  server.on('connection', (socket: Socket) => {
    if (held.size >= limits.connections) {
      onShed();
      const room = victim();
      if (!room) return void socket.destroy();
      close(room);
    }
    const client = clientOf(socket.remoteAddress ?? '');
    held.set(socket, { client, inFlight: 0 });
    perClient.set(client, (perClient.get(client) ?? 0) + 1);
    socket.once('close', () => forget(socket));
  });

  server.on('request', (req, res: ServerResponse) => {
    const socket = req.socket as Socket;
    const h = held.get(socket);
    if (!h) return;
    h.inFlight++;
    let done = false;
    const answered = () => {
      if (done) return;
      done = true;
      if (--h.inFlight > 0 || held.get(socket) !== h) return;
      // Idle from now on: to the end of the line.
      held.delete(socket);
      held.set(socket, h);
    };
    res.once('finish', answered).once('close', answered);
  });
}

/** A client's address as one share: IPv4 as it is, IPv6 by its first 64 bits. */
export function clientOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
