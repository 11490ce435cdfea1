import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../core/fs/durable-file.js';
import { parseUiHost, type UiHost } from '../core/web-ui-hosts.js';
import type { Refusals, WEB_UI_LIMITS } from '../core/web-ui.js';
import type { CliIO } from './context.js';
import { UserError } from './errors.js';
import { stderrIsTerminal } from './output.js';

/** In the data directory while `headroom watch --ui` runs with its standard error not a terminal. */
export const UI_URL_FILE = 'ui-url';

/** `[HOST:]PORT` of `--ui` or `--metrics`, loopback by default; `[::1]:8484` for IPv6. */
export function parseListen(flag: string, value: string, example = 8484): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d{1,5})$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port > 65535)
    throw new UserError(`${flag} ${value}: give a port (${example}) or HOST:PORT (127.0.0.1:${example}).`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/**
 * The `--ui-host` values, checked against the flags they go with. A name for other machines
 * without `--ui-allow-remote` is refused rather than taken as consent: exposing the UI is a
 * decision of its own, made with the flag that says so.
 */
export function uiHostFlags(values: {
  ui?: string;
  'ui-host'?: string[];
  'ui-allow-remote'?: boolean;
}): UiHost[] {
  const given = values['ui-host'] ?? [];
  if (given.length === 0) return [];
  if (values.ui === undefined)
    throw new UserError(`--ui-host ${given[0]}: names the web UI; use it with --ui [HOST:]PORT.`);
  if (!values['ui-allow-remote'])
    throw new UserError(
      `--ui-host ${given[0]}: a name for reaching the web UI from other machines or through a proxy; ` +
        `add --ui-allow-remote to allow that (without it the UI answers to loopback names only).`,
    );
  return given.map((value) => {
    try {
      return parseUiHost(value);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
  });
}

/**
 * Says where the web UI is. Its address carries the access token, which must not reach a log: on
 * a terminal it is printed; otherwise (systemd's journal, a pipe, a redirect to a file) it goes to
 * `ui-url` in the data directory, readable by the owner only and replaced atomically, and standard
 * error says only where. The token outlives the process (until rotated), but the address is only
 * answered while `watch` runs: `remove` at stop. `rotated` says the address with a new token.
 */
export function publishUiUrl(
  dir: string,
  web: { url: string; base: string },
  io: CliIO,
  terminal = stderrIsTerminal(),
): { remove: () => void; rotated: (token: string) => void } {
  const file = join(dir, UI_URL_FILE);
  const remove = () => rmSync(file, { force: true });
  const withToken = (token: string) => `${web.base}#token=${token}`;
  if (terminal) {
    remove(); // an earlier run's, perhaps for another port
    io.err(`headroom: web UI at ${web.url}`);
    return { remove: () => {}, rotated: (token) => io.err(`headroom: web UI at ${withToken(token)}`) };
  }
  const save = (url: string) => {
    try {
      replaceFile(file, `${url}\n`);
      return true;
    } catch (error) {
      // Sampling and alerts matter more than the UI: keep watching, and say why it cannot be opened.
      io.err(
        `headroom: web UI at ${web.base}, but its address with the access token could not be saved to ${file} ` +
          `(${(error as Error).message}); restart headroom watch once that is fixed.`,
      );
      return false;
    }
  };
  if (!save(web.url)) return { remove: () => {}, rotated: () => {} };
  io.err(
    `headroom: web UI at ${web.base} — open the address saved in ${file} (readable by you only): it carries the access token.`,
  );
  return {
    remove,
    rotated: (token) => {
      if (save(withToken(token))) io.err(`headroom: the web UI's new address is saved in ${file}.`);
    },
  };
}

/**
 * After `headroom ui --rotate-token`: the address in `ui-url` (a running watcher's) with the new
 * token, so that the file never holds an address that no longer works. Whether there was one.
 */
export function rewriteUiUrl(dir: string, token: string): string | undefined {
  const file = join(dir, UI_URL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no watcher with the web UI, or one that prints its address on a terminal
  }
  const url = text.trim().replace(/#token=.*$/, `#token=${token}`);
  replaceFile(file, `${url}\n`);
  return url;
}

/** What the web UI closed or refused in the last minute, said on standard error. */
export function refusedLine(r: Refusals, limits: typeof WEB_UI_LIMITS): string {
  return (
    `headroom: in the last minute the web UI closed or refused ${r.connections} connection(s) to stay within its limit of ${limits.connections} (idle ones, the longest idle first), ` +
    `refused ${r.eventStreams} event stream(s) over ${limits.eventStreams}, and dropped ${r.slowStreams} that stopped reading. Sampling and alerts go on.`
  );
}
