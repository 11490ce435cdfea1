import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { chromiumMissing } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { linkRig } from '../helpers/link-rig.js';

/**
 * An open web UI and a pause set beside it with the command line: the watcher pushes it to the
 * page at its next keep-alive beat, with no reload. (A watcher that restarts or hangs:
 * web-ui-link.test.ts, web-ui-link-hang.test.ts.)
 */
describe('the web UI beside the command line', { skip: chromiumMissing }, () => {
  const ui = linkRig();

  it('shows a pause set from the command line while it is open', async () => {
    await ui.openLive();
    assert.equal((await runCli(['snooze', '--all', '--for', '8h'], ui.home)).code, 0);
    await ui.page.getByText(/^Alerts paused until/).waitFor();
    assert.equal((await runCli(['unsnooze', '--all'], ui.home)).code, 0);
    await ui.page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
  });
});
