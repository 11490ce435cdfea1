import type { Hash } from 'node:crypto';
import type { RequestListener, Server, ServerOptions } from 'node:http';

// Built-ins an idle `headroom watch` does not use, loaded by the first call instead of imported.
// The CLI is one bundle (scripts/build-cli.mjs), where every `import` of a built-in is loaded at
// start, whatever the command: node:http (the web UI and /metrics servers, off unless asked for)
// and node:crypto (ids for deliveries and locks, hashes for usage snapshots; importing it as ESM
// also builds its webcrypto) held ~2 MiB of an idle watcher's memory. A first call loads one in
// well under 2 ms, so the first alert is not slowed by it.

const crypto = () => process.getBuiltinModule('node:crypto');

export const randomUUID = (): string => crypto().randomUUID();

export const randomBytes = (size: number): Buffer => crypto().randomBytes(size);

export const createHash = (algorithm: string): Hash => crypto().createHash(algorithm);

export const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean =>
  crypto().timingSafeEqual(a, b);

export const createServer = (options: ServerOptions, listener: RequestListener): Server =>
  process.getBuiltinModule('node:http').createServer(options, listener);
