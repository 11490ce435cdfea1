import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Received, Reply } from './receiver.js';

/**
 * A vendor stand-in over plain HTTP on 127.0.0.1, which every channel takes for this machine only
 * (a local Bot API or ntfy server, a test): for the window's forms, whose watcher does not trust
 * the tests' CA where a channel has no CA field. `handle` answers as the vendor's stand-in does.
 */
export async function loopbackStandIn(handle: (r: Received) => Reply | string) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const reply = handle({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (typeof reply === 'string') throw new Error(reply);
      if (typeof reply !== 'object') throw new Error(`the loopback stand-in cannot answer "${reply}"`);
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
