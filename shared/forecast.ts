import { formatBytes, formatDuration } from './format.js';
import { usableOf, type MountState, type Sample } from './disk.js';

/**
 * Where free space is heading, from points over *time* (not a count of readings): the current
 * trend is the longest recent stretch a straight line fits, found by walking back from the newest
 * points until the disk stops following the line (a rotation, a step, a fill that started or
 * stopped). Its rate gives the times to warning, critical and full, with an uncertainty; a
 * forecast without enough evidence says so instead of guessing. Pure.
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
 */
export type TrendStatus = 'insufficient' | 'fluctuating' | 'stable' | 'freeing' | 'filling';

export interface Forecast {
  status: TrendStatus;
  /** Bytes per second being filled; negative when space is being freed, 0 when stable. */
  fillRateBytesPerSec: number | null;
  /** ± relative uncertainty of the rate, and so of the times (0.1 = ±10 %). */
  uncertainty: number | null;
  /** Seconds until each threshold at the current rate: null once passed, or without confidence. */
  secondsToWarning: number | null;
  secondsToCritical: number | null;
  secondsToFull: number | null;
  /** Epoch ms the current trend began: how long the disk has followed it. */
  trendSince: number | null;
  /** Points the trend rests on, and how well a line fits them (R², 0–1). */
  points: number;
  fit: number | null;
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

/** Running sums for a least-squares line over x (seconds) and y (bytes). */
class Fit {
  n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private syy = 0;
  add(x: number, y: number): void {
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.sxy += x * y;
    this.syy += y * y;
  }
  private get cxx() {
    return this.sxx - (this.sx * this.sx) / this.n;
  }
  private get cxy() {
    return this.sxy - (this.sx * this.sy) / this.n;
  }
  private get cyy() {
    return Math.max(0, this.syy - (this.sy * this.sy) / this.n);
  }
  get slope(): number {
    return this.cxx > 0 ? this.cxy / this.cxx : 0;
  }
  at(x: number): number {
    return this.sy / this.n + this.slope * (x - this.sx / this.n);
  }
  /** Sum of squared residuals. */
  get residual(): number {
    return Math.max(0, this.cyy - this.slope * this.cxy);
  }
  /** R²: the share of the variation the line explains (1 for a flat, exact line). */
  get r2(): number {
    return this.cyy > 0 ? 1 - this.residual / this.cyy : 1;
  }
  /** Standard error of the slope. */
  get slopeError(): number {
    return this.n > 2 && this.cxx > 0 ? Math.sqrt(this.residual / (this.n - 2) / this.cxx) : Infinity;
  }
}

function fitOf(points: readonly Point[], origin: number): Fit {
  const f = new Fit();
  for (const p of points) f.add((p.at - origin) / 1000, p.available);
  return f;
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
    if (!fits(window.slice(k), last.at, noise)) break;
    start = k;
  }
  // …then, from the last start that fitted, one point at a time up to the step that did not.
  for (let k = start - 1; k >= 0 && fits(window.slice(k), last.at, noise); k--) start = k;
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
  const sustained =
    spanSec * 1000 >= FORECAST.predictMinMs &&
    (seenStarting || secondsToCritical === null || spanSec >= FORECAST.predictEvidence * secondsToCritical) &&
    !refillOfCycle(window.slice(0, start + 1), last);
  return {
    ...filling,
    secondsToWarning: until((last.usable * t.warningPercent) / 100),
    secondsToCritical,
    secondsToFull: until(0),
    sustained,
  };
}

/**
 * A fill that refills what was freed earlier in the window (a rotated log, a cache that is
 * cleared and grows back), and has not gone lower than before: the pattern says it will be freed
 * again, so it is no evidence that critical is coming.
 */
function refillOfCycle(before: readonly Point[], last: Point): boolean {
  const fill = before.at(-1)!.available - last.available;
  let low = Infinity;
  let freed = 0;
  for (const p of before) {
    low = Math.min(low, p.available);
    freed = Math.max(freed, p.available - low);
  }
  return freed >= fill / 2 && last.available >= low - fill / 20;
}

/** Whether a least-squares line fits these points (see the walk back in `forecast`). */
function fits(points: readonly Point[], origin: number, noise: number): boolean {
  const f = fitOf(points, origin);
  const span = (origin - points[0]!.at) / 1000;
  const tolerance = 3 * noise + FORECAST.fitTolerance * Math.abs(f.slope) * span;
  // A trend does not begin with a stray: its two oldest points must fit.
  let strays = 0;
  for (const [i, p] of points.entries())
    if (
      Math.abs(p.available - f.at((p.at - origin) / 1000)) > tolerance &&
      (i < 2 || ++strays > points.length / 20)
    )
      return false;
  return true;
}

/** Whether the older and the newer half of a span of points each hold two of them at least. */
function spread(points: readonly Point[]): boolean {
  const mid = (points[0]!.at + points.at(-1)!.at) / 2;
  return points.filter((p) => p.at <= mid).length >= 2 && points.filter((p) => p.at >= mid).length >= 2;
}

/** How far the rate differs between the older and newer half of the trend (half of it). */
function drift(points: readonly Point[], origin: number): number {
  const mid = points[0]!.at + (origin - points[0]!.at) / 2;
  const older = points.filter((p) => p.at <= mid);
  const newer = points.filter((p) => p.at >= mid);
  if (older.length < 3 || newer.length < 3) return 0;
  return Math.abs(fitOf(older, origin).slope - fitOf(newer, origin).slope) / 2;
}

/** 1.48 × the median absolute residual: a standard deviation that one wild point cannot inflate. */
function robustScale(residuals: number[]): number {
  const sorted = residuals.map(Math.abs).sort((a, b) => a - b);
  return 1.48 * (sorted[Math.floor(sorted.length / 2)] ?? 0);
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** The forecast as a disk in `state` shows it: no time to a threshold it is already past. */
export function forState(f: Forecast, state: MountState): Forecast {
  if (state === 'warning') return { ...f, secondsToWarning: null };
  if (state === 'critical') return { ...f, secondsToWarning: null, secondsToCritical: null };
  return f;
}

/**
 * A time with its uncertainty, as a person says it: "about 42 min", "35–50 min", "50 s–2 min".
 */
export function describeTime(seconds: number, uncertainty: number | null): string {
  const u = Math.min(uncertainty ?? 0, 0.9);
  const [lo, hi] = [formatDuration((seconds / (1 + u)) * 1000), formatDuration((seconds / (1 - u)) * 1000)];
  if (lo === hi) return `about ${lo}`;
  const [loValue, loUnit] = lo.split(' ');
  const [hiValue, hiUnit] = hi.split(' ');
  return loUnit === hiUnit ? `${loValue}–${hiValue} ${hiUnit}` : `${lo}–${hi}`;
}

/**
 * A predictive alert's claim, with the lead time and uncertainty every surface quotes ("will be
 * critical in 5–7 min"), or null when the forecast gives no time to critical.
 */
export function describePrediction(f: Forecast): string | null {
  if (f.secondsToCritical === null) return null;
  return `will be critical in ${describeTime(f.secondsToCritical, f.uncertainty ?? null)}`;
}

/** "at this rate, full in about 42 min", or null when the forecast gives no time. */
export function describeForecast(f: Forecast): string | null {
  if (f.secondsToFull === null || (f.status !== undefined && f.status !== 'filling')) return null;
  return `at this rate, full in ${describeTime(f.secondsToFull, f.uncertainty ?? null)}`;
}

/**
 * The trend in words for views (`check`, the window): never a time without the evidence for it.
 */
export function describeTrend(f: Forecast): string {
  switch (f.status) {
    case 'insufficient':
      return 'not enough data yet';
    case 'fluctuating':
      return 'fluctuating';
    case 'stable':
      return 'stable';
    case 'freeing':
      return `being freed at ${formatBytes(-(f.fillRateBytesPerSec ?? 0))}/s`;
    case 'filling': {
      const rate = `filling at ${formatBytes(f.fillRateBytesPerSec ?? 0)}/s`;
      if (f.secondsToFull === null) return `${rate} (measuring)`;
      const times = [
        f.secondsToWarning !== null ? `warning in ${describeTime(f.secondsToWarning, f.uncertainty)}` : null,
        f.secondsToCritical !== null
          ? `critical in ${describeTime(f.secondsToCritical, f.uncertainty)}`
          : null,
        `full in ${describeTime(f.secondsToFull, f.uncertainty)}`,
      ].filter(Boolean);
      return `${rate}: ${times.join(', ')}`;
    }
  }
}
