import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CliProcess } from './cli.js';

/**
 * The web UI's address with its access token, found where a user finds it when `headroom watch
 * --ui` runs with standard error on a pipe (as here, and under systemd): in `ui-url` in the data
 * directory, which the log line names. Waits for that line.
 */
export async function webUiUrl(watcher: CliProcess, home: string): Promise<string> {
  const line = await watcher.waitForStderr(/web UI at /);
  const file = join(home, 'ui-url');
  assert.ok(line.includes(file), `the log says where the address is: ${line}`);
  return (await readFile(file, 'utf8')).trim();
}

/**
 * One API request made by the page itself, with the access token it keeps, as its own code makes
 * them (what a hand-made request from the open page would do). Resolves to the answer's JSON.
 */
export function apiFromPage(page: Page, name: string, input: unknown): Promise<unknown> {
  return page.evaluate(
    `fetch('api/${name}', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem('headroom-token') }, body: ${JSON.stringify(JSON.stringify(input))} }).then((r) => r.json())`,
  );
}

/**
 * Holds the page's next answer to API request `name` (whose input `when` accepts): the watcher
 * answers at once (`read` resolves then), the page gets that answer only on `release()`, as over a
 * slow link or on a busy machine. Other requests pass. `release()` resolves once the page has the
 * whole answer and has drawn two frames since: what the answer changes (or, rightly, does not) is
 * on the screen by then.
 */
export async function holdAnswer(
  page: Page,
  name: string,
  when: (input: Record<string, unknown>) => boolean = () => true,
): Promise<{ read: Promise<void>; release: () => Promise<void> }> {
  let wasRead!: () => void;
  let handOver!: () => void;
  let finished!: Promise<unknown>;
  const read = new Promise<void>((resolve) => (wasRead = resolve));
  const released = new Promise<void>((resolve) => (handOver = resolve));
  let taken = false;
  await page.route(`**/api/${name}`, async (route) => {
    if (taken || !when(route.request().postDataJSON() ?? {})) return route.continue();
    taken = true;
    finished = page.waitForEvent('requestfinished', (r) => r === route.request());
    const response = await route.fetch();
    wasRead();
    await released;
    await route.fulfill({ response });
  });
  const release = async () => {
    handOver();
    await finished;
    await page.evaluate('new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))');
  };
  return { read, release };
}

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

/**
 * One request over a fresh connection to `address:port`, with exactly the headers given: Host and
 * Origin are what an attacker's page, a proxy or another machine would send.
 */
export function rawRequest(
  address: string,
  port: number,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, method, headers, agent: false }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Holds the page's next request to `pattern` before it reaches the watcher (where `holdAnswer`
 * lets the watcher answer at once): `asked` resolves when the page has made it; `send()` lets it
 * go on, `refuse()` fails it as a refused connection does. Later requests pass. For an event
 * stream that opens late, or code that never arrives.
 */
export async function holdRequest(
  page: Page,
  pattern: string,
): Promise<{ asked: Promise<void>; send: () => void; refuse: () => void }> {
  let wasAsked!: () => void;
  let decide!: (how: 'send' | 'refuse') => void;
  const asked = new Promise<void>((resolve) => (wasAsked = resolve));
  const decided = new Promise<'send' | 'refuse'>((resolve) => (decide = resolve));
  let taken = false;
  await page.route(pattern, async (route) => {
    if (taken) return route.continue();
    taken = true;
    wasAsked();
    return (await decided) === 'send' ? route.continue() : route.abort('connectionrefused');
  });
  return { asked, send: () => decide('send'), refuse: () => decide('refuse') };
}
