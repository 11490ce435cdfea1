import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

// The habits people bring from df, du and other CLIs: a path inside a disk names that disk, the
// common flags have short forms, a change says what it saved and no more, counts read as English.
describe('CLI habits, on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let home: string;
  let inside: string;
  before(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
    inside = join(disk.dir, 'projects', 'site');
    await mkdir(inside, { recursive: true });
    await writeFile(join(inside, 'index.html'), 'x'.repeat(5000));
    await disk.setFreePercent(15);
  });
  after(() => disk.dispose());

  it('`check PATH` checks the disk PATH is on, as df does, and says which', async () => {
    const r = await runCli(['check', inside], home);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      `headroom: ${inside} is not a mount point: using ${disk.dir}, the disk it is on.\n`,
    );
    const rows = r.stdout.trim().split('\n');
    assert.equal(rows.length, 2, r.stdout);
    assert.match(rows[1]!, new RegExp(`^${disk.dir}\\s+tmpfs\\s+tmpfs\\s.*\\swarning\\s`));
  });

  it('`--mount FILE` means its disk too, and a path that does not exist is refused by name', async () => {
    const file = await runCli(['check', '-j', '-m', join(inside, 'index.html')], home);
    assert.equal(file.code, 1, file.stderr);
    assert.deepEqual(
      JSON.parse(file.stdout).map((row: { mount: string }) => row.mount),
      [disk.dir],
    );
    const missing = await runCli(['check', join(disk.dir, 'nowhere')], home);
    assert.equal(missing.code, 3);
    assert.match(
      missing.stderr,
      new RegExp(`--mount ${disk.dir}/nowhere: ${disk.dir}/nowhere does not exist`),
    );
  });

  it('the table puts the trend in its own column and leaves "Full in" to times', async () => {
    const r = await runCli(['check', '--mount', disk.dir], home);
    const [header, row] = r.stdout.trim().split('\n');
    assert.match(header!, /\sTrend\s+Full in$/);
    // No watcher recorded readings: the trend says so, and no time is made up.
    assert.match(row!, /\snot enough data\s+—$/);
  });

  it('short options: -j for --json, -m for --mount, -n for --limit, shown in the help', async () => {
    const history = await runCli(['history', '-j', '-n', '1'], home);
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(JSON.parse(history.stdout), []);
    const help = await runCli(['help', 'check'], home);
    assert.match(help.stdout, /^ {2}-j, --json {2,}the same as --format json$/m);
    assert.match(help.stdout, /^ {2}-m, --mount PATH {2,}check only the disk PATH is on/m);
    const wrong = await runCli(['check', '-x'], home);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /^headroom: unknown option -x/);
  });

  it('`settings set` says what it saved on stderr and prints nothing else', async () => {
    const r = await runCli(['settings', 'set', 'warningPercent=25'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'headroom: saved: warningPercent=25\n');
    const asked = await runCli(['settings', 'set', 'warningPercent=20', '-j'], home);
    assert.equal(JSON.parse(asked.stdout).warningPercent, 20);
  });

  it('`usage` counts "1 file", never "1 files"', async () => {
    const r = await runCli(['usage', inside], home);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${inside}: .* in 1 file and 1 directory, scanned in`));
  });
});
