import type { Hash } from 'node:crypto';
import type { RequestListener, Server, ServerOptions } from 'node:http';

// Node built-ins reached through process.getBuiltinModule instead of an `import`, for the memory of
// an idle `headroom watch`. The CLI is one bundle (scripts/build-cli.mjs), where every `import` of
// a built-in is loaded at start, whatever the command, and an ESM import also evaluates every lazy
// export of the built-in (getBuiltinModule leaves them alone).

// node:http (the web UI and /metrics servers, off unless asked for) and node:crypto (ids for
// deliveries and locks, hashes for usage snapshots; its ESM import also builds webcrypto) are not
// used at idle: the first call loads them, in ~0.2 ms (crypto) and ~1.7 ms (http), nothing next to
// a delivery. 0.9 MiB of idle RSS.
const crypto = () => process.getBuiltinModule('node:crypto');

export const randomUUID = (): string => crypto().randomUUID();

export const randomBytes = (size: number): Buffer => crypto().randomBytes(size);

export const createHash = (algorithm: string): Hash => crypto().createHash(algorithm);

export const timingSafeEqual = (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView): boolean =>
  crypto().timingSafeEqual(a, b);

export const createServer = (options: ServerOptions, listener: RequestListener): Server =>
  process.getBuiltinModule('node:http').createServer(options, listener);

// Used at start, but imported they would bring node:module's source-map support and node:util's
// MIME parser (MIMEType) along: 0.25 MiB.
export const { createRequire } = process.getBuiltinModule('node:module');
export const { isDeepStrictEqual, parseArgs } = process.getBuiltinModule('node:util');
