import { usableOf, type MountState, type Sample } from './disk.js';
import { drift, fitOf, fits, robustScale, rose, spread, tolerance } from './forecast-fit.js';
import { patternOf, refillOfCycle } from './forecast-pattern.js';

export { describeForecast, describePrediction, describeTime, describeTrend } from './forecast-words.js';

/**
 * Where free space is heading, from points over *time* (not a count of readings): the current
 * trend is the longest recent stretch a straight line fits, found by walking back from the newest
 * points until the disk stops following the line (a rotation, a step, a fill that started or
 * stopped). Its rate gives the times to warning, critical and full, with an uncertainty — only
 * as far ahead as the evidence reaches (FORECAST.horizonPerEvidence); a forecast without enough
 * evidence says so instead of guessing, and a cycle or a fill in bursts is named instead of
 * timed (see forecast-pattern.ts). Pure.
 */
export interface Point {
  /** Epoch ms. */
  at: number;
  /** Bytes an unprivileged user can still write. */
  available: number;
  /** used + available. */
  usable: number;
}

/** The point a reading adds to a disk's forecast. */
export function pointOf(s: Sample): Point {
  return { at: s.at, available: s.available, usable: usableOf(s) };
}

/**
 * - `insufficient`: too few points, or too short a span, to say anything ("not enough data yet")
 * - `fluctuating`: the newest points follow no line (a step or a burst just happened)
 * - `stable`, `freeing`: no fill worth a forecast
 * - `filling`: times are given once the fill has been followed long enough (see FORECAST)
 * - `cycling`: free space dips and comes back, again and again (a rotated log): see `cycle`
 * - `bursts`: fills with pauses between them (clone after clone): a rate, never a time
 */
export type TrendStatus =
  'insufficient' | 'fluctuating' | 'stable' | 'freeing' | 'filling' | 'cycling' | 'bursts';

export interface Forecast {
  status: TrendStatus;
  /** Bytes per second being filled; negative when space is being freed, 0 when stable. */
  fillRateBytesPerSec: number | null;
  /** ± relative uncertainty of the rate, and so of the times (0.1 = ±10 %). */
  uncertainty: number | null;
  /**
   * Seconds until each threshold at the current rate: null once passed, without confidence, or
   * further ahead than the steady evidence supports (FORECAST.horizonPerEvidence). Never 0.
   */
  secondsToWarning: number | null;
  secondsToCritical: number | null;
  secondsToFull: number | null;
  /** Epoch ms the current trend began: how long the disk has followed it. */
  trendSince: number | null;
  /** Points the trend rests on, and how well a line fits them (R², 0–1). */
  points: number;
  fit: number | null;
  /**
   * How long a confident fill has been steady (seconds): what is said instead of a time the
   * evidence does not reach yet ("steady for 12 min"). Null when not filling steadily.
   */
  steadySeconds: number | null;
  /** For `cycling`: how low free space dips (percent of the disk) and how often. */
  cycle: { dipPercent: number; periodSeconds: number } | null;
  /**
   * Evidence enough for a predictive alert: the fill has lasted at least FORECAST.predictMinMs;
   * it began while watched (or, if it was already under way at the first point, has lasted at
   * least `predictEvidence` times the lead time it claims); and it is not the refill of a cycle
   * (space freed and filled again within the window, no lower than before).
   */
  sustained: boolean;
}

export const NO_FORECAST: Forecast = {
  status: 'insufficient',
  fillRateBytesPerSec: null,
  uncertainty: null,
  secondsToWarning: null,
  secondsToCritical: null,
  secondsToFull: null,
  trendSince: null,
  points: 0,
  fit: null,
  steadySeconds: null,
  cycle: null,
  sustained: false,
};

export const FORECAST = {
  /** History kept and looked at: an hour of time, whatever the number of readings in it. */
  windowMs: 60 * 60_000,
  /**
   * Points are thinned by age so fast re-reads (every 100 ms near a threshold) cannot crowd out
   * history: one a second for the last two minutes, then one every 20 s — ~300 points at most.
   */
  recentMs: 2 * 60_000,
  recentSpacingMs: 1000,
  olderSpacingMs: 20_000,
  /** The newest points a trend is judged on first: a stopped fill shows within this long. */
  headMs: 5000,
  /** Times are given once a fill has been followed this long, on at least 4 points. */
  trendMinMs: 10_000,
  /** A line must explain this much of the variation (R²) to be believed. */
  minFit: 0.9,
  /** A trend's points stray from its line by no more than this share of the change it spans. */
  fitTolerance: 0.02,
  /**
   * A time is given only as far ahead as this many times the span of steady evidence behind it
   * (issue 28): a fill followed for 10 min may say "full in 20 min", not "full in 3 h". A log
   * that grew for 30 s and was rotated 12 s after "full in 55 s–2 min" is what this prevents;
   * a steady fill still gets its time once it has lasted a third of the way to the threshold.
   * The refill of space freed within the window (a rotated log before its cycle shows twice, see
   * forecast-pattern.ts) reaches half as far: last time, the disk was freed at about this level.
   */
  horizonPerEvidence: 2,
  /** Above this the rate is too uncertain to put a time on. */
  maxUncertainty: 0.5,
  /** Below this a disk counts as stable: 1 KiB/s fills a terabyte in 30 years. */
  stableBytesPerSec: 1024,
  /** The smallest change that is not noise: a few blocks, or 10 ppm of the disk. */
  noiseFloorBytes: 64 * 1024,
  noiseFloorShare: 1e-5,
  /** Predictive alert: a fill followed at least this long … */
  predictMinMs: 2 * 60_000,
  /**
   * … and, when its beginning was not seen (it was under way at the first point: a watcher just
   * started, perhaps in the middle of a cycle), at least this many times the lead it predicts.
   */
  predictEvidence: 2,
};

/**
 * Adds a point and thins the list by age (see FORECAST.recentSpacingMs), dropping points older
 * than the window. A point at or before the newest one replaces what it overtakes (a clock set
 * back). Returns a new list.
 */
export function addPoint(points: readonly Point[], p: Point): Point[] {
  const kept = points.filter((q) => q.at < p.at && q.at >= p.at - FORECAST.windowMs);
  kept.push(p);
  return thin(kept, p.at);
}

/**
 * Keeps one point per time bucket — a second wide for recent points, 20 s for older ones — and
 * the newest point. Buckets are fixed in time, so what the forecast rests on does not shift with
 * every reading. Each bucket keeps its fullest point (least available): the lowest a disk fell to
 * survives thinning, which tells a cycle that refills from one that goes lower than before.
 */
export function thin(points: readonly Point[], now: number): Point[] {
  const out: Point[] = [];
  let bucket = '';
  points.forEach((p, i) => {
    const width = now - p.at <= FORECAST.recentMs ? FORECAST.recentSpacingMs : FORECAST.olderSpacingMs;
    const b = `${width}:${Math.floor(p.at / width)}`;
    const newest = i === points.length - 1;
    if (b !== bucket || newest) out.push(p);
    else if (p.available < out.at(-1)!.available) out[out.length - 1] = p;
    bucket = newest ? '' : b;
  });
  return out;
}

export function forecast(
  points: readonly Point[],
  t: { warningPercent: number; criticalPercent: number },
): Forecast {
  const last = points.at(-1);
  if (!last) return NO_FORECAST;
  const window = points.filter((p) => p.at >= last.at - FORECAST.windowMs && p.at <= last.at);
  const x = (p: Point) => (p.at - last.at) / 1000;
  const noiseFloor = Math.max(FORECAST.noiseFloorBytes, last.usable * FORECAST.noiseFloorShare);

  // The head: the newest points spanning headMs (three at least).
  let head = window.length - 3;
  while (head > 0 && last.at - window[head]!.at < FORECAST.headMs) head--;
  if (head < 0 || last.at - window[head]!.at < FORECAST.headMs) return NO_FORECAST;
  // A cycle or a fill in bursts says more than any line through its newest stretch.
  const pattern = patternOf(window, noiseFloor, last.at - FORECAST.recentMs);
  if (pattern) return { ...NO_FORECAST, ...pattern };
  const headPoints = window.slice(head);
  const headFit = fitOf(headPoints, last.at);
  const headRange =
    Math.max(...headPoints.map((p) => p.available)) - Math.min(...headPoints.map((p) => p.available));
  const flat = headRange <= 3 * noiseFloor;
  // A jump between two readings is not a fill: a line through one old point and a few new ones
  // fits them perfectly, so each half of the head must hold two points of its own.
  if (!flat && (headFit.r2 < 0.8 || !spread(headPoints)))
    return { ...NO_FORECAST, status: 'fluctuating', points: headPoints.length };
  const noise = Math.max(noiseFloor, robustScale(headPoints.map((p) => p.available - headFit.at(x(p)))));

  // Walk back while a line still fits every point from there on: within a few blocks of noise
  // and 2 % of the change it spans (a fill that slowed by a quarter still fits; a calm stretch
  // before it, a rotation or a step does not). One stray point in twenty is forgiven. Starts
  // are tried a tenth further back each time — a few dozen fits of at most ~300 points…
  let start = head;
  for (let k = head - 1; k >= 0; k -= Math.max(1, Math.floor((window.length - k) / 10))) {
    if (!fits(window.slice(k), last.at, noise, FORECAST.fitTolerance)) break;
    start = k;
  }
  // …then, from the last start that fitted, one point at a time up to the step that did not.
  for (let k = start - 1; k >= 0 && fits(window.slice(k), last.at, noise, FORECAST.fitTolerance); k--)
    start = k;
  const trend = fitOf(window.slice(start), last.at);
  const since = window[start]!.at;
  const spanSec = (last.at - since) / 1000;
  const rate = -trend.slope;
  const base = { trendSince: since, points: trend.n, fit: round3(trend.r2) };
  if (Math.abs(rate) < FORECAST.stableBytesPerSec || Math.abs(rate) * spanSec < 3 * noise)
    return { ...NO_FORECAST, ...base, status: 'stable', fillRateBytesPerSec: 0 };
  if (rate < 0) return { ...NO_FORECAST, ...base, status: 'freeing', fillRateBytesPerSec: rate };

  const trendPoints = window.slice(start);
  const uncertainty = Math.min(
    1,
    (2 * trend.slopeError + drift(trendPoints, last.at)) / Math.abs(trend.slope),
  );
  const filling = {
    ...NO_FORECAST,
    ...base,
    status: 'filling' as const,
    fillRateBytesPerSec: rate,
    uncertainty,
  };
  const confident =
    spanSec * 1000 >= FORECAST.trendMinMs &&
    trend.n >= 4 &&
    spread(trendPoints) &&
    trend.r2 >= FORECAST.minFit &&
    uncertainty <= FORECAST.maxUncertainty;
  if (!confident) return filling;
  // From where the disk is now: a threshold it is already past has no time.
  const until = (target: number) => (last.available > target ? (last.available - target) / rate : null);
  const secondsToCritical = until((last.usable * t.criticalPercent) / 100);
  const seenStarting = start > 0;
  const refill = refillOfCycle(window.slice(0, start + 1), last);
  const sustained =
    spanSec * 1000 >= FORECAST.predictMinMs &&
    (seenStarting || secondsToCritical === null || spanSec >= FORECAST.predictEvidence * secondsToCritical) &&
    !refill;
  // A time only as far ahead as the evidence reaches (half as far for a refill), and none if free
  // space came back within it (a forgiven stray may be a rise): then the fill was not steady.
  const steady = !rose(trendPoints, tolerance(trend, spanSec, noise, FORECAST.fitTolerance));
  const reach = FORECAST.horizonPerEvidence * spanSec * (refill ? 0.5 : 1);
  const supported = (s: number | null) => (steady && s !== null && s <= reach ? s : null);
  return {
    ...filling,
    secondsToWarning: supported(until((last.usable * t.warningPercent) / 100)),
    secondsToCritical: supported(secondsToCritical),
    secondsToFull: supported(until(0)),
    steadySeconds: steady ? spanSec : null,
    sustained,
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * A time in whole seconds, as `check --json` and the metrics give it: never 0 while it is a time
 * (issue 28 saw `secondsToFull: 0` with 2.2 % free — 0.4 s rounded down).
 */
export const wholeSeconds = (s: number): number => Math.max(1, Math.round(s));

/** The forecast as a disk in `state` shows it: no time to a threshold it is already past. */
export function forState(f: Forecast, state: MountState): Forecast {
  if (state === 'warning') return { ...f, secondsToWarning: null };
  if (state === 'critical') return { ...f, secondsToWarning: null, secondsToCritical: null };
  return f;
}
