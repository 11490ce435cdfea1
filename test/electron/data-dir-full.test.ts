import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CliProcess, runCli } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { assertReported } from '../helpers/report.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** The situation Headroom exists for, happening to Headroom: its own data directory's disk fills. */
describe('when the data directory’s disk is full', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let home: Tmpfs;
  let disk: Tmpfs;
  let receiver: Receiver;
  before(async () => {
    pki = await makePki();
    home = await Tmpfs.mount(4);
    disk = await Tmpfs.mount(20);
    receiver = await Receiver.start(pki);
  });
  after(async () => {
    await receiver?.close();
    await disk?.dispose();
    await home?.dispose();
  });

  it('keeps sampling and alerting from memory, says so, and saves again once there is room', async () => {
    await disk.setFreePercent(50);
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', receiver.url, '--ca', pki.files.ca],
      home.dir,
    );
    assert.equal(added.code, 0, added.stderr);
    const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home.dir);
    try {
      await w.waitForStderr(/watching/);
      await home.fill();
      await disk.setFreePercent(15);
      const posted = () =>
        receiver.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body).severity);
      await w.waitUntil(() => (posted().includes('warning') ? true : undefined), 'the warning to arrive');
      await w.waitForStderr(/cannot write .*\(ENOSPC/);
      assert.ok(w.stderrLines.some((l) => /Alerts keep going out from memory/.test(l)));

      await home.empty();
      await disk.setFreePercent(50);
      await w.waitUntil(() => (posted().includes('clear') ? true : undefined), 'the all-clear to arrive');
      await w.waitForStderr(/works again/);
      assert.deepEqual(posted(), ['warning', 'clear'], 'each alert once');
      assertReported("Data directory's own disk full while alerting", 1);
    } finally {
      assert.equal(await w.stop(), 0, 'no crash');
    }
  });
});
