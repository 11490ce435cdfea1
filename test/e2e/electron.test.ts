import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { _electron } from 'playwright-core';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { tempHome } from '../helpers/cli.js';
import { NO_ELECTRON_BINARY } from '../helpers/skip-report.mjs';

/** The real app, launched by Playwright, where Electron's binary exists; skipped loudly elsewhere. */
const binary = electronBinary();
const skip = binary.path
  ? false
  : `${NO_ELECTRON_BINARY}: ${binary.reason}; this smoke test runs where it is`;
if (skip) console.log(`# electron smoke test skipped: ${skip}`);

// The one skip CI allows (test/helpers/skip-report.mjs): every CI machine lacks this binary.
describe('the desktop app (Electron smoke test)', () => {
  it(
    'launches, opens its window, answers one IPC round trip, keeps Node out of the page, and quits',
    { skip },
    async () => {
      const app = await _electron.launch({
        executablePath: binary.path,
        args: ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
        env: { ...process.env, HEADROOM_HOME: await tempHome() },
      });
      try {
        const page = await app.firstWindow();
        // The entry's startApp promise: its "headroom:ready" line may come before launch() returns.
        assert.equal(
          await app.evaluate(() => (globalThis as { headroomStarted?: Promise<boolean> }).headroomStarted),
          true,
          'the app started',
        );
        type Bridge = { headroom: { invoke: Record<string, (i?: unknown) => Promise<unknown>> } };
        const info = await page.evaluate(() =>
          (globalThis as unknown as Bridge).headroom.invoke['app.info']!(),
        );
        assert.equal((info as { ok: boolean; value: { shell: string } }).value.shell, 'electron');
        assert.equal(
          await page.evaluate(() => typeof (globalThis as { require?: unknown }).require),
          'undefined',
        );
        assert.equal(
          await page.evaluate(() => typeof (globalThis as { process?: unknown }).process),
          'undefined',
        );
      } finally {
        await app.close();
      }
    },
  );
});
