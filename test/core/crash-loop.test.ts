import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { crashLoop, PHASES } from '../helpers/crash-loop.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** One run per kill point (PHASES): each is covered on every run of the suite; `npm run soak` does 200. */
const RUNS = PHASES.length;

describe('headroom watch killed with -9 at random points', { skip: await cannotMount }, () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  it(
    'delivers every change once to idempotent receivers, or summed up after a restart, and never leaves a data file corrupt',
    { timeout: 120_000 },
    async () => {
      // CRASH_SEED=… replays a failing loop (the kill points; the receiver's timing still varies).
      const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
      console.log(`crash loop: seed ${seed} (CRASH_SEED=${seed} replays it)`);
      const report = await crashLoop({ runs: RUNS, seed, pki, log: (line) => console.log(line) });
      console.log(
        `crash loop: ${report.runs} runs, ${report.kills} kills, ${report.delivered}/${report.alerts} changes delivered, ` +
          `${report.resends} re-sent with the same key, ${report.silent} not sent as no net change`,
      );
      assert.deepEqual(report.problems, [], `seed ${seed}; data directory kept at ${report.home}`);
      assert.equal(report.lost, 0);
      assert.equal(report.duplicates, 0);
      assert.equal(report.corrupt, 0);
      assert.equal(report.delivered, report.alerts);
      assertReported('Watcher killed with -9 at random points', RUNS);
    },
  );
});
