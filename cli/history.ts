import { DEFAULT_KIND, kindLabel } from '../shared/alert-kinds.js';
import { formatTime } from '../shared/format.js';
import { recordFree, type DeliveryRecord } from '../shared/history.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';
import type { CommandHelp } from './help.js';
import { parseOptions, synopsis, type OptionTable } from './options.js';
import { renderTable } from './table.js';

export const HISTORY_OPTIONS = {
  json: { type: 'boolean', help: 'print the records as a JSON array' },
  limit: { type: 'string', value: 'N', help: 'how many records, newest first (default 50)' },
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
  await ctx.close();
  if (values.json) {
    io.out(JSON.stringify(records, null, 2));
    return 0;
  }
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
  return 0;
}

function row(r: DeliveryRecord, utc?: boolean): string[] {
  const e = r.event;
  const last = r.attempts.at(-1);
  const figure = recordFree(e);
  const free = figure === null ? '' : ` (${figure})`;
  return [
    formatTime(r.createdAt, { utc }),
    r.integrationName,
    r.test ? '(test)' : kindLabel(e.mount, e.kind ?? DEFAULT_KIND),
    e.reminder ? `still ${e.to}${free} (reminder)` : `${e.from} → ${e.to}${free}`,
    r.outcome,
    String(r.attempts.length),
    last?.status === undefined ? (last?.reason ?? '-') : String(last.status),
    r.reason ?? '',
  ];
}
