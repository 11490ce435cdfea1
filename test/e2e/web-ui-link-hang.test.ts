import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { chromiumMissing } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { linkRig, LOST } from '../helpers/link-rig.js';

/**
 * An open web UI whose watcher hangs (stopped, its port still open): the page must tell silence
 * from an idle watcher, say it is out of touch, and catch up once the watcher answers again.
 * (A watcher that stops or restarts: web-ui-link.test.ts.)
 */
describe('the web UI beside a watcher that hangs', { skip: chromiumMissing }, () => {
  const ui = linkRig();

  it(
    'says so when the watcher stops answering, and is current again when it answers',
    { timeout: 90_000 },
    async () => {
      const page = await ui.openLive({ clock: true });
      const watcher = ui.watcher!;
      assert.equal(await ui.stale(), null, 'live before the watcher hangs');

      watcher.child.kill('SIGSTOP');
      // Silent for three keep-alive beats (30 s): lost, not idle. The page's clock jumps them (its
      // timers fire as they would have, the stopped watcher has sent nothing meanwhile) rather
      // than the test waiting them out.
      await page.clock.fastForward('00:30');
      await ui.banner(LOST).waitFor({ timeout: 20_000 });
      assert.equal((await runCli(['snooze', '--all', '--for', '1h'], ui.home)).code, 0);
      watcher.child.kill('SIGCONT');
      await ui.banner(LOST).waitFor({ state: 'detached', timeout: 60_000 });
      await page.getByText(/^Alerts paused until/).waitFor();
      assert.equal((await runCli(['unsnooze', '--all'], ui.home)).code, 0);
      await page.close();
    },
  );
});
