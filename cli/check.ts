import { worstState, type AlertKind, type MountState, type Reading } from '../shared/disk.js';
import { formatBytes, formatPercent, roundPercent } from '../shared/format.js';
import { forecast, forState, NO_FORECAST, pointOf, type Forecast, type Point } from '../shared/forecast.js';
import type { Settings } from '../shared/settings.js';
import { percentLimits, readingThresholds } from '../shared/thresholds.js';
import { SampleStore } from '../core/sample-store.js';
import { Sampler } from '../core/sampler.js';
import { discoverDrives } from '../core/mount-table.js';
import { notWatched, watchList } from '../core/watch-list.js';
import { checkedState, runningWatcherSince, type CheckedState, type SavedWatch } from './check-state.js';
import type { CliIO } from './io.js';
import { openStoresContext } from './stores-context.js';
import type { CommandHelp } from './help.js';
import { resolveNamedMounts } from './mounts.js';
import { UserError } from './errors.js';
import { visible } from './escape.js';
import { nagiosOutput } from './nagios.js';
import { closest, parseOptions, synopsis, type OptionTable } from './options.js';
import { renderTable } from './table.js';
import { roundForecast, trendCells } from './check-trend.js';

/** Nagios plugin exit codes: monitoring systems run `headroom check` as a plugin. */
export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

const EXIT_BY_STATE: Record<MountState, number> = {
  ok: EXIT.ok,
  warning: EXIT.warning,
  critical: EXIT.critical,
  unreachable: EXIT.unknown,
};

const FORMATS = ['table', 'json', 'nagios'] as const;

export const CHECK_OPTIONS = {
  format: {
    type: 'string',
    value: FORMATS.join('|'),
    help: "a table (default), a JSON array, or check_disk's status line and performance data for Nagios, Icinga and Checkmk",
  },
  json: { type: 'boolean', short: 'j', help: 'the same as --format json' },
  mount: {
    type: 'string',
    short: 'm',
    multiple: true,
    value: 'PATH',
    help: 'check only the disk PATH is on (a mount point, or any file or directory on it); tmpfs and network mounts included',
  },
} as const satisfies OptionTable;

export const checkHelp: CommandHelp = {
  usage: [`headroom check ${synopsis(CHECK_OPTIONS)} [PATH]...`],
  about: `Samples every watched mount once (or, given PATHs, the disks they are on, as df does) and
prints mount, filesystem, type, size, used, available, free %, state, free inodes and their state,
and — from the points a running watcher saved, the same forecast its window and messages quote —
the trend (filling, stable, being freed, fluctuating, not enough data) and, where the evidence
gives one, when the disk will be full. With a watcher running on the same data, the state is the
one it holds; alone, the reading's, noting where a saved alert still holds.
A mount named with --mount that is read-only says "read-only" instead of a state: it cannot fill.
The table ends with the read-only filesystems discovery found (read-only mounts, AppImages and
other FUSE images), as "read-only, not watched"; the JSON and Nagios outputs leave them out.`,
  options: CHECK_OPTIONS,
  more: `Exit code (Nagios plugin convention): 0 all ok, 1 worst is warning, 2 worst is critical (of
space or inodes), 3 a mount is unreachable (and none is worse), a usage error, or a failure.`,
};

export async function check(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(CHECK_OPTIONS, argv, true);
  const format = formatOf(values);
  const ctx = openStoresContext(io);
  const settings = ctx.settings.get();
  // As df does: `check /home/ann` checks the disk /home/ann is on, like `--mount /home/ann`.
  const named = [...(values.mount ?? []), ...positionals];
  const found = named.length ? undefined : await discoverDrives();
  const mounts = named.length
    ? await resolveNamedMounts(named, (line) => io.err(`headroom: ${line}`))
    : await watchList(settings, [], found);
  const readOnly = found ? notWatched(found, mounts, settings) : [];
  // The trend the watcher recorded, plus this reading: a forecast even from a one-shot check.
  const history = new SampleStore(ctx.dir, ctx.warn).all();
  // A mount with recorded readings was seen mounted: if it is missing now, it went away.
  const sampler = new Sampler(settings.sampleTimeoutSeconds * 1000).remember(Object.keys(history));
  // Read before sampling: a watcher's state saved after its lock was taken is its own.
  const saved = { records: ctx.states.all(), points: history, runningSince: runningWatcherSince(ctx.dir) };
  const rows = (await Promise.all(mounts.map((m) => sampler.read(m)))).map((r) => {
    const states = statesOf(r, settings, saved);
    return { reading: r, ...states, forecast: forecastOf(r, history, settings, states.state) };
  });

  const worst = worstState(rows.flatMap((r) => [r.state, r.inodeState ?? 'ok']));
  if (format === 'nagios') io.out(nagiosOutput(rows, worst, settings));
  else if (format === 'json')
    io.out(
      JSON.stringify(
        rows.map(({ reading, space, inodes, forecast: f }) => ({
          ...toJson(reading, space, inodes),
          ...roundForecast(f),
        })),
        null,
        2,
      ),
    );
  else if (rows.length + readOnly.length === 0) io.err('headroom: no mounts to check.');
  else
    io.out(
      renderTable(TABLE_HEADER, [
        ...rows.map(({ reading, space, inodes, forecast: f }) => [
          ...toRow(reading, space, settings),
          inodesCell(reading, inodes, settings),
          ...trendCells(reading, f),
        ]),
        // They cannot fill: nothing to judge, so they are not even read.
        ...readOnly.map((m) => [
          m.mount,
          m.fs,
          m.type,
          '-',
          '-',
          '-',
          '-',
          'read-only, not watched',
          '-',
          '-',
          '-',
        ]),
      ]),
    );
  return EXIT_BY_STATE[worst];
}

function formatOf(values: { format?: string; json?: boolean }): (typeof FORMATS)[number] {
  const format = FORMATS.find((f) => f === (values.format ?? (values.json ? 'json' : 'table')));
  if (!format) {
    const near = closest(values.format!, FORMATS);
    throw new UserError(
      `--format ${visible(values.format!)}: give ${FORMATS.join(', ')}${near ? `; did you mean ${near}?` : '.'}`,
    );
  }
  if (values.json && format !== 'json')
    throw new UserError(`--json and --format ${format} ask for two formats; give one.`);
  return format;
}

/** The watcher's saved points and this reading, against this mount's thresholds. */
function forecastOf(
  r: Reading,
  history: Record<string, Point[]>,
  settings: Settings,
  state: MountState,
): Forecast {
  if (!r.ok || r.sample.readOnly) return NO_FORECAST;
  const points = (history[r.sample.mount] ?? []).filter((p) => p.at < r.sample.at);
  return forState(forecast([...points, pointOf(r.sample)], readingThresholds(settings, r, 'space')), state);
}

/** Each disk's state for space and for inodes: a running watcher's, or this reading's (see checkedState). */
function statesOf(r: Reading, settings: Settings, saved: SavedWatch) {
  // A read-only disk cannot fill: no level, whatever its figures (see toRow).
  if (r.ok && r.sample.readOnly) {
    const space: CheckedState = { state: 'ok', from: 'reading', note: null };
    return { space, inodes: null, state: space.state, inodeState: null };
  }
  const judged = (kind: AlertKind) => checkedState(r, kind, readingThresholds(settings, r, kind), saved);
  const space = judged('space');
  const inodes = r.ok && r.sample.inodes && settings.watchInodes ? judged('inodes') : null;
  return { space, inodes, state: space.state, inodeState: inodes?.state ?? null };
}

/** A state for people: with where the other judgement differs. */
function stateText(c: CheckedState): string {
  return c.note ? `${c.state} — ${c.note}` : c.state;
}

/** The free figure, never rounded across one of this mount's thresholds. */
function freeCell(percent: number, r: Reading & { ok: true }, kind: AlertKind, settings: Settings) {
  return formatPercent(percent, percentLimits(readingThresholds(settings, r, kind)));
}

function inodesCell(r: Reading, inodes: CheckedState | null, settings: Settings): string {
  if (!r.ok || !r.sample.inodes) return '-';
  const free = freeCell(r.sample.inodes.freePercent, r, 'inodes', settings);
  return inodes === null || (inodes.state === 'ok' && !inodes.note) ? free : `${free} ${stateText(inodes)}`;
}

const TABLE_HEADER = [
  'Mount',
  'Filesystem',
  'Type',
  'Size',
  'Used',
  'Available',
  'Free',
  'State',
  'Inodes free',
  'Trend',
  'Full in',
];

function toRow(r: Reading, space: CheckedState, settings: Settings): string[] {
  if (!r.ok)
    return [r.mount.mount, r.mount.fs, r.mount.type, '-', '-', '-', '-', `${space.state} (${r.reason})`];
  const s = r.sample;
  return [
    s.mount,
    s.fs,
    s.type,
    formatBytes(s.size),
    formatBytes(s.used),
    formatBytes(s.available),
    freeCell(s.freePercent, r, 'space', settings),
    s.readOnly ? 'read-only' : stateText(space),
  ];
}

/** `stateFrom` and `stateNote`: where a state came from, and where the other judgement differs. */
function sourceOf(c: CheckedState) {
  return { stateFrom: c.from, stateNote: c.note };
}

function toJson(r: Reading, space: CheckedState, inodeState: CheckedState | null) {
  const state = space.state;
  if (!r.ok) {
    const { mount, fs, type } = r.mount;
    return {
      mount,
      fs,
      type,
      size: null,
      used: null,
      available: null,
      freePercent: null,
      state,
      ...sourceOf(space),
      reason: r.reason,
      inodes: null,
    };
  }
  const { mount, fs, type, size, used, available, freePercent, inodes } = r.sample;
  return {
    mount,
    fs,
    type,
    size,
    used,
    available,
    freePercent: roundPercent(freePercent),
    state,
    ...sourceOf(space),
    ...(r.sample.readOnly ? { readOnly: true } : {}),
    inodes: inodes
      ? {
          ...inodes,
          freePercent: roundPercent(inodes.freePercent),
          state: inodeState?.state ?? 'ok',
          ...(inodeState ? sourceOf(inodeState) : { stateFrom: 'reading', stateNote: null }),
        }
      : null,
  };
}
