import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/** A disk that is not there has no trend: its card says it is unreachable, not "Trend: stable". */
describe('the web UI in Chromium: a watched disk that was unmounted', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('shows the trend while mounted, and none once it is gone', async () => {
    const page = await ui.open();
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    await card.getByText(/^Trend: /).waitFor();
    await ui.disk.unmount();
    try {
      await card.getByText('unreachable').first().waitFor();
      assert.equal(await card.getByText(/^Trend: /).count(), 0, await card.innerText());
    } finally {
      await ui.disk.remount();
      await page.close();
    }
  });
});
