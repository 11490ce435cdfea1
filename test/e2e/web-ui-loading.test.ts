import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { holdAnswer, holdRequest } from '../helpers/web-ui.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * The web UI in real Chromium against the real core (`headroom watch --ui` on a tmpfs) while what
 * it loads arrives late, out of order or not at all, as on a busy machine or a blinking network.
 */
describe('the web UI in Chromium: while it loads', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('takes its access token from the address as it loads, before anything can change the address', async () => {
    const page = await ui.newPage();
    // React schedules its render with setImmediate where a page has one: a slow one holds the
    // first render, and so the first request, back until after the address has changed, as a busy
    // machine does. The token must not be read from the address that late. Only the first is
    // held: React's scheduler yields through it at every step, and holding each one made History's
    // later renders take minutes on a loaded machine.
    await page.addInitScript(
      'let held = false; window.setImmediate = (run) => setTimeout(run, held ? 0 : ((held = true), 500))',
    );
    await page.goto(ui.url);
    assert.doesNotMatch(page.url(), /token=/, 'the token leaves the address bar as the page loads');
    await page.evaluate(`location.hash = '#/history'`);
    await page
      .getByRole('status')
      .filter({ hasText: /deliver/ })
      .waitFor();
    await page.close();
  });

  it('shows alerts paused when the pause comes before the page’s first answer and its event stream', async () => {
    const page = await ui.newPage();
    const info = await holdAnswer(page, 'app.info');
    // The pushed events' stream still opening, as on a busy machine: the pause is pushed to no one.
    const stream = await holdRequest(page, '**/api/events');
    await page.goto(ui.url);
    await Promise.all([info.read, stream.asked]); // "not paused", on its way to the page
    await ui.call('alerts.pause', { minutes: 60 });
    stream.send();
    await page.getByText(/^Alerts paused until/).waitFor();
    await info.release();
    await page
      .locator('footer')
      .getByText(/^Headroom /)
      .waitFor();
    assert.ok(
      await page.getByText(/^Alerts paused until/).isVisible(),
      'the older answer does not unpause it',
    );
    await ui.call('alerts.resume');
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    await page.close();
  });

  it('says when the form’s code cannot be fetched, lets the user go back, and fetches it anew', async () => {
    const page = await ui.open('#/integrations');
    const code = await holdRequest(page, '**/assets/IntegrationForm-*.js');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await code.asked;
    code.refuse(); // as when the watcher restarted or the network blinked just then
    await page
      .getByRole('status')
      .filter({ hasText: /^Could not load the form: the watcher did not send it/ })
      .waitFor();
    await page.locator('.contained').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { name: 'Add Webhook' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.close();
  });

  it('draws the settings form only once the saved settings are in it, and says when they cannot load', async () => {
    const page = await ui.newPage();
    let answers = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first load fails as a dropped connection does; the second is held until released.
    await page.route('**/api/settings.get', async (route) => {
      if (answers++ === 0) return route.abort('connectionreset');
      await held;
      await route.continue();
    });
    await page.goto(ui.url);
    await page.evaluate(`location.hash = '#/settings'`);
    await page
      .getByRole('status')
      .filter({ hasText: /^Could not load the settings: / })
      .waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('status').filter({ hasText: 'Loading the settings…' }).waitFor();
    // A field typed into now would be overwritten by the values arriving: there is none yet.
    assert.equal(await page.getByRole('textbox').count(), 0);
    release();
    assert.equal(await page.getByLabel('Warning below (% free)', { exact: true }).inputValue(), '20');
    await page.close();
  });
});
