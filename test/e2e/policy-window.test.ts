import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, keepScreenshot } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { webUiUrl } from '../helpers/web-ui.js';

/** The renderer in real Chromium, served by `headroom watch --ui` under an organisation policy. */
describe('the window under an organisation policy', { skip: chromiumMissing }, () => {
  let watcher: CliProcess;
  let browser: Browser;
  let url: string;

  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
    const policy = join(dir, 'policy.json');
    await writeFile(
      policy,
      JSON.stringify({
        settings: { warningPercent: 15, criticalPercent: 5, watchInodes: false },
        integrations: [
          { id: 'ops-hook', type: 'webhook', name: 'Ops hook', config: { url: 'https://127.0.0.1:1/hook' } },
        ],
        userIntegrations: false,
      }),
    );
    const home = await tempHome();
    watcher = new CliProcess(['watch', '--interval', '60', '--mount', '/', '--ui', '127.0.0.1:0'], home, {
      HEADROOM_POLICY: policy,
    });
    // Chromium starts while the watcher does: neither needs the other until a page opens.
    [url, browser] = await Promise.all([webUiUrl(watcher, home), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await watcher?.stop();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url);
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    return page;
  }

  it('shows managed settings locked, marked "Managed by your organisation", the others editable', async () => {
    const page = await open('#/settings');
    const warning = page.locator('#s-warningPercent');
    // The form is drawn with the saved settings in it: what it first shows is what they say.
    assert.equal(await warning.inputValue(), '15');
    assert.equal(await warning.isDisabled(), true);
    assert.equal(await page.locator('#s-warningPercent-managed').innerText(), 'Managed by your organisation');
    assert.equal(await page.locator('#s-criticalPercent').isDisabled(), true);
    assert.equal(await page.locator('#s-intervalSeconds').isDisabled(), false, 'not managed: editable');
    assert.equal(await page.getByRole('checkbox', { name: /Watch inodes too/ }).isDisabled(), true);
    await keepScreenshot(page, 'policy-settings', { fullPage: true });
    await page.close();
  });

  it('shows a managed integration marked, with nothing to change, and no way to add another', async () => {
    const page = await open('#/integrations');
    const card = page.locator('.integration[data-id="ops-hook"]');
    await card.waitFor();
    assert.match(await card.innerText(), /Managed by your organisation/);
    assert.equal(await card.getByRole('button', { name: 'Edit' }).isDisabled(), true);
    assert.equal(await card.getByRole('button', { name: 'Delete…' }).isDisabled(), true);
    assert.equal(await card.getByRole('switch').isDisabled(), true);
    assert.equal(
      await card.getByRole('button', { name: 'Send test' }).isDisabled(),
      false,
      'a test may be sent',
    );
    assert.equal(await page.getByRole('button', { name: 'Add Webhook' }).isDisabled(), true);
    assert.match(
      await page.locator('p.managed[role="note"]').innerText(),
      /only the integrations of .*policy\.json are used/,
    );
    await keepScreenshot(page, 'policy-integrations', { fullPage: true });
    await page.close();
  });
});
