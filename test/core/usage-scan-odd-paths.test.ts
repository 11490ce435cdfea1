import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { walk } from '../../core/usage/walk.js';
import { BIN, runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { assertReadBy, builtScanner, bytes, du, MiB, READERS } from '../helpers/usage-scan.js';

const skip = await cannotMount;
if (skip) console.log(`# usage scanner tests on a real tmpfs skipped: ${skip}`);
const { scanUsage } = await builtScanner();

/** Cases of the reliability row: unreadable, vanished, odd names, too-long paths. */
let faultCases = 0;

describe('the usage scanner on unreadable, vanishing, oddly named and too-long paths', { skip }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(32)));
  after(async () => disk?.dispose());

  for (const [who, readers] of READERS)
    it(`reads names with newlines, control characters and invalid UTF-8, and sizes them (${who})`, async () => {
      const odd = join(disk.dir, 'odd');
      await mkdir(join(odd, 'new\nline'), { recursive: true });
      await writeFile(join(odd, 'new\nline', 'f'), bytes(8192));
      const latin1 = Buffer.concat([Buffer.from(`${odd}/caf`), Buffer.from([0xe9])]);
      await mkdir(latin1);
      await writeFile(Buffer.concat([latin1, Buffer.from('/g\x1b[31m')]), bytes(12288));
      try {
        const report = await scanUsage(disk.dir, { ...readers, depth: 3 });
        assertReadBy(readers, report);
        assert.equal(report.unreadableCount, 0, JSON.stringify(report.unreadable));
        assert.equal(report.vanished, 0);
        assert.equal(report.size, (await du(disk.dir, '-s')).get(''));
        const names = report.tree.children!.find((c) => c.name === 'odd')!.children!.map((c) => c.name);
        // The invalid byte kept (as U+DCE9, see shared/path-bytes.ts), not lost to U+FFFD.
        assert.deepEqual(names.sort(), ['caf\udce9', 'new\nline']);

        const cli = await runCli(['usage', odd, '--depth', '1'], await tempHome());
        assert.equal(cli.code, 0, cli.stderr);
        assert.match(cli.stdout, /new\\nline\//, 'the newline is shown escaped');
        assert.ok(cli.stdout.includes('caf\\udce9/'), 'the byte is shown escaped');
        assert.equal(cli.stdout.trim().split('\n').length, 4, 'one line per directory');
        faultCases++;
      } finally {
        await rm(odd, { recursive: true });
      }
    });

  it('lists a path longer than PATH_MAX as unreadable and goes on', async () => {
    const deep = join(disk.dir, 'deep');
    await mkdir(deep);
    // 20 levels of 250 characters: 5,000 bytes, past the 4,096 a path may have. Made one level at a
    // time relative to the last (a shell's cd keeps the whole path, and gives up at PATH_MAX).
    const make = `const fs = require('fs'); process.chdir(process.argv[1]);
      for (let i = 0; i < 20; i++) { fs.mkdirSync('d'.repeat(250)); process.chdir('d'.repeat(250)); }
      fs.writeFileSync('f', 'x');`;
    execFileSync(process.execPath, ['-e', make, deep]);
    try {
      const report = await scanUsage(disk.dir);
      assert.ok(report.unreadableCount >= 1);
      assert.ok(
        report.unreadable.every((u) => u.code === 'ENAMETOOLONG'),
        JSON.stringify(report.unreadable.map((u) => u.code)),
      );
      assert.ok(report.size <= (await du(disk.dir, '-s')).get('')!, 'never more than du, which reads it all');
      faultCases++;
    } finally {
      execFileSync('rm', ['-rf', deep]); // GNU rm walks relative to each directory: any depth
    }
  });

  it('counts directories deleted while it runs as gone, not as errors', async () => {
    const gone = join(disk.dir, 'gone');
    execFileSync('sh', [
      '-c',
      `mkdir -p "$1" && cd "$1" && for i in $(seq 30); do mkdir d$i; echo x > d$i/f; done`,
      'sh',
      gone,
    ]);
    let removed = false;
    const report = await walk({
      root: gone,
      depth: 1,
      top: 100,
      progressMs: 0,
      // After the first directory is read: every other one goes, before the walk reaches it.
      onProgress: () => {
        if (removed) return;
        removed = true;
        execFileSync('sh', ['-c', 'rm -rf "$1"/d*', 'sh', gone]);
      },
    });
    execFileSync('rm', ['-rf', gone]);
    assert.ok(report.vanished >= 29, `vanished: ${report.vanished}`);
    assert.equal(report.unreadableCount, 0);
    faultCases++;
  });

  it('as a user without permission: counts and lists what it cannot read, totals as du does', async () => {
    // The whole disk, so that the scan is one whose snapshot is saved (the cases above left it empty).
    const d = disk.dir;
    await mkdir(join(d, 'open/sub'), { recursive: true });
    await writeFile(join(d, 'open/sub/f'), bytes(MiB));
    await mkdir(join(d, 'closed/inner'), { recursive: true });
    await writeFile(join(d, 'closed/inner/secret'), bytes(2 * MiB));
    await chmod(join(d, 'closed'), 0o700);
    // Listable but not searchable: the names are seen, their sizes cannot be read.
    await mkdir(join(d, 'nosearch'));
    await writeFile(join(d, 'nosearch/h'), bytes(MiB));
    await chmod(join(d, 'nosearch'), 0o744);
    const home = await tempHome();
    await chown(home, 65534, 65534);
    const nobody = { uid: 65534, gid: 65534 };
    const cli = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'usage', d, '--json'],
        { ...nobody, env: { ...process.env, HEADROOM_HOME: home } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });
    assert.equal(cli.code, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as {
      size: number;
      unreadableCount: number;
      unreadable: { path: string; code: string }[];
      snapshot: { saved: boolean };
    };
    const expected = await new Promise<number>((resolve) =>
      execFile('du', ['-sx', '-B1', d], nobody, (_e, stdout) => resolve(Number(stdout.split('\t')[0]))),
    );
    assert.equal(report.size, expected, 'the same total du -sx gets as that user');
    assert.deepEqual(report.unreadable.map((u) => `${u.path.slice(d.length)} ${u.code}`).sort(), [
      '/closed EACCES',
      '/nosearch/h EACCES',
    ]);
    assert.equal(report.unreadableCount, 2);
    assert.equal(report.snapshot.saved, true, 'a scan with unreadable places is still complete');
    faultCases++;
    assertReported('Usage scan: unreadable, vanished, odd and too-long paths', faultCases);
  });
});
