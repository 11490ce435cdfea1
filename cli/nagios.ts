import { kindLabel } from '../shared/alert-kinds.js';
import { usableOf, type MountState, type Reading } from '../shared/disk.js';
import { formatBytes, formatPercent } from '../shared/format.js';
import type { Settings } from '../shared/settings.js';
import { percentLimits, readingThresholds } from '../shared/thresholds.js';
import { visible } from './escape.js';

export interface NagiosRow {
  reading: Reading;
  state: MountState;
}

const STATUS: Record<MountState, string> = {
  ok: 'OK',
  warning: 'WARNING',
  critical: 'CRITICAL',
  unreachable: 'UNKNOWN',
};

/**
 * `check --format nagios`: the monitoring-plugins `check_disk` convention that Nagios, Icinga and
 * Checkmk parse — one status line, then `|` and the performance data
 * (https://nagios-plugins.org/doc/guidelines.html#AEN200):
 *
 *   DISK WARNING - free space: /data 3.20 GiB (15.0% inode=83%);| '/data'=…B;…;…;0;… …
 *
 * As check_disk does, each mount's value is its *used* bytes, warn and crit the used bytes at
 * which the warning and critical thresholds begin (so a graph of either plugin reads the same),
 * min 0 and max the usable size (check_disk 2.3 takes the whole size there, root's reserved
 * blocks included, which disagrees with its own percentages on ext4; they agree on tmpfs);
 * inodes the same way under `'MOUNT (inodes)'`. `worst` is the state the exit code says.
 */
export function nagiosOutput(rows: NagiosRow[], worst: MountState, settings: Settings): string {
  if (rows.length === 0) return `DISK ${STATUS[worst]} - no mounts to check`;
  const text: string[] = [];
  const perf: string[] = [];
  for (const { reading: r, state } of rows) {
    if (!r.ok) {
      text.push(`${name(r.mount.mount)} ${state} (${name(r.reason)});`);
      continue;
    }
    const s = r.sample;
    const usable = usableOf(s);
    const space = readingThresholds(settings, r, 'space');
    // Rounded down, as check_disk does: 99.99% of inodes free is not "100%".
    const inode = s.inodes ? ` inode=${Math.floor(s.inodes.freePercent)}%` : '';
    text.push(
      `${name(s.mount)} ${formatBytes(s.available)} (${formatPercent(s.freePercent, percentLimits(space))}${inode});`,
    );
    const at = (freePercent: number, total: number) => Math.round(total * (1 - freePercent / 100));
    perf.push(
      `${label(s.mount)}=${s.used}B;${at(space.warningPercent, usable)};${at(space.criticalPercent, usable)};0;${usable}`,
    );
    if (s.inodes && settings.watchInodes) {
      const t = readingThresholds(settings, r, 'inodes');
      const { total, free } = s.inodes;
      perf.push(
        `${label(kindLabel(s.mount, 'inodes'))}=${total - free};${at(t.warningPercent, total)};${at(t.criticalPercent, total)};0;${total}`,
      );
    }
  }
  return `DISK ${STATUS[worst]} - free space: ${text.join(' ')}${perf.length ? `| ${perf.join(' ')}` : ''}`;
}

/**
 * A mount or reason in the status text: on one line, and without `|`, which would start the
 * performance data.
 */
function name(text: string): string {
  return visible(text).replaceAll('|', '¦');
}

/** A performance-data label: always quoted, a quote doubled, as the guidelines say. */
function label(text: string): string {
  return `'${name(text).replaceAll("'", "''")}'`;
}
