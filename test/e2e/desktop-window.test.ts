import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, keepScreenshot } from '../helpers/browser.js';
import { tempHome } from '../helpers/cli.js';
import { launch, watchOnly, type Desktop } from '../helpers/desktop.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { repoPath } from '../helpers/root.js';

const RENDERER_DIR = `${repoPath('dist/renderer')}/`;
const ORIGIN = 'http://headroom.invalid';
const skip =
  chromiumMissing ||
  (await cannotMount) ||
  (!existsSync(join(RENDERER_DIR, 'index.html')) && 'the renderer is not built (npm run build)');

/**
 * What the sandboxed preload exposes (electron/preload/index.ts), with each request sent to the
 * desktop app's own IPC handlers (startApp on the recording fake), from the app's window: the
 * renderer as it runs in Electron, minus the Electron binary this machine does not have.
 */
const BRIDGE = `
  globalThis.headroom = {
    invoke: new Proxy({}, { get: (_, name) => (input) => globalThis.__headroomInvoke(name, input) }),
    on: () => () => {},
  };
`;

describe('the desktop window: "Open in file manager" and "Open Trash"', { skip }, () => {
  let disk: Tmpfs;
  let app: Desktop;
  let browser: Browser;
  const uid = process.getuid!();

  before(async () => {
    disk = await Tmpfs.mount(32);
    await mkdir(join(disk.dir, 'projects/big'), { recursive: true });
    await writeFile(join(disk.dir, 'projects/big/data.bin'), Buffer.alloc(2 * 1024 * 1024, 1));
    await mkdir(join(disk.dir, `.Trash-${uid}/files`), { recursive: true });
    await writeFile(join(disk.dir, `.Trash-${uid}/files/old.iso`), Buffer.alloc(3 * 1024 * 1024, 1));
    const home = await tempHome();
    await watchOnly(home, disk.dir, 'usageScanMinutes=null');
    app = await launch(home);
    await app.fake.until(() => app.fake.windows[0]?.loaded, 'the window');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (app?.started) await app.quit();
    await disk?.dispose();
  });

  it('opens the folder shown and the disk’s Trash through the main process, never offering a copy', async () => {
    const { fake } = app;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = normalize(join(RENDERER_DIR, new URL(route.request().url()).pathname));
      if (!file.startsWith(RENDERER_DIR) || !existsSync(file)) return route.fulfill({ status: 404 });
      return route.fulfill({ path: file });
    });
    await page.exposeFunction('__headroomInvoke', (name: string, input: unknown) =>
      fake.invoke(name as never, input),
    );
    await page.addInitScript(BRIDGE);
    await page.goto(`${ORIGIN}/index.html#/disks`);

    const panel = page.locator(`.disk[data-mount="${disk.dir}"] .space-use`);
    await panel.getByRole('button', { name: 'What’s using space' }).click();
    const trash = panel.locator('.space-use-trash');
    await trash.waitFor();
    assert.equal((await trash.innerText()).replace(/\s+/g, ' ').trim(), 'Trash: 3.00 MiB — Open Trash');
    assert.equal(await panel.getByRole('button', { name: 'Copy path' }).count(), 0);

    await panel.getByRole('button', { name: 'projects/' }).click();
    await panel.locator('.space-use-path').getByText(join(disk.dir, 'projects'), { exact: true }).waitFor();
    await panel.getByRole('button', { name: 'Open in file manager' }).click();
    await fake.until(() => fake.openedPaths.length === 1, 'the folder opened');
    await trash.getByRole('button', { name: 'Open Trash' }).click();
    await fake.until(() => fake.openedPaths.length === 2, 'the Trash opened');
    assert.deepEqual(fake.openedPaths, [join(disk.dir, 'projects'), join(disk.dir, `.Trash-${uid}/files`)]);
    await keepScreenshot(page, 'desktop-usage-390-light', { fullPage: true });

    // The file manager cannot open it: the reason is shown beside the button.
    fake.failNextOpenPath('No application is registered as handling this file');
    await panel.getByRole('button', { name: 'Open in file manager' }).click();
    await panel
      .getByText(`could not open ${join(disk.dir, 'projects')}: No application is registered`, {
        exact: false,
      })
      .waitFor();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await keepScreenshot(page, 'desktop-usage-1200-dark', { fullPage: true });
    await page.close();
  });
});
