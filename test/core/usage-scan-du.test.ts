import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { link, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { assertReadBy, builtScanner, bytes, du, flatten, MiB, READERS } from '../helpers/usage-scan.js';

const run = promisify(execFile);
const skip = await cannotMount;
if (skip) console.log(`# usage scanner tests on a real tmpfs skipped: ${skip}`);
const { scanUsage } = await builtScanner();

/**
 * The scanner's sizes against du -x on one tree, read by each kind of reader. (Odd and unreadable
 * paths: usage-scan-odd-paths.test.ts; scans that cannot finish: usage-scan-stops.test.ts.)
 */
describe('the usage scanner on a real tmpfs, against du -x', { skip }, () => {
  let disk: Tmpfs;
  let inner: Tmpfs;
  before(async () => {
    disk = await Tmpfs.mount(64);
    const d = disk.dir;
    await mkdir(join(d, 'videos/2024'), { recursive: true });
    await mkdir(join(d, 'docs/notes/old'), { recursive: true });
    await mkdir(join(d, 'links'), { recursive: true });
    await writeFile(join(d, 'videos/2024/a.mp4'), bytes(3 * MiB + 17));
    await writeFile(join(d, 'videos/b.mp4'), bytes(2 * MiB));
    for (let i = 0; i < 40; i++) await writeFile(join(d, 'docs/notes', `n${i}.txt`), bytes(i * 97));
    await writeFile(join(d, 'docs/notes/old/big.bin'), bytes(MiB));
    // A hard link in the same directory counts once; a sparse file counts its blocks.
    await link(join(d, 'docs/notes/old/big.bin'), join(d, 'docs/notes/old/big-again.bin'));
    await run('truncate', ['-s', '100M', join(d, 'docs/sparse.img')]);
    // Symlinks to a big file and to a directory: counted as links, never followed.
    await symlink(join(d, 'videos/b.mp4'), join(d, 'links/to-file'));
    await symlink(join(d, 'videos'), join(d, 'links/to-dir'));
    await symlink('/usr', join(d, 'links/outside'));
    // Another filesystem mounted below: not entered.
    await mkdir(join(d, 'mnt'));
    inner = await Tmpfs.mount(8);
    await writeFile(join(inner.dir, 'inside.bin'), bytes(4 * MiB));
    await run('mount', ['--move', inner.dir, join(d, 'mnt')]);
  });
  after(async () => {
    await run('umount', [join(disk.dir, 'mnt')]).catch(() => {});
    await inner?.dispose();
    await disk?.dispose();
  });

  for (const [who, readers] of READERS)
    it(`sizes every directory as du -x does: hard links once, symlinks not followed, other mounts left out (${who})`, async () => {
      const report = await scanUsage(disk.dir, { ...readers, depth: 10, top: 100 });
      assertReadBy(readers, report);
      const expected = await du(disk.dir);
      const got = flatten(report.tree);
      assert.equal(report.size, expected.get(''), 'the total is du -sx');
      for (const [path, size] of expected) {
        if (path === 'mnt') continue; // du lists the mount point it does not enter; so do we, as not entered
        assert.equal(got.get(path), size, `${path || '(root)'}: du -x says ${size}`);
      }
      assert.deepEqual(report.otherMounts, [join(disk.dir, 'mnt')]);
      assert.equal(report.unreadableCount, 0);
      assert.equal(report.niced, true, 'the scanning thread runs niced');
    });

  it('reads a root given as a relative path from where it was given, helpers included', async () => {
    const here = process.cwd();
    process.chdir(disk.dir);
    try {
      const [, helpers] = READERS[2];
      const report = await scanUsage('.', { ...helpers, depth: 10, top: 100 });
      assertReadBy(helpers, report);
      assert.equal(report.size, (await du(disk.dir, '-s')).get(''));
      assert.equal(report.unreadableCount, 0, JSON.stringify(report.unreadable));
    } finally {
      process.chdir(here);
    }
  });

  for (const [who, readers] of READERS)
    it(`counts apparent sizes as du --apparent-size does (${who})`, async () => {
      const report = await scanUsage(disk.dir, { ...readers, apparent: true });
      const expected = await du(disk.dir, '--apparent-size', '-s');
      assert.equal(report.size, expected.get(''));
      assert.ok(report.size > 100 * MiB, 'the sparse file counts its length');
    });

  for (const [who, readers] of READERS)
    it(`counts a file hard-linked into two directories once, in one of them (${who})`, async () => {
      await mkdir(join(disk.dir, 'x/one'), { recursive: true });
      await mkdir(join(disk.dir, 'x/two'));
      await writeFile(join(disk.dir, 'x/one/f'), bytes(MiB));
      await link(join(disk.dir, 'x/one/f'), join(disk.dir, 'x/two/f'));
      try {
        const report = await scanUsage(disk.dir, readers);
        assertReadBy(readers, report);
        assert.equal(report.size, (await du(disk.dir, '-s')).get(''));
        const x = report.tree.children!.find((c) => c.name === 'x')!;
        assert.equal(x.size, (await du(join(disk.dir, 'x'), '-s')).get(''));
      } finally {
        await rm(join(disk.dir, 'x'), { recursive: true });
      }
    });
});
