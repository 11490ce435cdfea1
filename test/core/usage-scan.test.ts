import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, link, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { scanMount } from '../../core/usage/mount-usage.js';
import { ScanFailed, scanUsage } from '../../core/usage/scanner.js';
import { walk } from '../../core/usage/walk.js';
import { formatBytes } from '../../shared/format.js';
import type { UsageDir } from '../../shared/usage.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const run = promisify(execFile);
const skip = await cannotMount;
if (skip) console.log(`# usage scanner tests on a real tmpfs skipped: ${skip}`);

/** `du -x -B1` of `dir`: every directory's bytes (the root's as ''), as du itself reports them. */
async function du(dir: string, ...args: string[]): Promise<Map<string, number>> {
  const { stdout } = await run('du', ['-x', '-B1', ...args, dir]).catch((e: { stdout: string }) => e);
  const sizes = new Map<string, number>();
  for (const line of stdout.trim().split('\n')) {
    const [bytes, path] = line.split('\t') as [string, string];
    sizes.set(path === dir ? '' : path.slice(dir.length + 1), Number(bytes));
  }
  return sizes;
}

/** Every directory in a scan's tree by its path relative to the root. */
function flatten(tree: UsageDir): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (d: UsageDir, path: string) => {
    out.set(path, d.size);
    for (const c of d.children ?? []) visit(c, path === '' ? c.name : `${path}/${c.name}`);
  };
  visit(tree, '');
  return out;
}

const MiB = 1024 * 1024;
/**
 * Who reads the directories: the scanning thread alone (what a small scan does), or helper
 * processes from the first directory on (what a scan that lasts does). Each comparison with du runs
 * with both.
 */
const READERS = [
  ['a worker thread alone, as in the desktop app', { in: 'thread', helpers: 0 }],
  ['the scanning process alone', { in: 'process', helpers: 0 }],
  ['helper processes', { in: 'process', helpers: 2, helpersOnly: true }],
] as const;
/** A scan the helpers answered reports their peak memory: proof that they read. */
const assertReadBy = (who: (typeof READERS)[number][1], report: { helpersPeakRss: number }) =>
  assert.equal(report.helpersPeakRss > 0, who.helpers > 0, 'read by the helpers when there are some');
/** Cases of the reliability row: unreadable, vanished, odd names, too-long paths. */
let faultCases = 0;
/** Cases of the reliability row on helper processes that die or are cancelled. */
let helperCases = 0;
const bytes = (n: number) => Buffer.alloc(n, 'x');

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
});

describe('the usage scanner: faults', { skip }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(32)));
  after(async () => disk?.dispose());

  it('as a user without permission: counts and lists what it cannot read, totals as du does', async () => {
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
        [new URL('../../bin/headroom.js', import.meta.url).pathname, 'usage', d, '--json'],
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

  it('refuses a path that is not a directory or does not exist, in one line, exit 2', async () => {
    await writeFile(join(disk.dir, 'file'), 'x');
    const home = await tempHome();
    const file = await runCli(['usage', join(disk.dir, 'file')], home);
    assert.equal(file.code, 2);
    assert.equal(
      file.stderr.trim(),
      `headroom: ${join(disk.dir, 'file')} is not a directory. See \`headroom help usage\`.`,
    );
    const missing = await runCli(['usage', join(disk.dir, 'nope')], home);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    await assert.rejects(scanUsage(join(disk.dir, 'file')), (e: ScanFailed) => e.code === 'ENOTDIR');
  });

  it('is cancelled by its signal, and a cancelled scan saves no snapshot', async () => {
    const home = await tempHome();
    execFileSync('sh', ['-c', `cd "$1" && for i in $(seq 200); do mkdir -p c/$i; done`, 'sh', disk.dir]);
    const controller = new AbortController();
    let reports = 0;
    await assert.rejects(
      scanMount(home, disk.dir, {
        signal: controller.signal,
        progressMs: 0,
        onProgress: () => {
          reports++;
          controller.abort();
        },
      }),
      (e: ScanFailed) => e.code === 'ABORTED',
    );
    assert.ok(reports >= 1, 'progress was reported');
    assert.deepEqual(
      (await readdir(home)).filter((f) => f.startsWith('usage-')),
      [],
    );
  });

  /** Children of `parent` whose command line names `script`. */
  const children = (parent: number, script: string) => {
    try {
      return execFileSync('pgrep', ['-P', String(parent), '-f', script], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
    } catch {
      return []; // pgrep exits 1 when there is none
    }
  };
  /** This test's scanning processes, and their helpers. */
  const scannerPids = () => children(process.pid, 'scan-worker');
  const helperPids = () => scannerPids().flatMap((scanner) => children(scanner, 'scan-helper'));
  /** Waits until the scan's two helpers exist, and stops them (SIGSTOP): the scan can go no further. */
  const heldHelpers = async () => {
    let found = helperPids();
    while (found.length < 2) {
      await new Promise((r) => setImmediate(r));
      found = helperPids();
    }
    for (const pid of found) process.kill(pid, 'SIGSTOP');
    return found;
  };
  /** Alive, not a zombie waiting for a parent that forgot it. */
  const running = (pid: number) => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };

  it('loses nothing when its helper processes die mid-scan: the scanning process reads what they held', async () => {
    const tree = join(disk.dir, 'helped');
    execFileSync('sh', [
      '-c',
      `mkdir -p "$1" && cd "$1" && for i in $(seq 300); do mkdir -p d$i/e && echo $i > d$i/f && echo x > d$i/e/g; done`,
      'sh',
      tree,
    ]);
    try {
      const scan = scanUsage(tree, { helpers: 2, helpersOnly: true });
      // Forked together as the scan starts, and booting for a while before they can read: found
      // and stopped (SIGSTOP) before they could finish, while the scanner waits on them; then killed.
      const killed = await heldHelpers();
      for (const pid of killed) process.kill(pid, 'SIGKILL');
      const report = await scan;
      assert.equal(killed.length, 2, 'both helpers were found and killed');
      assert.equal(report.size, (await du(tree, '-s')).get(''), 'the same total as du');
      assert.equal(report.dirs, 601);
      assert.equal(report.files, 600);
      assert.equal(report.unreadableCount, 0);
      assert.deepEqual(killed.filter(running), [], 'the killed helpers were waited for, not left as zombies');
      helperCases++;
    } finally {
      await rm(tree, { recursive: true });
    }
  });

  it('stops its helper processes when cancelled, and leaves none behind', async () => {
    const tree = join(disk.dir, 'cancelled');
    execFileSync('sh', [
      '-c',
      `mkdir -p "$1" && cd "$1" && for i in $(seq 300); do mkdir -p d$i && echo $i > d$i/f; done`,
      'sh',
      tree,
    ]);
    const controller = new AbortController();
    try {
      const scan = scanUsage(tree, { helpers: 2, helpersOnly: true, signal: controller.signal });
      const helpers = await heldHelpers();
      const scanners = scannerPids();
      controller.abort();
      for (const pid of helpers) process.kill(pid, 'SIGCONT');
      await assert.rejects(scan, (e: ScanFailed) => e.code === 'ABORTED');
      assert.equal(helpers.length, 2, 'the scan had started its helpers');
      // The scanning process stops them after the promise has rejected, then ends: wait until it has.
      while ([...helpers, ...scanners].some(running)) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(helperPids(), [], 'not even as zombies');
      helperCases++;
      assertReported('Usage scan: helper processes killed or cancelled', helperCases);
    } finally {
      await rm(tree, { recursive: true });
    }
  });

  it('saves no snapshot when the mount goes away during the scan', async () => {
    const home = await tempHome();
    const gone = await Tmpfs.mount(4);
    try {
      execFileSync('sh', ['-c', `cd "$1" && for i in $(seq 20); do mkdir d$i; done`, 'sh', gone.dir]);
      let unmounted = false;
      const result = await scanMount(home, gone.dir, {
        progressMs: 0,
        onProgress: () => {
          if (unmounted) return;
          unmounted = true;
          execFileSync('umount', ['-l', gone.dir]);
        },
      });
      assert.equal(result.saved, false);
      assert.match(result.notSaved ?? '', /went away/);
      assert.deepEqual(
        (await readdir(home)).filter((f) => f.startsWith('usage-')),
        [],
      );
    } finally {
      await gone.dispose();
    }
  });
});

describe('headroom usage --growth on a real tmpfs', { skip }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(64)));
  after(async () => disk?.dispose());

  it('names the directory that grew, by as much as du says it grew, since the previous scan', async () => {
    const home = await tempHome();
    const d = disk.dir;
    await mkdir(join(d, 'home/ann/Downloads'), { recursive: true });
    await mkdir(join(d, 'home/ann/Music'), { recursive: true });
    await mkdir(join(d, 'var/log'), { recursive: true });
    await writeFile(join(d, 'home/ann/Music/a.flac'), bytes(6 * MiB));
    await writeFile(join(d, 'var/log/syslog'), bytes(MiB));
    const first = await runCli(['usage', d, '--growth'], home);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /No earlier snapshot of .*: this one is the first/);
    const [snapshot] = (await readdir(home)).filter((f) => f.startsWith('usage-'));
    assert.ok(snapshot, 'a whole mount scanned: its snapshot saved');

    const before = (await du(join(d, 'home/ann/Downloads'), '-s')).get('')!;
    await writeFile(join(d, 'home/ann/Downloads/big.iso'), bytes(12 * MiB));
    await writeFile(join(d, 'var/log/syslog'), bytes(MiB + 300 * 1024));
    const grew = (await du(join(d, 'home/ann/Downloads'), '-s')).get('')! - before;

    const second = await runCli(['usage', d, '--growth', '--json'], home);
    assert.equal(second.code, 0, second.stderr);
    const json = JSON.parse(second.stdout) as {
      size: number;
      growth: { total: number; growers: { path: string; grew: number }[] };
    };
    assert.equal(json.size, (await du(d, '-s')).get(''), 'size: the total in bytes, at the top level');
    assert.equal(json.growth.growers[0]?.path, 'home/ann/Downloads');
    assert.equal(json.growth.growers[0]?.grew, grew);
    assert.ok(json.growth.total >= grew);

    const text = await runCli(['usage', d, '--growth', '--depth', '1'], home);
    assert.match(
      text.stdout,
      /Since \d{4}-\d\d-\d\d \d\d:\d\d \S+: \+0 B in total\. Nothing grew by enough to name\./,
    );
    const stat = await import('node:fs/promises').then((fs) => fs.stat(join(home, snapshot)));
    assert.equal(stat.mode & 0o777, 0o600, 'the snapshot is 0600');
    assert.ok(stat.size < 1024 * 1024);
  });

  it('refuses --growth on a directory that is not a mount', async () => {
    await mkdir(join(disk.dir, 'sub'), { recursive: true });
    const r = await runCli(['usage', join(disk.dir, 'sub'), '--growth'], await tempHome());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--growth compares snapshots of a whole mount, and .* is not a mount point/);
  });
});

describe('headroom usage: the Trash on the disk (freedesktop layout)', { skip }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(32)));
  after(async () => disk?.dispose());
  const uid = process.getuid!();

  it('adds up the home trash and $topdir/.Trash-$uid on that filesystem, skips a .Trash without the sticky bit', async () => {
    const d = disk.dir;
    // The home trash on this disk ($XDG_DATA_HOME/Trash), with its info record.
    const dataHome = join(d, 'home/ann/.local/share');
    await mkdir(join(dataHome, 'Trash/files/photos'), { recursive: true });
    await mkdir(join(dataHome, 'Trash/info'), { recursive: true });
    await writeFile(join(dataHome, 'Trash/files/photos/a.jpg'), bytes(2 * MiB));
    await writeFile(join(dataHome, 'Trash/info/photos.trashinfo'), '[Trash Info]\nPath=/x\n');
    // A removable disk's trash at its top directory.
    await mkdir(join(d, `.Trash-${uid}/files`), { recursive: true });
    await writeFile(join(d, `.Trash-${uid}/files/old.iso`), bytes(3 * MiB));
    // An admin .Trash without the sticky bit: the spec says not to trust what is in it.
    await mkdir(join(d, `.Trash/${uid}/files`), { recursive: true });
    await chmod(join(d, '.Trash'), 0o777);
    await writeFile(join(d, `.Trash/${uid}/files/planted.bin`), bytes(5 * MiB));
    await mkdir(join(d, 'work/sub'), { recursive: true });
    const env = { XDG_DATA_HOME: dataHome };
    const expected =
      (await du(join(dataHome, 'Trash'), '-s')).get('')! +
      (await du(join(d, `.Trash-${uid}`), '-s')).get('')!;
    const folders = [join(dataHome, 'Trash/files'), join(d, `.Trash-${uid}/files`)];

    const json = await runCli(['usage', d, '--json'], await tempHome(), env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as { trash: unknown }).trash, { size: expected, folders });
    assert.ok(expected >= 5 * MiB && expected < 10 * MiB, 'the .Trash without the sticky bit left out');

    // Any directory of the disk: the same disk, so the same Trash; said in one line.
    const text = await runCli(['usage', join(d, 'work')], await tempHome(), env);
    assert.equal(text.code, 0, text.stderr);
    const line = text.stdout.split('\n').filter((l) => l.startsWith('Trash: '));
    assert.deepEqual(line, [`Trash: ${formatBytes(expected)} in ${folders.join(', ')}`]);

    // With the sticky bit, the admin's .Trash/$uid counts too.
    await chmod(join(d, '.Trash'), 0o1777);
    const sticky = await runCli(['usage', d, '--json'], await tempHome(), env);
    const trash = (JSON.parse(sticky.stdout) as { trash: { size: number; folders: string[] } }).trash;
    assert.equal(trash.size, expected + (await du(join(d, `.Trash/${uid}`), '-s')).get('')!);
    assert.deepEqual(trash.folders, [folders[0], join(d, `.Trash/${uid}/files`), folders[1]]);

    // A home trash on another disk is not this disk's: no Trash line, `trash: null`.
    await rm(join(d, '.Trash'), { recursive: true });
    await rm(join(d, `.Trash-${uid}`), { recursive: true });
    const none = await runCli(['usage', d, '--json'], await tempHome(), { XDG_DATA_HOME: '/nonexistent' });
    assert.equal((JSON.parse(none.stdout) as { trash: unknown }).trash, null);
    assert.ok(existsSync(join(dataHome, 'Trash/files/photos/a.jpg')), 'Headroom deleted nothing');
  });
});
