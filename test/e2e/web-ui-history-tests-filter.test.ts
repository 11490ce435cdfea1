import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

/**
 * History's Disk filter offers the test notifications on their own, and a disk's own deliveries
 * without them: a test names a disk only to look like an alert.
 */
describe('the web UI in Chromium: History filtered to tests, or to a disk', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('lists the tests alone under "Test notifications", and none under the disk', async () => {
    const saved = await ui.call<{ ok: boolean; integration: { id: string } }>('integrations.save', {
      type: 'webhook',
      name: 'Ops receiver',
      config: { url: `${ui.receiver.url}/hooks/disk`, ca: ui.pki.ca },
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    await ui.call('integrations.test', { id: saved.integration.id });
    const page = await ui.open('#/history');
    const rows = page.locator('.history-row');
    await rows.filter({ hasText: 'test' }).first().waitFor();
    await ui.disk.setFreePercent(15);
    await rows.filter({ hasText: 'ok → warning' }).filter({ hasText: ui.disk.dir }).first().waitFor();

    await page.getByLabel('Disk').selectOption({ label: 'Test notifications' });
    await rows
      .filter({ hasText: 'ok → warning' })
      .filter({ hasText: ui.disk.dir })
      .waitFor({ state: 'detached' });
    const testTags = rows.locator('.col-disk .tag', { hasText: /^test$/ });
    await testTags.first().waitFor(); // the filtered page is in (it is empty while it loads)
    assert.equal(await testTags.count(), await rows.count(), 'every row listed is a test');
    // Its event is made up to look like an alert: the row says it is a test, not a change of state.
    assert.equal(await rows.filter({ hasText: 'test notification' }).count(), await rows.count());
    assert.equal(await rows.filter({ hasText: '→' }).count(), 0, 'a test shown as a change of state');

    await page.getByLabel('Disk').selectOption(ui.disk.dir);
    await rows.filter({ hasText: 'ok → warning' }).first().waitFor();
    assert.equal(await testTags.count(), 0, "the disk's own deliveries, without the test");
    await page.close();
  });
});
