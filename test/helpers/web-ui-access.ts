import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { CliProcess, runCli, tempHome } from './cli.js';
import { after, before } from './node-test.js';
import { freePort } from './ports.js';
import { webUiUrl } from './web-ui.js';

export const PASSWORD = 'correct horse battery';

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request to the watcher on 127.0.0.1:`port`, from `from` (another loopback address is
 * another client to the login throttle).
 */
export function ask(
  port: number,
  path: string,
  o: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: o.method ?? 'GET',
        localAddress: o.from,
        headers: { host: `127.0.0.1:${port}`, ...o.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export const api = (port: number, auth: { token?: string; cookie?: string }) =>
  ask(port, '/api/app.info', {
    method: 'POST',
    body: '{}',
    headers: {
      'content-type': 'application/json',
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
  });

export const login = (port: number, password: string, from?: string, host?: string) =>
  ask(port, '/login', {
    method: 'POST',
    from,
    body: new URLSearchParams({ password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(host ? { host } : {}) },
  });

export const tokenOf = (url: string) => /#token=(.+)$/.exec(url)![1]!;
export const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

/**
 * A data directory and a fixed port for watchers with the web UI that a test starts and stops,
 * as a restarted service would be; `cli` runs a command that must succeed. Everything they and the
 * watchers wrote is kept in `said`, and every token they used in `tokens`, for the checks that no
 * secret reached a log.
 */
export function accessRig() {
  const rig = {
    home: '',
    port: 0,
    watchers: [] as CliProcess[],
    said: [] as string[],
    tokens: new Set<string>(),
    async cli(args: string[], input = '') {
      const r = await runCli(args, rig.home, {}, input);
      rig.said.push(r.stdout, r.stderr);
      assert.equal(r.code, 0, r.stderr);
      return r;
    },
    async start(...extra: string[]) {
      const w = new CliProcess(
        ['watch', '--interval', '60', '--mount', '/', '--ui', `127.0.0.1:${rig.port}`, ...extra],
        rig.home,
      );
      rig.watchers.push(w);
      const url = await webUiUrl(w, rig.home);
      rig.tokens.add(tokenOf(url));
      return { w, url };
    },
    async stop(w: CliProcess) {
      await w.stop();
      rig.said.push(...w.stdoutLines, ...w.stderrLines);
    },
  };
  before(async () => {
    rig.home = await tempHome();
    rig.port = await freePort();
  });
  after(async () => {
    for (const w of rig.watchers) await w.stop('SIGKILL');
    await rm(rig.home, { recursive: true, force: true });
  });
  return rig;
}
