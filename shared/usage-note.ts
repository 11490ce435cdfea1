import { formatBytes, formatRelative } from './format.js';
import { growthBetween, joinPath, shortPath, type UsageSnapshot } from './usage.js';

/**
 * The words an alert adds about a disk's usage: what grew between two snapshots (see usage.ts),
 * from a scan made for that alert, or from an earlier one told again with its age. Pure.
 */

/**
 * What an alert says about a disk's usage: what grew since the previous snapshot, or, on the first
 * scan of the disk, where most of its space is. A notification shows `lines`; the webhook body
 * gets the whole note as its `usage` field.
 */
export interface UsageNote {
  root: string;
  /** When the scan this note comes from ended: earlier than the alert when it is told again. */
  at: number;
  /** When the earlier snapshot was taken; null for the first scan (then `growers` are the biggest). */
  since: number | null;
  /** Bytes the whole tree grew by since then (negative: it shrank); its size on a first scan. */
  total: number;
  growers: { path: string; size: number; grew?: number }[];
  lines: string[];
}

/**
 * A scan's note told again, for a later alert that the rate limit kept from scanning: its head
 * says how old the scan is ("as of 09:40, 20 min ago"), and the directories found gone since
 * (full paths) are never named.
 */
export interface ToldAgain {
  /** How long ago the scan ended. */
  ageMs: number;
  gone: ReadonlySet<string>;
}

/** An empty snapshot to compare a first scan with: "growth" from nothing is where the space is. */
function nothing(s: UsageSnapshot): UsageSnapshot {
  return { ...s, at: 0, size: 0, files: 0, threshold: 0, dirs: [[s.dirs[0]![0], 0, -1]] };
}

/**
 * The note for a scan: growth since `previous` (growthBetween), or the biggest directories when
 * there is no previous snapshot. `clock` words a time; `home` is shown as ~. At most `max` lines:
 * "Grew most since 2026-12-06 09:12 CET: ~/Downloads +12.4 GiB", then one more grower a line.
 */
export function usageNote(
  previous: UsageSnapshot | null,
  current: UsageSnapshot,
  clock: (at: number) => string,
  home?: string,
  max = 3,
  again?: ToldAgain,
): UsageNote {
  const g = growthBetween(previous ?? nothing(current), current, Infinity);
  const growers = g.growers.filter((w) => !again?.gone.has(joinPath(current.root, w.path))).slice(0, max);
  // The disk itself is a grower when no one folder holds most of it (files at its top, or many
  // small folders): "/data 17.0 MiB" after "Using most space on /data" read as a non-answer.
  const where = (path: string) =>
    `${shortPath(joinPath(current.root, path), home)}${path === '' ? ' (no single folder)' : ''}`;
  const named = growers.map((w) =>
    previous ? `${where(w.path)} +${formatBytes(w.grew)}` : `${where(w.path)} ${formatBytes(w.grew)}`,
  );
  const [first, ...rest] = named;
  const ago = again && formatRelative(current.at, current.at + again.ageMs);
  const age = again ? ` (as of ${clock(current.at)}, ${ago})` : '';
  const head = previous ? `Grew most since ${clock(previous.at)}` : `Using most space on ${current.root}`;
  return {
    root: current.root,
    at: current.at,
    since: previous ? previous.at : null,
    total: g.total,
    growers: growers.map((w) => ({
      path: joinPath(current.root, w.path),
      size: w.size,
      ...(previous ? { grew: w.grew } : {}),
    })),
    lines: first === undefined ? [] : [`${head}${age}: ${first}`, ...rest],
  };
}
