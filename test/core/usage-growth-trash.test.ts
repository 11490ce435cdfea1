import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { formatBytes } from '../../shared/format.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { bytes, du, MiB } from '../helpers/usage-scan.js';

const skip = await cannotMount;
if (skip) console.log(`# usage scanner tests on a real tmpfs skipped: ${skip}`);

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
