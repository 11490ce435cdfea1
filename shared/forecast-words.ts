import { formatBytes, formatDuration } from './format.js';
import type { Forecast } from './forecast.js';

/**
 * The forecast in words, the same on every surface (`check`, the window, notifications, the
 * channels' `{{forecast}}`): a time only where the forecast gives one, and a pattern named for what
 * it is. Pure.
 */

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

/** "cycling: dips to about 3.1% every 1 min", or "filling in bursts". */
function describePattern(f: Forecast): string | null {
  if (f.status === 'bursts') return 'filling in bursts';
  if (f.status !== 'cycling' || !f.cycle) return null;
  const { dipPercent, periodSeconds } = f.cycle;
  return `cycling: dips to about ${dipPercent.toFixed(1)}% every ${formatDuration(periodSeconds * 1000)}`;
}

/**
 * What a message says of the trend: "at this rate, full in about 42 min", a pattern ("filling in
 * bursts"), or null when there is nothing the forecast knows to say.
 */
export function describeForecast(f: Forecast): string | null {
  if (f.status === 'bursts' || f.status === 'cycling') return describePattern(f);
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
    case 'bursts':
      return `filling in bursts, ${formatBytes(f.fillRateBytesPerSec ?? 0)}/s on average`;
    case 'cycling':
      return describePattern(f) ?? 'cycling';
    case 'filling': {
      const rate = `filling at ${formatBytes(f.fillRateBytesPerSec ?? 0)}/s`;
      const times = [
        f.secondsToWarning !== null ? `warning in ${describeTime(f.secondsToWarning, f.uncertainty)}` : null,
        f.secondsToCritical !== null
          ? `critical in ${describeTime(f.secondsToCritical, f.uncertainty)}`
          : null,
        f.secondsToFull !== null ? `full in ${describeTime(f.secondsToFull, f.uncertainty)}` : null,
      ].filter(Boolean);
      if (times.length > 0) return `${rate}: ${times.join(', ')}`;
      // A steady fill too young for its horizon says how long it has held, not when it will be full.
      return f.steadySeconds !== null && f.steadySeconds > 0
        ? `${rate}, steady for ${formatDuration(f.steadySeconds * 1000)}`
        : `${rate} (measuring)`;
    }
  }
}
