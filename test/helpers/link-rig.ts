import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { CliProcess, tempHome } from './cli.js';
import { after, before } from './node-test.js';
import { freePort } from './ports.js';
import { webUiUrl } from './web-ui.js';

/**
 * An open web UI whose watcher a test stops, hangs or restarts: a data directory, the watcher's
 * arguments on one fixed port (as a user's bookmark has: a restarted watcher answers at the same
 * address) and Chromium, set up by the `before` hook `linkRig` adds. The tests start the watcher
 * and open the page; the `after` hook wakes and stops the watcher however a test left it.
 */
export class LinkRig {
  home!: string;
  args!: string[];
  browser!: Browser;
  watcher?: CliProcess;
  page!: Page;

  async start(): Promise<void> {
    this.home = await tempHome();
    this.args = ['watch', '--interval', '60', '--mount', '/', '--ui', `127.0.0.1:${await freePort()}`];
    this.browser = await launchChromium();
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    this.watcher?.child.kill('SIGCONT'); // should a test have stopped it there
    await this.watcher?.stop();
  }

  /** Starts a watcher (the one `watcher` names from then on). */
  startWatcher(): CliProcess {
    return (this.watcher = new CliProcess(this.args, this.home));
  }

  /**
   * Starts a watcher and opens `page` at its web UI, live (its pause button drawn). `clock`: the
   * page's timers on Playwright's clock, flowing as usual until a test moves it on
   * (`page.clock.fastForward`), so that a test of the page's own timeouts need not wait them out.
   */
  async openLive({ clock = false } = {}): Promise<Page> {
    const watcher = this.startWatcher();
    this.page = await this.browser.newPage({ viewport: { width: 1200, height: 900 } });
    if (clock) await this.page.clock.install();
    await this.page.goto(await webUiUrl(watcher, this.home));
    await this.page.getByRole('button', { name: 'Pause alerts 1 h' }).waitFor();
    return this.page;
  }

  /** The page's banner saying `text`. */
  banner(text: RegExp) {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  /** The class of the page's main part: `stale` while what it shows may be out of date. */
  stale(): Promise<string | null> {
    return this.page.locator('main').getAttribute('class');
  }
}

/** What the page says as it loses its watcher. */
export const LOST = /^Lost contact with the watcher: reconnecting…/;

export function linkRig(): LinkRig {
  const rig = new LinkRig();
  before(() => rig.start());
  after(() => rig.stop());
  return rig;
}
