import { DEFAULT_KIND, kindLabel } from '../shared/alert-kinds.js';
import { formatCount, formatTime, groupDigits } from '../shared/format.js';
import { changeWords, recordFree, statusWords, type DeliveryRecord } from '../shared/history.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';
import type { CommandHelp } from './help.js';
import { parseOptions, synopsis, type OptionTable } from './options.js';
import { renderTable } from './table.js';

/** How many older deliveries a table's note counts at most (see HistoryLog.countUpTo). */
const OLDER_COUNTED = 1000;

export const HISTORY_OPTIONS = {
  json: { type: 'boolean', short: 'j', help: 'print the records as a JSON array' },
  limit: { type: 'string', short: 'n', value: 'N', help: 'how many records, newest first (default 50)' },
} as const satisfies OptionTable;

export const historyHelp: CommandHelp = {
  usage: [`headroom history ${synopsis(HISTORY_OPTIONS)}`],
  about: `The delivery history, newest first: time, integration, disk, change, outcome, attempts and the
reason in plain words (default: the last 50).`,
  options: HISTORY_OPTIONS,
};

export async function historyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseOptions(HISTORY_OPTIONS, argv);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UserError(`--limit ${values.limit}: give a whole number of records, at least 1.`);
  const ctx = openContext(io);
  const records = ctx.delivery.history.list(limit);
  if (values.json) {
    await ctx.close();
    io.out(JSON.stringify(records, null, 2));
    return 0;
  }
  // A full page may leave older ones out: counted up to a thousand more, which says enough.
  const more = records.length < limit ? null : ctx.delivery.history.countUpTo(limit + OLDER_COUNTED);
  await ctx.close();
  if (records.length === 0) {
    io.err('headroom: no deliveries yet.');
    return 0;
  }
  io.out(
    renderTable(
      ['Time', 'Integration', 'Disk', 'Change', 'Outcome', 'Tries', 'Status', 'Reason'],
      records.map((r) => row(r, io.utc)),
    ),
  );
  if (more && more.count > records.length) {
    const older = more.count - records.length;
    const said = more.exact
      ? formatCount(older, 'older delivery', 'older deliveries')
      : `${groupDigits(older)} or more older deliveries`;
    io.err(`headroom: ${said} not shown; --limit ${more.exact ? more.count : more.max} lists every one.`);
  }
  return 0;
}

function row(r: DeliveryRecord, utc?: boolean): string[] {
  const e = r.event;
  return [
    formatTime(r.createdAt, { utc }),
    r.integrationName,
    r.test ? '(test)' : kindLabel(e.mount, e.kind ?? DEFAULT_KIND),
    changeWords(r, recordFree(e)),
    r.outcome,
    String(r.attempts.length),
    statusWords(r),
    r.reason ?? '',
  ];
}
