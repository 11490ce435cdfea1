import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from '../helpers/node-test.js';
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

  it(
    'commands that save say so in one line, exit 1, and leave no empty file behind',
    { timeout: 60_000 },
    async () => {
      const tiny = await Tmpfs.mount(1);
      try {
        const set = await runCli(['settings', 'set', 'warningPercent=25'], tiny.dir);
        assert.equal(set.code, 0, set.stderr);
        // Files only: opening the data directory makes its (empty) folders, which is not a write.
        const files = async () =>
          (await readdir(tiny.dir, { withFileTypes: true, recursive: true }))
            .filter((f) => f.isFile() && f.name !== 'filler')
            .map((f) => f.name)
            .sort();
        const before = await files();
        await tiny.fill();
        for (const command of [
          ['settings', 'set', 'warningPercent=30'],
          ['integration', 'add', '--type', 'webhook', '--url', 'https://127.0.0.1:1/hook'],
          ['snooze', '--all'],
        ]) {
          const r = await runCli(command, tiny.dir);
          assert.equal(r.code, 1, `${command.join(' ')}: ${r.stderr}`);
          assert.equal(
            r.stderr,
            `headroom: no space left on ${tiny.dir}; nothing was written (free some space there and try again)\n`,
          );
          assert.deepEqual(await files(), before, `${command.join(' ')} left no temp or lock file`);
        }
        await tiny.empty();
        const shown = await runCli(['settings', '--json'], tiny.dir);
        assert.equal(JSON.parse(shown.stdout).warningPercent, 25, 'the saved settings are intact');
        const again = await runCli(['settings', 'set', 'warningPercent=30'], tiny.dir);
        assert.equal(again.code, 0, `no leftover lock blocks the next save: ${again.stderr}`);
      } finally {
        await tiny.dispose();
      }
    },
  );
});
