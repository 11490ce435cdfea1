import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createTransport } from '../../core/delivery/transport.js';
import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';
import { pagerdutyMock } from '../helpers/vendors.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

describe('flapping, tuned, and the all-clear a paging channel is owed', { skip: await cannotMount }, () => {
  let runtime: Runtime | undefined;
  let receiver: Receiver | undefined;
  let disk: Tmpfs | undefined;
  afterEach(async () => {
    await runtime?.close();
    await receiver?.close();
    await disk?.dispose();
  });

  it('holds a flapping all-clear 30 min for a webhook, but resolves the PagerDuty incident within 5', async () => {
    const pki = await makePki();
    const pd = pagerdutyMock();
    receiver = await Receiver.start(pki);
    receiver.always((r) => (r.url === '/v2/enqueue' ? pd.handle(r) : { status: 200, body: 'ok' }));
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    let clock = Date.parse('2026-11-23T12:00:00Z');
    runtime = openRuntime(await tempHome(), {
      now: () => clock,
      transport: createTransport({ extraCa: pki.ca }),
    });
    // One full sample per step of the test's clock: confirmation off (see replay.test.ts for it).
    runtime.settings.update({
      ...runtime.settings.get(),
      confirmSeconds: 0,
      flappingChanges: 2,
      flappingSettleMinutes: 30,
      pagingAllClearMaxMinutes: 5,
    });
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
    await step(5); // critical: never held, though this is the third change in the hour
    assert.deepEqual(webhook(), ['warning', 'clear', 'critical']);
    assert.deepEqual([...pd.open.values()], ['critical']);

    await step(50); // the all-clear: flapping (more than 2 changes in the hour), held
    const held = history.list().filter((r) => r.outcome === 'held');
    assert.equal(held.length, 2, 'held for both');
    assert.match(held[0]!.reason!, /flapping \(state changed more than 2 times in an hour/);
    assert.equal(pd.open.size, 1);

    await step(50, 6); // 6 minutes on: PagerDuty's incident is resolved, the webhook still waits
    assert.equal(pd.open.size, 0, 'resolved within pagingAllClearMaxMinutes');
    assert.deepEqual(webhook(), ['warning', 'clear', 'critical']);

    await step(50, 25); // 31 minutes after the last change: settled, the webhook hears it too
    assert.deepEqual(webhook(), ['warning', 'clear', 'critical', 'clear']);
  });
});
