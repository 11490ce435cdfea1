import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { UsageOnAlert } from '../../core/usage/usage-on-alert.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import type { UsageNote } from '../../shared/usage-note.js';
import { formatTime } from '../../shared/format.js';
import { tempHome } from '../helpers/cli.js';
import { transitionOf } from '../helpers/delivery.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

describe('the automatic usage scan', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  before(async () => {
    disk = await Tmpfs.mount(16);
    await mkdir(join(disk.dir, 'logs'));
    await writeFile(join(disk.dir, 'logs', 'app.log'), Buffer.alloc(2 * 1024 * 1024, 1));
  });
  after(async () => disk?.dispose());

  /** A scanner on the tmpfs with the given settings; notes land in `notes`. */
  const setup = async (settings: Partial<Settings> = {}) => {
    const notes: UsageNote[] = [];
    let now = Date.now();
    const usage = new UsageOnAlert({
      dir: await tempHome(),
      settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
      now: () => now,
      onNote: (_mount, note) => notes.push(note),
      onError: (_mount, error) => assert.fail(String(error)),
    });
    const cross = (to: 'warning' | 'critical' | 'ok', kind: 'space' | 'inodes' = 'space') =>
      usage.onTransition({ ...transitionOf(to, 'ok', disk.dir)[0], kind });
    return { usage, notes, cross, later: (ms: number) => (now += ms) };
  };

  it('scans a disk entering warning once per period, and tells the same note again within it', async () => {
    const { usage, notes, cross, later } = await setup({ usageScanMinutes: 60 });
    cross('warning');
    assert.equal(usage.scanning(disk.dir), true, 'started at once, off the caller');
    await usage.idle();
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.lines[0]!, /^Using most space on /, 'no earlier snapshot: where the space is');

    cross('critical');
    assert.equal(usage.scanning(disk.dir), false, 'no second scan within the minute');
    await usage.idle();
    assert.deepEqual(notes[1]!.growers, notes[0]!.growers, 'the note told again…');
    assert.match(
      notes[1]!.lines[0]!,
      /^Using most space on \S+ \(as of \d{4}-\d\d-\d\d \d\d:\d\d \S+, just now\): /,
      '…saying when',
    );

    later(61 * 60_000);
    await writeFile(join(disk.dir, 'logs', 'more.log'), Buffer.alloc(1024 * 1024, 1));
    cross('critical');
    await usage.idle();
    assert.deepEqual(notes[2]!.growers, [
      { path: join(disk.dir, 'logs'), size: 3 * 1024 * 1024, grew: 1024 * 1024 },
    ]);
    await usage.stop();
  });

  it('does not scan for an all-clear, an inode alert, or when switched off', async () => {
    const on = await setup();
    on.cross('ok');
    on.cross('warning', 'inodes');
    assert.equal(on.usage.scanning(disk.dir), false);
    const off = await setup({ usageScanMinutes: null });
    off.cross('warning');
    assert.equal(off.usage.scanning(disk.dir), false);
  });

  it('cancels a scan in progress when stopped, and tells nothing of it', async () => {
    const { usage, notes, cross } = await setup();
    cross('warning');
    await usage.stop();
    assert.equal(usage.scanning(disk.dir), false);
    assert.deepEqual(notes, []);
  });
});

describe('what grew, told at a later alert', { skip: await cannotMount }, () => {
  const MiB = 1024 * 1024;
  /**
   * A fresh tmpfs and scanner; `later` moves the scanner's clock on. A small disk's scan counts as
   * small however busy the machine is (the product's bound is 2 s).
   */
  const setup = async (options: { smallScanEntries?: number } = {}) => {
    const disk = await Tmpfs.mount(16);
    const notes: UsageNote[] = [];
    let now = Date.now();
    const usage = new UsageOnAlert({
      dir: await tempHome(),
      settings: () => ({ ...DEFAULT_SETTINGS, usageScanMinutes: 60 }),
      now: () => now,
      onNote: (_mount, note) => notes.push(note),
      onError: (_mount, error) => assert.fail(String(error)),
      smallScanMs: 60_000,
      ...options,
    });
    /** An alert, and the note it brings once its scan (or the note told again) is through. */
    const alert = async (to: 'warning' | 'critical') => {
      const before = notes.length;
      usage.onTransition(transitionOf(to, 'ok', disk.dir)[0]!);
      await usage.idle();
      return notes.length > before ? notes.at(-1)! : null;
    };
    const write = async (dir: string, mib: number) => {
      await mkdir(join(disk.dir, dir), { recursive: true });
      await writeFile(join(disk.dir, dir, `${now}.bin`), Buffer.alloc(mib * MiB, 1));
    };
    const dispose = async () => {
      await usage.stop();
      await disk.dispose();
    };
    const clock = (at: number) => formatTime(at, { seconds: false });
    return { disk, usage, alert, write, clock, later: (ms: number) => (now += ms), dispose };
  };

  it(
    'scans a small disk again: names cache/ growing now, not logs/ deleted since',
    { timeout: 30_000 },
    async () => {
      const { disk, alert, write, clock, later, dispose } = await setup();
      try {
        assert.equal(await alert('warning'), null, 'an empty disk: a first snapshot, nothing to name');
        later(2 * 60_000);
        await write('logs', 3);
        const first = await alert('critical');
        assert.match(
          first!.lines[0]!,
          /^Grew most since \d{4}-\d\d-\d\d \d\d:\d\d \S+: \S+\/logs \+3\.00 MiB$/,
        );

        // The disk as a whole shrank by 1 MiB: what grew is named all the same.
        await rm(join(disk.dir, 'logs'), { recursive: true });
        await write('cache', 2);
        later(3 * 60_000);
        const second = await alert('warning');
        assert.deepEqual(second!.lines, [`Grew most since ${clock(first!.at)}: ${disk.dir}/cache +2.00 MiB`]);
        assert.equal(second!.since, first!.at, 'compared with the scan before');
        assert.ok(second!.at > first!.at, 'from a scan made for this alert');
      } finally {
        await dispose();
      }
    },
  );

  it(
    'on a big disk tells the last scan again with its age, never naming a folder gone since',
    { timeout: 30_000 },
    async () => {
      // Every scan counts as big: the rate limit holds for the hour.
      const { disk, usage, alert, write, clock, later, dispose } = await setup({ smallScanEntries: 0 });
      try {
        await alert('warning');
        later(61 * 60_000);
        await write('logs', 3);
        await write('data', 1);
        const first = await alert('critical');
        assert.equal(first!.lines.length, 2, first!.lines.join('\n'));

        await rm(join(disk.dir, 'logs'), { recursive: true });
        await write('cache', 2);
        later(20 * 60_000);
        const second = await alert('warning');
        assert.equal(usage.scanning(disk.dir), false, 'no new scan within the hour');
        const asOf = `as of ${clock(first!.at)}, 20 min ago`;
        assert.deepEqual(second!.lines, [
          `Grew most since ${clock(first!.since!)} (${asOf}): ${disk.dir}/data +1.00 MiB`,
        ]);
        assert.doesNotMatch(JSON.stringify(second), /logs/, 'the deleted folder is not named');

        await rm(join(disk.dir, 'data'), { recursive: true });
        later(60_000);
        assert.equal(await alert('critical'), null, 'every folder it named is gone: nothing to tell');
      } finally {
        await dispose();
      }
    },
  );
});
