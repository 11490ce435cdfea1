import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, never a downloaded browser; tests that need it skip with the reason. */
export const chromiumMissing: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install chromium; .ci/run does)`;

const OPTIONS = {
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

/**
 * The test run's one Chromium (scripts/run-tests.mjs starts it and says where in
 * HEADROOM_TEST_BROWSER): starting and stopping one costs ~2.7 CPU-seconds here, paid by each of
 * the ~35 files with a browser, on a suite that keeps both cores busy. Each file still gets a
 * browser of its own to the tests: contexts and pages are its own, and closing it closes them
 * and disconnects, leaving the Chromium to the others.
 */
export function launchChromium(): Promise<Browser> {
  const shared = process.env.HEADROOM_TEST_BROWSER;
  return shared ? chromium.connect(shared) : chromium.launch(OPTIONS);
}

/** The Chromium the test files share: its address, and how to stop it. */
export async function sharedChromium(): Promise<{ address: string; close(): Promise<void> }> {
  const server = await chromium.launchServer(OPTIONS);
  return { address: server.wsEndpoint(), close: () => server.close() };
}

/**
 * Screenshots are for a person looking over the window (`HEADROOM_TEST_SCREENSHOTS=1` keeps them in
 * test-results/); the tests' checks never read them. Off by default: a full-page one cost Chromium
 * ~0.5 CPU-second (five measured), and a run takes ~90, on a suite that keeps both cores busy.
 */
export async function keepScreenshot(
  target: Pick<Page, 'screenshot'>,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (!process.env.HEADROOM_TEST_SCREENSHOTS) return;
  await mkdir('test-results', { recursive: true });
  await target.screenshot({ path: `test-results/${name}.png`, ...options });
}
