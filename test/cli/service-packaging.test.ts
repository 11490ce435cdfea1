import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { renderUnit, templatesDir } from '../../cli/service-units.js';
import { ROOT } from '../helpers/root.js';
import { builderConfig } from '../helpers/builder-config.js';

const run = promisify(execFile);
const projectDir = ROOT;
const BIN = join(projectDir, 'bin', 'headroom.js');
const UNITS = ['packaging/systemd/system/headroom.service', 'packaging/systemd/user/headroom.service'];

const noAnalyze = spawnSync('systemd-analyze', ['--version']).error && 'needs systemd-analyze';

describe('the unit templates ship, and fill in safely', () => {
  const closeLater = closeAfterEach();
  const temp = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-t31-pack-'));
    closeLater(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  it('the npm package carries both units', { timeout: 30_000 }, async () => {
    // --ignore-scripts: the listing only, without `prepare` rebuilding dist/ under other tests.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: projectDir,
    });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const unit of UNITS) assert.ok(files.includes(unit), `${unit} in the npm package`);
  });

  it(
    "the desktop packages carry them as resources/systemd, where the CLI finds them (electron-builder's own check)",
    { timeout: 30_000 },
    async () => {
      const config = await builderConfig();
      assert.deepEqual(config.extraResources, [{ from: 'packaging/systemd', to: 'systemd' }]);

      // The installed layout: the CLI inside resources/app.asar, the units beside it.
      const resources = join(await temp(), 'resources');
      await cp(join(projectDir, 'packaging', 'systemd'), join(resources, 'systemd'), { recursive: true });
      assert.equal(templatesDir(join(resources, 'app.asar', 'dist', 'cli')), join(resources, 'systemd'));
    },
  );

  it(
    'paths with spaces, %, $ and quotes reach ExecStart and Environment as they are (systemd-analyze checks the program is there)',
    { timeout: 20_000, skip: noAnalyze },
    async () => {
      const base = await temp();
      // systemd refuses a `"` in the program's path; in the arguments it is fine.
      const dir = join(base, 'my disks 100% $HOME');
      const cliDir = join(base, 'cli "x" 5% $HOME');
      await mkdir(dir);
      await mkdir(cliDir);
      await symlink(process.execPath, join(dir, 'node'));
      await symlink(BIN, join(cliDir, 'headroom.js'));
      const command = [join(dir, 'node'), join(cliDir, 'headroom.js')];
      const unit = renderUnit('user', {
        command,
        watchArgs: ['--ui', '8484', '--ui-host', '$x'],
        dataDir: cliDir,
      });
      const file = join(dir, 'headroom.service');
      await writeFile(file, unit);
      const r = spawnSync('systemd-analyze', ['--user', 'verify', file], {
        encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: await temp() },
      });
      assert.deepEqual([r.status, `${r.stdout}${r.stderr}`.trim()], [0, ''], unit);
      const line = unit.split('\n').find((l) => l.startsWith('ExecStart='));
      assert.equal(
        line,
        `ExecStart="${base}/my disks 100%% $HOME/node" "${base}/cli \\"x\\" 5%% $$HOME/headroom.js" watch --ui 8484 --ui-host "$$x"`,
      );
      assert.match(unit, /^Environment="HEADROOM_HOME=[^\n]*cli \\"x\\" 5%% \$HOME"$/m);
    },
  );
});
