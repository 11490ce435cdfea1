import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from '../core/builtins.js';
import { dirname, join } from 'node:path';
import { dataDir } from '../core/data-dir.js';
import { CommandFailed } from './errors.js';

/**
 * The systemd units of `headroom service`: templates in packaging/systemd (one for the system's
 * manager, one for a user's), shipped in the npm package and, as resources/systemd, in the desktop
 * packages; filled in here with the paths of the CLI that runs the install.
 */
export type Scope = 'system' | 'user';

export const UNIT_NAME = 'headroom.service';
/** The system service's data directory: StateDirectory=headroom in its unit. */
export const SYSTEM_DATA_DIR = '/var/lib/headroom';
/** What the unit runs `watch` with unless told otherwise: the web UI on loopback (its address goes to ui-url). */
export const DEFAULT_WATCH_ARGS = ['--ui', '127.0.0.1:8484'];

/**
 * Where a scope's unit and data live. HEADROOM_TEST_SERVICE_ROOT (a folder standing for `/`, as
 * `systemctl --root` takes) and HEADROOM_TEST_SERVICE_USER (a throwaway user) are for the tests
 * only: they let the system install run without touching this machine's /etc and /var/lib.
 */
export function servicePaths(scope: Scope, env: NodeJS.ProcessEnv = process.env) {
  if (scope === 'user') {
    const config = env.XDG_CONFIG_HOME || join(homedir(), '.config');
    return {
      unit: join(config, 'systemd', 'user', UNIT_NAME),
      dataDir: dataDir(env),
      user: undefined,
      root: '/',
    };
  }
  const root = env.HEADROOM_TEST_SERVICE_ROOT ?? '/';
  return {
    unit: join(root, 'etc', 'systemd', 'system', UNIT_NAME),
    dataDir: join(root, SYSTEM_DATA_DIR),
    user: env.HEADROOM_TEST_SERVICE_USER ?? 'headroom',
    root,
  };
}

/**
 * The folder of the templates: packaging/systemd above this module (the clone, the npm package:
 * dist/cli/headroom.cjs or cli/*.ts), or systemd/ in the desktop packages' resources folder.
 */
export function templatesDir(from: string = import.meta.dirname): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = resources ? [join(resources, 'systemd')] : [];
  for (let dir = from, up = 0; up < 5; dir = dirname(dir), up++)
    candidates.push(join(dir, 'packaging', 'systemd'), join(dir, 'systemd'));
  const found = candidates.find((c) => existsSync(join(c, 'system', UNIT_NAME)));
  if (!found)
    throw new CommandFailed(
      `the unit templates (packaging/systemd) are missing from this installation, looked in ${candidates.join(', ')}; reinstall Headroom.`,
    );
  return found;
}

/**
 * The command that runs this CLI, as the unit's ExecStart starts it: the Node that runs now and the
 * real path of the script (`npm install -g` puts a symbolic link on the PATH). Under Electron's
 * own Node (the desktop packages' CLI), Electron must be told to act as Node.
 */
export function cliCommand(script = process.argv[1] ?? ''): string[] {
  const node = [process.execPath, realpathSync(script)];
  return process.versions.electron ? ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', ...node] : node;
}

/** A systemd specifier (`%h`) or newline in a value would change what the unit says. */
function unitText(value: string): string {
  if (/[\n\r]/.test(value))
    throw new CommandFailed(`${JSON.stringify(value)}: a line break cannot go into a unit file.`);
  return value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%');
}

/**
 * ExecStart='s words, each quoted unless plain. In the arguments `$` is an environment variable,
 * so `$$` stands for it; the program's own path is taken as it is (systemd refuses a `"` there).
 */
export const execLine = (words: string[], program = true): string =>
  words
    .map((word, i) => {
      if (/^[\w./:=@+,-]+$/.test(word)) return word;
      return `"${i === 0 && program ? unitText(word) : unitText(word).replace(/\$/g, () => '$$')}"`;
    })
    .join(' ');

export interface UnitFields {
  command: string[];
  watchArgs: string[];
  /** The system unit's User= and Group=. */
  user?: string;
  /** The user unit's HEADROOM_HOME. */
  dataDir?: string;
}

/** The unit of `scope`, from its template, every field filled in. */
export function renderUnit(scope: Scope, fields: UnitFields, templates = templatesDir()): string {
  const values: Record<string, string> = {
    COMMAND: execLine(fields.command),
    WATCH_ARGS: execLine(fields.watchArgs, false),
    USER: fields.user ?? '',
    DATA_DIR_ENV: `"HEADROOM_HOME=${unitText(fields.dataDir ?? '')}"`,
  };
  const text = readFileSync(join(templates, scope, UNIT_NAME), 'utf8').replace(
    /@([A-Z_]+)@/g,
    (whole, name: string) => values[name] ?? whole,
  );
  const left = /@[A-Z_]+@/.exec(text);
  if (left)
    throw new CommandFailed(`the ${scope} unit template has a field Headroom does not fill: ${left[0]}.`);
  return text;
}

/** Whether systemd runs this machine (sd_booted(3)): in a container without it, nothing to start. */
export const systemdRuns = (): boolean => existsSync('/run/systemd/system');
