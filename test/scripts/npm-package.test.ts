import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { cannotTryService, linked, verifyUnit } from '../helpers/service.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { ROOT } from '../helpers/root.js';

/**
 * A server without a desktop: `npm pack`, then `npm install -g` of the tarball into a fresh
 * prefix, as from the registry, gives a `headroom` on the PATH that works with the runtime
 * dependencies alone. Packed with --ignore-scripts from the built dist/ (`npm test` builds first;
 * `prepare` rebuilds it on a plain `npm pack`), installed from npm's cache where it has them.
 */
const run = promisify(execFile);
const projectDir = ROOT;
const pkg = JSON.parse(await readFile(join(projectDir, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const notBuilt = !existsSync(join(projectDir, 'dist/cli/headroom.cjs')) && 'needs `npm run build` first';
const noTmpfs = await cannotMount;

describe('npm install -g of the packed package', { skip: notBuilt }, () => {
  let work: string;
  let prefix: string;
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
    HEADROOM_HOME: join(work, 'home'),
    ...extra,
  });
  const headroom = (args: string[], extra?: NodeJS.ProcessEnv) =>
    spawnSync('headroom', args, { encoding: 'utf8', env: env(extra) });

  before(
    async () => {
      work = await mkdtemp(join(tmpdir(), 'headroom-t31-npm-'));
      prefix = join(work, 'prefix');
      const { stdout } = await run(
        'npm',
        ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
        {
          cwd: projectDir,
        },
      );
      const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
      await run(
        'npm',
        [
          'install',
          '--global',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          `./${filename}`,
        ],
        { cwd: work },
      );
    },
    { timeout: 90_000 },
  );
  after(() => work && rm(work, { recursive: true, force: true }));

  it('puts a working `headroom` on the PATH', { skip: noTmpfs, timeout: 20_000 }, async () => {
    const v = headroom(['--version']);
    assert.deepEqual([v.status, v.stdout, v.stderr], [0, `headroom ${pkg.version}\n`, '']);
    const help = headroom(['service', 'install', '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: headroom service install \[--user\]/);

    const disk = await Tmpfs.mount(20);
    try {
      await disk.setFreePercent(5);
      const check = headroom(['check', '--format', 'nagios', '--mount', disk.dir]);
      assert.equal(check.status, 2, `critical: exit 2\n${check.stdout}${check.stderr}`);
      assert.match(check.stdout, /^DISK CRITICAL/);
      // The usage scan's own scripts came along: without its helper a scan still ends, only
      // slower, so their presence is what tells.
      const cli = join(prefix, 'lib', 'node_modules', 'headroom', 'dist', 'cli');
      for (const script of ['scan-worker.js', 'scan-helper.cjs'])
        assert.ok(existsSync(join(cli, script)), `${script} is in the package`);
      // And the bundle's source map, which turns a minified stack trace back into files and lines.
      assert.ok(existsSync(join(cli, 'headroom.cjs.map')), 'headroom.cjs.map is in the package');
      const usage = headroom(['usage', '--json', disk.dir]);
      assert.equal(usage.status, 0, usage.stderr);
      const { stdout: du } = await run('du', ['-sxB1', disk.dir]);
      assert.equal((JSON.parse(usage.stdout) as { size: number }).size, Number(du.split('\t')[0]));
    } finally {
      await disk.dispose();
    }
  });

  it('brings the runtime dependencies only: nothing of Electron, React, Vite or the build', async () => {
    const modules = join(prefix, 'lib/node_modules/headroom/node_modules');
    const installed = readdirSync(modules)
      .filter((name) => name !== '.bin')
      .flatMap((name) =>
        name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name],
      );
    // What `dependencies` needs, and what they need in turn.
    const needed = new Set<string>();
    const visit = async (name: string): Promise<void> => {
      if (needed.has(name)) return;
      needed.add(name);
      const file = join(modules, name, 'package.json');
      const deps = existsSync(file)
        ? (JSON.parse(await readFile(file, 'utf8')) as typeof pkg).dependencies
        : {};
      for (const dep of Object.keys(deps ?? {})) await visit(dep);
    };
    for (const name of Object.keys(pkg.dependencies)) await visit(name);
    assert.deepEqual(
      installed.filter((name) => !needed.has(name)),
      [],
      'nothing that the dependencies do not need',
    );
    for (const name of [
      'electron',
      'react',
      'react-dom',
      'vite',
      'esbuild',
      'typescript',
      'electron-builder',
    ])
      assert.ok(!installed.includes(name), `${name} not installed`);
  });

  it(
    '`headroom service install --user` from it leaves a verified, enabled unit that runs the installed CLI',
    { skip: cannotTryService, timeout: 20_000 },
    async () => {
      const config = join(work, 'config');
      const r = headroom(['service', 'install', '--user'], { XDG_CONFIG_HOME: config });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      const unit = join(config, 'systemd/user/headroom.service');
      assert.match(r.stdout, /^verified: systemd-analyze --user verify /m);
      assert.ok(linked(join(config, 'systemd/user/default.target.wants/headroom.service')), r.stdout);
      const cli = join(prefix, 'lib/node_modules/headroom/bin/headroom.js');
      const execStart = (await readFile(unit, 'utf8')).split('\n').find((l) => l.startsWith('ExecStart='));
      assert.equal(execStart, `ExecStart=${process.execPath} ${cli} watch --ui 127.0.0.1:8484`);
      assert.deepEqual(await verifyUnit(unit, 'user'), { code: 0, said: '' });
    },
  );
});
