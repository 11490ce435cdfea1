import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli, type CliResult } from './cli.js';

const run = promisify(execFile);

/** Why `headroom service` cannot be tried here, or false. */
export const cannotTryService: string | false =
  (spawnSync('systemd-analyze', ['--version']).error && 'needs systemd-analyze (apt-get install systemd)') ||
  (existsSync('/run/systemd/system') && 'systemd runs here: install would start a real service');

/**
 * systemd's own check of a unit file. It exits 0 on a key it does not know, only saying so: the
 * unit passes when it exits 0 and says nothing. A user unit needs a user manager's runtime folder.
 */
export async function verifyUnit(
  unit: string,
  scope: 'system' | 'user',
): Promise<{ code: number | null; said: string }> {
  const runtime = await mkdtemp(join(tmpdir(), 'headroom-t31-run-'));
  try {
    const args = [...(scope === 'user' ? ['--user'] : []), 'verify', unit];
    const r = spawnSync('systemd-analyze', args, {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    return { code: r.status, said: `${r.stdout}${r.stderr}`.trim() };
  } finally {
    await rm(runtime, { recursive: true, force: true });
  }
}

/** The unit's `Key=value` lines, a key given twice keeping both. */
export const unitKeys = (unit: string) => unit.split('\n').filter((l) => /^[A-Z]\w*=/.test(l));

/** ExecStart's words (the paths here have no spaces, so no quotes). */
export function execStart(unit: string): string[] {
  const line = unitKeys(unit).find((l) => l.startsWith('ExecStart='));
  assert.ok(line && !line.includes('"'), `one plain ExecStart: ${line}`);
  return line.slice('ExecStart='.length).split(' ');
}

/** Whether the enable link is there (under a stand-in root it points to a path inside that root). */
export const linked = (path: string) => lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true;

export const shown = (r: CliResult) => `exit ${r.code}\n${r.stdout}${r.stderr}`;

export interface SystemInstall {
  user: string;
  /** The stand-in for `/` (HEADROOM_TEST_SERVICE_ROOT). */
  root: string;
  unitPath: string;
  /** /var/lib/headroom, under the root. */
  data: string;
  env: NodeJS.ProcessEnv;
  installed: CliResult;
}

/**
 * `headroom service install [-- WATCH-OPTIONS]` of the system unit through the shipped CLI, with a
 * throwaway system user and a folder standing for `/`, both removed after the test.
 */
export async function installSystemUnit(
  closeLater: (close: () => Promise<void>) => void,
  watchArgs: string[] = [],
): Promise<SystemInstall> {
  const user = `hrt31-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  closeLater(() =>
    run('userdel', [user]).then(
      () => undefined,
      () => undefined,
    ),
  );
  const root = await mkdtemp(join(tmpdir(), 'headroom-t31-root-'));
  closeLater(() => rm(root, { recursive: true, force: true }));
  await chmod(root, 0o755); // as `/` is: the data directory inside is reachable by its user
  const env = { HEADROOM_TEST_SERVICE_ROOT: root, HEADROOM_TEST_SERVICE_USER: user };
  const args = ['service', 'install', ...(watchArgs.length ? ['--', ...watchArgs] : [])];
  const installed = await runCli(args, '', env);
  assert.equal(installed.code, 0, shown(installed));
  const unitPath = join(root, 'etc', 'systemd', 'system', 'headroom.service');
  return { user, root, unitPath, data: join(root, 'var', 'lib', 'headroom'), env, installed };
}

/**
 * The unit's command as the unit runs it: as its user, with its capabilities (or none), no new
 * privileges — through setpriv, since no systemd runs here. `args` replace the unit's own
 * (`watch …`) after its program (node and the CLI).
 */
export async function asServiceUser(
  install: SystemInstall,
  args?: string[],
  withCaps = true,
): Promise<string[]> {
  const unit = await readFile(install.unitPath, 'utf8');
  const words = execStart(unit);
  const caps = unitKeys(unit)
    .filter((k) => k.startsWith('AmbientCapabilities='))
    .flatMap((k) => k.split('=')[1]!.split(' '))
    .map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`)
    .join(',');
  return [
    'setpriv',
    `--reuid=${install.user}`,
    `--regid=${install.user}`,
    '--init-groups',
    '--no-new-privs',
    ...(withCaps && caps ? [`--inh-caps=${caps}`, `--ambient-caps=${caps}`] : []),
    ...(args ? [...words.slice(0, words.indexOf('watch')), ...args] : words),
  ];
}
