import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { link, mkdir, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { UsageDir } from '../../shared/usage.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { builtScanner } from '../helpers/usage-scan.js';

const run = promisify(execFile);
const { scanUsage } = await builtScanner();
const KiB = 1024;
const MiB = 1024 * KiB;

/** `du -s -B1` of one path: what it holds, read by du itself. */
async function du(path: string): Promise<number> {
  const { stdout } = await run('du', ['-s', '-B1', path]);
  return Number(stdout.split('\t')[0]);
}

/** What the filesystem says it holds: on a tmpfs, exactly the pages of its files. */
async function used(dir: string): Promise<number> {
  const s = await statfs(dir);
  return (s.blocks - s.bfree) * s.bsize;
}

const names = (tree: { children?: UsageDir[] }) => (tree.children ?? []).map((c) => c.name);
const sizeOf = (tree: { children?: UsageDir[] }, name: string) =>
  tree.children?.find((c) => c.name === name)?.size;

/**
 * A folder bind-mounted elsewhere on its own filesystem has the same device, so a device check
 * alone enters it: its bytes counted twice, and a hard link seen first through the bind path
 * credited there. Every reader (the thread, the scanning process, its helpers) must leave it out.
 */
describe('usage beside a bind mount of the same filesystem', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  const mounted: string[] = [];
  before(async () => {
    disk = await Tmpfs.mount(24);
    const d = disk.dir;
    await mkdir(join(d, 'real'));
    await mkdir(join(d, 'other'));
    await writeFile(join(d, 'real/data'), Buffer.alloc(3 * MiB, 1));
    await writeFile(join(d, 'real/linked'), Buffer.alloc(MiB, 2));
    await link(join(d, 'real/linked'), join(d, 'real/linked-again'));
    await writeFile(join(d, 'other/x'), Buffer.alloc(MiB, 3));
    // Named "a-…" so that a reader taking entries in name order meets the bind path first.
    await mkdir(join(d, 'a-bind'));
    await run('mount', ['--bind', join(d, 'real'), join(d, 'a-bind')]);
    mounted.push(join(d, 'a-bind'));
    // A file bind-mounted over another of the same filesystem.
    await writeFile(join(d, 'a-file'), '');
    await run('mount', ['--bind', join(d, 'other/x'), join(d, 'a-file')]);
    mounted.push(join(d, 'a-file'));
  });
  after(async () => {
    // Innermost first; a failed test still unmounts everything.
    for (const m of mounted.reverse()) await run('umount', [m]).catch(() => run('umount', ['-l', m]));
    await disk?.dispose();
  });

  it(
    'counts what the disk holds once, and the real folder keeps its bytes',
    { timeout: 60_000 },
    async () => {
      const home = await tempHome();
      const r = await runCli(['usage', disk.dir, '--json'], home);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.size, await used(disk.dir), 'the total is what statfs says the tmpfs holds');
      assert.equal(report.size, 5 * MiB);
      assert.deepEqual(names(report).sort(), ['other', 'real']);
      assert.equal(sizeOf(report, 'real'), await du(join(disk.dir, 'real')));
      assert.equal(sizeOf(report, 'real'), 4 * MiB, 'the hard-linked file counts in the real folder');
      assert.equal(sizeOf(report, 'other'), MiB);
      assert.deepEqual(report.otherMounts.sort(), [join(disk.dir, 'a-bind'), join(disk.dir, 'a-file')]);
    },
  );

  it('says what grew once, under the real folder', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    const first = await runCli(['usage', disk.dir, '--growth', '--json'], home);
    assert.equal(first.code, 0, first.stderr);
    await writeFile(join(disk.dir, 'real/new'), Buffer.alloc(2 * MiB, 4));
    try {
      const second = await runCli(['usage', disk.dir, '--growth', '--json'], home);
      assert.equal(second.code, 0, second.stderr);
      const { growth, size } = JSON.parse(second.stdout);
      assert.equal(size, await used(disk.dir));
      assert.equal(growth.total, 2 * MiB, 'grown by what was written, not twice that');
      const paths = growth.growers.map((g: { path: string }) => g.path);
      assert.ok(
        paths.some((p: string) => p === 'real' || p.startsWith('real/')),
        JSON.stringify(paths),
      );
      assert.ok(!paths.some((p: string) => p.startsWith('a-bind')), JSON.stringify(paths));
    } finally {
      await run('rm', [join(disk.dir, 'real/new')]);
    }
  });

  for (const [who, readers] of [
    ['a worker thread', { in: 'thread', helpers: 0 }],
    ['the scanning process', { in: 'process', helpers: 0 }],
    ['helper processes', { in: 'process', helpers: 2, helpersOnly: true }],
  ] as const)
    it(`leaves the bind mounts out when read by ${who}`, { timeout: 60_000 }, async () => {
      const report = await scanUsage(disk.dir, { ...readers, depth: 4, top: 50 });
      assert.equal(report.size, 5 * MiB);
      assert.deepEqual(names(report.tree).sort(), ['other', 'real']);
      assert.equal(sizeOf(report.tree, 'real'), 4 * MiB);
      assert.equal(report.helpersPeakRss > 0, readers.helpers > 0, 'read by the helpers when there are some');
    });
});
