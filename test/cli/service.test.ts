import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { BIN, runCli } from '../helpers/cli.js';
import {
  cannotTryService,
  execStart,
  installSystemUnit,
  linked,
  shown as lines,
  unitKeys as keys,
  verifyUnit as verify,
} from '../helpers/service.js';

const run = promisify(execFile);
const skip = cannotTryService;

describe('headroom service: systemd units', { skip }, () => {
  const closeLater = closeAfterEach();
  const temp = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-t31-'));
    closeLater(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  it(
    'install --user writes a unit systemd accepts, running this CLI; uninstall removes it and keeps the data',
    { timeout: 30_000 },
    async () => {
      const base = await temp();
      const data = join(base, 'data');
      const env = { HOME: base, XDG_CONFIG_HOME: join(base, 'config'), XDG_RUNTIME_DIR: undefined };
      const unitPath = join(base, 'config', 'systemd', 'user', 'headroom.service');

      const installed = await runCli(['service', 'install', '--user'], data, env);
      assert.equal(installed.code, 0, lines(installed));
      assert.match(installed.stdout, new RegExp(`^wrote ${unitPath}$`, 'm'));
      assert.match(installed.stdout, /^verified: systemd-analyze --user verify /m);
      // No systemd running here: enabled all the same (systemctl makes the link), and told what to run.
      assert.match(
        installed.stdout,
        /^ran systemctl --user enable headroom\.service: started at each login$/m,
      );
      assert.ok(linked(join(base, 'config', 'systemd', 'user', 'default.target.wants', 'headroom.service')));
      assert.match(
        installed.stdout,
        /not running here.*`systemctl --user daemon-reload && systemctl --user start headroom`/,
      );
      assert.match(installed.stdout, new RegExp(`saved to ${join(data, 'ui-url')} while the service runs`));

      const unit = await readFile(unitPath, 'utf8');
      assert.deepEqual(await verify(unitPath, 'user'), { code: 0, said: '' });
      assert.deepEqual(execStart(unit), [
        process.execPath,
        realpathSync(BIN),
        'watch',
        '--ui',
        '127.0.0.1:8484',
      ]);
      assert.ok(keys(unit).includes(`Environment="HEADROOM_HOME=${data}"`), unit);
      assert.ok(
        keys(unit).includes('Restart=on-failure') && keys(unit).includes('WantedBy=default.target'),
        unit,
      );

      const status = await runCli(['service', 'status', '--user'], data, env);
      assert.match(status.stdout, new RegExp(`^installed: ${unitPath}$`, 'm'), lines(status));
      assert.match(status.stdout, /^enabled: enabled$/m);

      const removed = await runCli(['service', 'uninstall', '--user'], data, env);
      assert.equal(removed.code, 0, lines(removed));
      assert.ok(!existsSync(unitPath), 'the unit is gone');
      assert.ok(!linked(join(base, 'config', 'systemd', 'user', 'default.target.wants', 'headroom.service')));
      assert.ok(existsSync(data), 'the data directory stays');
    },
  );

  it(
    'a watch option that watch would refuse is refused at install, and nothing is written',
    { timeout: 20_000 },
    async () => {
      const base = await temp();
      const env = { HOME: base, XDG_CONFIG_HOME: join(base, 'config') };
      const r = await runCli(
        ['service', 'install', '--user', '--', '--ui-host', 'nas.lan'],
        join(base, 'data'),
        env,
      );
      assert.equal(r.code, 2, lines(r));
      assert.match(r.stderr, /--ui-host nas\.lan: names the web UI; use it with --ui/);
      assert.ok(!existsSync(join(base, 'config', 'systemd')), 'no unit written');
    },
  );

  it('the system unit needs root, and says to use sudo', { timeout: 20_000 }, async () => {
    const root = await temp();
    const r = spawnSync(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, 'service', 'install'],
      {
        encoding: 'utf8',
        env: { ...process.env, HEADROOM_TEST_SERVICE_ROOT: root },
      },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /install of the system service needs root: run it with sudo, `sudo "\$\(command -v headroom\)" service install`/,
    );
    assert.ok(!existsSync(join(root, 'etc')), 'nothing written');
  });

  it(
    'install (system) makes the user and the data directory, writes a hardened unit systemd accepts, enabled',
    { timeout: 30_000 },
    async () => {
      const { user, root, unitPath, data, env, installed: first } = await installSystemUnit(closeLater);
      assert.match(first.stdout, new RegExp(`^created system user ${user} \\(useradd --system `, 'm'));
      const enabled = `ran systemctl --root=${root} enable headroom\\.service: started at each boot`;
      assert.match(first.stdout, new RegExp(`^${enabled}$`, 'm'));
      assert.ok(
        linked(join(root, 'etc', 'systemd', 'system', 'multi-user.target.wants', 'headroom.service')),
      );
      assert.match(first.stdout, /not running here.*`systemctl daemon-reload && systemctl start headroom`/);
      assert.match(first.stdout, new RegExp(`\`sudo cat ${data}/ui-url\``));
      const [, , uid, , , , shell] = (await run('getent', ['passwd', user])).stdout.trim().split(':');
      assert.match(shell ?? '', /\/nologin$/, 'no login shell');
      const dir = await stat(data);
      assert.deepEqual(
        [dir.uid, dir.mode & 0o777],
        [Number(uid), 0o700],
        "the data directory is the user's alone",
      );

      const unit = await readFile(unitPath, 'utf8');
      assert.deepEqual(await verify(unitPath, 'system'), { code: 0, said: '' });
      for (const key of [
        `User=${user}`,
        'Environment=HEADROOM_HOME=/var/lib/headroom',
        'StateDirectory=headroom',
        'ProtectSystem=strict',
        'ReadWritePaths=/var/lib/headroom',
        'ProtectHome=read-only',
        'NoNewPrivileges=yes',
        'Restart=on-failure',
        'WantedBy=multi-user.target',
      ])
        assert.ok(keys(unit).includes(key), `${key} in\n${unit}`);
      // Each would hide disks: a private /tmp those below /tmp, ProtectHome=yes those below /home.
      assert.ok(!keys(unit).some((k) => /^(PrivateTmp=yes|DynamicUser=yes|ProtectHome=yes)$/.test(k)), unit);

      const again = await runCli(['service', 'install'], '', env);
      assert.match(again.stdout, new RegExp(`^system user ${user} exists$`, 'm'), lines(again));
      assert.match(again.stdout, new RegExp(`^unchanged ${unitPath}$`, 'm'));

      const removed = await runCli(['service', 'uninstall'], '', env);
      assert.equal(removed.code, 0, lines(removed));
      assert.ok(!existsSync(unitPath) && existsSync(data), 'the unit goes, the data stays');
      assert.ok(
        !linked(join(root, 'etc', 'systemd', 'system', 'multi-user.target.wants', 'headroom.service')),
      );
      assert.match(removed.stdout, new RegExp(`kept user ${user} and ${data}`));
    },
  );
});
