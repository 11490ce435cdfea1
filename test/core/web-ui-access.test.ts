import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { webUiUrl } from '../helpers/web-ui.js';

const PASSWORD = 'correct horse battery';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request to the watcher on 127.0.0.1:`port`, from `from` (another loopback address is
 * another client to the login throttle).
 */
function ask(
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

const api = (port: number, auth: { token?: string; cookie?: string }) =>
  ask(port, '/api/app.info', {
    method: 'POST',
    body: '{}',
    headers: {
      'content-type': 'application/json',
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
  });

const login = (port: number, password: string, from?: string, host?: string) =>
  ask(port, '/login', {
    method: 'POST',
    from,
    body: new URLSearchParams({ password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(host ? { host } : {}) },
  });

const tokenOf = (url: string) => /#token=(.+)$/.exec(url)![1]!;
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('the web UI remembers its access token and takes a password', () => {
  let home: string;
  let port: number;
  const watchers: CliProcess[] = [];
  /** Every line any watcher or command of this file wrote, for the check that no secret is in them. */
  const said: string[] = [];
  /** Every access token the watchers used. */
  const tokens = new Set<string>();
  const cli = async (args: string[], input = '') => {
    const r = await runCli(args, home, {}, input);
    said.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    return r;
  };
  const start = async (...extra: string[]) => {
    const w = new CliProcess(['watch', '--interval', '60', '--ui', `127.0.0.1:${port}`, ...extra], home);
    watchers.push(w);
    const url = await webUiUrl(w, home);
    tokens.add(tokenOf(url));
    return { w, url };
  };
  const stop = async (w: CliProcess) => {
    await w.stop();
    said.push(...w.stdoutLines, ...w.stderrLines);
  };

  before(async () => {
    home = await tempHome();
    port = await freePort();
  });
  after(async () => {
    for (const w of watchers) await w.stop('SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  it(
    'keeps the token across a restart, in a 0600 file, until `headroom ui --rotate-token`',
    { timeout: 30_000 },
    async () => {
      const first = await start();
      const token = tokenOf(first.url);
      assert.equal(mode(join(home, 'ui-token.json')), '600');
      await stop(first.w);
      const second = await start();
      assert.equal(second.url, first.url, 'a restarted watcher gives the same address');
      assert.equal((await api(port, { token })).status, 200);

      const rotated = await cli(['ui', '--rotate-token']);
      assert.match(
        rotated.stderr,
        /new web UI access token: the old one and every password login no longer work/,
      );
      assert.equal((await api(port, { token })).status, 401, 'the old token is refused at once');
      const fresh = (await readFile(join(home, 'ui-url'), 'utf8')).trim();
      assert.notEqual(tokenOf(fresh), token);
      assert.equal((await api(port, { token: tokenOf(fresh) })).status, 200, 'ui-url has the new address');
      await stop(second.w);
    },
  );

  it(
    'replaces a damaged token file with a new token, saying so, and starts',
    { timeout: 30_000 },
    async () => {
      await writeFile(join(home, 'ui-token.json'), '{"tok', { mode: 0o600 });
      const { w, url } = await start();
      await w.waitForStderr(
        /ui-token\.json is damaged \(it does not hold an access token\): a new access token replaces it/,
      );
      assert.equal((await api(port, { token: tokenOf(url) })).status, 200);
      await stop(w);
    },
  );

  it(
    'starts with a token it cannot save, saying so; `headroom ui` fails in one line',
    { timeout: 30_000 },
    async () => {
      await rm(join(home, 'ui-token.json'));
      await mkdir(join(home, 'ui-token.json'));
      const { w, url } = await start();
      await w.waitForStderr(/ui-token\.json cannot be read \(EISDIR/);
      await w.waitForStderr(/the access token could not be saved to .*: it works until the watcher stops/);
      assert.equal((await api(port, { token: tokenOf(url) })).status, 200);
      const r = await runCli(['ui', '--rotate-token'], home);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^headroom: \S+ui-token\.json could not be written \(EISDIR[^\n]*nothing was changed there\.\n$/,
      );
      await stop(w);
      await rm(join(home, 'ui-token.json'), { recursive: true });
    },
  );

  it(
    'logs in with the password: a session cookie that survives a restart, until logout',
    { timeout: 40_000 },
    async () => {
      const set = await cli(['ui', '--set-password'], `${PASSWORD}\n`);
      assert.match(set.stderr, /web UI password set/);
      const hashFile = join(home, 'ui-password.json');
      assert.equal(mode(hashFile), '600');
      const record = JSON.parse(await readFile(hashFile, 'utf8'));
      assert.equal(record.scheme, 'scrypt');
      assert.ok(!(await readFile(hashFile, 'utf8')).includes(PASSWORD));

      const { w } = await start();
      const refused = await api(port, {});
      assert.equal(refused.status, 401);
      assert.equal(JSON.parse(refused.body).passwordLogin, true, 'the page is told it may log in');
      const form = await ask(port, '/login');
      assert.equal(form.status, 200);
      assert.match(form.body, /<label for="password">Password<\/label>/);

      const ok = await login(port, PASSWORD);
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.location, '/');
      const setCookie = String(ok.headers['set-cookie']);
      assert.match(setCookie, /^headroom_session=[A-Za-z0-9_-]{43}; /);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=2592000'])
        assert.ok(setCookie.split('; ').includes(attribute), `${attribute} in ${setCookie}`);
      assert.ok(!/Secure/.test(setCookie), 'not Secure over plain http, or the browser would drop it');
      const cookie = setCookie.split(';')[0]!;
      assert.equal((await api(port, { cookie })).status, 200);
      await w.waitForStderr(/web UI: password login from 127\.0\.0\.1\./);
      assert.equal(mode(join(home, 'ui-sessions.json')), '600');
      assert.ok(!(await readFile(join(home, 'ui-sessions.json'), 'utf8')).includes(cookie.split('=')[1]!));

      await stop(w);
      const again = await start();
      assert.equal((await api(port, { cookie })).status, 200, 'the login outlives a restart');
      const status = await ask(port, '/auth/status', { headers: { cookie } });
      assert.deepEqual(JSON.parse(status.body).value, { passwordLogin: true, session: true });
      const out = await ask(port, '/logout', {
        method: 'POST',
        body: '{}',
        headers: { cookie, 'content-type': 'application/json' },
      });
      assert.equal(out.status, 200);
      assert.match(
        String(out.headers['set-cookie']),
        /^headroom_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/,
      );
      assert.equal((await api(port, { cookie })).status, 401, 'logged out');

      // A new password, or none, ends every login made with the old one.
      const second = String((await login(port, PASSWORD)).headers['set-cookie']).split(';')[0]!;
      assert.equal((await api(port, { cookie: second })).status, 200);
      await cli(['ui', '--clear-password']);
      assert.equal((await api(port, { cookie: second })).status, 401);
      assert.equal((await login(port, PASSWORD)).status, 403, 'password login is off');
      await stop(again.w);
    },
  );

  it(
    'slows guessing per client and logs each wrong password, never the password',
    { timeout: 40_000 },
    async () => {
      await cli(['ui', '--set-password'], `${PASSWORD}\n`);
      const { w } = await start();
      for (let n = 1; n <= 3; n++) {
        const r = await login(port, `guess-${n}-wrong`);
        assert.equal(r.status, 401);
        assert.match(r.body, /Wrong password\./);
        await w.waitForStderr(new RegExp(`web UI: wrong password from 127\\.0\\.0\\.1 \\(${n} in a row\\)`));
      }
      assert.match(w.stderrLines.join('\n'), /\(3 in a row\); its next try is checked in 1 s\./);
      // Now even the right password from that client waits; another client is not held up.
      const held = await login(port, PASSWORD);
      assert.equal(held.status, 429);
      assert.ok(Number(held.headers['retry-after']) >= 1);
      assert.match(held.body, /Too many wrong passwords from your address: try again in \d+ s\./);
      assert.equal((await login(port, PASSWORD, '127.0.0.2')).status, 303);
      await stop(w);
      const log = said.join('\n');
      for (let n = 1; n <= 3; n++)
        assert.ok(!log.includes(`guess-${n}-wrong`), 'a wrong password is not logged');
    },
  );

  it('sets the cookie Secure for a proxy named with https://', { timeout: 30_000 }, async () => {
    const { w } = await start('--ui-allow-remote', '--ui-host', 'https://disks.example.test');
    const r = await login(port, PASSWORD, undefined, 'disks.example.test');
    assert.equal(r.status, 303);
    assert.ok(String(r.headers['set-cookie']).split('; ').includes('Secure'));
    await stop(w);
  });

  it('never writes the token, the password or its hash to the logs, `headroom ui` or the login page', async () => {
    const record = JSON.parse(await readFile(join(home, 'ui-password.json'), 'utf8'));
    const { w } = await start();
    const page = (await ask(port, '/login')).body;
    const state = await cli(['ui']);
    assert.match(
      state.stdout,
      /^Access token: kept in \S+ui-token\.json; `headroom ui --rotate-token` replaces it$/m,
    );
    assert.match(state.stdout, /^Password login: on \(scrypt hash\)$/m);
    await stop(w);
    assert.ok(tokens.size >= 3, 'tokens of several runs and rotations');
    for (const secret of [...tokens, PASSWORD, record.hash, record.salt]) {
      assert.ok(!said.join('\n').includes(secret), 'not in any log line');
      assert.ok(!page.includes(secret), 'not on the login page');
    }
  });
});
