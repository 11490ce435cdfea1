import { parseArgs } from 'node:util';
import { formatTime } from '../../shared/format.js';
import { SNOOZE_CHOICES, type SnoozeChoice } from '../../shared/quiet.js';
import { dataDir, ensureDataDir } from '../core/data-dir.js';
import { SnoozeStore } from '../core/snooze-store.js';
import { warningPrinter, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { mountArgument, warnNotMounted } from './mounts.js';

export const snoozeUsage = `headroom snooze [MOUNT | --all] [--for 1h|8h|tomorrow|MINUTES] | headroom snooze --list
headroom unsnooze [MOUNT | --all]

Holds one disk's alerts (or every alert, --all) for 1 hour (the default), 8 hours, until 08:00
tomorrow, or a number of minutes. Disks are still sampled; what changes meanwhile is in the
history as held, and sent as one net change when the snooze ends, if it still matters. A running
watcher or the app applies it within a second. \`unsnooze\` ends it at once.`;

function at(ms: number, utc?: boolean): string {
  return ms >= Number.MAX_SAFE_INTEGER ? 'resumed' : formatTime(ms, { utc, seconds: false });
}

export async function snoozeCommand(argv: string[], io: CliIO, undo: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { all: { type: 'boolean' }, for: { type: 'string' }, list: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  const store = new SnoozeStore(ensureDataDir(dataDir()), Date.now, warningPrinter(io));
  if (values.list) {
    const paused = store.pausedUntil();
    const mounts = Object.entries(store.mounts());
    if (paused === null && mounts.length === 0) io.out('Nothing is snoozed.');
    if (paused !== null) io.out(`All alerts snoozed until ${at(paused, io.utc)}`);
    for (const [mount, until] of mounts) io.out(`${mount} snoozed until ${at(until, io.utc)}`);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1) === Boolean(values.all))
    throw new UserError(`name one mount or --all.\n\n${snoozeUsage}`);
  const mount = values.all ? null : mountArgument('MOUNT', positionals[0]!);
  if (undo) {
    store.unsnooze(mount);
    io.out(mount === null ? 'All alerts are on again.' : `${mount} is no longer snoozed.`);
    return 0;
  }
  const until = store.snooze(mount, parseChoice(values.for ?? '1h'));
  io.out(`${mount ?? 'All alerts'} snoozed until ${at(until, io.utc)}.`);
  if (mount !== null) await warnNotMounted(io, [mount]);
  return 0;
}

function parseChoice(raw: string): SnoozeChoice | number {
  if ((SNOOZE_CHOICES as readonly string[]).includes(raw)) return raw as SnoozeChoice;
  const minutes = Number(raw);
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 7 * 24 * 60) return minutes;
  throw new UserError(
    `--for ${raw}: give 1h, 8h, tomorrow, or a whole number of minutes from 1 to 10080 (a week).`,
  );
}
