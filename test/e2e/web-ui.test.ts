import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, chromiumMissing, launchChromium } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const skip = chromiumMissing || (await cannotMount);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The renderer in real Chromium against the real core: `headroom watch --ui` on a tmpfs, with a
 * local HTTPS receiver standing in for the webhook endpoint.
 */
describe('the web UI in Chromium', { skip }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let receiver: Receiver;
  let watcher: CliProcess;
  let browser: Browser;
  let url: string;

  before(async () => {
    pki = await makePki();
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    receiver = await Receiver.start(pki);
    watcher = new CliProcess(
      ['watch', '--interval', '1', '--mount', disk.dir, '--ui', '127.0.0.1:0'],
      await tempHome(),
    );
    url = (await watcher.waitForStderr(/web UI at /)).replace(/.*web UI at /, '');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await watcher?.stop();
    await receiver?.close();
    await disk?.dispose();
  });

  async function open(hash = ''): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url);
    if (hash) await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    return page;
  }

  it('shows the watched disk with its figures and state', async () => {
    const page = await open();
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'ok');
    assert.match(await card.innerText(), /50\.0% free · 10\.0 MiB of 20\.0 MiB/);
    await page.screenshot({ path: await artifactPath('disks'), fullPage: true });
    await page.close();
  });

  it('refuses invalid input with the field and the fix, and saves nothing', async () => {
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/hook');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('URL: must use https:// (plain http:// is allowed only to this machine').waitFor();
    assert.equal(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('No integrations yet').waitFor();
    await page.close();
  });

  it('adds a webhook through the form, sends a test the receiver gets, and shows it in History', async () => {
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Ops receiver');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks/disk`);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.getByLabel('Authentication').selectOption('bearer');
    await page.getByLabel('Bearer token (secret)').fill('tok-from-the-form');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Ops receiver.').waitFor();
    const row = page.locator('.integration', { hasText: 'Ops receiver' });
    assert.doesNotMatch(await page.content(), /tok-from-the-form/, 'the secret is not shown after saving');

    const before = receiver.requests.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByText(/✔ Test delivered \(HTTP 200, \d+ ms\)/).waitFor();
    const got = receiver.requests.slice(before).find((r) => r.method === 'POST')!;
    assert.match(JSON.parse(got.body).message, /^\[TEST\]/);
    assert.equal(got.headers.authorization, 'Bearer tok-from-the-form');
    await page.screenshot({ path: await artifactPath('integrations'), fullPage: true });

    await page.getByRole('link', { name: 'History' }).click();
    const entry = page.getByRole('listitem').filter({ hasText: 'Ops receiver' }).first();
    await entry.waitFor();
    assert.match(await entry.innerText(), /test[\s\S]*delivered/);
    await entry.getByRole('button').click();
    await page
      .getByRole('complementary', { name: 'Delivery details' })
      .getByText(/HTTP 200 · \d+ ms/)
      .waitFor();
    await page.screenshot({ path: await artifactPath('history'), fullPage: true });
    await page.close();
  });

  it('shows the reason when Validate fails', async () => {
    const hook = await Receiver.start(pki);
    hook.always((r) => {
      const token = new URL(r.url, 'https://x').searchParams.get('crc_token') ?? '';
      return {
        status: 200,
        body: JSON.stringify({
          response_token: `sha256=${createHmac('sha256', 'crc-secret').update(token).digest('base64')}`,
        }),
      };
    });
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Challenged');
    await page.getByLabel('URL', { exact: true }).fill(hook.url);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.getByLabel('Challenge secret (secret)').fill('crc-secret');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText(/Saved Challenged\. Validated: challenge answered correctly/).waitFor();

    // The receiver changes its mind: its answer no longer matches the secret.
    hook.always(() => ({ status: 200, body: '{"response_token":"sha256=wrong"}' }));
    const row = page.locator('.integration', { hasText: 'Challenged' });
    await row.getByRole('button', { name: 'Validate' }).click();
    await row
      .getByText(/✘ the response_token does not match: the receiver must answer .* \(HTTP 200, \d+ ms\)/)
      .waitFor();
    await page.close();
    await hook.close();
  });

  it('shows a disk crossing below 20% free as warning without a reload', async () => {
    const page = await open();
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await card.waitFor();
    await disk.setFreePercent(15);
    await page.locator(`.disk[data-mount="${disk.dir}"][data-state="warning"]`).waitFor();
    assert.match(await card.innerText(), /Warning/);
    await disk.setFreePercent(50);
    await page.close();
  });

  it('has no serious or critical accessibility violations on any page (axe)', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    const problems: string[] = [];
    for (const hash of ['#/disks', '#/integrations', '#/history', '#/settings']) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      // Wait for the page's own content (the event stream keeps the network busy for ever).
      await page.locator('h1', { hasText: hash.slice(2, 3).toUpperCase() + hash.slice(3) }).waitFor();
      await page.locator('footer', { hasText: 'Headroom' }).waitFor();
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
        violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
      };
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          problems.push(`${hash} ${v.id} (${v.impact}): ${v.help} ×${v.nodes.length}`);
      if (hash === '#/settings')
        await page.screenshot({ path: await artifactPath('settings'), fullPage: true });
    }
    for (const scheme of ['dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(`location.hash = '#/integrations'`);
      await page.locator('.catalogue .channel').first().waitFor();
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate('axe.run(document, { runOnly: ["color-contrast"] })')) as {
        violations: { id: string; impact: string; nodes: unknown[] }[];
      };
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          problems.push(`${scheme} ${v.id} ×${v.nodes.length}`);
      await page.screenshot({ path: await artifactPath(`integrations-${scheme}`), fullPage: true });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});
