import assert from 'node:assert/strict';
import { statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { addPoint, type Point } from '../../shared/forecast.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { LOGROTATE } from '../helpers/fill-traces.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

describe('headroom check on a disk a watcher saw cycling', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let home: string;
  before(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
  });
  after(() => disk.dispose());

  it('names the cycle, with its dip and period, and gives no time to full', { timeout: 30_000 }, async () => {
    // What a watcher saved: a log rotated every 21 s, read four times a second, the last rotation
    // 5 s ago; the disk is where the trace left it (40 % free).
    await disk.setFreePercent(40);
    const fs = await statfs(disk.dir);
    const usable = (fs.blocks - fs.bfree + fs.bavail) * fs.bsize;
    const cut = 10 + 8 * LOGROTATE.periodSeconds + 5;
    const now = Date.now();
    let points: Point[] = [];
    for (let ms = 0; ms <= cut * 1000; ms += 250) {
      const available = Math.round((usable * LOGROTATE.freeAt(ms / 1000)) / 100 / 4096) * 4096;
      points = addPoint(points, { at: now - cut * 1000 + ms, available, usable });
    }
    await writeFile(join(home, 'samples.json'), JSON.stringify({ mounts: { [disk.dir]: points } }));

    const json = await runCli(['check', '--json', '--mount', disk.dir], home);
    const [row] = JSON.parse(json.stdout);
    assert.equal(row.trend, 'cycling', json.stdout);
    assert.deepEqual(row.cycle, { dipPercent: 10.2, periodSeconds: 21 });
    assert.deepEqual([row.secondsToWarning, row.secondsToCritical, row.secondsToFull], [null, null, null]);
    const table = await runCli(['check', '--mount', disk.dir], home);
    assert.match(table.stdout.trim().split('\n')[1]!, /\scycling: dips to about 10\.2% every 21 s\s+—$/);
  });
});
