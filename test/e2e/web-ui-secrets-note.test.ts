import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { webUiRig, webUiSkip } from '../helpers/web-ui-rig.js';

const NOTE = /Secrets are stored unencrypted in files readable only by you/;

/**
 * Where secrets are kept (no keychain on a server) is said where secrets are entered, once per
 * visit, and can be dismissed: not a permanent banner over every page.
 */
describe('the web UI in Chromium: the note on unsealed secrets', { skip: webUiSkip }, () => {
  const ui = webUiRig({ freePercent: 50 });

  it('is on Integrations only, and once dismissed stays away for the visit', async () => {
    const page = await ui.newPage(390, 844);
    await page.goto(ui.url);
    await page.getByRole('heading', { name: 'Disks' }).waitFor();
    assert.equal(await page.getByRole('note').filter({ hasText: NOTE }).count(), 0, 'not on Disks');

    // At 390 px the pages are behind the menu button: go by address, as a bookmark would.
    const go = (hash: string) => page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await go('#/integrations');
    const note = page.getByRole('note').filter({ hasText: NOTE });
    await note.waitFor();
    await note.getByRole('button', { name: 'Dismiss' }).click();
    await note.waitFor({ state: 'detached' });

    await go('#/history');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await go('#/integrations');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    assert.equal(
      await page.getByRole('note').filter({ hasText: NOTE }).count(),
      0,
      'dismissed for the visit',
    );
    await page.close();

    // A new visit says it again.
    const again = await ui.open('#/integrations');
    await again.getByRole('note').filter({ hasText: NOTE }).waitFor();
    await again.close();
  });
});
