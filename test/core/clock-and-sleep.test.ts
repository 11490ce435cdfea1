import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher, type WatcherOptions } from '../../core/watcher.js';
import { tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const DAY = 86_400_000;

describe('clock jumps, sleep and resume', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let receiver: Receiver;
  let runtime: Runtime;
  let watcher: Watcher;
  let controller: AbortController;
  let running: Promise<void> | undefined;
  /** What the test adds to the real clock: setting the machine's clock without touching it. */
  let offset: number;
  let cases = 0;
  before(async () => {
    pki = await makePki();
  });
  beforeEach(async () => {
    offset = 0;
    receiver = await Receiver.start(pki);
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
  });
  afterEach(async () => {
    controller?.abort();
    await running;
    running = undefined;
    await runtime?.close();
    await receiver.close();
    await disk.dispose();
    cases++;
  });

  /** A watcher sampling `disk` every second, on the shifted clock, with one webhook integration. */
  async function watch(options: Partial<WatcherOptions> = {}) {
    const now = () => Date.now() + offset;
    runtime = openRuntime(await tempHome(), { now });
    const saved = await runtime.delivery.service.create({
      type: 'webhook',
      config: { url: receiver.url, ca: readFileSync(pki.files.ca, 'utf8') },
    });
    assert.ok(saved.ok, JSON.stringify(saved));
    watcher = new Watcher(runtime, {
      only: [{ mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' }],
      override: { intervalSeconds: 1, fastDetection: false },
      now,
      ...options,
    });
    controller = new AbortController();
    running = watcher.run(controller.signal);
  }

  /** Resolves after `n` more full samples. */
  const samples = (n: number) =>
    new Promise<void>((resolve) => {
      const seen = () => {
        if (--n > 0) return;
        watcher.events.off('disks', seen);
        resolve();
      };
      watcher.events.on('disks', seen);
    });
  /** Resolves once the first delivery failed and waits for its retry. */
  const retrying = () =>
    new Promise<void>((resolve) => {
      if (runtime.delivery.history.list().some((r) => r.outcome === 'retrying')) return resolve();
      const seen = (r: { outcome: string }) => {
        if (r.outcome !== 'retrying') return;
        watcher.events.off('delivery', seen);
        resolve();
      };
      watcher.events.on('delivery', seen);
    });
  const severities = () => receiver.requests.map((r) => JSON.parse(r.body).severity as string);

  it('keeps sampling and alerting when the clock is set back a day', async () => {
    await watch();
    await samples(1);
    offset -= DAY;
    await samples(2); // the next samples come after the interval, not after a day
    await disk.setFreePercent(15);
    await receiver.accepted(1);
    assert.deepEqual(severities(), ['warning']);
    const recent = watcher.recent.points(watcher.disks()[0]!.mount).map((p) => p.at);
    assert.deepEqual(
      recent,
      [...recent].sort((a, b) => a - b),
      'the samples from before the jump are not left "in the future" of the forecast',
    );
    assert.ok(recent.length >= 2, `${recent.length} samples since the jump`);
  });

  it('sends a retry when due even if the clock was set back a day meanwhile', async () => {
    receiver.reply({ status: 503, body: 'busy' });
    await disk.setFreePercent(15);
    await watch();
    await receiver.request(1);
    offset -= DAY;
    await receiver.accepted(1); // after the 1–2 s backoff, not a day later
    await runtime.delivery.dispatcher.idle();
    assert.deepEqual(severities(), ['warning', 'warning']);
    const [record] = runtime.delivery.history.list();
    assert.equal(record!.outcome, 'delivered');
  });

  it('on resume from sleep, samples at once and sends what waited for a retry', async () => {
    receiver.reply({ status: 429, body: 'slow down', headers: { 'retry-after': '3600' } });
    await disk.setFreePercent(15);
    await watch();
    await retrying();
    await disk.setFreePercent(5); // changed while asleep
    await watcher.wake(); // the app's powerMonitor "resume"
    await receiver.accepted(2);
    assert.deepEqual(severities(), ['warning', 'warning', 'critical'], 'the warning before the critical');
  });

  it('headless (no resume event): notices a sleep by the wall clock jumping ahead of its timers', async () => {
    receiver.reply({ status: 429, body: 'slow down', headers: { 'retry-after': '3600' } });
    await disk.setFreePercent(15);
    await watch({ sleepCheckMs: 100, override: { intervalSeconds: 3600, fastDetection: false } });
    await retrying();
    await disk.setFreePercent(5);
    offset += 3 * 3_600_000; // three hours passed on the wall clock, none on the timers
    await receiver.accepted(2);
    assert.deepEqual(severities(), ['warning', 'warning', 'critical']);
    const states = runtime.states.all();
    assert.equal(states[disk.dir]!.state, 'critical', 'sampled at once, not at the next hourly sample');
  });

  after(() => assertReported('Clock set back or forward, sleep and resume', cases));
});
