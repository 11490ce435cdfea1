import { check, checkUsage } from './check.js';
import { stdio, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { historyCommand, historyUsage } from './history.js';
import { integrationCommand, integrationUsage } from './integration.js';
import { settingsCommand, settingsUsage } from './settings.js';
import { snoozeCommand, snoozeUsage } from './snooze.js';
import { watch, watchUsage } from './watch.js';

const usage = `Headroom watches disks and warns before space runs out.

Usage:
  ${checkUsage.split('\n')[0]}
  ${watchUsage.split('\n')[0]}
  ${settingsUsage.split('\n')[0]}
  headroom integration add|list|edit|enable|disable|remove|validate|test …
  ${historyUsage.split('\n')[0]}
  ${snoozeUsage.split('\n')[0]}
  ${snoozeUsage.split('\n')[1]}
  headroom help [COMMAND]

Times are local with their zone; --utc (with any command) prints ISO 8601 UTC instead.
Data directory: $HEADROOM_HOME, else the desktop app's (e.g. ~/.config/Headroom).`;

const helpByCommand: Record<string, string> = {
  check: checkUsage,
  watch: watchUsage,
  settings: settingsUsage,
  integration: integrationUsage,
  history: historyUsage,
  snooze: snoozeUsage,
  unsnooze: snoozeUsage,
};

/**
 * Runs one command and returns its exit code: 2 for a usage mistake (3 for `check`, whose codes
 * follow the Nagios plugin convention), 1 for an unexpected failure.
 */
export async function main(argv: string[], io: CliIO = stdio, signal?: AbortSignal): Promise<number> {
  // --utc goes with any command: every time it prints is then ISO 8601 UTC (shared/format.ts).
  if (argv.includes('--utc'))
    return main(
      argv.filter((a) => a !== '--utc'),
      { ...io, utc: true },
      signal,
    );
  const [command, ...rest] = argv;
  const help = helpByCommand[command ?? ''] ?? usage;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(help);
      return 0;
    }
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'watch':
        return await watch(rest, io, signal ?? new AbortController().signal);
      case 'settings':
        return await settingsCommand(rest, io);
      case 'integration':
      case 'integrations':
        return await integrationCommand(rest, io);
      case 'history':
        return await historyCommand(rest, io);
      case 'snooze':
      case 'unsnooze':
        return await snoozeCommand(rest, io, command === 'unsnooze');
      case 'help':
      case '--help':
      case '-h':
        io.out(helpByCommand[rest[0] ?? ''] ?? usage);
        return 0;
      case undefined:
        io.err(usage);
        return 2;
      default:
        throw new UserError(`unknown command "${command}". Run \`headroom help\` for the list.`);
    }
  } catch (error) {
    const usageCode = command === 'check' ? 3 : 2;
    if (error instanceof UserError) {
      io.err(`headroom: ${error.message}`);
      return usageCode;
    }
    // parseArgs reports unknown or malformed options with a code and a sentence naming them.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`headroom ${command}: ${(error as Error).message}\n\n${help}`);
      return usageCode;
    }
    io.err(`headroom: ${command} failed: ${(error as Error).stack ?? String(error)}`);
    return command === 'check' ? 3 : 1;
  }
}
