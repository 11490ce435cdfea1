import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { installElectron } from '../../scripts/electron-binary.mjs';
import { tempHome } from '../helpers/cli.js';
import { ROOT } from '../helpers/root.js';

const root = ROOT;

/** `node scripts/start.mjs ARGS` as `npm start` runs it, with no Electron binary to be found. */
function start(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return tempHome().then(
    (home) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
          cwd: root,
          env: {
            ...process.env,
            HEADROOM_HOME: home,
            ELECTRON_OVERRIDE_DIST_PATH: join(home, 'no-electron'),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      }),
  );
}

describe('npm start', () => {
  it('without the Electron binary says in one line why it runs headless, and downloads nothing', async () => {
    // An option `watch` refuses makes the headless run stop at once, before it binds its port.
    const { code, stderr } = await start(['--no-such-option']);
    const [first, ...rest] = stderr.trim().split('\n');
    assert.equal(
      first,
      'headroom: running headless with the web UI: the Electron binary is not installed (npm ci skips its download; npm start -- --install-electron fetches it).',
    );
    assert.notEqual(code, 0, 'the unknown option is refused by watch');
    assert.doesNotMatch(rest.join('\n'), /downloading|fetch failed|TypeError|^\s+at /m);
  });

  it('downloads only when asked, and a failed download is one line, not a stack trace', async () => {
    // A mirror nothing listens on, an empty download cache and a dist folder that does not exist:
    // the download fails at once, as offline, even where the binary is installed.
    const home = await tempHome();
    const env = {
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: join(home, 'cache'),
      ELECTRON_OVERRIDE_DIST_PATH: join(home, 'no-electron'),
    };
    Object.assign(process.env, env);
    try {
      const result = installElectron();
      assert.match(result.reason ?? '', /^downloading Electron failed( \(.+\))?; is this machine offline\?$/);
      assert.doesNotMatch(result.reason ?? '', /\n/);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
  });
});
