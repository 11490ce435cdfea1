/**
 * Where free space is heading: the fill rate from recent samples (least squares over a window)
 * and how long until the warning threshold, the critical threshold and a full disk. Pure.
 */
export interface Point {
  /** Epoch ms. */
  at: number;
  /** Bytes an unprivileged user can still write. */
  available: number;
  /** used + available. */
  usable: number;
}

export interface Forecast {
  /** Bytes per second being filled; negative when space is being freed. Null without enough samples. */
  fillRateBytesPerSec: number | null;
  secondsToWarning: number | null;
  secondsToCritical: number | null;
  secondsToFull: number | null;
}

export const NO_FORECAST: Forecast = {
  fillRateBytesPerSec: null,
  secondsToWarning: null,
  secondsToCritical: null,
  secondsToFull: null,
};

/** Recent enough to describe the current trend, long enough to smooth the noise. */
export const FORECAST_WINDOW_MS = 30 * 60_000;

/**
 * Below this a disk counts as stable: 1 KiB/s fills a terabyte in 30 years, and filesystems
 * jitter by a few blocks between reads.
 */
const STABLE_BYTES_PER_SEC = 1024;

export function forecast(
  points: readonly Point[],
  t: { warningPercent: number; criticalPercent: number },
  windowMs = FORECAST_WINDOW_MS,
): Forecast {
  const last = points.at(-1);
  if (!last) return NO_FORECAST;
  const recent = points.filter((p) => p.at >= last.at - windowMs);
  if (recent.length < 2 || last.at - recent[0]!.at < 1000) return NO_FORECAST;
  const rate = -slope(recent); // available shrinking = filling
  if (Math.abs(rate) < STABLE_BYTES_PER_SEC) return { ...NO_FORECAST, fillRateBytesPerSec: 0 };
  if (rate <= 0) return { ...NO_FORECAST, fillRateBytesPerSec: rate };
  // From where the trend line says the disk is now, not the last noisy point.
  const now = intercept(recent, last.at);
  const until = (targetAvailable: number) => (now <= targetAvailable ? 0 : (now - targetAvailable) / rate);
  return {
    fillRateBytesPerSec: rate,
    secondsToWarning: until((last.usable * t.warningPercent) / 100),
    secondsToCritical: until((last.usable * t.criticalPercent) / 100),
    secondsToFull: until(0),
  };
}

/** Least-squares slope of available bytes over time, in bytes per second. */
function slope(points: readonly Point[]): number {
  const n = points.length;
  const t0 = points[0]!.at;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (const p of points) {
    const x = (p.at - t0) / 1000;
    sx += x;
    sy += p.available;
    sxx += x * x;
    sxy += x * p.available;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}

/** The trend line's value at time `at`. */
function intercept(points: readonly Point[], at: number): number {
  const t0 = points[0]!.at;
  const m = slope(points);
  const meanX = points.reduce((s, p) => s + (p.at - t0) / 1000, 0) / points.length;
  const meanY = points.reduce((s, p) => s + p.available, 0) / points.length;
  return meanY + m * ((at - t0) / 1000 - meanX);
}

/** "full in 42 min", "full in 3 h", or null when there is nothing to say. */
export function describeForecast(f: Forecast): string | null {
  if (f.secondsToFull === null) return null;
  const s = f.secondsToFull;
  const when =
    s < 90
      ? `${Math.max(1, Math.round(s))} s`
      : s < 90 * 60
        ? `${Math.round(s / 60)} min`
        : s < 48 * 3600
          ? `${Math.round(s / 3600)} h`
          : `${Math.round(s / 86400)} days`;
  return `at this rate, full in ${when}`;
}
