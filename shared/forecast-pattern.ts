import type { Forecast, Point } from './forecast.js';

/**
 * Patterns no straight line describes, named for what they are instead of given a deadline
 * (issue 28): a disk that fills and is freed again and again — a log that grows and is rotated,
 * a cache cleared and refilled — is `cycling`; one that fills in steps with pauses between them —
 * `git clone` after `git clone`, packages unpacked one by one — fills `in bursts`. A line through
 * the newest stretch of either says "full in 5 s" for a disk that is about to be freed, or to
 * pause. Pure.
 */
export const PATTERN = {
  /**
   * A swing (a fall, or a rise back) counts once it moves a few noise floors and a fifth of the
   * range the window spans: the wobble of a steady fill is part of its line, not a cycle.
   */
  swingNoise: 3,
  swingShare: 0.2,
  /** Two rises give a period: a single one is a disk that was freed once. */
  minCycles: 2,
  /** A cycle with no rise for this many periods has stopped. */
  staleCycles: 2,
  /** A pause in a fill: this long with free space unchanged (within a noise floor a reading). */
  pauseMinMs: 1500,
  /**
   * A burst began at most this long before the first point that shows it, where readings are a
   * second apart (a calm stretch keeps a point every few seconds only: see RecentReadings).
   */
  burstSeenWithinMs: 1000,
  /**
   * Bursts: pauses take at least this share of the time since the first burst began… (pauses are
   * measured between their readings, so shorter than they were: 3 s between clones reads as 2 s)
   */
  pauseShare: 0.2,
  /** …and fill at no more than this share of the bursts' own rate. */
  pauseRateShare: 0.2,
};

export type Pattern = Pick<Forecast, 'status' | 'cycle' | 'fillRateBytesPerSec' | 'trendSince' | 'points'>;

/**
 * The pattern the window shows, if any. Bursts are looked for only among `fine` points (those
 * newer than `fineFrom`, kept a second apart: older ones are 20 s apart and hide short pauses)
 * and after the last time free space rose.
 */
export function patternOf(window: readonly Point[], noiseFloor: number, fineFrom: number): Pattern | null {
  const values = window.map((p) => p.available);
  const range = Math.max(...values) - Math.min(...values);
  const swing = Math.max(PATTERN.swingNoise * noiseFloor, PATTERN.swingShare * range);
  const lows = lowsOf(window, swing);
  const from = Math.max(fineFrom, lows.at(-1)?.at ?? -Infinity);
  return (
    cycleOf(window, lows, swing) ??
    burstsOf(
      window.filter((p) => p.at >= from),
      noiseFloor,
    )
  );
}

/** The lows of the window's swings: where free space had fallen by `swing` and came back as much. */
function lowsOf(points: readonly Point[], swing: number): Point[] {
  const lows: Point[] = [];
  let falling = false;
  let high = points[0]!;
  let low = points[0]!;
  for (const p of points) {
    if (falling) {
      if (p.available < low.available) low = p;
      else if (p.available - low.available >= swing) {
        lows.push(low);
        [falling, high] = [false, p];
      }
    } else if (p.available > high.available) high = p;
    else if (high.available - p.available >= swing) [falling, low] = [true, p];
  }
  return lows;
}

/**
 * Cycling: free space has dipped and come back twice at least, and still does — no lower than the
 * dips before (a fill that goes lower is a fill), and not stopped for two periods.
 */
function cycleOf(window: readonly Point[], lows: readonly Point[], swing: number): Pattern | null {
  if (lows.length < PATTERN.minCycles) return null;
  const last = window.at(-1)!;
  const gaps = lows.slice(1).map((p, i) => p.at - lows[i]!.at);
  const period = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
  const lowest = lows.reduce((a, p) => (p.available < a.available ? p : a));
  if (last.at - lows.at(-1)!.at > PATTERN.staleCycles * period) return null;
  if (last.available < lowest.available - swing / 2) return null;
  const [first, newest] = [lows[0]!, lows.at(-1)!];
  return {
    status: 'cycling',
    cycle: { dipPercent: (lowest.available / lowest.usable) * 100, periodSeconds: period / 1000 },
    // How the dips themselves move: 0 for a cycle that comes back to where it was.
    fillRateBytesPerSec: (first.available - newest.available) / ((newest.at - first.at) / 1000),
    trendSince: first.at,
    points: window.filter((p) => p.at >= first.at).length,
  };
}

/**
 * Bursts: two fills at least, with pauses between them that take a good share of the time and
 * add little; not when the pause now has lasted well beyond the pauses between the bursts (the
 * fill is over). Its rate is the average since the first burst began, pauses included.
 */
function burstsOf(points: readonly Point[], noiseFloor: number): Pattern | null {
  const n = points.length;
  if (n < 4) return null;
  // When a burst that follows point i began: within burstSeenWithinMs of the point that shows it.
  const began = (i: number) =>
    i + 1 < n ? Math.max(points[i]!.at, points[i + 1]!.at - PATTERN.burstSeenWithinMs) : points[i]!.at;
  const ms = ([a, b]: [number, number]) => points[b]!.at - points[a]!.at;
  const fill = ([a, b]: [number, number]) => points[a]!.available - points[b]!.available;
  const pauses: [number, number][] = [];
  let from = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && Math.abs(points[i]!.available - points[i - 1]!.available) <= noiseFloor) continue;
    const run: [number, number] = [from, i - 1];
    if (ms(run) >= PATTERN.pauseMinMs && Math.abs(fill(run)) <= 2 * noiseFloor) pauses.push(run);
    from = i;
  }
  const bursts: [number, number][] = [];
  let start = 0;
  const ends: [number, number][] = [...pauses, [n - 1, n - 1]];
  for (const [a, b] of ends) {
    if (a > start && fill([start, a]) >= 3 * noiseFloor) bursts.push([start, a]);
    start = b;
  }
  if (bursts.length < 2) return null;
  const begin = bursts[0]![0];
  const after = pauses.filter(([a]) => a >= begin);
  const sum = (runs: [number, number][], f: (r: [number, number]) => number) =>
    runs.reduce((s, r) => s + f(r), 0);
  const [pauseMs, burstMs] = [sum(after, ms), sum(bursts, ([a, b]) => points[b]!.at - began(a))];
  const spanMs = points[n - 1]!.at - began(begin);
  if (pauseMs < PATTERN.pauseShare * spanMs || burstMs <= 0) return null;
  if (sum(after, fill) / pauseMs > (PATTERN.pauseRateShare * sum(bursts, fill)) / burstMs) return null;
  const trailing = after.at(-1)?.[1] === n - 1 ? ms(after.at(-1)!) : 0;
  const between = Math.max(0, ...after.filter(([, b]) => b < n - 1).map(ms));
  if (trailing > 2 * between + PATTERN.pauseMinMs) return null;
  return {
    status: 'bursts',
    cycle: null,
    fillRateBytesPerSec: fill([begin, n - 1]) / (spanMs / 1000),
    trendSince: points[begin]!.at,
    points: n - begin,
  };
}

/**
 * A fill that refills what was freed earlier in the window (a rotated log, a cache that is
 * cleared and grows back), and has not gone lower than before: the pattern says it will be freed
 * again, so it is no evidence that critical is coming.
 */
export function refillOfCycle(before: readonly Point[], last: Point): boolean {
  const fill = before.at(-1)!.available - last.available;
  let low = Infinity;
  let freed = 0;
  for (const p of before) {
    low = Math.min(low, p.available);
    freed = Math.max(freed, p.available - low);
  }
  return freed >= fill / 2 && last.available >= low - fill / 20;
}
