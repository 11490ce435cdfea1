import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

describe('headroom watch on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let home: string;
  let watcher: CliProcess | undefined;
  beforeEach(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
    // Every change at once: what is printed is under test here, not confirmation (which waits
    // 3 s per change by default; see test/core/replay.test.ts).
    await writeFile(join(home, 'settings.json'), JSON.stringify({ confirmSeconds: 0 }), { mode: 0o600 });
  });
  afterEach(async () => {
    await watcher?.stop('SIGKILL');
    await disk.dispose();
  });

  const watch = () =>
    (watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home));

  it('prints one line per transition through warning, critical and back to all-clear', async () => {
    await disk.setFreePercent(50);
    const w = watch();
    await w.waitForStderr(/watching/);
    await disk.setFreePercent(15);
    assert.deepEqual(pick(await w.transition(1)), { from: 'ok', to: 'warning' });
    await disk.setFreePercent(5);
    assert.deepEqual(pick(await w.transition(2)), { from: 'warning', to: 'critical' });
    await disk.setFreePercent(15);
    assert.deepEqual(pick(await w.transition(3)), { from: 'critical', to: 'warning' });
    await disk.setFreePercent(25);
    const clear = await w.transition(4);
    assert.deepEqual(pick(clear), { from: 'warning', to: 'ok' });
    assert.equal(clear.mount, disk.dir);
    assert.ok(Math.abs(clear.freePercent! - 25) < 0.5);
    assert.ok(!Number.isNaN(Date.parse(clear.at)));

    assert.equal(await w.stop('SIGTERM'), 0, 'exits cleanly on SIGTERM');
    assert.equal(w.transitions().length, 4, 'nothing printed while a state held');
    assert.match(w.stderrLines.at(-1)!, /stopped/);
  });

  it('announces a disk already low at start-up once, and exits cleanly on SIGINT', async () => {
    await disk.setFreePercent(5);
    const w = watch();
    assert.deepEqual(pick(await w.transition(1)), { from: 'ok', to: 'critical' });
    assert.equal(await w.stop('SIGINT'), 0);
    assert.equal(w.transitions().length, 1);
  });

  it('keeps the state across restarts: no repeated warning, and the all-clear still comes', async () => {
    await disk.setFreePercent(15);
    const first = watch();
    assert.deepEqual(pick(await first.transition(1)), { from: 'ok', to: 'warning' });
    assert.equal(await first.stop(), 0);
    const saved = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    assert.equal(saved.mounts[disk.dir].state, 'warning');

    const second = watch();
    await second.waitForStderr(/watching/);
    await disk.setFreePercent(30);
    assert.deepEqual(pick(await second.transition(1)), { from: 'warning', to: 'ok' });
  });

  it('reports a mount that is unmounted while watched as unreachable, and its return', async () => {
    await disk.setFreePercent(50);
    const w = watch();
    await w.waitForStderr(/watching/);
    await disk.unmount();
    const gone = await w.transition(1);
    assert.deepEqual(pick(gone), { from: 'ok', to: 'unreachable' });
    assert.equal(gone.freePercent, null);
    assert.equal(gone.reason, 'not mounted');
    await disk.remount();
    assert.deepEqual(pick(await w.transition(2)), { from: 'unreachable', to: 'ok' });
  });

  it('prints readable lines without --json', async () => {
    await disk.setFreePercent(15);
    const w = (watcher = new CliProcess(['watch', '--interval', '1', '--mount', disk.dir], home));
    const line = await w.waitUntil(() => w.stdoutLines[0], 'a line');
    assert.match(
      line,
      // The one time format: local time with its zone (ISO 8601 UTC with --utc).
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+  ${disk.dir}  ok → warning  15\\.0% free \\(3\\.00 MiB of 20\\.0 MiB\\)$`,
      ),
    );
  });

  it(
    'escapes a line break in a mount name in its start line: no forged log line',
    { timeout: 30_000 },
    async () => {
      const parent = await mkdtemp(join(tmpdir(), 'headroom-names-'));
      const dir = join(parent, 'data\nheadroom: alerts are paused');
      await mkdir(dir);
      const odd = await Tmpfs.mountAt(dir, 4);
      try {
        const w = (watcher = new CliProcess(['watch', '--interval', '3600', '--mount', dir], home));
        const start = await w.waitForStderr(/watching/);
        assert.ok(start.includes(`${parent}/data\\nheadroom: alerts are paused`), start);
        await w.stop('SIGTERM');
        assert.ok(
          !w.stderrLines.some((l) => l.startsWith('headroom: alerts are paused')),
          w.stderrLines.join('\n'),
        );
      } finally {
        await watcher?.stop('SIGKILL');
        await odd.dispose();
        await rm(parent, { recursive: true, force: true });
      }
    },
  );
});

describe('headroom watch', () => {
  let lockCases = 0;
  after(() => assertReported('Two watchers on one data directory', lockCases));

  it('refuses to start a second watcher on the same data directory, saying who watches', async () => {
    const home = await tempHome();
    const first = new CliProcess(['watch', '--interval', '60'], home);
    await first.waitForStderr(/watching/);
    const second = new CliProcess(['watch', '--interval', '60'], home);
    assert.equal(await second.exited, 1, 'the work could not be done: not a usage error');
    assert.match(
      second.stderrLines.join('\n'),
      new RegExp(`already watched by \`headroom watch\` \\(pid ${first.child.pid}`),
    );
    assert.equal(await first.stop(), 0);
    const third = new CliProcess(['watch', '--interval', '60'], home);
    await third.waitForStderr(/watching/);
    assert.equal(await third.stop(), 0, 'the lock was released on exit');
    lockCases++;
  });

  it('takes over the lock of a watcher that was killed', async () => {
    const home = await tempHome();
    const first = new CliProcess(['watch', '--interval', '60'], home);
    await first.waitForStderr(/watching/);
    await first.stop('SIGKILL');
    const second = new CliProcess(['watch', '--interval', '60'], home);
    await second.waitForStderr(/watching/);
    assert.equal(await second.stop(), 0);
    lockCases++;
  });

  it('refuses an interval that is not a number of seconds, naming the option', async () => {
    const w = new CliProcess(['watch', '--interval', 'soon'], await tempHome());
    assert.equal(await w.exited, 2);
    assert.match(w.stderrLines.join('\n'), /--interval soon: intervalSeconds: must be a number of seconds/);
  });
});

function pick(t: { from: string; to: string }) {
  return { from: t.from, to: t.to };
}

describe('fast detection', { skip: await cannotMount }, () => {
  it('notices a disk filling at a steady rate within seconds, long before the 5-minute sample', async () => {
    const disk = await Tmpfs.mount(64);
    const home = await tempHome();
    await disk.setFreePercent(40);
    const w = new CliProcess(['watch', '--json', '--mount', disk.dir], home); // the default 300 s interval
    try {
      await w.waitForStderr(/every 300 s/);
      // ~16 MB/s, in steps: the disk crosses 20% free about a second from now.
      let free = 40;
      const filling = (async () => {
        while (free > 15) {
          free -= 1;
          await disk.setFreePercent(free);
          await new Promise((r) => setTimeout(r, 40));
        }
      })();
      const crossedBy = Date.now();
      const deadline = new Promise<'late'>((r) => setTimeout(() => r('late'), 30_000).unref());
      const first = await Promise.race([w.transition(1), deadline]);
      await filling;
      assert.notEqual(first, 'late', 'no transition within 30 s: fast detection did not read the disk');
      assert.deepEqual(pick(first as { from: string; to: string }), { from: 'ok', to: 'warning' });
      assert.ok(Date.parse((first as { at: string }).at) - crossedBy < 30_000);
    } finally {
      await w.stop();
      await disk.dispose();
    }
  });
});

describe('predictive alert', { skip: await cannotMount }, () => {
  // It needs a fill sustained for minutes (see test/core/replay.test.ts, which replays a
  // runaway on a virtual clock): a few seconds of data are no evidence, however fast the fill.
  it('raises nothing on a 2.5-second burst, however fast; the real crossing after it is told', async () => {
    const disk = await Tmpfs.mount(64);
    const home = await tempHome();
    await disk.setFreePercent(70);
    const set = await runCli(['settings', 'set', 'predictiveMinutes=30'], home);
    assert.equal(set.code, 0, set.stderr);
    const w = new CliProcess(['watch', '--json', '--mount', disk.dir], home);
    try {
      await w.waitForStderr(/watching/);
      for (let free = 69; free >= 45; free--) {
        await disk.setFreePercent(free);
        await new Promise((r) => setTimeout(r, 100)); // the burst's own pace: 10 % a second
      }
      await disk.setFreePercent(15);
      const first = await w.transition(1);
      assert.deepEqual(pick(first), { from: 'ok', to: 'warning' });
      assert.ok(first.freePercent! < 20, `the first warning came at ${first.freePercent}% free`);
    } finally {
      await w.stop();
      await disk.dispose();
    }
  });
});
