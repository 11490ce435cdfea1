import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UsageOnAlert } from '../../core/usage/usage-on-alert.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import type { UsageNote } from '../../shared/usage.js';
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
    assert.equal(usage.scanning(disk.dir), false, 'no second scan within the hour');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(notes[1], notes[0], 'the note told again');

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
