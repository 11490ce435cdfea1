import { parseArgs } from 'node:util';
import { worstState, type MountState, type Reading } from '../../shared/disk.js';
import { formatBytes, formatPercent, roundPercent } from '../../shared/format.js';
import { levelOf } from '../../shared/hysteresis.js';
import { Sampler } from '../core/sampler.js';
import { watchList } from '../core/watch-list.js';
import type { CliIO } from './context.js';
import { openContext } from './context.js';
import { resolveNamedMounts } from './mounts.js';
import { renderTable } from './table.js';

/** Nagios plugin exit codes: monitoring systems run `headroom check` as a plugin. */
export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

const EXIT_BY_STATE: Record<MountState, number> = {
  ok: EXIT.ok,
  warning: EXIT.warning,
  critical: EXIT.critical,
  unreachable: EXIT.unknown,
};

export const checkUsage = `headroom check [--json] [--mount PATH]...

Samples every watched mount once and prints mount, filesystem, type, size, used, available,
free % and state. Exit code: 0 all ok, 1 worst is warning, 2 worst is critical, 3 a mount is
unreachable (and none is worse) or the command failed.

  --json          print a JSON array instead of a table
  --mount PATH    check only this mount point (repeatable; tmpfs and network mounts included)`;

export async function check(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, mount: { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: false,
  });
  const ctx = openContext(io);
  const settings = ctx.settings.get();
  const mounts = values.mount ? await resolveNamedMounts(values.mount) : await watchList(settings);
  const sampler = new Sampler(settings.sampleTimeoutSeconds * 1000);
  const rows = (await Promise.all(mounts.map((m) => sampler.read(m)))).map((r) => ({
    reading: r,
    state: levelOf(r, settings),
  }));

  if (values.json)
    io.out(
      JSON.stringify(
        rows.map(({ reading, state }) => toJson(reading, state)),
        null,
        2,
      ),
    );
  else if (rows.length === 0) io.err('headroom: no mounts to check.');
  else
    io.out(
      renderTable(
        TABLE_HEADER,
        rows.map(({ reading, state }) => toRow(reading, state)),
      ),
    );
  return EXIT_BY_STATE[worstState(rows.map((r) => r.state))];
}

const TABLE_HEADER = ['Mount', 'Filesystem', 'Type', 'Size', 'Used', 'Available', 'Free', 'State'];

function toRow(r: Reading, state: MountState): string[] {
  if (!r.ok) return [r.mount.mount, r.mount.fs, r.mount.type, '-', '-', '-', '-', `${state} (${r.reason})`];
  const s = r.sample;
  return [
    s.mount,
    s.fs,
    s.type,
    formatBytes(s.size),
    formatBytes(s.used),
    formatBytes(s.available),
    formatPercent(s.freePercent),
    state,
  ];
}

function toJson(r: Reading, state: MountState) {
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
      reason: r.reason,
    };
  }
  const { mount, fs, type, size, used, available, freePercent } = r.sample;
  return { mount, fs, type, size, used, available, freePercent: roundPercent(freePercent), state };
}
