// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { promisify } from 'node:util';
import {
  discoverMounts,
  kernelDrives,
  lookupMount,
  systeminformationDrives,
} from '../../core/mount-table.js';
import { Sampler } from '../../core/sampler.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const run = promisify(execFile);

describe('sampler on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  before(async () => {
    disk = await Tmpfs.mount(20);
  });
  after(() => disk.dispose());

  it('reports the same figures as df', async () => {
    await disk.setFreePercent(37);
    const info = await lookupMount(disk.dir);
    assert.ok(info);
    const reading = await new Sampler(5000).read(info);
    assert.ok(reading.ok, 'reachable');
    const { stdout } = await run('df', ['-P', '-B1', disk.dir]);
    const [, size, used, available] = stdout.trim().split('\n')[1]!.split(/\s+/).map(Number);
    assert.deepEqual(
      { size: reading.sample.size, used: reading.sample.used, available: reading.sample.available },
      { size, used, available },
    );
    assert.equal(reading.sample.type, 'tmpfs');
    assert.ok(Math.abs(reading.sample.freePercent - 37) < 0.5, `free ${reading.sample.freePercent}`);
  });

  it('calls a mount that was unmounted unreachable, and reads it again once remounted', async () => {
    const sampler = new Sampler(5000);
    const info = (await lookupMount(disk.dir))!;
    assert.ok((await sampler.read(info)).ok);
    await disk.unmount();
    const r = await sampler.read(info);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'not mounted');
    await disk.remount();
    assert.ok((await sampler.read(info)).ok);
  });
});

describe('drive discovery on Linux', { skip: await cannotMount }, () => {
  let image: string;
  const points: string[] = [];
  before(async () => {
    // A real ext4 disk, loop-mounted at a path with a space, and bound again at a shorter path.
    const dir = await mkdtemp(join(tmpdir(), 'headroom-drive-'));
    image = join(dir, 'disk.img');
    await run('truncate', ['-s', '16M', image]);
    await run('mkfs.ext4', ['-q', '-F', image]);
    points.push(join(dir, 'a long name'), join(dir, 'b'));
    for (const p of points) await mkdir(p);
    await run('mount', ['-o', 'loop', image, points[0]!]);
    await run('mount', ['--bind', points[0]!, points[1]!]);
  });
  after(async () => {
    for (const p of [...points].reverse()) await run('umount', [p]).catch(() => {});
    await rm(dirname(image), { recursive: true, force: true });
  });

  it('finds the drives systeminformation finds, from the kernel table, once per device', async () => {
    const tmp = await Tmpfs.mount(1);
    try {
      const mounts = await discoverMounts();
      assert.deepEqual(
        mounts.map(({ mount, fs, type }) => ({ mount, fs, type })),
        (await discoverMounts(systeminformationDrives)).map(({ mount, fs, type }) => ({ mount, fs, type })),
      );
      const disk = mounts.filter((m) => m.type === 'ext4' && m.mount.startsWith(dirname(image)));
      assert.deepEqual(
        disk.map((m) => m.mount),
        [points[1]],
        'the loop disk, at its shorter mount',
      );
      assert.ok(!mounts.some((m) => m.mount === tmp.dir || ['tmpfs', 'proc', 'sysfs'].includes(m.type)));
    } finally {
      await tmp.dispose();
    }
  });

  it('keeps a drive whose statfs does not answer, and never asks it twice', async () => {
    let asked = 0;
    const hung = (path: string) => {
      if (path !== points[1]) return statfs(path);
      asked++;
      return new Promise<never>(() => {});
    };
    for (let i = 0; i < 2; i++) {
      const watched = (await discoverMounts(() => kernelDrives(hung))).map((m) => m.mount);
      assert.ok(watched.includes(points[1]!), 'kept: the sampler then says it is unreachable');
    }
    assert.equal(asked, 1, 'one statfs left waiting, not one a sample');
  });
});

describe('sampler', () => {
  it('leaves tmpfs and kernel filesystems out of discovery but keeps real disks', async () => {
    const mounts = await discoverMounts();
    assert.ok(mounts.every((m) => !['tmpfs', 'proc', 'sysfs', 'devtmpfs'].includes(m.type)));
    assert.ok(mounts.length > 0, 'at least one real disk');
  });

  it('reports a mount whose statfs hangs as unreachable after the timeout, without asking it again', async () => {
    let calls = 0;
    const hung = new Sampler(50, {
      stat,
      statfs: (() => {
        calls++;
        return new Promise(() => {});
      }) as unknown as typeof statfs,
    });
    const info = { mount: '/', fs: 'server:/export', type: 'nfs' };
    const first = await hung.read(info);
    assert.equal(first.ok, false);
    assert.match(!first.ok ? first.reason : '', /did not answer within 50 ms/);
    const second = await hung.read(info);
    assert.match(!second.ok ? second.reason : '', /still not answering/);
    assert.equal(calls, 1);
  });

  it('keeps sampling other mounts while one hangs', async () => {
    const sampler = new Sampler(200, {
      stat,
      statfs: ((path: string, opts: never) =>
        path === '/proc' ? new Promise(() => {}) : statfs(path, opts)) as unknown as typeof statfs,
    });
    const [stuck, root] = await Promise.all([
      sampler.read({ mount: '/proc', fs: 'proc', type: 'proc' }),
      sampler.read({ mount: '/', fs: 'root', type: 'any' }),
    ]);
    assert.equal(stuck.ok, false);
    assert.equal(root.ok, true);
  });
});
