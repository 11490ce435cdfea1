import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

describe('headroom check on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let home: string;
  before(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
  });
  after(() => disk.dispose());

  const cases = [
    { free: 50, state: 'ok', code: 0 },
    { free: 15, state: 'warning', code: 1 },
    { free: 5, state: 'critical', code: 2 },
  ];
  for (const c of cases) {
    it(`reports ${c.free}% free as ${c.state} with exit code ${c.code}`, async () => {
      await disk.setFreePercent(c.free);
      const r = await runCli(['check', '--json', '--mount', disk.dir], home);
      assert.equal(r.code, c.code, r.stderr);
      const [row] = JSON.parse(r.stdout);
      assert.equal(row.mount, disk.dir);
      assert.equal(row.state, c.state);
      assert.equal(row.type, 'tmpfs');
      assert.equal(row.size, 20 * 1024 * 1024);
      assert.equal(row.used + row.available, row.size);
      assert.ok(Math.abs(row.freePercent - c.free) < 0.5, `freePercent ${row.freePercent}`);
    });
  }

  it('prints a table with the mount, its figures and its state', async () => {
    await disk.setFreePercent(15);
    const r = await runCli(['check', '--mount', disk.dir], home);
    assert.equal(r.code, 1);
    const [header, row] = r.stdout.trim().split('\n');
    assert.match(
      header!,
      /^Mount\s+Filesystem\s+Type\s+Size\s+Used\s+Available\s+Free\s+State\s+Inodes free\s+Full in$/,
    );
    assert.match(
      row!,
      new RegExp(
        // No watcher recorded a trend: the forecast says so rather than guess.
        `^${disk.dir}\\s+tmpfs\\s+tmpfs\\s+20\\.0 MiB\\s+17\\.0 MiB\\s+3\\.00 MiB\\s+15\\.0%\\s+warning\\s+\\d+\\.\\d%\\s+not enough data$`,
      ),
    );
  });

  it('uses the thresholds from settings', async () => {
    await disk.setFreePercent(50);
    const settingsHome = await tempHome();
    const set = await runCli(['settings', 'set', 'warningPercent=60', 'criticalPercent=40'], settingsHome);
    assert.equal(set.code, 0, set.stderr);
    const r = await runCli(['check', '--json', '--mount', disk.dir], settingsHome);
    assert.equal(JSON.parse(r.stdout)[0].state, 'warning');
    assert.equal(r.code, 1);
  });

  it('includes mounts named in settings even though discovery skips tmpfs', async () => {
    const settingsHome = await tempHome();
    await runCli(['settings', 'set', `watchedMounts=${disk.dir}`], settingsHome);
    const r = await runCli(['check', '--json'], settingsHome);
    const mounts = JSON.parse(r.stdout).map((m: { mount: string }) => m.mount);
    assert.ok(mounts.includes(disk.dir), mounts.join(','));
    assert.ok(mounts.includes('/'), 'and the discovered disks');
  });
});

describe('headroom check', () => {
  it('refuses a path that is not a mount point, naming it, with exit code 3', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'not-a-mount-'));
    const r = await runCli(['check', '--mount', dir], await tempHome());
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`${dir} is not a mount point`));
    assert.equal(r.stdout, '');
  });

  it('refuses a path that does not exist', async () => {
    const r = await runCli(['check', '--mount', '/no/such/disk'], await tempHome());
    assert.equal(r.code, 3);
    assert.match(r.stderr, /\/no\/such\/disk does not exist/);
  });

  it('refuses an unknown option in one line with the nearest option, exit code 3', async () => {
    const r = await runCli(['check', '--jsno'], await tempHome());
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      'headroom: unknown option --jsno; did you mean --json? See `headroom help check`.\n',
    );
  });

  it('checks the discovered disks by default and prints valid JSON', async () => {
    const r = await runCli(['check', '--json'], await tempHome());
    assert.ok([0, 1, 2].includes(r.code!), r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.ok(rows.some((m: { mount: string }) => m.mount === '/'));
  });

  it('starts from defaults when settings.json is corrupt, keeping the file aside and saying so', async () => {
    const home = await tempHome();
    await writeFile(join(home, 'settings.json'), 'not json at all');
    const r = await runCli(['check', '--json'], home);
    assert.ok([0, 1, 2].includes(r.code!), r.stderr);
    assert.match(r.stderr, /settings\.json could not be read and was moved to .*settings\.corrupt-/);
    assert.ok((await readdir(home)).some((f) => f.startsWith('settings.corrupt-')));
  });

  it('refuses a settings change that breaks the thresholds rule, naming the field', async () => {
    const home = await tempHome();
    const r = await runCli(['settings', 'set', 'criticalPercent=30'], home);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /criticalPercent: must be below warningPercent/);
    const shown = await runCli(['settings', '--json'], home);
    assert.equal(JSON.parse(shown.stdout).criticalPercent, 10);
  });
});
