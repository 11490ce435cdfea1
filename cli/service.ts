import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from '../core/builtins.js';
import { dirname, join } from 'node:path';
import { ensureDataDir } from '../core/data-dir.js';
import type { CliIO } from './context.js';
import { CommandFailed, UserError } from './errors.js';
import type { CommandHelp } from './help.js';
import { parseOptions, type OptionTable } from './options.js';
import {
  cliCommand,
  DEFAULT_WATCH_ARGS,
  renderUnit,
  servicePaths,
  SYSTEM_DATA_DIR,
  systemdRuns,
  UNIT_NAME,
  type Scope,
} from './service-units.js';
import { UI_URL_FILE, parseListen, uiHostFlags } from './watch-ui.js';
import { WATCH_OPTIONS } from './watch.js';

export const SERVICE_OPTIONS = {
  user: {
    type: 'boolean',
    help: 'your own service, in your systemd user manager (~/.config/systemd/user): no root needed, your data directory',
  },
} as const satisfies OptionTable;

export const serviceHelp: CommandHelp = {
  usage: [
    'headroom service install [--user] [-- WATCH-OPTIONS...]',
    'headroom service uninstall [--user]',
    'headroom service status [--user]',
  ],
  about: `Runs \`headroom watch\` as a systemd service: started at boot (or at your login with --user),
restarted if it fails. install writes the unit (the system one, as root: /etc/systemd/system,
user headroom, data directory /var/lib/headroom), checks it with systemd-analyze verify, then
runs systemctl daemon-reload and enable --now (enable alone where systemd is not running: a
container, an image); it prints each step. WATCH-OPTIONS replace the default,
${DEFAULT_WATCH_ARGS.join(' ')}: the web UI, whose address goes to ui-url in the data directory.
uninstall stops and removes the unit, keeping the data. See docs/service.md.`,
  options: SERVICE_OPTIONS,
};

const child = () => process.getBuiltinModule('node:child_process');

/** Runs a program; its output is the answer, a failure is thrown with what it said. */
function exec(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = child().spawnSync(file, args, { encoding: 'utf8', env });
  if (r.error) throw new CommandFailed(`could not run ${file}: ${r.error.message}`);
  if (r.status !== 0)
    throw new CommandFailed(
      `\`${[file, ...args].join(' ')}\` failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`,
    );
  return r.stdout;
}

export async function serviceCommand(argv: string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  const dashes = rest.indexOf('--');
  const own = dashes === -1 ? rest : rest.slice(0, dashes);
  const { values } = parseOptions(SERVICE_OPTIONS, own);
  const scope: Scope = values.user ? 'user' : 'system';
  const watchArgs = dashes === -1 ? undefined : rest.slice(dashes + 1);
  if (watchArgs && verb !== 'install') throw new UserError(`watch options go with install only, not ${verb}`);
  if (verb === 'install') return install(scope, watchArgs ?? DEFAULT_WATCH_ARGS, io);
  if (verb === 'uninstall') return uninstall(scope, io);
  if (verb === 'status') return status(scope, io);
  throw new UserError(`service ${verb ? `"${verb}"` : 'needs a verb'}: say install, uninstall or status`);
}

/** The system unit is root's to write; the user one is anyone's. */
function needRoot(scope: Scope, verb: string): void {
  if (scope === 'system' && process.getuid?.() !== 0)
    throw new UserError(
      `${verb} of the system service needs root: run it with sudo, \`sudo "$(command -v headroom)" service ${verb}\` ` +
        `(or add --user for a service of your own)`,
    );
}

/**
 * `systemctl` for the scope: `--user`, or `--root` for the tests' stand-in for `/`. Without a
 * running systemd, enable and disable still work (systemctl then makes the links itself), so a
 * unit installed in a container or an image starts at its first boot. Returns what it ran.
 */
function systemctl(scope: Scope, root: string, ...args: string[]): string {
  const all = [...managerOf(scope, root), ...args];
  exec('systemctl', all);
  return `ran systemctl ${all.join(' ')}`;
}

const managerOf = (scope: Scope, root: string) =>
  scope === 'user' ? ['--user'] : root === '/' ? [] : [`--root=${root}`];

/** Without systemd running, a failure of systemctl is said, not fatal: the unit is written. */
function offline(step: () => string): string {
  try {
    return step();
  } catch (error) {
    return `not enabled: ${(error as Error).message}`;
  }
}

const when = (scope: Scope) => (scope === 'user' ? 'login' : 'boot');

function install(scope: Scope, watchArgs: string[], io: CliIO): number {
  needRoot(scope, 'install');
  // A mistake in the options is a usage error now, not a service that fails at every start.
  const { values } = parseOptions(WATCH_OPTIONS, watchArgs);
  if (values.ui !== undefined) parseListen('--ui', values.ui);
  uiHostFlags(values);

  const paths = servicePaths(scope);
  // Its parents as any folder (/var/lib is 0755); the data directory its owner's alone (0700).
  mkdirSync(dirname(paths.dataDir), { recursive: true });
  ensureDataDir(paths.dataDir);
  if (paths.user) {
    const { uid, gid } = ensureUser(paths.user, io);
    chownSync(paths.dataDir, uid, gid);
    io.out(`data directory ${paths.dataDir} (owner ${paths.user}, mode 0700)`);
  } else io.out(`data directory ${paths.dataDir} (mode 0700)`);
  const unit = renderUnit(scope, {
    command: cliCommand(),
    watchArgs,
    user: paths.user,
    dataDir: paths.dataDir,
  });
  const before = existsSync(paths.unit) ? readFileSync(paths.unit, 'utf8') : undefined;
  mkdirSync(dirname(paths.unit), { recursive: true });
  writeFileSync(paths.unit, unit, { mode: 0o644 });
  io.out(`${before === undefined ? 'wrote' : before === unit ? 'unchanged' : 'replaced'} ${paths.unit}`);
  io.out(verify(scope, paths.unit));

  if (systemdRuns()) {
    io.out(systemctl(scope, paths.root, 'daemon-reload'));
    io.out(
      `${systemctl(scope, paths.root, 'enable', '--now', UNIT_NAME)}: running, and started at each ${when(scope)}`,
    );
  } else {
    const name = scope === 'user' ? 'systemctl --user' : 'systemctl';
    io.out(
      offline(() => `${systemctl(scope, paths.root, 'enable', UNIT_NAME)}: started at each ${when(scope)}`),
    );
    io.out(
      `systemd is not running here (not PID 1, as in a container), so nothing was started; where it runs: \`${name} daemon-reload && ${name} start headroom\``,
    );
  }
  if (values.ui !== undefined)
    io.out(
      `web UI: its address, with the access token, is saved to ${join(paths.dataDir, UI_URL_FILE)} while the service runs ` +
        `(\`${paths.user ? 'sudo ' : ''}cat ${join(paths.dataDir, UI_URL_FILE)}\`)`,
    );
  if (paths.user)
    io.out(
      `settings and integrations: run headroom as its user, e.g. \`sudo -u ${paths.user} HEADROOM_HOME=${paths.dataDir} headroom integration add …\``,
    );
  else
    io.out('it runs while you are logged in; to keep it running after you log out: `loginctl enable-linger`');
  return 0;
}

/** The service's own user, a system account without a home or a login shell, made if missing. */
function ensureUser(user: string, io: CliIO): { uid: number; gid: number } {
  const found = () => child().spawnSync('getent', ['passwd', user], { encoding: 'utf8' }).stdout.split(':');
  let entry = found();
  if (entry.length < 4) {
    const shell = existsSync('/usr/sbin/nologin') ? '/usr/sbin/nologin' : '/sbin/nologin';
    const args = [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      SYSTEM_DATA_DIR,
      '--shell',
      shell,
      user,
    ];
    exec('useradd', args);
    io.out(`created system user ${user} (useradd ${args.join(' ')})`);
    entry = found();
  } else io.out(`system user ${user} exists`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * `systemd-analyze verify`: every key known, the program there to run. It answers 0 on a key it
 * does not know, only saying so, so any word from it is a failure. A user unit is checked against
 * a user manager, which wants a runtime directory (a temporary one where there is none: sudo, a
 * container).
 */
function verify(scope: Scope, unit: string): string {
  const found = child().spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (found.error) return 'not verified: systemd-analyze is not installed';
  let runtime: string | undefined;
  const env = { ...process.env };
  if (scope === 'user' && !env.XDG_RUNTIME_DIR)
    env.XDG_RUNTIME_DIR = runtime = mkdtempSync(join(tmpdir(), 'headroom-run-'));
  try {
    const args = [...(scope === 'user' ? ['--user'] : []), 'verify', unit];
    const r = child().spawnSync('systemd-analyze', args, { encoding: 'utf8', env });
    const said = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0 || said)
      throw new CommandFailed(`${unit} was written but systemd-analyze verify finds fault with it:\n${said}`);
    return `verified: systemd-analyze ${args.join(' ')}`;
  } finally {
    if (runtime) rmSync(runtime, { recursive: true, force: true });
  }
}

function uninstall(scope: Scope, io: CliIO): number {
  needRoot(scope, 'uninstall');
  const paths = servicePaths(scope);
  if (!existsSync(paths.unit)) {
    io.out(`no ${paths.unit}: nothing to remove`);
    return 0;
  }
  if (systemdRuns()) io.out(systemctl(scope, paths.root, 'disable', '--now', UNIT_NAME));
  else io.out(offline(() => systemctl(scope, paths.root, 'disable', UNIT_NAME)));
  rmSync(paths.unit);
  io.out(`removed ${paths.unit}`);
  if (systemdRuns()) io.out(systemctl(scope, paths.root, 'daemon-reload'));
  else io.out('systemd is not running here: nothing to stop');
  io.out(
    paths.user
      ? `kept user ${paths.user} and ${paths.dataDir} (settings, integrations, history); to remove them: \`userdel ${paths.user} && rm -r ${paths.dataDir}\``
      : `kept ${paths.dataDir} (settings, integrations, history), which the desktop app and the CLI share`,
  );
  return 0;
}

function status(scope: Scope, io: CliIO): number {
  const paths = servicePaths(scope);
  if (!existsSync(paths.unit)) {
    io.out(
      `not installed (no ${paths.unit}); \`headroom service install${scope === 'user' ? ' --user' : ''}\` installs it`,
    );
    return 0;
  }
  const runs = readFileSync(paths.unit, 'utf8').match(/^ExecStart=(.*)$/m)?.[1];
  io.out(`installed: ${paths.unit}\nruns: ${runs ?? '(no ExecStart)'}`);
  // is-enabled reads the links, so it answers without a running systemd too.
  const ask = (verb: string) =>
    child()
      .spawnSync('systemctl', [...managerOf(scope, paths.root), verb, UNIT_NAME], { encoding: 'utf8' })
      .stdout?.trim() || 'unknown';
  io.out(`enabled: ${ask('is-enabled')}`);
  io.out(`state: ${systemdRuns() ? ask('is-active') : 'systemd is not running here'}`);
  const url = join(paths.dataDir, UI_URL_FILE);
  if (paths.user && process.getuid?.() !== 0)
    io.out(`web UI address: in ${url} while it runs (root can read it)`);
  else
    io.out(
      `web UI address: ${existsSync(url) ? url : `none in ${url} (the UI is off, or the service is not running)`}`,
    );
  return 0;
}
