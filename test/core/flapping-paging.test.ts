import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from '../helpers/node-test.js';
import { createTransport } from '../../core/delivery/transport.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';
import { pagerdutyMock } from '../helpers/vendors.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

describe('flapping, tuned, and the all-clear every channel is owed', { skip: await cannotMount }, () => {
  let runtime: Runtime | undefined;
  let receiver: Receiver | undefined;
  let disk: Tmpfs | undefined;
  afterEach(async () => {
    await runtime?.close();
    await receiver?.close();
    await disk?.dispose();
  });

  it(
    'a webhook and PagerDuty both hear that critical is over within the settle time, though the disk still flaps',
    {
      timeout: 60_000,
    },
    async () => {
      const pki = await makePki();
      const pd = pagerdutyMock();
      receiver = await Receiver.start(pki);
      receiver.always((r) => (r.url === '/v2/enqueue' ? pd.handle(r) : { status: 200, body: 'ok' }));
      disk = await Tmpfs.mount(20);
      await disk.setFreePercent(50);
      let clock = Date.parse('2026-11-23T12:00:00Z');
      const home = await tempHome();
      // Saved by an older version, with the paging-only limit the settle time replaced: it loads.
      await writeFile(
        join(home, 'settings.json'),
        JSON.stringify({ confirmSeconds: 0, flappingChanges: 2, pagingAllClearMaxMinutes: 5 }),
      );
      runtime = openRuntime(home, { now: () => clock, transport: createTransport({ extraCa: pki.ca }) });
      // One full sample per step of the test's clock: confirmation off (see replay.test.ts for it).
      assert.equal(runtime.settings.get().flappingChanges, 2, 'the old file loaded');
      assert.equal(runtime.settings.get().flappingSettleMinutes, 5, 'the default settle time');
      const retired = await runCli(['settings', 'set', 'pagingAllClearMaxMinutes=10'], await tempHome());
      assert.equal(retired.code, 2);
      assert.match(
        retired.stderr,
        /pagingAllClearMaxMinutes is no longer a setting: .* within flappingSettleMinutes/,
      );
      const watcher = new Watcher(runtime, {
        only: [{ mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' }],
        now: () => clock,
      });
      const { service, dispatcher, history } = runtime.delivery;
      for (const config of [
        { url: receiver.url, ca: pki.ca },
        { routingKey: ROUTING_KEY, apiUrl: receiver.url },
      ]) {
        const saved = await service.create({ type: 'url' in config ? 'webhook' : 'pagerduty', config });
        assert.ok(saved.ok, JSON.stringify(saved));
      }
      const step = async (free: number, minutes = 1) => {
        await disk!.setFreePercent(free);
        clock += minutes * 60_000;
        await watcher.checkNow();
        await dispatcher.idle();
      };
      const webhook = () =>
        receiver!.requests
          .filter((r) => r.method === 'POST' && r.url !== '/v2/enqueue')
          .map((r) => JSON.parse(r.body).severity);

      await step(50);
      await step(15); // warning
      await step(50); // clear
      await step(5); // 12:04: a first critical is never held, though this is the third change in the hour
      assert.deepEqual(webhook(), ['warning', 'clear', 'critical']);
      assert.deepEqual([...pd.open.values()], ['critical']);

      // Back above the margin: the third change in the hour is flapping — one message says so, to
      // both, as the critical they were told: an incident stays open while it cycles.
      await step(50);
      assert.match(receiver.requests.at(-1)!.body, /cycling between ok, warning and critical/);
      assert.deepEqual(webhook(), ['warning', 'clear', 'critical', 'critical']);
      assert.deepEqual([...pd.open.values()], ['critical']);

      // It keeps flapping between ok and warning, every minute; critical is over since 12:04.
      for (const free of [15, 50, 15, 50]) await step(free);
      assert.equal(pd.open.size, 1, 'held while it flaps');
      const held = history.list().filter((r) => r.outcome === 'held');
      assert.ok(held.length >= 2, 'held for both');
      assert.match(held[0]!.reason!, /flapping \(state changed more than 2 times in an hour/);
      await step(15); // 12:09, 5 minutes after it left critical: both hear that critical is over
      assert.deepEqual(webhook().slice(4), ['warning']);
      assert.deepEqual([...pd.open.values()], ['warning']);

      await step(50); // it settles above the margin: 5 minutes on, the all-clear to both
      await step(50, 4);
      assert.equal(pd.open.size, 1);
      await step(50, 1);
      assert.deepEqual(webhook().slice(4), ['warning', 'clear'], 'the last word matches the disk');
      assert.equal(pd.open.size, 0, 'the incident is resolved');
    },
  );
});
