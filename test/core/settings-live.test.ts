import assert from 'node:assert/strict';
import { after, describe, it } from '../helpers/node-test.js';
import { openRuntime } from '../../core/runtime.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const skipMount = await cannotMount;

const record = (i: number) => deliveryRecord(`d-${i}`, Date.now() + i);

describe('settings apply while running, without a restart', () => {
  it('history retention: a smaller or larger maximum applies to the running history', async () => {
    const runtime = openRuntime(await tempHome());
    const { history } = runtime.delivery;
    for (let i = 0; i < 15; i++) history.append(record(i));
    assert.equal(history.list().length, 15);
    runtime.settings.update({ historyMaxRecords: 10 });
    assert.equal(history.list().length, 10);
    runtime.settings.update({ historyMaxRecords: 12 });
    assert.equal(history.list().length, 12);
    await runtime.close();
  });

  describe('on a real disk', { skip: skipMount }, () => {
    let disk: Tmpfs | undefined;
    let watcher: CliProcess | undefined;
    after(async () => {
      await watcher?.stop('SIGKILL');
      await disk?.dispose();
    });

    it('a shorter sampling interval set with the CLI applies to the running watcher at once', async () => {
      disk = await Tmpfs.mount(20);
      await disk.setFreePercent(50);
      const home = await tempHome();
      const set = (...pairs: string[]) => runCli(['settings', 'set', ...pairs], home);
      assert.equal((await set('intervalSeconds=3600', 'fastDetection=false')).code, 0);
      watcher = new CliProcess(['watch', '--json', '--mount', disk.dir], home);
      await watcher.waitForStderr(/every 3600 s/);
      assert.equal((await set('intervalSeconds=1')).code, 0);
      await disk.setFreePercent(15);
      // Within the hour only if the new interval applies now.
      const t = await watcher.transition(1);
      assert.equal(t.to, 'warning');
    });
  });
});
