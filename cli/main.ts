import { appVersion } from '../core/app-version.js';
import { ManagedError } from '../core/policy/managed-error.js';
import { NoSpaceLeft } from '../core/fs/no-space.js';
import { stdio, type CliIO } from './io.js';
import { CommandFailed, UserError } from './errors.js';
import { visible } from './escape.js';
import { EXIT_CODES, renderHelp, type CommandHelp } from './help.js';
import { INTEGRATION_VERBS } from './integration-verbs.js';
import { closest, parseMistake } from './options.js';

type Run = (argv: string[], io: CliIO, signal: AbortSignal) => Promise<number>;
type Command = { run: Run; help: CommandHelp };

/** A command module's help export, named after its run export: `usageCommand` → `usageHelp`. */
type HelpOf<R extends string> = `${R extends `${infer Name}Command` ? Name : R}Help`;

/**
 * A command: its line in the overview, and its module, loaded only when it runs, whose run export
 * is named here (its help export goes by the same name, typed by HelpOf).
 */
function lazy<R extends string, M extends Record<R, Run> & Record<HelpOf<R>, CommandHelp>>(
  summary: string,
  load: () => Promise<M>,
  run: R,
): { load: () => Promise<Command>; summary: string } {
  const help = `${run.replace(/Command$/, '')}Help` as HelpOf<R>;
  return {
    summary,
    load: async () => {
      const m = await load();
      const runs: Record<R, Run> = m;
      const helps: Record<HelpOf<R>, CommandHelp> = m;
      return { run: runs[run], help: helps[help] };
    },
  };
}

/**
 * Every command: one line for the overview, and how to load it — only the command that runs is
 * loaded, so a long-running `watch` does not keep the other commands' code in memory.
 */
export const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  check: lazy('sample every disk once (a Nagios plugin)', () => import('./check.js'), 'check'),
  watch: lazy('sample on and on, alerting on each change', () => import('./watch.js'), 'watch'),
  settings: lazy('show or change settings', () => import('./settings.js'), 'settingsCommand'),
  integration: lazy('where alerts go', () => import('./integration.js'), 'integrationCommand'),
  history: lazy('the deliveries, newest first', () => import('./history.js'), 'historyCommand'),
  snooze: lazy('hold alerts for a while', () => import('./snooze.js'), 'snoozeCommand'),
  unsnooze: lazy('end a snooze', () => import('./snooze.js'), 'unsnoozeCommand'),
  usage: lazy('what is filling a disk, and what grew', () => import('./usage.js'), 'usageCommand'),
  ui: lazy(
    "the web UI's access token and password: --rotate-token, --set-password, --clear-password",
    () => import('./ui.js'),
    'uiCommand',
  ),
  service: lazy(
    'run watch as a systemd service: install [--user], uninstall, status',
    () => import('./service.js'),
    'serviceCommand',
  ),
};

/** Other names: `integrations`, and the Web PaaS CLI's `integration:add` and the like. */
function resolve(command: string): { name: string; argv: string[] } | undefined {
  if (command === 'integrations') return { name: 'integration', argv: [] };
  const colon = /^integration:(.+)$/.exec(command);
  if (colon && INTEGRATION_VERBS.includes(colon[1]!)) return { name: 'integration', argv: [colon[1]!] };
  return COMMANDS[command] ? { name: command, argv: [] } : undefined;
}

const SPELLINGS = [...Object.keys(COMMANDS), 'help', ...INTEGRATION_VERBS.map((v) => `integration:${v}`)];

const overview = () => {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return `Headroom watches disks and warns before space runs out.

Usage: headroom COMMAND [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join('\n')}
  ${'help'.padEnd(width)}headroom help COMMAND: every option of a command (or COMMAND --help)

headroom --version (-V) prints the version. Times are local with their zone; --utc (with any
command) prints them as ISO 8601 UTC instead.

${EXIT_CODES}

Data directory: $HEADROOM_HOME, else the desktop app's (e.g. ~/.config/Headroom).`;
};

/** "… See `headroom help check`." for a one-line mistake; a list of field errors says enough. */
function withPointer(message: string, command: string | undefined): string {
  if (message.includes('\n') || message.includes('See `')) return message;
  return `${message}${/[.?]$/.test(message) ? '' : '.'} See \`headroom help${command ? ` ${command}` : ''}\`.`;
}

/**
 * Runs one command and returns its exit code: 0 done, 1 the work failed, 2 a usage error; `check`
 * keeps the Nagios plugin codes (0 ok, 1 warning, 2 critical, 3 unknown, a usage error included).
 */
export async function main(argv: string[], io: CliIO = stdio, signal?: AbortSignal): Promise<number> {
  // --utc goes with any command: every time it prints is then ISO 8601 UTC (shared/format.ts).
  if (argv.includes('--utc'))
    return main(
      argv.filter((a) => a !== '--utc'),
      // A copy that keeps accessors as accessors: stdio asks whether stderr is a terminal only
      // when a command wants progress (cli/output.ts).
      Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(io), utc: { value: true } }) as CliIO,
      signal,
    );
  const [word, ...rest] = argv;
  const found = word === undefined ? undefined : resolve(word);
  const name = found?.name;
  const isCheck = name === 'check';
  try {
    if (word === '--version' || word === '-V') {
      io.out(`headroom ${appVersion()}`);
      return 0;
    }
    if (word === undefined) {
      io.err(overview());
      return 2;
    }
    if (word === 'help' || word === '--help' || word === '-h') {
      const topic = rest[0] === undefined ? undefined : resolve(rest[0]);
      if (rest[0] !== undefined && !topic) throw unknownCommand(rest[0]);
      io.out(topic ? renderHelp((await COMMANDS[topic.name]!.load()).help) : overview());
      return 0;
    }
    if (!found) throw unknownCommand(word);
    const command = await COMMANDS[found.name]!.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(renderHelp(command.help.narrowed?.(rest) ?? command.help));
      return 0;
    }
    const code = await command.run([...found.argv, ...rest], io, signal ?? new AbortController().signal);
    // An answer that could not be printed is no answer (the reason is on standard error).
    return code === 0 && io.outputFailed?.() ? (isCheck ? 3 : 1) : code;
  } catch (caught) {
    // A parseArgs error that no table caught still gets one line, not a stack.
    const error = parseMistake(caught, []);
    // Changing what the organisation manages is refused like any value the rules refuse; the
    // message names the policy file, which is where to look, not the help.
    if (error instanceof ManagedError) {
      io.err(`headroom: ${error.message}`);
      return isCheck ? 3 : 2;
    }
    if (error instanceof UserError) {
      io.err(`headroom: ${withPointer(error.message, name)}`);
      return isCheck ? 3 : 2;
    }
    if (error instanceof CommandFailed || error instanceof NoSpaceLeft) {
      io.err(`headroom: ${error.message}`);
      return isCheck ? 3 : 1;
    }
    io.err(`headroom: ${word} failed: ${(error as Error).stack ?? String(error)}`);
    return isCheck ? 3 : 1;
  }
}

function unknownCommand(word: string): UserError {
  if (word.startsWith('-')) {
    const near = closest(word.replace(/^-+/, ''), ['version', 'help']);
    return new UserError(`unknown option ${visible(word)}${near ? `; did you mean --${near}?` : ''}`);
  }
  const near = closest(word, SPELLINGS);
  return new UserError(`unknown command "${visible(word)}"${near ? `; did you mean ${near}?` : ''}`);
}
