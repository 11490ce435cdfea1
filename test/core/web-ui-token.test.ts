import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { runCli } from '../helpers/cli.js';
import { accessRig, api, mode, tokenOf } from '../helpers/web-ui-access.js';

/**
 * The web UI's access token outlives restarts, in a 0600 file, until rotated; a damaged or
 * unwritable token file is said and worked around, never a crash. (Password login:
 * web-ui-login.test.ts; the same in Chromium: test/e2e/web-ui-access.test.ts.)
 */
describe('the web UI keeps its access token until it is rotated', () => {
  const rig = accessRig();
  const { cli, start, stop, said, tokens } = rig;

  it(
    'keeps the token across a restart, in a 0600 file, until `headroom ui --rotate-token`',
    { timeout: 30_000 },
    async () => {
      const first = await start();
      const token = tokenOf(first.url);
      assert.equal(mode(join(rig.home, 'ui-token.json')), '600');
      await stop(first.w);
      const second = await start();
      assert.equal(second.url, first.url, 'a restarted watcher gives the same address');
      assert.equal((await api(rig.port, { token })).status, 200);

      const rotated = await cli(['ui', '--rotate-token']);
      assert.match(
        rotated.stderr,
        /new web UI access token: the old one and every password login no longer work/,
      );
      assert.equal((await api(rig.port, { token })).status, 401, 'the old token is refused at once');
      const fresh = (await readFile(join(rig.home, 'ui-url'), 'utf8')).trim();
      assert.notEqual(tokenOf(fresh), token);
      assert.equal(
        (await api(rig.port, { token: tokenOf(fresh) })).status,
        200,
        'ui-url has the new address',
      );
      await stop(second.w);
    },
  );

  it(
    'replaces a damaged token file with a new token, saying so, and starts',
    { timeout: 30_000 },
    async () => {
      await writeFile(join(rig.home, 'ui-token.json'), '{"tok', { mode: 0o600 });
      const { w, url } = await start();
      await w.waitForStderr(
        /ui-token\.json is damaged \(it does not hold an access token\): a new access token replaces it/,
      );
      assert.equal((await api(rig.port, { token: tokenOf(url) })).status, 200);
      await stop(w);
    },
  );

  it(
    'starts with a token it cannot save, saying so; `headroom ui` fails in one line',
    { timeout: 30_000 },
    async () => {
      await rm(join(rig.home, 'ui-token.json'));
      await mkdir(join(rig.home, 'ui-token.json'));
      const { w, url } = await start();
      await w.waitForStderr(/ui-token\.json cannot be read \(EISDIR/);
      await w.waitForStderr(/the access token could not be saved to .*: it works until the watcher stops/);
      assert.equal((await api(rig.port, { token: tokenOf(url) })).status, 200);
      const r = await runCli(['ui', '--rotate-token'], rig.home);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^headroom: \S+ui-token\.json could not be written \(EISDIR[^\n]*nothing was changed there\.\n$/,
      );
      await stop(w);
      await rm(join(rig.home, 'ui-token.json'), { recursive: true });
    },
  );

  it('never writes a token to the logs or `headroom ui`', async () => {
    const { w } = await start(); // a token file again, after the test above took it away
    await stop(w);
    const state = await cli(['ui']);
    assert.match(
      state.stdout,
      /^Access token: kept in \S+ui-token\.json; `headroom ui --rotate-token` replaces it$/m,
    );
    assert.match(state.stdout, /^Password login: off$/m);
    assert.ok(tokens.size >= 3, 'tokens of several runs and rotations');
    for (const token of tokens) assert.ok(!said.join('\n').includes(token), 'not in any log line');
  });
});
