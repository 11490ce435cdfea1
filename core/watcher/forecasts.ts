import type { MountState, Reading } from '../../shared/disk.js';
import { forecast, FORECAST, forState, pointOf, type Forecast } from '../../shared/forecast.js';
import { predictiveAlert } from '../../shared/hysteresis.js';
import type { Settings } from '../../shared/settings.js';
import { effectiveThresholds, thresholdsFor } from '../../shared/thresholds.js';
import type { Assessment } from '../alert-judge.js';
import type { Forecaster } from '../monitor.js';
import type { StateStore } from '../state-store.js';
import type { RecentReadings } from './recent-readings.js';

/**
 * Each mount's forecast from its recent points and latest reading, against its own thresholds;
 * one reading is judged, scheduled and shown, so each is worked out once and kept until the
 * points or thresholds change.
 */
export class Forecasts implements Forecaster {
  private readonly cache = new Map<string, { key: string; forecast: Forecast }>();

  constructor(
    private readonly recent: RecentReadings,
    private readonly states: StateStore,
    private readonly settings: () => Settings,
  ) {}

  /** The forecast from the recent points and the latest reading (or `reading`). */
  forecast(mount: string, reading?: Reading, settings = this.settings()): Forecast {
    const points = this.recent.points(mount);
    const last = points.at(-1);
    const latest = reading ?? this.recent.reading(mount);
    const extra = latest?.ok && (!last || latest.sample.at > last.at) ? [pointOf(latest.sample)] : [];
    const all = [...points, ...extra];
    const newest = all.at(-1);
    const t = effectiveThresholds(thresholdsFor(settings, mount), 'space', newest?.usable ?? 0);
    const key = `${all.length}:${all[0]?.at}:${newest?.at}:${newest?.available}:${t.warningPercent}:${t.criticalPercent}`;
    const cached = this.cache.get(mount);
    if (cached?.key === key) return cached.forecast;
    const f = forecast(all, t);
    this.cache.set(mount, { key, forecast: f });
    return f;
  }

  /** The forecast a transition to `state` quotes (see forState). */
  forecastFor(mount: string, reading: Reading, state: MountState): Forecast {
    return forState(this.forecast(mount, reading), state);
  }

  /** The forecast as views and messages show it: no time to a threshold the disk is already past. */
  forecastNow(mount: string): Forecast {
    return forState(this.forecast(mount), this.states.all()[mount]?.state ?? 'ok');
  }

  /**
   * What the monitor asks of the trend for one reading (see Assessment), worked out only if asked:
   * most re-reads of a disk in alert need no forecast (none in critical, none while it holds).
   */
  assess(mount: string, reading: Reading, settings: Settings): Assessment {
    const f = () => this.forecast(mount, reading, settings);
    const at = reading.ok ? reading.sample.at : reading.at;
    return {
      get predict() {
        const minutes = settings.predictiveMinutes;
        return minutes === null ? { raise: false, hold: false } : predictiveAlert(f(), minutes);
      },
      get steadyFillRate() {
        if (!reading.ok) return undefined;
        const trend = f();
        const rate = trend.fillRateBytesPerSec;
        const steady =
          trend.status === 'filling' &&
          trend.trendSince !== null &&
          trend.points >= 4 &&
          (trend.fit ?? 0) >= FORECAST.minFit &&
          at - trend.trendSince >= settings.confirmSeconds * 1000;
        if (!steady || rate === null) return undefined;
        return (rate / (reading.sample.used + reading.sample.available)) * 100;
      },
    };
  }
}
