import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser, Page } from 'playwright-core';
import type { DiskView, IntegrationView } from '../../shared/ipc/contract.js';
import type { Settings } from '../../shared/settings.js';
import { artifactPath, chromiumMissing, launchChromium } from '../helpers/browser.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { apiFromPage, holdAnswer, holdRequest, webUiUrl } from '../helpers/web-ui.js';

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
    const home = await tempHome();
    watcher = new CliProcess(['watch', '--interval', '1', '--mount', disk.dir, '--ui', '127.0.0.1:0'], home);
    url = await webUiUrl(watcher, home);
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

  it('takes its access token from the address as it loads, before anything can change the address', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // React schedules its render with setImmediate where a page has one: a slow one holds the
    // first render, and so the first request, back until after the address has changed, as a busy
    // machine does. The token must not be read from the address that late.
    await page.addInitScript('window.setImmediate = (run) => setTimeout(run, 500)');
    await page.goto(url);
    assert.doesNotMatch(page.url(), /token=/, 'the token leaves the address bar as the page loads');
    await page.evaluate(`location.hash = '#/history'`);
    await page
      .getByRole('status')
      .filter({ hasText: /deliver/ })
      .waitFor();
    await page.close();
  });

  it('shows alerts paused when the pause comes before the page’s first answer and its event stream', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const info = await holdAnswer(page, 'app.info');
    // The pushed events' stream still opening, as on a busy machine: the pause is pushed to no one.
    const stream = await holdRequest(page, '**/api/events');
    await page.goto(url);
    await Promise.all([info.read, stream.asked]); // "not paused", on its way to the page
    await call('alerts.pause', { minutes: 60 });
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
    await call('alerts.resume');
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    await page.close();
  });

  it('shows the watched disk with its figures and state', async () => {
    const page = await open();
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'ok');
    // Size, used and available as df shows them (tmpfs reserves nothing: used + available = size).
    assert.match(
      await card.innerText(),
      /50\.0% free\s+Size\s+20\.0 MiB\s+Used\s+10\.0 MiB\s+Available\s+10\.0 MiB/,
    );
    assert.equal(
      await card.getByRole('meter').getAttribute('aria-valuetext'),
      '50.0% used; warning at 20% free, critical at 10% free',
    );
    await page.screenshot({ path: await artifactPath('disks'), fullPage: true });
    await page.close();
  });

  it('shows a disk out of inodes as critical beside its free space', async () => {
    // A disk of its own with 50 inodes, 47 of them used by empty files: plenty of space, no inodes.
    const small = await Tmpfs.mount(20, 'nr_inodes=50');
    const otherHome = await tempHome();
    const other = new CliProcess(
      ['watch', '--interval', '1', '--mount', small.dir, '--ui', '127.0.0.1:0'],
      otherHome,
    );
    try {
      for (let i = 0; i < 47; i++) await writeFile(join(small.dir, `f${i}`), '');
      const at = await webUiUrl(other, otherHome);
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(at);
      const card = page.locator(`.disk[data-mount="${small.dir}"]`);
      await card.locator('.inodes[data-inode-state="critical"]').waitFor();
      assert.equal(await card.getAttribute('data-state'), 'ok', 'the space alert is its own');
      assert.match(await card.locator('.inodes').innerText(), /^Inodes \d\.\d% free — Critical$/);
      await page.close();
    } finally {
      await other.stop();
      await small.dispose();
    }
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

  it('never puts back an error already fixed when an older check of the form answers late', async () => {
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    // The check of the http:// URL is answered at once by the watcher and reaches the page late.
    const late = await holdAnswer(page, 'integrations.preview', (input) =>
      String((input.config as { url?: unknown }).url).startsWith('http://example.com'),
    );
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/hook');
    await late.read;
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks/late`);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.locator('.preview-message').waitFor();
    await late.release();
    assert.equal(await page.getByText(/^URL: must use https:\/\//).count(), 0, 'the fixed URL is not marked');
    assert.equal(await page.locator('.preview-message').count(), 1, 'the preview of the valid form stays');
    await page.getByRole('button', { name: 'Cancel' }).click();
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
    await row.waitFor(); // the saved integration as the watcher answers it, where a secret could show
    assert.doesNotMatch(await page.content(), /tok-from-the-form/, 'the secret is not shown after saving');

    const before = receiver.requests.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByText(/✔ Test delivered \(HTTP 200, \d+ ms\)/).waitFor();
    const got = receiver.requests.slice(before).find((r) => r.method === 'POST')!;
    assert.match(JSON.parse(got.body).message, /^\[TEST\]/);
    assert.equal(got.headers.authorization, 'Bearer tok-from-the-form');
    await page.screenshot({ path: await artifactPath('integrations'), fullPage: true });

    await page.getByRole('link', { name: 'History' }).click();
    const entry = page.locator('.history-row').filter({ hasText: 'Ops receiver' }).first();
    await entry.waitFor();
    assert.match(await entry.innerText(), /test[\s\S]*Delivered[\s\S]*HTTP 200/);
    await entry.getByRole('button').click();
    await page
      .getByRole('complementary', { name: 'Delivery details' })
      .getByText(/HTTP 200 · \d+ ms/)
      .waitFor();
    await page.screenshot({ path: await artifactPath('history'), fullPage: true });
    await page.close();
  });

  it('lists deliveries made while the History page was loading, as they ended', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const list = await holdAnswer(page, 'history.list');
    await page.goto(url);
    await page.evaluate(`location.hash = '#/history'`);
    await list.read; // the history as it was before the test below
    const { integrations } = await call<{ integrations: { id: string; name: string }[] }>(
      'integrations.list',
    );
    await call('integrations.test', { id: integrations.find((i) => i.name === 'Ops receiver')!.id });
    // Pushed events arrive in order: once the pause sent after the test shows, so has the test.
    await call('alerts.pause', { minutes: 60 });
    await page.getByText(/^Alerts paused until/).waitFor();
    await list.release();
    const stored = await call<unknown[]>('history.list', { limit: 200 });
    await page.getByRole('status').getByText(`${stored.length} deliveries`, { exact: true }).waitFor();
    assert.match(
      await page.locator('.history-row').first().innerText(),
      /Ops receiver[\s\S]*test[\s\S]*Delivered/,
    );
    await call('alerts.resume');
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

  it('offers Save anyway when the receiver is unreachable, and Validate never ticks what it cannot check', async () => {
    const gone = await Receiver.start(pki);
    const goneUrl = gone.url;
    await gone.close(); // nothing listens there any more
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Gone receiver');
    await page.getByLabel('URL', { exact: true }).fill(goneUrl);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.getByLabel('Challenge secret (secret)').fill('crc-secret');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText(/Not saved: the receiver did not pass validation\. connection refused/).waitFor();
    await page.getByRole('button', { name: 'Save anyway' }).click();
    await page.getByText(/Saved Gone receiver\. Saved without asking the receiver/).waitFor();
    const row = page.locator('.integration', { hasText: 'Gone receiver' });
    await row.getByRole('button', { name: 'Validate' }).click();
    await row.getByText(/✘ connection refused/).waitFor();

    // Without a challenge secret there is nothing to ask: a neutral ○, not a green tick.
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Unchallenged');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/plain`);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Unchallenged.').waitFor();
    const plain = page.locator('.integration', { hasText: 'Unchallenged' });
    await plain.getByRole('button', { name: 'Validate' }).click();
    const said = plain.getByText(/^○ not checked: the settings are valid, but this channel cannot be asked/);
    await said.waitFor();
    assert.doesNotMatch((await said.getAttribute('class')) ?? '', /outcome-ok/);
    await page.close();
  });

  it('shows a disk crossing below 20% free as warning without a reload, not undone by an older answer', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // The page's first list of disks is read before the crossing and reaches the page after it.
    const list = await holdAnswer(page, 'disks.list');
    await page.goto(url);
    await list.read;
    await disk.setFreePercent(15);
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await page.locator(`.disk[data-mount="${disk.dir}"][data-state="warning"]`).waitFor();
    await list.release();
    assert.equal(await card.getAttribute('data-state'), 'warning');
    assert.match(await card.innerText(), /Warning/);
    await disk.setFreePercent(50);
    await page.close();
  });

  it('shows 19.98 % free in warning as below 20 %, never "20.0%", in the card, the meter and the chart', async () => {
    const page = await open();
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await card.waitFor();
    await disk.setFreePercent(19.99);
    const free = await disk.freePercent();
    assert.ok(free > 19.95 && free < 20, `the disk is at ${free}% free, where one decimal would read 20.0`);
    await page.locator(`.disk[data-mount="${disk.dir}"][data-state="warning"]`).waitFor();
    await card.locator('.figures', { hasText: /19\.9\d% free/ }).waitFor();
    assert.match(
      (await card.getByRole('meter').getAttribute('aria-valuetext')) ?? '',
      /^80\.0\d% used;/,
      'used space is not rounded onto the 80 % the warning starts at either',
    );
    await card.locator('figcaption', { hasText: /19\.9\d% now/ }).waitFor();
    assert.doesNotMatch(await card.innerText(), /\b20\.0%/);
    await page.screenshot({ path: await artifactPath('disks-at-19.98'), fullPage: true });
    await disk.setFreePercent(50);
    await page.close();
  });

  /** The web UI's own HTTP API, with the token from the URL the watcher printed. */
  async function call<T>(name: string, input: unknown = {}): Promise<T> {
    const token = decodeURIComponent(/token=([^&]+)/.exec(url)![1]!);
    const res = await fetch(new URL(`api/${name}`, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    const result = (await res.json()) as { ok: boolean; value: T };
    assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
    return result.value;
  }

  it('snoozes one disk from its card, says until when, and unsnoozes it', async () => {
    const page = await open();
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Inodes \d+\.\d% free/, 'tmpfs has an inode count');
    await card.getByText('Snooze alerts…').click();
    await card
      .getByRole('group', { name: `Snooze alerts for ${disk.dir}` })
      .getByRole('button', { name: '8 hours' })
      .click();
    const snoozed = card.getByText(/^Snoozed until \d{4}-\d\d-\d\d \d\d:\d\d \S+$/);
    await snoozed.waitFor();
    const [view] = await call<DiskView[]>('disks.list');
    assert.ok(view!.snoozedUntil! > Date.now() + 7.9 * 3600_000, 'the core holds the snooze for 8 hours');
    await page.screenshot({ path: await artifactPath('disks-snoozed'), fullPage: true });

    await card.getByRole('button', { name: `Unsnooze ${disk.dir}` }).click();
    await snoozed.waitFor({ state: 'detached' });
    await card.getByText('Snooze alerts…').waitFor();
    assert.equal((await call<DiskView[]>('disks.list'))[0]!.snoozedUntil, null);
    await page.close();
  });

  it('saves quiet hours, reminders and a template, previewed live, with errors beside their fields', async () => {
    const page = await open('#/integrations');
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Quiet ops');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks/quiet`);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    await page.getByLabel('Hold notifications during quiet hours').check();
    await page.getByLabel('Saturday').uncheck();
    await page.getByLabel('Quiet from').fill('22:30');
    await page.getByLabel('Quiet until').fill('06:45');
    await page.getByLabel('Critical alerts break through quiet hours').uncheck();
    await page.getByLabel('Remind while warning, every (hours)').fill('0.1');
    await page.getByLabel('Remind while critical, every (hours)').fill('2');

    // A variable that does not exist is named beside the title, by the check that runs on save.
    const title = page.getByLabel('Title', { exact: true });
    await title.fill('Disk {{mount}} is {{nope}}');
    await page.getByText('Title: {{nope}} is not a variable; use one of {{host}}').waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    await page
      .getByRole('group', { name: 'Message template' })
      .screenshot({ path: await artifactPath('integration-template-error') });
    await title.fill('Disk {{mount}} is {{state}}');
    await page.locator('.preview-title', { hasText: 'Disk / is warning' }).waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), null);
    // The title is shown once: the text under it does not repeat it.
    assert.doesNotMatch(
      await page.locator('.preview-message pre').first().innerText(),
      /^Disk \/ is warning/,
    );
    await page.getByLabel('Body (JSON)').fill('{"disk": "{{mount}}", "free": {{free_percent}}}');
    await page.locator('.preview pre.code', { hasText: '{"disk": "/", "free": 15}' }).waitFor();
    await page.getByLabel('Preview as').selectOption('critical');
    await page.locator('.preview-title', { hasText: 'Disk / is critical' }).waitFor();
    await page.getByText('Variables', { exact: true }).click();
    await page.getByText('free space in words, e.g. 4.10 GiB').waitFor();
    await page.screenshot({ path: await artifactPath('integration-form'), fullPage: true });

    // The core refuses a reminder every 6 minutes; its words show beside that field.
    await page.getByRole('button', { name: 'Add integration' }).click();
    const warningHours = page.getByLabel('Remind while warning, every (hours)');
    await page.getByText('Remind while warning, every (hours): must be at least 0.25').waitFor();
    assert.equal(await warningHours.getAttribute('aria-invalid'), 'true');
    await warningHours.fill('4');
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Quiet ops.').waitFor();
    const card = page.locator('.integration', { hasText: 'Quiet ops' });
    assert.match(
      await card.innerText(),
      /quiet 22:30–06:45 \(sun, mon, tue, wed, thu, fri\) · reminders every 4 h while warning, every 2 h while critical · own message template/,
    );

    const { integrations } = await call<{ integrations: IntegrationView[] }>('integrations.list');
    const saved = integrations.find((i) => i.name === 'Quiet ops')!;
    assert.deepEqual(saved.quietHours, {
      days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri'],
      start: '22:30',
      end: '06:45',
      critical: 'hold',
    });
    assert.deepEqual(saved.reminders, { warningHours: 4, criticalHours: 2 });
    assert.deepEqual(saved.template, {
      title: 'Disk {{mount}} is {{state}}',
      body: '{"disk": "{{mount}}", "free": {{free_percent}}}',
    });
    // Editing shows what was saved.
    await page
      .locator('.integration', { hasText: 'Quiet ops' })
      .getByRole('button', { name: 'Edit' })
      .click();
    assert.equal(await page.getByLabel('Quiet until').inputValue(), '06:45');
    assert.equal(await page.getByLabel('Saturday').isChecked(), false);
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Disk {{mount}} is {{state}}');
    // Changed elsewhere while this form is open (the CLI, another window): saving the form would
    // send that change back, so it is refused, and the form opened again shows it.
    await call('integrations.setEnabled', { id: saved.id, enabled: false });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/"Quiet ops" \(.+\) was changed elsewhere .* this edit was not saved/).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    // The list is asked for again as the form closes; until it answers the card shows the old one.
    await card.getByRole('switch', { checked: false }).waitFor(); // as changed elsewhere
    await call('integrations.setEnabled', { id: saved.id, enabled: true });
    await page.close();
  });

  it('draws the settings form only once the saved settings are in it, and says when they cannot load', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    let answers = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first load fails as a dropped connection does; the second is held until released.
    await page.route('**/api/settings.get', async (route) => {
      if (answers++ === 0) return route.abort('connectionreset');
      await held;
      await route.continue();
    });
    await page.goto(url);
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

  it('says the integrations are loading until they are in, never an empty list', async () => {
    const page = await open();
    await page.locator(`.disk[data-mount="${disk.dir}"]`).waitFor(); // Disks asked for its own list
    const list = await holdAnswer(page, 'integrations.list');
    // On a busy machine the channel catalogue is still loading too: each status says what it waits for.
    const channels = await holdAnswer(page, 'channels.list');
    await page.evaluate(`location.hash = '#/integrations'`);
    await Promise.all([list.read, channels.read]);
    await page.getByRole('status').filter({ hasText: 'Loading the integrations…' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading the channels…' }).waitFor();
    assert.equal(await page.locator('.integration').count(), 0);
    await list.release();
    await page.locator('.integration', { hasText: 'Ops receiver' }).waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: 'Loading the integrations…' }).count(), 0);
    await channels.release();
    await page.locator('.channel').first().waitFor();
    assert.equal(
      await page
        .getByRole('status')
        .filter({ hasText: /^Loading / })
        .count(),
      0,
    );
    await page.close();
  });

  it('says when the form’s code cannot be fetched, lets the user go back, and fetches it anew', async () => {
    const page = await open('#/integrations');
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

  it('saves an absolute threshold and a mount override, refusing an invalid one beside its cell', async () => {
    const page = await open('#/settings');
    await page.getByLabel('Warning below (GiB free)', { exact: true }).fill('4');
    // Changed elsewhere while this form is open (another window, the CLI): saving here keeps it.
    await call('settings.update', { settings: { historyMaxAgeDays: 45 } });
    await page.getByLabel('Critical below (GiB free)', { exact: true }).fill('2');
    await page.getByLabel('Add overrides for mount').fill(disk.dir);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const critical = page.getByLabel(`Critical below (% free) for ${disk.dir}`);
    await page.getByLabel(`Warning below (% free) for ${disk.dir}`).fill('25');
    await critical.fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(
        `${disk.dir} Critical %: the critical % free (30) must be below the warning % free (25) for this mount`,
      )
      .waitFor();
    assert.equal(await critical.getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: await artifactPath('settings-override-error'), fullPage: true });
    const refused = await call<{ settings: Settings }>('settings.get');
    assert.equal(refused.settings.warningGiB, null, 'nothing is saved while a field is wrong');
    assert.deepEqual(refused.settings.mountOverrides, {});

    await critical.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^✔ Saved\./ })
      .waitFor();
    const { settings } = await call<{ settings: Settings }>('settings.get');
    assert.deepEqual(
      [settings.warningGiB, settings.criticalGiB, settings.mountOverrides, settings.historyMaxAgeDays],
      [4, 2, { [disk.dir]: { warningPercent: 25, criticalPercent: 5 } }, 45],
    );
    assert.equal(await page.getByLabel('Keep deliveries (days)').inputValue(), '45', 'the form shows it');
    await page.screenshot({ path: await artifactPath('settings-overrides'), fullPage: true });
    await page.close();
  });

  it('lists changes held while every alert is snoozed in History, with the reason', async () => {
    const page = await open();
    await page.locator(`.disk[data-mount="${disk.dir}"][data-state="ok"]`).waitFor();
    await call('alerts.snooze', { mount: null, for: '1h' });
    await page.getByText(/^Alerts paused until/).waitFor();
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();

    await disk.setFreePercent(15);
    const held = page
      .locator('.history-row')
      .filter({ hasText: disk.dir })
      .filter({ hasText: 'ok → warning' })
      .filter({ hasText: 'held' })
      .first();
    await held.waitFor();
    assert.match(await held.innerText(), /Held\s+paused/, 'the row says why, in a word');
    await page.getByLabel('Outcome').selectOption('held');
    await held.getByRole('button').click();
    await page
      .getByRole('complementary', { name: 'Delivery details' })
      .getByText('alerts are paused; sent on resume if still relevant')
      .waitFor();
    await page.screenshot({ path: await artifactPath('history-held'), fullPage: true });

    // Back above the threshold before resuming: nothing is owed, so nothing goes out late.
    await disk.setFreePercent(50);
    await page.getByRole('link', { name: 'Disks' }).click();
    await page.locator(`.disk[data-mount="${disk.dir}"][data-state="ok"]`).waitFor();
    await call('alerts.unsnooze', { mount: null });
    await page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    await page.close();
  });

  it('shows what uses space on a disk: bars biggest first, drill-down, breadcrumbs, what grew', async () => {
    const projects = join(disk.dir, 'projects');
    await mkdir(join(projects, 'big'), { recursive: true });
    await mkdir(join(projects, 'small'));
    await writeFile(join(projects, 'big', 'data.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
    await writeFile(join(projects, 'small', 'x'), Buffer.alloc(1024 * 1024, 1));
    try {
      const page = await open();
      const panel = page.locator(`.disk[data-mount="${disk.dir}"] .space-use`);
      await panel.getByRole('button', { name: 'What’s using space' }).click();
      await panel.getByRole('button', { name: 'Scan again' }).waitFor();
      const rows = panel.locator('.space-use-list > li[data-space-use-dir]');
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'projects',
      ]);
      assert.match(await rows.first().innerText(), /projects\/\s+4\.00 MiB/);

      await rows.first().getByRole('button', { name: 'projects/' }).click();
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'big',
        'small',
      ]);
      assert.match(await panel.getByRole('navigation', { name: 'Folder path' }).innerText(), /projects$/);
      await panel.getByText(`${projects}`, { exact: true }).waitFor();

      // More in one folder, scanned again: its row says how much it grew.
      await writeFile(join(projects, 'big', 'more.bin'), Buffer.alloc(1024 * 1024, 1));
      await panel.getByRole('button', { name: 'Scan again' }).click();
      await panel.getByRole('button', { name: 'Scan again' }).waitFor();
      await panel.getByText(/^Grew most since \d\d:\d\d: .*\/projects\/big \+1\.00 MiB$/).waitFor();
      await panel.getByRole('button', { name: 'projects/' }).click();
      assert.match(await rows.first().innerText(), /big\/\s+4\.00 MiB\s+\+1\.00 MiB/);
      await page.screenshot({ path: await artifactPath('disk-usage'), fullPage: true });
      await panel
        .getByRole('navigation', { name: 'Folder path' })
        .getByRole('button', { name: disk.dir })
        .click();
      assert.deepEqual(await rows.evaluateAll((li) => li.map((l) => l.getAttribute('data-space-use-dir'))), [
        'projects',
      ]);
      await page.close();
    } finally {
      await rm(projects, { recursive: true, force: true });
    }
  });

  it('gives the folder’s path and the Trash’s to copy: a browser cannot open folders', async () => {
    const uid = process.getuid!();
    const trash = join(disk.dir, `.Trash-${uid}`);
    await mkdir(join(trash, 'files'), { recursive: true });
    await mkdir(join(trash, 'info'));
    await writeFile(join(trash, 'files', 'old.iso'), Buffer.alloc(3 * 1024 * 1024, 1));
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    try {
      const page = await context.newPage();
      await page.goto(url);
      const panel = page.locator(`.disk[data-mount="${disk.dir}"] .space-use`);
      await panel.getByRole('button', { name: 'What’s using space' }).click();
      const trashLine = panel.locator('.space-use-trash');
      await trashLine.waitFor();
      assert.equal(
        (await trashLine.innerText()).replace(/\s+/g, ' ').trim(),
        `Trash: 3.00 MiB — ${join(trash, 'files')} Copy path`,
      );
      assert.equal(
        await panel.getByRole('button', { name: /Open/ }).count(),
        0,
        'no Open button in a browser',
      );

      await panel.locator('.space-use-path').getByRole('button', { name: 'Copy path' }).click();
      await panel.locator('.space-use-path').getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), disk.dir);
      await trashLine.getByRole('button', { name: 'Copy path' }).click();
      await trashLine.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), join(trash, 'files'));
      for (const [width, scheme] of [
        [390, 'light'],
        [1200, 'dark'],
      ] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        const overflow = await page.evaluate('document.documentElement.scrollWidth - innerWidth');
        assert.ok((overflow as number) <= 0, `no sideways scroll at ${width} px`);
        await panel.scrollIntoViewIfNeeded();
        await page.screenshot({
          path: await artifactPath(`disk-usage-trash-${width}-${scheme}`),
          fullPage: true,
        });
      }
      // Asked anyway (an old page, a hand-made request): refused, with what to do instead.
      const opened = await apiFromPage(page, 'usage.open', { mount: disk.dir, path: disk.dir });
      assert.deepEqual(opened, {
        ok: false,
        error: {
          code: 'forbidden',
          message: 'the web UI cannot open folders on the machine it watches: copy the path instead',
        },
      });
    } finally {
      await context.close();
      await rm(trash, { recursive: true, force: true });
    }
  });

  it('has no serious or critical accessibility violations on any page (axe)', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    const problems: string[] = [];
    const scan = async (where: string, options = '{ resultTypes: ["violations"] }') => {
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate(`axe.run(document, ${options})`)) as {
        violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
      };
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          problems.push(`${where} ${v.id} (${v.impact}): ${v.help} ×${v.nodes.length}`);
    };
    /** The integration form with every section open: quiet hours, the variables list. */
    const openForm = async () => {
      await page.evaluate(`location.hash = '#/integrations'`);
      await page.getByRole('button', { name: 'Add Webhook' }).click();
      await page.getByLabel('Hold notifications during quiet hours').check();
      await page.getByText('Variables', { exact: true }).click();
    };
    // Each page with its content in, not its "Loading…" placeholders (the event stream keeps the
    // network busy for ever, so there is no network idle to wait for).
    const content: Record<string, string[]> = {
      '#/disks': ['.disk'],
      '#/integrations': ['.integration, .card.empty', '.catalogue .channel'],
      '#/history': ['.history-row'],
      '#/settings': ['#s-warningPercent'],
    };
    for (const [hash, parts] of Object.entries(content)) {
      await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      for (const part of parts) await page.locator(part).first().waitFor();
      await page.locator('footer', { hasText: 'Headroom' }).waitFor();
      await scan(hash);
      if (hash === '#/settings')
        await page.screenshot({ path: await artifactPath('settings'), fullPage: true });
    }
    await openForm();
    await scan('integration form');
    await page.getByRole('button', { name: 'Cancel' }).click();
    for (const scheme of ['dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(`location.hash = '#/integrations'`);
      await page.locator('.catalogue .channel').first().waitFor();
      await scan(scheme, '{ runOnly: ["color-contrast"] }');
      await page.screenshot({ path: await artifactPath(`integrations-${scheme}`), fullPage: true });
      await openForm();
      await scan(`${scheme} integration form`, '{ runOnly: ["color-contrast"] }');
      await page.screenshot({ path: await artifactPath(`integration-form-${scheme}`), fullPage: true });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.evaluate(`location.hash = '#/settings'`);
      await page.locator('.overrides-table').waitFor();
      await scan(`${scheme} settings`, '{ runOnly: ["color-contrast"] }');
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});
