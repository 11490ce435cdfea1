import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { keepScreenshot } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { holdAnswer } from '../helpers/web-ui.js';
import { webUiSkip } from '../helpers/web-ui-rig.js';
import { windowRig } from '../helpers/window-rig.js';

/** An integration as `headroom integration list --json` prints it (the fields these tests read). */
type Listed = { id: string; name: string; includeUsage: boolean };

/**
 * Issue 20, checked the way it asks: the web UI (the same renderer as the window) in Chromium at
 * a desktop width, against the real watcher: the free-space chart, and an integration's choice.
 * (The fit check at each size: window-fit-*.test.ts; the keyboard: window-keyboard.test.ts and
 * window-history-names.test.ts.)
 */
describe('the window at desktop size', { skip: webUiSkip }, () => {
  const ui = windowRig();

  it('charts free space with its thresholds, the forecast, a week with its warning spell shaded, and says so in words', async () => {
    const page = await ui.newPage(1440, 900);
    // The app's own CSP is on here: uPlot styles through the CSSOM, never inline style attributes.
    const refused: string[] = [];
    page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
    await page.goto(ui.url);
    const card = page.locator(`.disk[data-mount="${ui.disk.dir}"]`);
    // The day, with the forecast: a dashed line towards full, its time in the legend and caption.
    // The chart may draw before the watcher's first forecast: the caption follows it when it comes.
    await card
      .locator('figcaption', { hasText: /^Last 24 hours: / })
      .filter({ hasText: /Dashed: at this rate full at \d{4}-\d\d-\d\d \d\d:\d\d/ })
      .waitFor();
    await card.locator('.u-legend', { hasText: /Forecast\s*full \d{4}-\d\d-\d\d \d\d:\d\d/ }).waitFor();
    await keepScreenshot(card, 'window-chart-day-forecast');
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
    // The chart is built again for a new colour scheme: the figure under a pointer that has not
    // moved stays shown.
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
    await keepScreenshot(card, 'window-chart-week');
    await page.close();
  });

  it('lets an integration say what grew on the disk: off until ticked, saved, shown when edited', async () => {
    const page = await ui.browser.newPage();
    await page.goto(ui.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Add Webhook' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Growth hook');
    await page.getByLabel('URL', { exact: true }).fill(`${ui.receiver.url}/hooks/growth`);
    await page.getByLabel('CA certificate', { exact: true }).fill(ui.pki.ca);
    const growth = page.getByLabel('Say what grew on the disk');
    assert.equal(await growth.isChecked(), false, 'off by default: folder names can be private');
    assert.match((await growth.getAttribute('aria-describedby'))!, /usage-hint/);
    await growth.check();
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByText('Saved Growth hook.').waitFor();
    const listed = await runCli(['integration', 'list', '--json'], ui.home);
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
    const after = await runCli(['integration', 'get', saved.id, '--json'], ui.home);
    assert.equal((JSON.parse(after.stdout) as Listed).includeUsage, false, 'unticked, stored as off');
    assert.equal((await runCli(['integration', 'remove', saved.id], ui.home)).code, 0);
    await page.close();
  });
});
