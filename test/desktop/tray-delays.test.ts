import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { formatTime } from '../../shared/format.js';
import { addWebhook, tempHome } from '../helpers/cli.js';
import { launch, watchOnly } from '../helpers/desktop.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

// A receiver that asks Headroom to come back in an hour holds an alert that long: the tray says
// so (test/core/retry-after-waits.test.ts checks the line's words; this, the app's wiring of it).
describe('the tray, when a receiver delays alerts', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let receiver: Receiver;
  let disk: Tmpfs;
  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
    disk = await Tmpfs.mount(20);
  });
  after(async () => {
    await receiver.close();
    await disk.dispose();
  });

  it('names the integration and the time in its menu, from the delivery the watcher recorded', async () => {
    const home = await tempHome();
    await disk.setFreePercent(50);
    await watchOnly(home, disk.dir, 'confirmSeconds=0', 'usageScanMinutes=null');
    const added = await addWebhook(home, {
      name: 'Storage hook',
      url: `${receiver.url}/disk`,
      ca: pki.files.ca,
    });
    assert.equal(added.code, 0, added.stderr);
    const app = await launch(home, { argv: ['headroom', '--hidden'] });
    try {
      const { fake } = app;
      await fake.until(() => fake.tray.tooltip.includes(disk.dir), 'the first sample');
      assert.ok(!fake.menuLabels().some((l) => l.includes('delayed until')));

      receiver.reply({ status: 429, headers: { 'retry-after': '7200' }, body: 'slow down' });
      await disk.setFreePercent(15);
      const asked = Date.now();
      fake.click('Check now');
      const line = await fake.until(
        () => fake.menuLabels().find((l) => l.startsWith('Alerts to “Storage hook” delayed until ')),
        'the delay in the tray menu',
        30_000,
      );
      // Asked for two hours, held one at most (the cap), and said in local time.
      const inAnHour = [0, 60_000, 120_000].map((ms) =>
        formatTime(asked + 3600_000 + ms, { seconds: false }),
      );
      assert.ok(
        inAnHour.some(
          (t) => line === `Alerts to “Storage hook” delayed until ${t} (the receiver asked to wait)`,
        ),
        line,
      );
    } finally {
      await app.quit();
    }
  });
});
