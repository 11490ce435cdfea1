import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, Platform, type Configuration } from 'electron-builder';
import { after, before, describe, it } from '../helpers/node-test.js';
import { cannotTryService, execStart, linked, verifyUnit } from '../helpers/service.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { ROOT } from '../helpers/root.js';
import { builderConfig, quietBuilder } from '../helpers/builder-config.js';

/**
 * The desktop packages' CLI, built the way `npm run dist` builds them: electron-builder itself,
 * from build/electron-builder.yml, packs the Linux app (asar, asarUnpack, extraResources) around a
 * stand-in for the Electron binary, which cannot be downloaded here: a script that acts as Node
 * only under ELECTRON_RUN_AS_NODE=1, as Electron does, and otherwise says the app would start.
 * Then its deb and rpm targets render their install scripts and desktop entry, stopping before
 * fpm (which is not here either) through electron-builder's own hook for that.
 */
const run = promisify(execFile);
const projectDir = ROOT;
const CONFIG = join(projectDir, 'build/electron-builder.yml');
const { version } = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8')) as {
  version: string;
};
const APP_WOULD_START = 42;

const notBuilt = !existsSync(join(projectDir, 'dist/cli/headroom.cjs')) && 'needs `npm run build` first';
const noTmpfs = await cannotMount;
const notRoot = process.getuid?.() !== 0 && 'needs root (a mount namespace stands in for /usr and /opt)';

interface Rendered {
  afterInstall: string;
  afterRemove: string;
  desktop: string;
  fpmArgs: string[];
}

describe('the desktop packages carry the CLI', { skip: notBuilt }, () => {
  let work: string;
  /** The packaged Linux app: what the deb and rpm install as /opt/Headroom. */
  let app: string;
  const rendered: Partial<Record<'deb' | 'rpm', Rendered>> = {};
  const said: string[] = [];
  const env = (extra: NodeJS.ProcessEnv = {}) => {
    const { ELECTRON_RUN_AS_NODE: _, ...rest } = process.env;
    return { ...rest, ...extra };
  };

  before(
    // electron-builder's log is kept in `said`, off the test runner's standard output.
    () =>
      quietBuilder(async () => {
        work = await mkdtemp(join(tmpdir(), 'headroom-t31-desktop-'));
        const electron = join(work, 'electron');
        await mkdir(electron);
        await writeFile(
          join(electron, 'electron'),
          `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo 'the app would start' >&2; exit ${APP_WOULD_START}; }\nexec '${process.execPath}' "$@"\n`,
          { mode: 0o755 },
        );
        await writeFile(join(electron, 'chrome-sandbox'), '');
        const config = (extra: Configuration): Configuration => ({
          extends: CONFIG,
          directories: { output: join(work, 'release') },
          // Fuses are flipped in the real binary; the stand-in has none.
          electronFuses: null,
          npmRebuild: false,
          ...extra,
        });
        await build({
          projectDir,
          targets: Platform.LINUX.createTarget(['dir']),
          config: config({ electronDist: electron }),
        });
        app = join(work, 'release', 'linux-unpacked');
        await build({
          projectDir,
          prepackaged: app,
          targets: Platform.LINUX.createTarget(['deb', 'rpm']),
          // fpm wants a homepage and a maintainer's address, which package.json does not give yet.
          config: config({
            extraMetadata: {
              homepage: 'https://example.invalid',
              author: { name: 'T', email: 't@example.invalid' },
            },
          }),
          effectiveOptionComputed: async ([fpmArgs, desktop]: [string[], string]) => {
            const script = (flag: string) => readFile(fpmArgs[fpmArgs.indexOf(flag) + 1]!, 'utf8');
            const target = fpmArgs[fpmArgs.indexOf('--package') + 1]!.endsWith('.rpm') ? 'rpm' : 'deb';
            rendered[target] = {
              afterInstall: await script('--after-install'),
              afterRemove: await script('--after-remove'),
              desktop: await readFile(desktop, 'utf8'),
              fpmArgs,
            };
            return true;
          },
        } as Parameters<typeof build>[0]);
      }, said),
    { timeout: 120_000 },
  );
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("passes electron-builder's own check: AppImage, deb and rpm, Electron allowed to act as Node", async () => {
    const config = await builderConfig();
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb', 'rpm']);
    assert.equal(
      config.electronFuses?.runAsNode,
      true,
      'the CLI runs the app binary with ELECTRON_RUN_AS_NODE',
    );
    // The launchers name the app's binary: the product name, which builds Headroom.app and Headroom.exe.
    assert.equal(config.productName, 'Headroom');
    const launcher = (await readFile(join(projectDir, 'packaging/cli/headroom'), 'utf8')).split('\n');
    assert.ok(launcher.includes('  electron=$resources/../MacOS/Headroom'));
    assert.deepEqual(config.mac?.extraResources, [{ from: 'packaging/cli/headroom', to: 'bin/headroom' }]);
    const cmd = await readFile(join(projectDir, 'packaging/cli/headroom.cmd'), 'utf8');
    assert.match(
      cmd,
      /^"%~dp0\.\.\\\.\.\\Headroom\.exe" "%~dp0\.\.\\app\.asar\.unpacked\\dist\\cli\\headroom\.cjs" %\*\r$/m,
    );
    assert.deepEqual(config.win?.extraResources, [
      { from: 'packaging/cli/headroom.cmd', to: 'bin/headroom.cmd' },
    ]);
  });

  it(
    "`headroom` linked onto the PATH runs the CLI inside the package, with the app's Electron as Node",
    { skip: noTmpfs, timeout: 30_000 },
    async () => {
      const bin = join(work, 'bin');
      await mkdir(bin);
      await symlink(join(app, 'resources', 'bin', 'headroom'), join(bin, 'headroom'));
      const headroom = (...args: string[]) =>
        spawnSync(join(bin, 'headroom'), args, { encoding: 'utf8', env: env({ HEADROOM_HOME: work }) });

      const v = headroom('--version');
      assert.deepEqual([v.status, v.stdout, v.stderr], [0, `headroom ${version}\n`, '']);

      const disk = await Tmpfs.mount(20);
      try {
        await disk.setFreePercent(15);
        const check = headroom('check', '--mount', disk.dir);
        assert.equal(
          check.status,
          1,
          `exit 1, a warning (Nagios' convention)\n${check.stdout}${check.stderr}`,
        );
        assert.match(check.stdout, new RegExp(`^${disk.dir} +tmpfs +tmpfs .* warning `, 'm'));
      } finally {
        await disk.dispose();
      }
      // The web UI that `watch --ui` serves is beside the CLI, outside the archive too.
      assert.ok(existsSync(join(app, 'resources/app.asar.unpacked/dist/renderer/index.html')));
      assert.ok(existsSync(join(app, 'resources/app.asar')), 'the app itself stays in its archive');
    },
  );

  it(
    'its `service install --user` finds the units in the package and runs the CLI from there',
    { skip: cannotTryService, timeout: 30_000 },
    async () => {
      const config = join(work, 'config');
      const r = spawnSync(join(app, 'resources/bin/headroom'), ['service', 'install', '--user'], {
        encoding: 'utf8',
        env: env({ XDG_CONFIG_HOME: config, HEADROOM_HOME: join(work, 'home') }),
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      const unitPath = join(config, 'systemd/user/headroom.service');
      assert.match(r.stdout, /^verified: systemd-analyze --user verify /m);
      assert.ok(linked(join(config, 'systemd/user/default.target.wants/headroom.service')), r.stdout);
      const unit = await readFile(unitPath, 'utf8');
      assert.deepEqual(execStart(unit).slice(1), [
        join(app, 'resources/app.asar.unpacked/dist/cli/headroom.cjs'),
        'watch',
        '--ui',
        '127.0.0.1:8484',
      ]);
      assert.deepEqual(await verifyUnit(unitPath, 'user'), { code: 0, said: '' });
    },
  );

  it(
    'the deb and rpm make /usr/bin/headroom the CLI, keep it through an upgrade, and take it away',
    {
      skip: notRoot,
      timeout: 30_000,
    },
    async () => {
      const { deb, rpm } = rendered;
      assert.ok(deb && rpm, said.join(''));
      assert.deepEqual(rpm.afterInstall, deb.afterInstall);
      assert.deepEqual(rpm.afterRemove, deb.afterRemove);
      assert.ok(deb.fpmArgs.includes(`${app}/=/opt/Headroom`), 'the app goes to /opt/Headroom');
      const scripts = join(work, 'scripts');
      await mkdir(scripts);
      await writeFile(join(scripts, 'after-install'), deb.afterInstall);
      await writeFile(join(scripts, 'after-remove'), deb.afterRemove);
      for (const name of ['after-install', 'after-remove']) {
        const syntax = spawnSync('sh', ['-n', join(scripts, name)], { encoding: 'utf8' });
        assert.deepEqual([syntax.status, syntax.stderr], [0, ''], `${name} is POSIX sh`);
      }
      const exec = deb.desktop.match(/^Exec=(\S+)/m)?.[1];
      assert.equal(exec, '/opt/Headroom/headroom', `the desktop entry starts the app:\n${deb.desktop}`);

      // In a mount namespace of its own: /usr, /etc, /var and /opt are overlays that take every
      // write (update-alternatives' links and state), the package's files are at /opt/Headroom.
      // The namespace, and every mount in it, ends with the script.
      const layers = join(work, 'layers');
      const rig = join(scripts, 'rig.sh');
      await writeFile(
        rig,
        `set -eu
for d in usr etc var opt; do
  mkdir -p "${layers}/$d/up" "${layers}/$d/work"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=${layers}/$d/up,workdir=${layers}/$d/work" "/$d"
done
mkdir /opt/Headroom
mount --bind "${app}" /opt/Headroom
# What a package of before the CLI left: /usr/bin/headroom started the app.
update-alternatives --install /usr/bin/headroom headroom /opt/Headroom/headroom 100 >/dev/null 2>&1
sh "${scripts}/after-install" configure >/dev/null
echo "installed: $(readlink -f /usr/bin/headroom)"
echo "from the PATH: $(env -u ELECTRON_RUN_AS_NODE PATH=/usr/bin:/bin headroom --version)"
env -u ELECTRON_RUN_AS_NODE ${exec} 2>&1 && echo "desktop entry: exit 0" || echo "desktop entry: exit $?"
sh "${scripts}/after-remove" 1
echo "after an rpm upgrade: $(readlink -f /usr/bin/headroom)"
sh "${scripts}/after-remove" remove >/dev/null
[ -e /usr/bin/headroom ] || [ -L /usr/bin/headroom ] && echo "removed: no" || echo "removed: yes"
`,
      );
      await chmod(rig, 0o755);
      const { stdout } = await run('unshare', ['--mount', '--propagation', 'private', 'sh', rig]);
      assert.deepEqual(stdout.trim().split('\n'), [
        'installed: /opt/Headroom/resources/bin/headroom',
        `from the PATH: headroom ${version}`,
        'the app would start',
        `desktop entry: exit ${APP_WOULD_START}`,
        'after an rpm upgrade: /opt/Headroom/resources/bin/headroom',
        'removed: yes',
      ]);
    },
  );
});
