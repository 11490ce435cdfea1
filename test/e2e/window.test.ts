import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { statfs, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DeliveryRecord } from '../../shared/history.js';
import { addSample, emptyHistory, type MountHistory } from '../../shared/sample-history.js';
import { artifactPath, chromiumMissing, launchChromium } from '../helpers/browser.js';
import { addWebhook, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { apiFromPage, holdAnswer, webUiUrl } from '../helpers/web-ui.js';

const skip = chromiumMissing || (await cannotMount);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  [390, 844],
  [768, 1024],
  [1440, 900],
] as const;
const HOUR = 3600_000;
/** An integration as `headroom integration list --json` prints it (the fields these tests read). */
type Listed = { id: string; name: string; includeUsage: boolean };
const LONG_MOUNT = '/mnt/scratch/projects/2026-render-farm/cache/photos';
const LONG_NAME = 'Platform operations on-call escalation (EU region, weekdays)';

/** A week of free space on `usable` bytes, falling from 70% to 35%, with a warning spell a day ago. */
function aWeek(now: number, usable: number): MountHistory {
  let h = emptyHistory();
  for (let at = now - 7 * 24 * HOUR; at < now - 60_000; at += 5 * 60_000) {
    const ago = (now - at) / HOUR;
    const spell = ago > 24 && ago < 30;
    const free = spell ? 15 : 40 + (30 * ago) / (7 * 24);
    h = addSample(h, {
      at,
      available: (free / 100) * usable,
      usable,
      state: spell ? 'warning' : 'ok',
    });
  }
  return h;
}

/** Deliveries of every outcome and reason, some with names and mounts too long for their column. */
function records(now: number): DeliveryRecord[] {
  const attempt = (status: number | undefined, reason?: 'networkError' | 'clientError') => ({
    at: now - HOUR,
    ...(status ? { status } : {}),
    result: status && status < 300 ? ('delivered' as const) : ('failed' as const),
    ...(reason ? { reason } : {}),
    latencyMs: 87,
  });
  const event = (mount: string, to: 'warning' | 'critical') => ({
    host: 'ws-17',
    mount,
    from: to === 'critical' ? ('warning' as const) : ('ok' as const),
    to,
    freePercent: to === 'critical' ? 8 : 15,
    at: now - HOUR,
  });
  return Array.from({ length: 40 }, (_, i) =>
    deliveryRecord(`seed-${String(i).padStart(3, '0')}`, now - (i + 2) * HOUR, {
      integrationName: i % 3 === 0 ? LONG_NAME : 'Ops',
      integrationId: i % 3 === 0 ? 'webhook-long' : 'webhook-1',
      event: event(i % 2 ? LONG_MOUNT : '/', i % 4 === 1 ? 'critical' : 'warning'),
      ...[
        { outcome: 'delivered' as const, attempts: [attempt(200)] },
        {
          outcome: 'failed' as const,
          attempts: [attempt(undefined, 'networkError')],
          reasonCode: 'networkError' as const,
          reason: 'connection refused: nothing listens at that address',
        },
        {
          outcome: 'held' as const,
          reason: 'held: quiet hours until 07:00; sent then if still relevant',
        },
        {
          outcome: 'failed' as const,
          attempts: [attempt(400, 'clientError')],
          reasonCode: 'clientError' as const,
          reason: 'the receiver rejected the request (HTTP 400)',
        },
      ][i % 4]!,
    }),
  );
}

/**
 * Issue 20, checked the way it asks: the web UI (the same renderer as the window) in Chromium at
 * a phone/tray width, a tablet and a desktop, light and dark, against the real watcher.
 */
describe('the window at tray, tablet and desktop sizes', { skip }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let receiver: Receiver;
  let watcher: CliProcess;
  let browser: Browser;
  let url: string;
  let writer: NodeJS.Timeout | undefined;
  let home: string;

  before(async () => {
    pki = await makePki();
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(40);
    receiver = await Receiver.start(pki);
    home = await tempHome();
    const now = Date.now();
    await writeFile(
      join(home, 'sample-history.json'),
      JSON.stringify({ mounts: { [disk.dir]: aWeek(now, 20 * 1024 ** 2) } }),
      { mode: 0o600 },
    );
    // The last 19 minutes filling fast, so that the watcher forecasts "full" from its first sample:
    // ending at what the disk holds now, so its first reading continues the line, however late.
    const fs = await statfs(disk.dir);
    const usable = (fs.blocks - fs.bfree + fs.bavail) * fs.bsize;
    const availableNow = fs.bavail * fs.bsize;
    const perMinute = (0.49 / 19) * usable;
    const filling = Array.from({ length: 20 }, (_, i) => ({
      at: now - (19 - i) * 60_000,
      available: availableNow + (19 - i) * perMinute,
      usable,
    }));
    await writeFile(join(home, 'samples.json'), JSON.stringify({ mounts: { [disk.dir]: filling } }), {
      mode: 0o600,
    });
    await writeFile(
      join(home, 'history.jsonl'),
      `${records(now)
        .reverse()
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
      { mode: 0o600 },
    );
    // …and still filling at that rate (~9 KB/s) while the tests look: a fill that stopped is
    // recognised within seconds, and then no forecast is drawn, rightly.
    const log = join(disk.dir, 'filling.log');
    writer = setInterval(() => appendFileSync(log, Buffer.alloc(4096)), 450);
    watcher = new CliProcess(['watch', '--interval', '1', '--mount', disk.dir, '--ui', '127.0.0.1:0'], home);
    url = await webUiUrl(watcher, home);
    browser = await launchChromium();
  });
  after(async () => {
    clearInterval(writer);
    await browser?.close();
    await watcher?.stop();
    await receiver?.close();
    await disk?.dispose();
  });

  it('charts free space with its thresholds, the forecast, a week with its warning spell shaded, and says so in words', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The app's own CSP is on here: uPlot styles through the CSSOM, never inline style attributes.
    const refused: string[] = [];
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(url);
    const card = page.locator(`.disk[data-mount="${disk.dir}"]`);
    // The day, with the forecast: a dashed line towards full, its time in the legend and caption.
    // The chart may draw before the watcher's first forecast: the caption follows it when it comes.
    await card
      .locator('figcaption', { hasText: /^Last 24 hours: / })
      .filter({ hasText: /Dashed: at this rate full at \d{4}-\d\d-\d\d \d\d:\d\d/ })
      .waitFor();
    await card.locator('.u-legend', { hasText: /Forecast\s*full \d{4}-\d\d-\d\d \d\d:\d\d/ }).waitFor();
    await card.screenshot({ path: await artifactPath('window-chart-day-forecast') });
    const week = await holdAnswer(page, 'disks.chart', (input) => input.range === 'week');
    await card.getByRole('button', { name: 'Week' }).click();
    await week.read;
    // Until the week arrives, the day is not described as the week.
    assert.equal(await card.locator('figcaption').innerText(), 'Loading the chart…');
    await week.release();
    const chart = card.locator('.chart[data-points]');
    await card.locator('figcaption', { hasText: /^Last 7 days: / }).waitFor();
    assert.ok(Number(await chart.getAttribute('data-points')) > 600, 'a week in 15-minute buckets');
    const caption = await card.locator('figcaption').innerText();
    assert.match(caption, /Lines: warning below 20% free, critical below 10%\./);
    assert.match(caption, /Shaded: warning for 6(\.\d)? h/);
    const legend = await card.locator('.u-legend').innerText();
    for (const label of ['Free space', 'Warning below', 'Critical below'])
      assert.match(legend, new RegExp(label));
    // The tooltip names the time and the figure under the pointer.
    const box = (await card.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    const tip = card.locator('.chart-tip:not([hidden])');
    const said = await tip.innerText();
    assert.match(said, /^\d{4}-\d\d-\d\d \d\d:\d\d \S+: \d+\.\d% free$/);
    // The chart is built again for new points (every 15 s) and a new colour scheme: the figure
    // under a pointer that has not moved stays shown.
    await page.emulateMedia({ colorScheme: 'dark' });
    await card.locator('.chart[data-scheme="dark"]').waitFor();
    assert.equal(await tip.innerText(), said);
    await page.emulateMedia({ colorScheme: 'light' });
    await card.locator('.chart[data-scheme="light"]').waitFor();
    assert.deepEqual(
      refused.filter((t) => /Content Security Policy/i.test(t)),
      [],
      'nothing refused by the CSP',
    );
    await card.screenshot({ path: await artifactPath('window-chart-week') });
    await page.close();
  });

  /** Presses Tab until the focused element's name matches, as a keyboard user would get there. */
  async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const label = (await page.evaluate(`(() => {
        const e = document.activeElement;
        if (!e) return '';
        const text = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '';
        return text.trim().replace(/\\s+/g, ' ');
      })()`)) as string;
      seen.push(label);
      if (name.test(label)) return;
    }
    assert.fail(`${name} not reached with ${max} Tab presses; went through: ${seen.join(' | ')}`);
  }

  it('keyboard only: adds a webhook, sends a test, finds a failed delivery in History and retries it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(url);
    await page.locator('footer', { hasText: 'Headroom' }).waitFor();
    // The pages menu of a narrow window, from the keyboard.
    await tabTo(page, /^Pages menu$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Integrations$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    await tabTo(page, /^Add Webhook$/);
    await page.keyboard.press('Enter');
    // The form opens with focus on its heading: the next Tab is its first field.
    // (The form is loaded on demand and focuses its heading once drawn: wait for both.)
    await page.getByRole('heading', { name: 'Add Webhook' }).and(page.locator(':focus')).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard hook');
    await tabTo(page, /^URL$/);
    await page.keyboard.type(`${receiver.url}/hooks/keys`);
    await tabTo(page, /^CA certificate$/);
    await page.keyboard.insertText(pki.ca);
    await tabTo(page, /^Add integration$/);
    await page.keyboard.press('Enter');
    await page.getByText('Saved Keyboard hook.').waitFor();

    const before = receiver.requests.length;
    await tabTo(page, /^Send test to Keyboard hook$/);
    await page.keyboard.press('Enter');
    const card = page.locator('.integration', { hasText: 'Keyboard hook' });
    await card.getByText(/✔ Test delivered \(HTTP 200, \d+ ms\)/).waitFor();
    assert.ok(receiver.requests.length > before, 'the receiver got the test');

    // A real alert that the receiver refuses for good: a failed delivery to retry.
    receiver.always({ status: 400, body: 'no' });
    await disk.setFreePercent(15);
    await tabTo(page, /^Pages menu$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^History$/);
    await page.keyboard.press('Enter');
    const failed = new RegExp(
      `details: Keyboard hook, ${disk.dir.replaceAll('/', '\\/')}, ok → warning, Failed$`,
    );
    await page.getByRole('button', { name: failed }).waitFor();
    receiver.always({ status: 200, body: 'ok' });
    await tabTo(page, failed, 120);
    await page.keyboard.press('Enter');
    const details = page.getByRole('complementary', { name: 'Delivery details' });
    await details.getByText('Request refused').waitFor();
    await tabTo(page, /^Retry$/);
    await page.keyboard.press('Enter');
    await details.getByText('✔ Queued again').waitFor();
    await details.locator('.pill', { hasText: 'Delivered' }).waitFor();
    await page.screenshot({ path: await artifactPath('window-keyboard-retry-390') });
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // Focus returns to the row the details were opened from (a frame after they close).
    const focused = page.locator('.row-open:focus');
    await focused.waitFor();
    assert.match((await focused.textContent())!, /details: Keyboard hook/);
    // Back to ok: the all-clear arrives before the next test, whose History it would change.
    const keys = () => receiver.requests.filter((r) => r.url === '/hooks/keys' && r.answered === 200).length;
    const delivered = keys();
    await disk.setFreePercent(40);
    await receiver.until(() => keys() > delivered);
    await page.close();
  });

  it('lets an integration say what grew on the disk: off until ticked, saved, shown when edited', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Growth hook');
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks/growth`);
    await page.getByLabel('CA certificate', { exact: true }).fill(pki.ca);
    const growth = page.getByLabel('Say what grew on the disk');
    assert.equal(await growth.isChecked(), false, 'off by default: folder names can be private');
    assert.match((await growth.getAttribute('aria-describedby'))!, /usage-hint/);
    await growth.check();
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Growth hook.').waitFor();
    const listed = await runCli(['integration', 'list', '--json'], home);
    const saved = (JSON.parse(listed.stdout) as { integrations: Listed[] }).integrations.find(
      (i) => i.name === 'Growth hook',
    )!;
    assert.equal(saved.includeUsage, true, 'the watcher stored the choice');

    await page.reload();
    const card = page.locator('.integration', { hasText: 'Growth hook' });
    await card.getByRole('button', { name: 'Edit' }).click();
    assert.equal(await page.getByLabel('Say what grew on the disk').isChecked(), true);
    await page.getByLabel('Say what grew on the disk').uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved Growth hook.').waitFor();
    const after = await runCli(['integration', 'get', saved.id, '--json'], home);
    assert.equal((JSON.parse(after.stdout) as Listed).includeUsage, false, 'unticked, stored as off');
    assert.equal((await runCli(['integration', 'remove', saved.id], home)).code, 0);
    await page.close();
  });

  it('shows the whole of a name cut in the middle when its row has keyboard focus', async () => {
    const added = await addWebhook(home, {
      name: 'Tip hook',
      url: `${receiver.url}/hooks/tip`,
      ca: pki.files.ca,
    });
    assert.equal(added.code, 0, added.stderr);
    const tipHook = added.stdout.trim();
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(url);
    await go(page, '#/history');
    const row = page.locator('.history-row', { hasText: 'weekdays)' }).first();
    await row.waitFor();
    const cell = row.locator('.col-integration .mid');
    assert.equal(await cell.getAttribute('title'), LONG_NAME, 'the whole name on hover');
    assert.match(await cell.locator('.mid-start').innerText(), /^Platform/);
    assert.match(await cell.locator('.mid-end').innerText(), /weekdays\)$/);
    assert.ok(
      await cell.locator('.mid-start').evaluate((e) => e.scrollWidth > e.clientWidth),
      'the name is cut at this width, in the middle',
    );
    await tabTo(page, /details: Platform operations/);
    const tip = page.locator('.row-tip');
    await tip.waitFor();
    assert.match(await tip.innerText(), new RegExp(`^${LONG_NAME.replace(/[()]/g, '\\$&')} · `));
    await page.screenshot({ path: await artifactPath('window-history-focus-tip-390') });
    // A delivery arriving above the focused row leaves focus, and the tip, on the same delivery.
    const tipRow = page.locator('.history-row', { hasText: 'Tip hook' });
    const sent = await apiFromPage(page, 'integrations.test', { id: tipHook });
    assert.equal((sent as { ok: boolean }).ok, true, JSON.stringify(sent));
    await tipRow.waitFor();
    assert.match(
      (await page.evaluate('document.activeElement.textContent')) as string,
      /details: Platform operations/,
      'focus stays on the delivery it was on',
    );
    assert.match(await tip.innerText(), /^Platform operations/);
    // A name short enough for its column reads as written: the space where it is split is kept.
    const whole = tipRow.locator('.col-integration .mid');
    assert.equal(await whole.getAttribute('title'), 'Tip hook');
    assert.ok(
      await whole.evaluate((mid) => {
        const probe = mid.ownerDocument.createElement('span');
        probe.style.cssText = 'position:absolute;white-space:pre;font:inherit';
        probe.textContent = mid.title;
        mid.append(probe);
        const drawn = [...mid.children].slice(0, -1).reduce((w, c) => w + c.getBoundingClientRect().width, 0);
        const wanted = probe.getBoundingClientRect().width;
        probe.remove();
        return Math.abs(drawn - wanted) < 1;
      }),
      '"Tip hook" drawn as wide as the name itself (not "Tiphook")',
    );
    // The tip follows focus: the next row's, then none once focus leaves the rows.
    await page.keyboard.press('Tab');
    await page
      .locator('.row-tip', { hasText: /^Ops · \/mnt\/scratch\/projects\/2026-render-farm\/cache\/photos$/ })
      .waitFor();
    await page.locator('.filters select').last().focus();
    await tip.waitFor({ state: 'detached' });
    assert.equal((await runCli(['integration', 'remove', tipHook], home)).code, 0);
    await page.close();
  });

  /** Elements sticking out to the right of the page, for the failure message. */
  const overflow = `(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width)
      for (const e of document.querySelectorAll('body *')) {
        const r = e.getBoundingClientRect();
        if (r.width && r.right > width + 1) out.push(e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(r.right));
      }
    return { scrollWidth: document.documentElement.scrollWidth, width, out: out.slice(0, 8) };
  })()`;

  /**
   * Text boxes in History rows that overlap: each text's box as drawn (clipped by its cell), then
   * compared with every other cell's in the same row.
   */
  const overlaps = `(() => {
    const found = [];
    for (const row of document.querySelectorAll('.history-row')) {
      const boxes = [];
      for (const cell of row.querySelectorAll('[role=cell]')) {
        const clip = cell.getBoundingClientRect();
        if (!clip.width) continue;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!n.textContent.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) {
            const box = {
              left: Math.max(r.left, clip.left), right: Math.min(r.right, clip.right),
              top: Math.max(r.top, clip.top), bottom: Math.min(r.bottom, clip.bottom),
            };
            if (box.right - box.left > 0.5 && box.bottom - box.top > 0.5) boxes.push({ cell, text: n.textContent, box });
          }
        }
      }
      const rowBox = row.getBoundingClientRect();
      for (const a of boxes) {
        if (a.box.bottom > rowBox.bottom + 0.5 || a.box.top < rowBox.top - 0.5)
          found.push('outside its row: ' + a.text);
        for (const b of boxes)
          if (a !== b && a.cell !== b.cell && a.box.left < b.box.right - 0.5 && b.box.left < a.box.right - 0.5 &&
              a.box.top < b.box.bottom - 0.5 && b.box.top < a.box.bottom - 0.5)
            found.push(a.text + ' overlaps ' + b.text);
      }
    }
    return found.slice(0, 10);
  })()`;

  /** Cells of one column that do not start at the same x in every row (each row is its own grid). */
  const misaligned = `(() => {
    const lefts = {};
    for (const cell of document.querySelectorAll('.history-row [role=cell]')) {
      const r = cell.getBoundingClientRect();
      if (!r.width) continue;
      const name = [...cell.classList].find((c) => c.startsWith('col-'));
      (lefts[name] ??= []).push(Math.round(r.left));
    }
    return Object.entries(lefts)
      .filter(([, xs]) => Math.max(...xs) - Math.min(...xs) > 1)
      .map(([name, xs]) => name + ' starts at ' + [...new Set(xs)].join(', '));
  })()`;

  async function axe(page: Page, where: string, problems: string[]) {
    await page.addScriptTag({ content: AXE });
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    };
    for (const v of result.violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        problems.push(
          `${where} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target).join(', ')}`,
        );
  }

  /** Each page in the state worth looking at: waits for its content, never for time. */
  const PAGES: [string, (page: Page) => Promise<void>][] = [
    [
      'disks',
      async (page) => {
        await go(page, '#/disks');
        await page.locator(`.disk[data-mount="${disk.dir}"] .chart canvas`).first().waitFor();
      },
    ],
    [
      'integrations',
      async (page) => {
        await go(page, '#/integrations');
        await page.locator('.integration, .card.empty').first().waitFor(); // the list is in
        await page.locator('.catalogue .channel').first().waitFor();
      },
    ],
    [
      'integration-form',
      async (page) => {
        await go(page, '#/integrations');
        await page.getByRole('button', { name: 'Add Webhook' }).click();
        await page
          .getByLabel('URL', { exact: true })
          .fill('http://example.com/a/very/long/path/that/goes/on');
        await page.getByLabel('Authentication').selectOption('basic');
        await page.getByLabel('Hold notifications during quiet hours').check();
        await page.getByText('Variables', { exact: true }).click();
        await page.getByRole('button', { name: 'Add integration' }).click();
        await page.locator('[aria-invalid="true"]').first().waitFor();
      },
    ],
    [
      'history',
      async (page) => {
        await go(page, '#/history');
        await page.locator('.history-row').nth(5).waitFor();
      },
    ],
    [
      'history-details',
      async (page) => {
        await page
          .getByRole('button', { name: /details: .*, Failed$/ })
          .first()
          .click();
        await page.getByRole('complementary', { name: 'Delivery details' }).getByText('Attempts').waitFor();
      },
    ],
    [
      'settings',
      async (page) => {
        await go(page, '#/settings');
        await page.getByLabel('Add overrides for mount').fill(LONG_MOUNT);
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.locator('.overrides-table').waitFor();
      },
    ],
  ];

  async function go(page: Page, hash: string) {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await page.locator('footer', { hasText: 'Headroom' }).waitFor();
  }

  // One test per width: each is a minute's work for a busy machine, bounded on its own.
  for (const [width, height] of SIZES)
    it(
      `fits every page at ${width} px, light and dark: no sideways scroll, no overlapping text, aligned History columns, axe clean`,
      { timeout: 180_000 },
      async () => {
        const problems: string[] = [];
        for (const scheme of ['light', 'dark'] as const) {
          const context: BrowserContext = await browser.newContext({
            viewport: { width, height },
            colorScheme: scheme,
            // axe is injected as a script tag; the app's own CSP stays on in every other test.
            bypassCSP: true,
          });
          const page = await context.newPage();
          await page.goto(url);
          for (const [name, show] of PAGES) {
            const where = `${name} ${width}×${height} ${scheme}:`;
            await show(page);
            const o = (await page.evaluate(overflow)) as {
              scrollWidth: number;
              width: number;
              out: string[];
            };
            if (o.scrollWidth > o.width)
              problems.push(`${where} ${o.scrollWidth} px wide in ${o.width}: ${o.out.join('; ')}`);
            if (name.startsWith('history'))
              for (const o of [
                ...((await page.evaluate(overlaps)) as string[]),
                ...((await page.evaluate(misaligned)) as string[]),
              ])
                problems.push(`${where} ${o}`);
            await axe(page, where, problems);
            await page.screenshot({
              path: await artifactPath(`window-${name}-${width}-${scheme}`),
              fullPage: true,
            });
          }
          await context.close();
        }
        assert.deepEqual(problems, []);
      },
    );
});
