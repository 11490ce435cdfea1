import type { MountState } from './disk.js';

/**
 * A disk's free space over the last week, kept small enough to rewrite at every sample: samples
 * are merged into buckets (1 minute for the last 26 hours, 15 minutes for the last 8 days), each
 * keeping the lowest available space seen in it (a dip below a threshold is never averaged away)
 * and the worst state. At most 1,560 + 768 buckets per mount, whatever the sampling interval. Pure.
 */

/** `[bucket start (epoch ms), available bytes or null (unreachable), usable bytes or null, state]`. */
export type Bucket = [at: number, available: number | null, usable: number | null, state: StateCode];

/** ok, warning, critical, unreachable: in order of how bad, so the worst of a bucket is the max. */
export type StateCode = 0 | 1 | 2 | 3;
export const STATE_CODES: readonly MountState[] = ['ok', 'warning', 'critical', 'unreachable'];

export interface MountHistory {
  fine: Bucket[];
  coarse: Bucket[];
}

export const TIERS = {
  fine: { bucketMs: 60_000, keepMs: 26 * 3600_000 },
  coarse: { bucketMs: 15 * 60_000, keepMs: 8 * 86_400_000 },
} as const;

export const RANGES = {
  hour: 3600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
} as const;
export type ChartRange = keyof typeof RANGES;

export interface SampleInput {
  at: number;
  /** Null when the disk did not answer. */
  available: number | null;
  usable: number | null;
  state: MountState;
}

export const emptyHistory = (): MountHistory => ({ fine: [], coarse: [] });

/** The history with one more sample merged in (a new object; the old one is left as it was). */
export function addSample(h: MountHistory, s: SampleInput): MountHistory {
  return { fine: merge(h.fine, s, TIERS.fine), coarse: merge(h.coarse, s, TIERS.coarse) };
}

function merge(buckets: Bucket[], s: SampleInput, tier: { bucketMs: number; keepMs: number }): Bucket[] {
  const start = Math.floor(s.at / tier.bucketMs) * tier.bucketMs;
  // The clock was set back: buckets "from the future" would draw the line backwards; drop them.
  const kept = buckets.filter((b) => b[0] > s.at - tier.keepMs && b[0] <= start);
  const code = Math.max(0, STATE_CODES.indexOf(s.state)) as StateCode;
  const last = kept.at(-1);
  if (last && last[0] === start) {
    const available =
      s.available === null ? last[1] : last[1] === null ? s.available : Math.min(last[1], s.available);
    kept[kept.length - 1] = [start, available, s.usable ?? last[2], Math.max(last[3], code) as StateCode];
  } else kept.push([start, s.available, s.usable, code]);
  return kept;
}

/** Drops what is older than each tier keeps: a mount no longer sampled empties out in a week. */
export function prune(h: MountHistory, now: number): MountHistory {
  return {
    fine: h.fine.filter((b) => b[0] > now - TIERS.fine.keepMs),
    coarse: h.coarse.filter((b) => b[0] > now - TIERS.coarse.keepMs),
  };
}

export interface ChartPoint {
  at: number;
  /** Null: the disk did not answer then (a gap in the line). */
  freePercent: number | null;
  state: MountState;
}

/** The points to draw for the last hour, day or week, oldest first, from the finest tier that covers it. */
export function pointsFor(h: MountHistory, range: ChartRange, now: number): ChartPoint[] {
  const from = now - RANGES[range];
  const tier = RANGES[range] <= TIERS.fine.keepMs ? h.fine : h.coarse;
  return tier
    .filter((b) => b[0] >= from - (range === 'week' ? TIERS.coarse.bucketMs : TIERS.fine.bucketMs))
    .map(([at, available, usable, state]) => ({
      at,
      freePercent:
        available === null || usable === null || usable <= 0
          ? null
          : Math.round((available / usable) * 10_000) / 100,
      state: STATE_CODES[state] ?? 'ok',
    }));
}

/**
 * The chart's points ending at the disk's latest reading, the one its card shows: a bucket keeps
 * its lowest figure, so the last bucket alone would end the line where the disk was minutes ago
 * (a disk just freed from 9 % to 65 % still drawn at 9 %). Points after the reading are dropped.
 */
export function endingAt(points: ChartPoint[], latest: ChartPoint): ChartPoint[] {
  const kept = points.filter((p) => p.at < latest.at);
  return [...kept, latest];
}

/** The span a chart starts on: the hour while the disk has less than an hour of samples, else the day. */
export function firstSpan(points: ChartPoint[], now: number): ChartRange {
  const first = points.find((p) => p.freePercent !== null);
  return !first || first.at > now - RANGES.hour ? 'hour' : 'day';
}
