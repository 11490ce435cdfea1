import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { addWebhook, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';

const MiB = 1024 * 1024;

describe('alerts that say what grew: headroom watch on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let receiver: Receiver;
  let watcher: CliProcess | undefined;
  before(async () => (disk = await Tmpfs.mount(20)));
  after(async () => {
    await watcher?.stop('SIGKILL');
    await receiver?.close();
    await disk?.dispose();
  });

  it('sends the warning at once to every integration, then what grew only to the one that opted in', async () => {
    const home = await tempHome();
    const pki = await makePki();
    receiver = await Receiver.start(pki);
    for (const [name, extra] of [
      ['with', ['--include-usage']],
      ['without', []],
    ] as const) {
      const url = `${receiver.url}/${name}`;
      const added = await addWebhook(home, { name, url, ca: pki.files.ca }, ...extra);
      assert.equal(added.code, 0, added.stderr);
    }
    await disk.setFreePercent(50);
    const downloads = join(disk.dir, 'home/ann/Downloads');
    await mkdir(downloads, { recursive: true });
    const baseline = await runCli(['usage', disk.dir], home);
    assert.equal(baseline.code, 0, baseline.stderr);

    watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home);
    await watcher.waitForStderr(/watching/);
    await writeFile(join(downloads, 'big.iso'), Buffer.alloc(7 * MiB, 1));

    const usage = await watcher.waitUntil(() => watcher!.jsonLines('usage')[0], 'a usage line');
    const grower = { path: downloads, size: 7 * MiB, grew: 7 * MiB };
    assert.deepEqual((usage as { growers: unknown[] }).growers, [grower]);
    const order = watcher.stdoutLines.map((l) => (JSON.parse(l) as { type: string }).type);
    assert.ok(order.indexOf('transition') < order.indexOf('usage'), 'the transition is told first');

    await receiver.request(3);
    const to = (name: string) =>
      receiver.requests.filter((r) => r.url === `/${name}`).map((r) => JSON.parse(r.body));
    const [warning, withUsage] = to('with');
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.headroom.usage, undefined, 'the warning itself did not wait for the scan');
    assert.equal(withUsage.severity, 'warning');
    assert.deepEqual(withUsage.headroom.usage.growers, [grower]);
    assert.match(
      withUsage.info,
      new RegExp(`\\nGrew most since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\S+: ${downloads} \\+7\\.00 MiB$`),
    );
    const without = to('without');
    assert.equal(without.length, 1, 'no usage for an integration that did not opt in');
    assert.doesNotMatch(JSON.stringify(without), /Downloads/, 'no path reaches it');
  });
});
