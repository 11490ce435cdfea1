import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from '../helpers/node-test.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { describeTrend, type Forecast } from '../../shared/forecast.js';
import { tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

/**
 * The forecast on a real logrotate-like loop, sampled by the watcher that ships in real time (the
 * same shapes replayed at the watcher's own cadence: forecast-patterns.test.ts).
 */
describe(
  'a real log rotated by cp and truncate, sampled by the watcher in real time',
  { skip: await cannotMount },
  () => {
    let disk: Tmpfs;
    after(async () => {
      await disk?.dispose();
    });

    it('is never given a time to full, and is named a cycle', { timeout: 60_000 }, async () => {
      disk = await Tmpfs.mount(64);
      await disk.setFreePercent(45);
      const runtime = openRuntime(await tempHome());
      const controller = new AbortController();
      let running: Promise<void> | undefined;
      try {
        const watcher = new Watcher(runtime, {
          only: [{ mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' }],
          override: { intervalSeconds: 1 },
        });
        const seen: Forecast[] = [];
        watcher.events.on('disks', () => seen.push(watcher.disks()[0]!.forecast));
        running = watcher.run(controller.signal);
        // Six rotations: the log grows by 7.5 MiB in ~3 s (256 KiB every 0.1 s), is copied,
        // truncated, and the copy compressed (zeros: to almost nothing). One process writes the
        // log (a shell loop spawned two programs a write: 360 in all, which on a busy machine
        // stretched 18 s of writing to 40); cp, truncate and gzip rotate it.
        const writer = `const fs = require('fs'), { execSync } = require('child_process');
          const chunk = Buffer.alloc(262144);
          const pause = () => new Promise((r) => setTimeout(r, 100));
          (async () => {
            for (let r = 0; r < 6; r++) {
              for (let i = 0; i < 30; i++) { fs.appendFileSync('app.log', chunk); await pause(); }
              execSync('cp app.log app.log.1 && truncate -s 0 app.log && gzip -f app.log.1');
            }
          })();`;
        const loop = spawn(process.execPath, ['-e', writer], { cwd: disk.dir, stdio: 'inherit' });
        const [code] = await once(loop, 'exit');
        assert.equal(code, 0);
        assert.ok(seen.length > 50, `${seen.length} views`);
        for (const f of seen) assert.equal(f.secondsToFull, null, describeTrend(f));
        const cycling = seen.filter((f) => f.status === 'cycling');
        assert.ok(cycling.length > 0, [...new Set(seen.map((f) => f.status))].join(', '));
        const { dipPercent, periodSeconds } = cycling.at(-1)!.cycle!;
        assert.ok(dipPercent > 15 && dipPercent < 40, `dips to ${dipPercent} %`);
        assert.ok(periodSeconds > 2 && periodSeconds < 10, `every ${periodSeconds} s`);
      } finally {
        controller.abort();
        await running;
        await runtime.close();
      }
    });
  },
);
