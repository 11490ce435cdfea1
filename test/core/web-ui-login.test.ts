import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { accessRig, api, ask, login, mode, PASSWORD } from '../helpers/web-ui-access.js';

/**
 * The web UI's optional password: set from the command line, checked against its scrypt hash, a
 * session cookie that outlives restarts, guessing slowed and logged, no secret in a log or a page.
 * (The token: web-ui-token.test.ts; the same in Chromium: test/e2e/web-ui-access.test.ts.)
 */
describe('the web UI takes a password instead of the token', () => {
  const rig = accessRig();
  const { cli, start, stop, said, tokens } = rig;

  it(
    'logs in with the password: a session cookie that survives a restart, until logout',
    { timeout: 60_000 },
    async () => {
      const set = await cli(['ui', '--set-password'], `${PASSWORD}\n`);
      assert.match(set.stderr, /web UI password set/);
      const hashFile = join(rig.home, 'ui-password.json');
      assert.equal(mode(hashFile), '600');
      const record = JSON.parse(await readFile(hashFile, 'utf8'));
      assert.equal(record.scheme, 'scrypt');
      assert.ok(!(await readFile(hashFile, 'utf8')).includes(PASSWORD));

      const { w } = await start();
      const refused = await api(rig.port, {});
      assert.equal(refused.status, 401);
      assert.equal(JSON.parse(refused.body).passwordLogin, true, 'the page is told it may log in');
      const form = await ask(rig.port, '/login');
      assert.equal(form.status, 200);
      assert.match(form.body, /<label for="password">Password<\/label>/);

      const ok = await login(rig.port, PASSWORD);
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.location, '/');
      const setCookie = String(ok.headers['set-cookie']);
      assert.match(setCookie, /^headroom_session=[A-Za-z0-9_-]{43}; /);
      for (const attribute of ['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=2592000'])
        assert.ok(setCookie.split('; ').includes(attribute), `${attribute} in ${setCookie}`);
      assert.ok(!/Secure/.test(setCookie), 'not Secure over plain http, or the browser would drop it');
      const cookie = setCookie.split(';')[0]!;
      assert.equal((await api(rig.port, { cookie })).status, 200);
      await w.waitForStderr(/web UI: password login from 127\.0\.0\.1\./);
      assert.equal(mode(join(rig.home, 'ui-sessions.json')), '600');
      assert.ok(
        !(await readFile(join(rig.home, 'ui-sessions.json'), 'utf8')).includes(cookie.split('=')[1]!),
      );

      await stop(w);
      const again = await start();
      assert.equal((await api(rig.port, { cookie })).status, 200, 'the login outlives a restart');
      const status = await ask(rig.port, '/auth/status', { headers: { cookie } });
      assert.deepEqual(JSON.parse(status.body).value, { passwordLogin: true, session: true });
      const out = await ask(rig.port, '/logout', {
        method: 'POST',
        body: '{}',
        headers: { cookie, 'content-type': 'application/json' },
      });
      assert.equal(out.status, 200);
      assert.match(
        String(out.headers['set-cookie']),
        /^headroom_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/,
      );
      assert.equal((await api(rig.port, { cookie })).status, 401, 'logged out');

      // A new password, or none, ends every login made with the old one.
      const second = String((await login(rig.port, PASSWORD)).headers['set-cookie']).split(';')[0]!;
      assert.equal((await api(rig.port, { cookie: second })).status, 200);
      await cli(['ui', '--clear-password']);
      assert.equal((await api(rig.port, { cookie: second })).status, 401);
      assert.equal((await login(rig.port, PASSWORD)).status, 403, 'password login is off');
      await stop(again.w);
    },
  );

  it(
    'slows guessing per client and logs each wrong password, never the password',
    { timeout: 60_000 },
    async () => {
      await cli(['ui', '--set-password'], `${PASSWORD}\n`);
      const { w } = await start();
      for (let n = 1; n <= 3; n++) {
        const r = await login(rig.port, `guess-${n}-wrong`);
        assert.equal(r.status, 401);
        assert.match(r.body, /Wrong password\./);
        await w.waitForStderr(new RegExp(`web UI: wrong password from 127\\.0\\.0\\.1 \\(${n} in a row\\)`));
      }
      assert.match(w.stderrLines.join('\n'), /\(3 in a row\); its next try is checked in 1 s\./);
      // Now even the right password from that client waits; another client is not held up.
      const held = await login(rig.port, PASSWORD);
      assert.equal(held.status, 429);
      assert.ok(Number(held.headers['retry-after']) >= 1);
      assert.match(held.body, /Too many wrong passwords from your address: try again in \d+ s\./);
      assert.equal((await login(rig.port, PASSWORD, '127.0.0.2')).status, 303);
      await stop(w);
      const log = said.join('\n');
      for (let n = 1; n <= 3; n++)
        assert.ok(!log.includes(`guess-${n}-wrong`), 'a wrong password is not logged');
    },
  );

  it('sets the cookie Secure for a proxy named with https://', { timeout: 30_000 }, async () => {
    const { w } = await start('--ui-allow-remote', '--ui-host', 'https://disks.example.test');
    const r = await login(rig.port, PASSWORD, undefined, 'disks.example.test');
    assert.equal(r.status, 303);
    assert.ok(String(r.headers['set-cookie']).split('; ').includes('Secure'));
    await stop(w);
  });

  it('never writes the token, the password or its hash to the logs, `headroom ui` or the login page', async () => {
    const record = JSON.parse(await readFile(join(rig.home, 'ui-password.json'), 'utf8'));
    const { w } = await start();
    const page = (await ask(rig.port, '/login')).body;
    const state = await cli(['ui']);
    assert.match(
      state.stdout,
      /^Access token: kept in \S+ui-token\.json; `headroom ui --rotate-token` replaces it$/m,
    );
    assert.match(state.stdout, /^Password login: on \(scrypt hash\)$/m);
    await stop(w);
    for (const secret of [...tokens, PASSWORD, record.hash, record.salt]) {
      assert.ok(!said.join('\n').includes(secret), 'not in any log line');
      assert.ok(!page.includes(secret), 'not on the login page');
    }
  });
});
