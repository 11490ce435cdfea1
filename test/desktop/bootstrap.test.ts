import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from '../helpers/node-test.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { repoPath } from '../helpers/root.js';

const MAIN = repoPath('dist/electron/main/index.js');
const FAKE_ELECTRON = new URL('../helpers/electron/register.mjs', import.meta.url).pathname;
const START_PROBE = new URL('../helpers/electron/start-probe.mjs', import.meta.url).pathname;

/**
 * The built entry point a desktop user runs (`dist/electron/main/index.js`), started as its own
 * process with `electron` mapped to the recording fake: the bootstrap's own lines — which
 * surfaces and which store class it hands over — run here, not only the wiring behind them.
 */
describe('the built desktop app on the fake Electron', () => {
  it('starts, samples into its own data files (never config.json), and quits cleanly on SIGTERM', async () => {
    const home = await tempHome();
    const app = new CliProcess(['--hidden'], home, { HEADROOM_FAKE_ELECTRON_LOG: '1' }, [
      // The fake is TypeScript: built beside this file, or compiled by tsx when run from source.
      ...(import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : []),
      '--import',
      FAKE_ELECTRON,
      '--import',
      START_PROBE,
      MAIN,
    ]);
    await app.waitUntil(() => app.stdoutLines.find((l) => l === 'headroom:ready'), 'headroom:ready');
    // The start promise the Electron smoke test awaits is handed over, and says the app started.
    await app.waitUntil(
      () => app.stdoutLines.find((l) => l.startsWith('headroomStarted:')),
      'the start promise settled',
    );
    assert.ok(app.stdoutLines.includes('headroomStarted:true'), app.stdoutLines.join('\n'));
    const tooltip = await app.waitForStderr(/"call":"setToolTip","args":\["Headroom — .*free/);
    assert.match(tooltip, /Headroom — /);
    assert.equal(await app.stop('SIGTERM'), 0);
    const quit = app.stderrLines
      .filter((l) => l.startsWith('fake-electron:'))
      .map((l) => JSON.parse(l.slice(15)));
    assert.deepEqual(
      quit.slice(-2).map((e) => `${e.surface}.${e.call}`),
      ['tray.destroy', 'app.exit'],
      'before-quit stops the watcher, then the tray goes and the app exits',
    );
    const files = await readdir(home);
    assert.ok(files.includes('state.json') && files.includes('samples.json'), files.join(', '));
    assert.ok(!files.includes('config.json'), `one file per store (have ${files.join(', ')})`);
    assert.ok(!files.includes('watcher.lock'), 'the lock is released');
  });
});
