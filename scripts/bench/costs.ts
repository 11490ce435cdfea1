import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { HistoryLog } from '../../electron/core/delivery/history-log.js';
import { discoverMounts } from '../../electron/core/mount-table.js';
import { Sampler } from '../../electron/core/sampler.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { deliveryRig, transitionOf } from '../../test/helpers/delivery.js';
import { launchChromium } from '../../test/helpers/browser.js';
import { CliProcess, tempHome } from '../../test/helpers/cli.js';
import { Receiver } from '../../test/helpers/receiver.js';
import type { TestPki } from '../../test/helpers/tls.js';
import { BARE_NODE, idleOver } from './footprint.js';
import { webUiUrl } from '../../test/helpers/web-ui.js';
import { median, percentile, timeEach } from './stats.js';

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sample of every mount with statfs, against spawning `df -P` for the same figures. */
export async function sampleCost() {
  const mounts = await discoverMounts();
  const sampler = new Sampler(5000);
  await Promise.all(mounts.map((m) => sampler.read(m)));
  const ours = await timeEach(2000, () => Promise.all(mounts.map((m) => sampler.read(m))));
  const df = await timeEach(50, () => exec('df', ['-P']));
  return { mounts: mounts.length, oursMs: median(ours), dfMs: median(df) };
}

/** Transition → arrival at a loopback HTTPS endpoint, against `curl` posting the same body. */
export async function dispatchLatency(pki: TestPki) {
  const receiver = await Receiver.start(pki);
  const rig = await deliveryRig({ extraCa: pki.ca });
  rig.add('webhook', { url: receiver.url, ca: pki.ca });
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const n = receiver.requests.length + 1;
    const t = performance.now();
    rig.dispatcher.enqueue(...transitionOf(i % 2 ? 'ok' : 'warning', i % 2 ? 'warning' : 'ok'));
    await receiver.request(n);
    latencies.push(performance.now() - t);
    await rig.dispatcher.idle(); // each transition on its own, as they come in real life
  }
  await rig.dispatcher.idle();
  const body = receiver.requests[0]!.body;
  const bodyFile = join(await tempHome(), 'body.json');
  writeFileSync(bodyFile, body);
  const curl = await timeEach(30, () =>
    exec('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '--cacert',
      `${pki.dir}/ca.pem`,
      '-H',
      'content-type: application/json',
      '--data-binary',
      `@${bodyFile}`,
      receiver.url,
    ]),
  );
  await rig.close();
  await receiver.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), curlP50: median(curl) };
}

/** Append cost with 1k, 10k and 100k records already in the history. */
export async function historyAppend() {
  const record = (i: number): DeliveryRecord => ({
    id: `d-${i}`,
    integrationId: 'webhook-1',
    integrationName: 'Ops',
    channel: 'webhook',
    outcome: 'delivered',
    attempts: [{ at: Date.now(), status: 200, result: 'delivered', latencyMs: 12 }],
    event: { host: 'h', mount: '/data', from: 'ok', to: 'warning', freePercent: 15, at: Date.now() },
    createdAt: Date.now(),
    updatedAt: Date.now(),
  });
  const out: Record<string, number> = {};
  for (const size of [1_000, 10_000, 100_000]) {
    const dir = await tempHome();
    writeFileSync(
      join(dir, 'history.jsonl'),
      Array.from({ length: size }, (_, i) => `${JSON.stringify(record(i))}\n`).join(''),
    );
    const log = new HistoryLog(dir, { maxRecords: 1_000_000, maxAgeDays: 90 });
    out[size] = median(await timeEach(1000, () => log.append(record(size + Math.random()))));
  }
  return out;
}

/** `headroom watch` idling (default settings, discovered disks) against a bare Node process. */
export async function idleFootprint(seconds: number) {
  const measure = async (cmd: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, cmd, { env, stdio: 'ignore' });
    await sleep(5000); // start-up is not idling
    const [result] = await idleOver([child.pid!], seconds);
    child.kill('SIGTERM');
    return result!;
  };
  const headroom = await measure(['bin/headroom.js', 'watch'], {
    ...process.env,
    HEADROOM_HOME: await tempHome(),
  });
  const bare = await measure(BARE_NODE, process.env);
  return { headroom, bare, seconds };
}

/** The renderer: gzipped JS size, and a 10,000-row history interactive after load. */
export async function rendererBudgets() {
  const assets = join('dist', 'renderer', 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gzBytes = js.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f))).length, 0);

  const historyTime = async (rows: number) => {
    const home = await tempHome();
    const now = Date.now();
    const lines = Array.from({ length: rows }, (_, i) =>
      JSON.stringify({
        id: `d-${i}`,
        integrationId: `webhook-${i % 5}`,
        integrationName: `Team ${i % 5}`,
        channel: 'webhook',
        outcome: i % 17 ? 'delivered' : 'failed',
        attempts: [{ at: now - i * 1000, status: 200, result: 'delivered', latencyMs: 12 }],
        event: {
          host: 'h',
          mount: `/disk${i % 7}`,
          from: 'ok',
          to: 'warning',
          freePercent: 15,
          at: now - i * 1000,
        },
        createdAt: now - i * 1000,
        updatedAt: now - i * 1000,
      }),
    );
    writeFileSync(join(home, 'history.jsonl'), `${lines.join('\n')}\n`);
    const watcher = new CliProcess(['watch', '--ui', '127.0.0.1:0'], home);
    const url = await webUiUrl(watcher, home);
    const browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator('footer', { hasText: 'Headroom' }).waitFor();
    const t = Date.now();
    await page.evaluate(`location.hash = '#/history'`);
    await page.locator('.history-row').first().waitFor();
    await page.locator('.history-row').first().click();
    await page.locator('.detail').waitFor();
    const ms = Date.now() - t;
    await browser.close();
    await watcher.stop();
    return ms;
  };
  const tenThousand = median([
    await historyTime(10_000),
    await historyTime(10_000),
    await historyTime(10_000),
  ]);
  const ten = median([await historyTime(10), await historyTime(10), await historyTime(10)]);
  return { gzBytes, historyMs: tenThousand, historyBaselineMs: ten };
}
