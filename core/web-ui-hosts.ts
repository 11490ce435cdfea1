import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, isIP, networkInterfaces } from './builtins.js';

/**
 * A name clients use for the web UI besides this machine's own (`--ui-host`): a DNS alias
 * (`nas.lan`, `nas.lan:8080`) or a reverse proxy's public address (`https://disks.example.com`).
 */
export interface UiHost {
  /** Canonical: lower case, no trailing dot, an IPv6 address in brackets. */
  name: string;
  /** Absent for a bare name: then the UI's own port, or a default port (80/443) as a proxy sends. */
  port?: number;
  /** Given as a URL: the address to print, exactly. */
  origin?: string;
}

/** What this machine is called and where it is reached, read locally: never a DNS query. */
export interface Machine {
  /** os.hostname(), then its fully qualified name when the hosts file gives one. */
  names: string[];
  addresses: () => string[];
}

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopback(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A host (name or address, IPv6 bracketed or not) as browsers put it in Host and Origin. */
function canonicalName(name: string): string | undefined {
  const bare = name.replace(/^\[(.*)\]$/, '$1');
  const forUrl = isIP(bare) === 6 ? `[${bare}]` : name;
  if (forUrl === '' || /[/?#@\\\s%:]/.test(forUrl.replace(/^\[.*\]$/, ''))) return undefined;
  try {
    return new URL(`http://${forUrl}`).hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/** `name[:port]` as in a Host header; undefined when it is not one. */
function parseAuthority(value: string): { name: string; port?: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  const name = m && canonicalName(m[1]!);
  const port = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!name || (port !== undefined && (port < 1 || port > 65535))) return undefined;
  return { name, port };
}

/** A `--ui-host` value, or an Error saying what is expected. */
export function parseUiHost(value: string): UiHost {
  const wrong = () =>
    new Error(
      `--ui-host ${value}: give a name clients use for the web UI: a host name (nas.lan), ` +
        `HOST:PORT (nas.lan:8080) or a reverse proxy's address (https://disks.example.com); ` +
        `an IPv6 address in brackets ([fd00::2]).`,
    );
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw wrong();
    }
    const name = canonicalName(url.hostname);
    if (!name || url.username || url.password || url.search || url.hash || url.pathname !== '/')
      throw wrong();
    if (!NAME.test(name) && !isIP(name.replace(/^\[(.*)\]$/, '$1'))) throw wrong();
    return { name, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80), origin: url.origin };
  }
  const parsed = parseAuthority(value);
  if (!parsed || (!NAME.test(parsed.name) && !isIP(parsed.name.replace(/^\[(.*)\]$/, '$1')))) throw wrong();
  return parsed;
}

/**
 * This machine's names and addresses. The fully qualified name comes from the hosts file, as
 * `hostname -f` finds it there (the first name on the line that lists the host name): asking DNS
 * could wait on the network at start, and a name DNS alone knows may be added with --ui-host.
 */
export function thisMachine(): Machine {
  const host = hostname().toLowerCase();
  let fqdn: string | undefined;
  try {
    fqdn = fqdnFromHosts(readFileSync(hostsFile(), 'utf8'), host);
  } catch {
    // no hosts file: the host name alone
  }
  const names = [host, fqdn].map((n) => n && canonicalName(n)).filter((n): n is string => !!n);
  return {
    names: [...new Set(names)],
    addresses: () =>
      Object.values(networkInterfaces())
        .flatMap((list) => list ?? [])
        .map((a) => canonicalName(a.address))
        .filter((a): a is string => a !== undefined),
  };
}

export function fqdnFromHosts(text: string, host: string): string | undefined {
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !names.some((n) => n.toLowerCase() === host)) continue;
    const canonical = names[0]!.toLowerCase().replace(/\.$/, '');
    return canonical.includes('.') && canonical !== host ? canonical : undefined;
  }
  return undefined;
}

function hostsFile(): string {
  return process.platform === 'win32'
    ? join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'drivers', 'etc', 'hosts')
    : '/etc/hosts';
}

export interface HostPolicyOptions {
  /** What the server listens on (`127.0.0.1`, `0.0.0.0`, `nas.lan`, `::`). */
  listenHost: string;
  port: number;
  allowRemote: boolean;
  uiHosts: UiHost[];
  machine: Machine;
}

/**
 * Which Host and Origin the web UI answers (anything else may be a page on another site whose
 * name an attacker rebound to this machine's address), and the address it prints. Loopback
 * only: the loopback names. Remote: also this machine's names and addresses and the --ui-host
 * names, each with the UI's port.
 */
export function hostPolicy(o: HostPolicyOptions) {
  const listen = canonicalName(o.listenHost) ?? o.listenHost;
  const allowed = new Set<string>();
  const add = (name: string, port = o.port) => allowed.add(`${name}:${port}`);
  add(listen);
  if (o.allowRemote || isLoopback(listen)) for (const n of LOOPBACK_NAMES) add(n);
  if (o.allowRemote) {
    for (const n of o.machine.names) add(n);
    for (const a of o.machine.addresses()) add(a);
    for (const h of o.uiHosts) {
      if (h.port !== undefined) add(h.name, h.port);
      else for (const port of [o.port, 80, 443]) add(h.name, port);
    }
  }
  const answers = (name: string, port: number) =>
    allowed.has(`${name}:${port}`) ||
    // An address gained since start (DHCP, a VPN coming up) is this machine's too.
    (o.allowRemote &&
      port === o.port &&
      !!isIP(name.replace(/^\[(.*)\]$/, '$1')) &&
      o.machine.addresses().includes(name));

  const first = o.uiHosts[0];
  const shown = first
    ? (first.origin ?? `http://${first.name}:${first.port ?? o.port}`)
    : `http://${(WILDCARD.has(listen) && o.allowRemote && o.machine.names.at(-1)) || listen}:${o.port}`;
  return {
    /** The address people open, without the token: `http://nas.lan:8484`. */
    base: shown,
    /** A Host header's value; without a port, as a client sends for the default one. */
    answersHost(value: string | undefined): boolean {
      const h = parseAuthority(value ?? '');
      if (!h) return false;
      return h.port === undefined ? answers(h.name, 80) || answers(h.name, 443) : answers(h.name, h.port);
    },
    /**
     * Whether a Host names a `--ui-host` given as https://: the browser then speaks TLS to the
     * proxy in front, and a cookie set for it may be Secure. (A client that sends that Host
     * over plain http gets a cookie its browser will not send back over http: safe either way.)
     */
    overHttps(value: string | undefined): boolean {
      const h = parseAuthority(value ?? '');
      return (
        !!h &&
        o.uiHosts.some(
          (u) => u.origin?.startsWith('https:') && u.name === h.name && (h.port ?? 443) === u.port,
        )
      );
    },
    /** An Origin header's value: http(s) to one of the same names. */
    answersOrigin(value: string): boolean {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return false;
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value) return false;
      const name = canonicalName(url.hostname);
      return !!name && answers(name, Number(url.port) || (url.protocol === 'https:' ? 443 : 80));
    },
  };
}
