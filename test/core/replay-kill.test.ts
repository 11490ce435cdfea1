import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';

// The real CLI killed on a real disk, beside test/core/replay.test.ts's traces on a virtual clock:
// a file of its own so that the two run side by side.
describe('kill -9 in the middle of a trace', { skip: await cannotMount }, () => {
  // ~15 s; four CLI starts, each slow on a loaded machine.
  it(
    'each change is told exactly once across two kills, one before a critical was confirmed',
    { timeout: 120_000 },
    async () => {
      const pki = await makePki();
      const disk = await Tmpfs.mount(64);
      const receiver = await Receiver.start(pki);
      const home = await tempHome();
      let watch: CliProcess | undefined;
      try {
        await disk.setFreePercent(50);
        const added = await runCli(
          ['integration', 'add', '--type', 'webhook', '--url', receiver.url, '--ca', pki.files.ca],
          home,
        );
        assert.equal(added.code, 0, added.stderr);
        const start = async () => {
          watch = new CliProcess(['watch', '--mount', disk.dir], home);
          await watch.waitForStderr(/watching/);
        };
        const delivered = (to: string) => watch!.waitForStderr(new RegExp(`→ ${to} to .*: delivered`));

        await start();
        await disk.setFreePercent(15);
        await delivered('warning');
        await watch!.stop('SIGKILL');
        await disk.setFreePercent(5); // it fills on while no watcher runs
        await start();
        await watch!.stop('SIGKILL'); // killed again before it could confirm the critical
        await start();
        await delivered('critical');
        await disk.setFreePercent(50);
        await delivered('ok');
        await watch!.stop();

        const bodies = receiver.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body));
        const space = bodies.filter((b) => b.headroom.kind === 'space');
        const byId = new Map(space.map((b) => [b.headroom.id, b.severity]));
        assert.deepEqual([...byId.values()], ['warning', 'critical', 'clear']);
        // A delivery cut off by the kill may be sent again, always under its own key: receivers drop it.
        assert.ok(space.length - byId.size <= 1, `${space.length - byId.size} re-sends`);
        assertReported('kill -9 in the middle of a trace', 2);
      } finally {
        await watch?.stop('SIGKILL');
        await receiver.close();
        await disk.dispose();
      }
    },
  );
});
