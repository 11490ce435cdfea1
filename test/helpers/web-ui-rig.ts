import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from './browser.js';
import { CliProcess, tempHome } from './cli.js';
import { after, before } from './node-test.js';
import { Receiver } from './receiver.js';
import { cannotMount, Tmpfs } from './tmpfs.js';
import { makePki, type TestPki } from './tls.js';
import { webUiUrl } from './web-ui.js';

/** Why a file of web UI tests on a tmpfs cannot run here (no Chromium, no mounting), or false. */
export const webUiSkip: string | false = chromiumMissing || (await cannotMount);

export interface RigOptions {
  /** The tmpfs's free space as the watcher starts. */
  freePercent: number;
  /**
   * Runs before the watcher starts, with the data directory and disk in place (to seed files);
   * what it returns is called as the rig stops.
   */
  prepare?: (rig: WebUiRig) => Promise<(() => void) | void>;
}

/**
 * The renderer in real Chromium against the real core: `headroom watch --ui` watching a 20 MiB
 * tmpfs of its own, with a local HTTPS receiver standing in for the webhook endpoint. One rig per
 * test file (its fields are set by the `before` hook `webUiRig` adds); each test opens its own
 * page in the one browser, which keeps nothing from another test's page but what the watcher holds.
 */
export class WebUiRig {
  pki!: TestPki;
  disk!: Tmpfs;
  receiver!: Receiver;
  home!: string;
  watcher!: CliProcess;
  browser!: Browser;
  /** The address the watcher gave, with its access token. */
  url!: string;
  private cleanup: (() => void) | void = undefined;

  async start(o: RigOptions): Promise<void> {
    this.pki = await makePki();
    this.disk = await Tmpfs.mount(20);
    await this.disk.setFreePercent(o.freePercent);
    this.receiver = await Receiver.start(this.pki);
    this.home = await tempHome();
    this.cleanup = await o.prepare?.(this);
    this.watcher = new CliProcess(
      ['watch', '--interval', '1', '--mount', this.disk.dir, '--ui', '127.0.0.1:0'],
      this.home,
    );
    // Chromium starts while the watcher does: neither needs the other until a page opens.
    [this.url, this.browser] = await Promise.all([webUiUrl(this.watcher, this.home), launchChromium()]);
  }

  async stop(): Promise<void> {
    this.cleanup?.();
    await this.browser?.close();
    await this.watcher?.stop();
    await this.receiver?.close();
    await this.disk?.dispose();
  }

  /** A fresh page of `width`×`height`, not yet at the web UI. */
  newPage(width = 1200, height = 900): Promise<Page> {
    return this.browser.newPage({ viewport: { width, height } });
  }

  /** A fresh page at the web UI, on the page `hash` names (Disks when empty). */
  async open(hash = ''): Promise<Page> {
    const page = await this.newPage();
    await page.goto(this.url);
    if (hash) await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    return page;
  }

  /** The web UI's own HTTP API, with the token from the URL the watcher printed. */
  async call<T>(name: string, input: unknown = {}): Promise<T> {
    const token = decodeURIComponent(/token=([^&]+)/.exec(this.url)![1]!);
    const res = await fetch(new URL(`api/${name}`, this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    const result = (await res.json()) as { ok: boolean; value: T };
    assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
    return result.value;
  }
}

/** A rig started before the calling describe block's tests and stopped after them. */
export function webUiRig(o: RigOptions): WebUiRig {
  const rig = new WebUiRig();
  before(() => rig.start(o));
  after(() => rig.stop());
  return rig;
}
