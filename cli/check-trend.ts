import type { Reading } from '../shared/disk.js';
import { describeForecast, describeTime, type Forecast, wholeSeconds } from '../shared/forecast.js';

/**
 * The trend in words, and the time to full with its uncertainty where the evidence gives one ("—"
 * where it does not): never a time without the evidence, never a trend word where a time goes.
 */
export function trendCells(r: Reading, f: Forecast): [string, string] {
  if (!r.ok || r.sample.readOnly) return ['-', '-'];
  const timed = f.secondsToFull !== null;
  const words: Record<Forecast['status'], string> = {
    insufficient: 'not enough data',
    fluctuating: 'fluctuating',
    stable: 'stable',
    freeing: 'being freed',
    filling: timed ? 'filling' : 'filling, measuring',
    bursts: 'filling in bursts',
    cycling: describeForecast(f) ?? 'cycling',
  };
  return [words[f.status], timed ? describeTime(f.secondsToFull!, f.uncertainty) : '—'];
}

/** The forecast in `check --json`: whole seconds (never 0), rates in whole bytes. */
export function roundForecast(f: Forecast) {
  const r = (v: number | null) => (v === null ? null : Math.round(v));
  const s = (v: number | null) => (v === null ? null : wholeSeconds(v));
  return {
    trend: f.status,
    fillRateBytesPerSec: r(f.fillRateBytesPerSec),
    uncertainty: f.uncertainty === null ? null : Math.round(f.uncertainty * 100) / 100,
    secondsToWarning: s(f.secondsToWarning),
    secondsToCritical: s(f.secondsToCritical),
    secondsToFull: s(f.secondsToFull),
    cycle: f.cycle && {
      dipPercent: Math.round(f.cycle.dipPercent * 10) / 10,
      periodSeconds: wholeSeconds(f.cycle.periodSeconds),
    },
  };
}
