import { formatTime } from '../shared/format.js';
import { parseSnoozeFor, SNOOZE_FORMS } from '../shared/quiet.js';
import { dataDir, ensureDataDir } from '../core/data-dir.js';
import { SnoozeStore } from '../core/snooze-store.js';
import { warningPrinter, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { mountArgument, warnNotMounted } from './mounts.js';
import { visible } from './escape.js';
import type { CommandHelp } from './help.js';
import { parseOptions, type OptionTable } from './options.js';

export const SNOOZE_OPTIONS = {
  all: { type: 'boolean', help: 'every alert, not one disk' },
  for: {
    type: 'string',
    value: 'DURATION',
    help: '1h (the default), 8h, tomorrow (until 08:00), 30m, 2h, 3d, or a number of minutes (up to 7 days)',
  },
  list: { type: 'boolean', help: 'show what is snoozed, and until when' },
} as const satisfies OptionTable;

export const UNSNOOZE_OPTIONS = {
  all: { type: 'boolean', help: 'end the pause of every alert and every disk’s snooze' },
} as const satisfies OptionTable;

export const snoozeHelp: CommandHelp = {
  usage: ['headroom snooze MOUNT | --all [--for DURATION]', 'headroom snooze --list'],
  about: `Holds one disk's alerts (or every alert, --all) for a while: 1 hour unless --for says otherwise.
Disks are still sampled; what changes meanwhile is in the history as held, and sent as one net
change when the snooze ends, if it still matters. A running watcher or the app applies it within a
second. \`headroom unsnooze\` ends it at once.`,
  options: SNOOZE_OPTIONS,
};

export const unsnoozeHelp: CommandHelp = {
  usage: ['headroom unsnooze MOUNT | --all'],
  about: 'Ends a snooze at once: one disk’s, or (--all) the pause of every alert and every snooze.',
  options: UNSNOOZE_OPTIONS,
};

function at(ms: number, utc?: boolean): string {
  return ms >= Number.MAX_SAFE_INTEGER ? 'resumed' : formatTime(ms, { utc, seconds: false });
}

export async function snoozeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(SNOOZE_OPTIONS, argv, true);
  if (values.list) {
    if (positionals.length || values.all || values.for !== undefined)
      throw new UserError('--list takes nothing else.');
    const store = new SnoozeStore(ensureDataDir(dataDir()), Date.now, warningPrinter(io));
    const paused = store.pausedUntil();
    const mounts = Object.entries(store.mounts());
    if (paused === null && mounts.length === 0) io.out('Nothing is snoozed.');
    if (paused !== null) io.out(`All alerts snoozed until ${at(paused, io.utc)}`);
    for (const [mount, until] of mounts) io.out(`${visible(mount)} snoozed until ${at(until, io.utc)}`);
    return 0;
  }
  const mount = oneMountOrAll(positionals, values.all);
  const raw = values.for ?? '1h';
  const choice = parseSnoozeFor(raw);
  if (choice === null) throw new UserError(`--for ${visible(raw)}: give ${SNOOZE_FORMS}.`);
  const store = new SnoozeStore(ensureDataDir(dataDir()), Date.now, warningPrinter(io));
  const until = store.snooze(mount, choice);
  io.err(`headroom: ${mount === null ? 'all alerts' : visible(mount)} snoozed until ${at(until, io.utc)}.`);
  if (mount !== null) await warnNotMounted(io, [mount]);
  return 0;
}

export async function unsnoozeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(UNSNOOZE_OPTIONS, argv, true);
  const mount = oneMountOrAll(positionals, values.all);
  const store = new SnoozeStore(ensureDataDir(dataDir()), Date.now, warningPrinter(io));
  const paused = store.pausedUntil();
  const snoozed = store.mounts();
  if (mount === null) {
    if (paused === null && Object.keys(snoozed).length === 0) {
      io.err('headroom: nothing is snoozed.');
      return 0;
    }
    store.unsnooze(null);
    io.err('headroom: all alerts are on again.');
    return 0;
  }
  if (snoozed[mount] === undefined) {
    io.err(
      `headroom: ${visible(mount)} is not snoozed.` +
        (paused === null
          ? ''
          : ` All alerts are, until ${at(paused)}: \`headroom unsnooze --all\` ends that.`),
    );
    return 0;
  }
  store.unsnooze(mount);
  io.err(`headroom: ${visible(mount)} is no longer snoozed.`);
  return 0;
}

function oneMountOrAll(positionals: string[], all: boolean | undefined): string | null {
  if (positionals.length > 1 || (positionals.length === 1) === Boolean(all))
    throw new UserError('name one mount, or --all.');
  if (positionals[0] === '') throw new UserError('the mount is empty: name one mount, or --all.');
  return all ? null : mountArgument('MOUNT', positionals[0]!);
}
