import type { Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

// Used at start, but imported it would bring node:util's MIME parser (MIMEType) along.
export const { isDeepStrictEqual, parseArgs, promisify } = process.getBuiltinModule('node:util');

// node:module, for the libraries loaded on first use (undici, systeminformation elsewhere than
// Linux): it loads Node's ES module loader and source-map support with it, 0.25 MiB.
export const createRequire = (from: string | URL): NodeJS.Require =>
  process.getBuiltinModule('node:module').createRequire(from);

// node:net for one function that checks host names (the web UI and /metrics, off unless asked
// for): its import, loaded at start by every command, is 1.2 MiB of idle RSS.
export const isIP = (input: string): number => process.getBuiltinModule('node:net').isIP(input);

/**
 * Milliseconds on a monotonic clock, for durations and deadlines: the global `performance` loads
 * Node's perf_hooks on first use (0.5 MiB of idle RSS for the watcher's timers); this does not.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

// node:os, 0.3 MiB of idle RSS: a watcher asks it only for the host name its alerts carry and the
// home directory its data lives under, both of which it can have without it (below). The rest is
// for a usage scan, the web UI and `headroom service`, loaded with them.
const os = () => process.getBuiltinModule('node:os');

/**
 * The host name, as os.hostname() gives it: gethostname(2), which on Linux is this UTS
 * namespace's name, the one /proc/sys/kernel/hostname holds.
 */
export function hostname(): string {
  if (process.platform === 'linux') {
    try {
      const name = readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
      if (name) return name;
    } catch {
      // No /proc (a chroot, a sandbox): ask the system.
    }
  }
  return os().hostname();
}

/** The home directory, as os.homedir() gives it: $HOME where it is set, except on Windows. */
export const homedir = (): string => (process.platform !== 'win32' && process.env.HOME) || os().homedir();

export const tmpdir = (): string => os().tmpdir();

export const availableParallelism = (): number => os().availableParallelism();

export const setPriority = (pid: number, priority: number): void => os().setPriority(pid, priority);

export const networkInterfaces = (): ReturnType<typeof import('node:os').networkInterfaces> =>
  os().networkInterfaces();
