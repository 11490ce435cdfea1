import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { nagiosOutput } from '../../cli/nagios.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';

const execFileP = promisify(execFile);

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
      /^Mount\s+Filesystem\s+Type\s+Size\s+Used\s+Available\s+Free\s+State\s+Inodes free\s+Trend\s+Full in$/,
    );
    assert.match(
      row!,
      new RegExp(
        // No watcher recorded a trend: the forecast says so rather than guess.
        `^${disk.dir}\\s+tmpfs\\s+tmpfs\\s+20\\.0 MiB\\s+17\\.0 MiB\\s+3\\.00 MiB\\s+15\\.0%\\s+warning\\s+\\d+\\.\\d%\\s+not enough data\\s+—$`,
      ),
    );
  });

  it('shows 19.98 % free in warning as below 20 % in the table and for Nagios, never "20.0%"', async () => {
    await disk.setFreePercent(19.99);
    const free = await disk.freePercent();
    assert.ok(free > 19.95 && free < 20, `the disk is at ${free}% free, where one decimal would read 20.0`);
    const table = await runCli(['check', '--mount', disk.dir], home);
    assert.equal(table.code, 1, table.stderr);
    assert.match(table.stdout.trim().split('\n')[1]!, /\s19\.9\d%\s+warning\s/);
    const nagios = await runCli(['check', '--format', 'nagios', '--mount', disk.dir], home);
    assert.match(nagios.stdout, /^DISK WARNING - free space: \S+ [\d.]+ MiB \(19\.9\d% inode=\d+%\);/);
    assert.doesNotMatch(table.stdout + nagios.stdout, /20\.0%/);
  });

  it('and `history` lists the warning a watcher recorded at 19.98 % free as below 20 % too', async () => {
    const own = await tempHome();
    await disk.setFreePercent(50);
    // An integration whose receiver is not there: the delivery fails, its record is what is listed.
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', 'http://127.0.0.1:1/'],
      own,
    );
    assert.equal(added.code, 0, added.stderr);
    const watch = new CliProcess(['watch', '--mount', disk.dir], own);
    try {
      await watch.waitForStderr(/watching/);
      await disk.setFreePercent(19.99);
      await watch.waitForStderr(/ok → warning to /);
    } finally {
      await watch.stop();
    }
    const history = await runCli(['history'], own);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /ok → warning \(19\.9\d%\)/);
    assert.doesNotMatch(history.stdout, /20\.0%/);
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
    // The setting changed is the one named, not the one that was left alone.
    const lowered = await runCli(['settings', 'set', 'warningPercent=5'], home);
    assert.equal(lowered.code, 2);
    assert.match(lowered.stderr, /warningPercent: must be above criticalPercent \(10\)/);
    assert.doesNotMatch(lowered.stderr, /criticalPercent:/);
    const raised = await runCli(['settings', 'set', 'warningPercent=99'], home);
    assert.match(raised.stderr, /warningPercent: must be below 98: with clearMarginPercent at 2 points/);
    assert.doesNotMatch(raised.stderr, /clearMarginPercent:/);
  });
});

const CHECK_DISK = '/usr/lib/nagios/plugins/check_disk';
const checkDiskMissing = existsSync(CHECK_DISK)
  ? false
  : 'check_disk is not installed (apt-get install monitoring-plugins-basic; .ci/run does)';
const MiB = 1024 * 1024;

/** One plugin's output in parts: status, the mount's text, and its first performance datum. */
function pluginParts(output: string) {
  const m =
    /^DISK (OK|WARNING|CRITICAL|UNKNOWN) - free space: (.+) ([\d.]+) ?(B|KiB|MiB|GiB) \(([\d.]+)% inode=(\d+)%\);\| (\S+)/.exec(
      output.trim(),
    );
  assert.ok(m, `not the check_disk shape: ${output}`);
  const perf = /^'?(.+?)'?=(\d+)B;(\d+);(\d+);(\d+);(\d+)$/.exec(m[7]!);
  assert.ok(perf, `not check_disk's performance data: ${m[7]}`);
  const unit = { B: 1, KiB: 1024, MiB: MiB, GiB: 1024 * MiB }[m[4]!]!;
  return {
    status: m[1],
    mount: m[2],
    freeBytes: Number(m[3]) * unit,
    freePercent: Number(m[5]),
    inodePercent: Number(m[6]),
    label: perf[1],
    used: Number(perf[2]),
    warn: Number(perf[3]),
    crit: Number(perf[4]),
    min: Number(perf[5]),
    max: Number(perf[6]),
  };
}

describe(
  'check --format nagios beside Debian check_disk on the same tmpfs',
  {
    skip: (await cannotMount) || checkDiskMissing,
  },
  () => {
    let disk: Tmpfs;
    let home: string;
    before(async () => {
      disk = await Tmpfs.mount(20);
      home = await tempHome();
    });
    after(() => disk.dispose());

    for (const free of [50, 15, 5]) {
      it(`at ${free}% free: the same status, exit code, figures and performance data`, async () => {
        await disk.setFreePercent(free);
        const ours = await runCli(['check', '--format', 'nagios', '--mount', disk.dir], home);
        // check_disk with the thresholds Headroom uses by default: 20% and 10% free.
        const theirs = await execFileP(CHECK_DISK, ['-w', '20%', '-c', '10%', '-p', disk.dir]).then(
          (r) => ({ code: 0, stdout: r.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
        );
        assert.equal(ours.stdout.trim().split('\n').length, 1, 'one line');
        assert.equal(ours.code, theirs.code, `exit codes: ${ours.stdout} / ${theirs.stdout}`);
        const a = pluginParts(ours.stdout);
        const b = pluginParts(theirs.stdout);
        assert.equal(a.status, b.status);
        assert.equal(a.mount, b.mount);
        assert.equal(a.label, b.label, 'perfdata labelled with the mount point');
        // check_disk shows whole MiB and whole percents; Headroom three figures and one decimal.
        assert.ok(Math.abs(a.freeBytes - b.freeBytes) < MiB, `${a.freeBytes} vs ${b.freeBytes}`);
        assert.ok(Math.abs(a.freePercent - b.freePercent) < 1, `${a.freePercent} vs ${b.freePercent}`);
        assert.ok(Math.abs(a.inodePercent - b.inodePercent) <= 1);
        for (const key of ['used', 'warn', 'crit', 'max'] as const)
          assert.ok(Math.abs(a[key] - b[key]) < MiB, `${key}: ${a[key]} vs ${b[key]}`);
        assert.equal(a.min, 0);
        assert.equal(b.min, 0);
        assert.match(
          ours.stdout,
          new RegExp(`'${disk.dir} \\(inodes\\)'=\\d+;\\d+;\\d+;0;\\d+`),
          'and inodes',
        );
      });
    }
  },
);

describe('the Nagios status line and performance data', () => {
  const sample = (mount: string, freePercent: number, inodesFree: number) => ({
    ok: true as const,
    sample: {
      mount,
      fs: 'tmpfs',
      type: 'tmpfs',
      size: 100 * MiB,
      used: (100 - freePercent) * MiB,
      available: freePercent * MiB,
      freePercent,
      inodes: { total: 1000, free: inodesFree, freePercent: inodesFree / 10 },
      at: 0,
    },
  });

  it("quotes every label, doubling a quote, and keeps '|' and line breaks out of the text", () => {
    const line = nagiosOutput(
      [{ reading: sample("/mnt/it's|odd\nname", 50, 900), state: 'ok' }],
      'ok',
      DEFAULT_SETTINGS,
    );
    assert.equal(line.split('\n').length, 1);
    assert.equal(line.split('|').length, 2, 'the one | starts the performance data');
    assert.match(line, /^DISK OK - free space: \/mnt\/it's¦odd\\nname 50\.0 MiB \(50\.0% inode=90%\);\| /);
    assert.match(line, /\| '\/mnt\/it''s¦odd\\nname'=52428800B;83886080;94371840;0;104857600 /);
    assert.match(line, / '\/mnt\/it''s¦odd\\nname \(inodes\)'=100;800;900;0;1000$/);
  });

  it('names an unreachable mount with its reason and gives it no performance data', () => {
    const line = nagiosOutput(
      [
        {
          reading: {
            ok: false,
            mount: { mount: '/nas', fs: 'nas:/x', type: 'nfs' },
            reason: 'timed out after 5 s',
            at: 0,
          },
          state: 'unreachable',
        },
        { reading: sample('/data', 15, 50), state: 'warning' },
      ],
      'warning',
      DEFAULT_SETTINGS,
    );
    assert.match(
      line,
      /^DISK WARNING - free space: \/nas unreachable \(timed out after 5 s\); \/data 15\.0 MiB/,
    );
    assert.doesNotMatch(line, /'\/nas'/);
  });

  it('refuses two formats at once, and a format it does not know, as usage errors (3)', async () => {
    const home = await tempHome();
    const both = await runCli(['check', '--json', '--format', 'nagios'], home);
    assert.equal(both.code, 3);
    assert.match(both.stderr, /--json and --format nagios ask for two formats/);
    const typo = await runCli(['check', '--format', 'nagois'], home);
    assert.equal(typo.code, 3);
    assert.match(typo.stderr, /--format nagois: give table, json, nagios; did you mean nagios\?/);
  });
});
