import { mountOf, usableOf, type Reading, type Sample } from '../../shared/disk.js';
import { addPoint, FORECAST, pointOf, type Point } from '../../shared/forecast.js';
import type { MountRecord } from '../../shared/hysteresis.js';
import { pointsFor, type ChartPoint, type ChartRange } from '../../shared/sample-history.js';
import type { StoreWarning } from '../json-store.js';
import { SampleHistoryStore, SampleStore } from '../sample-store.js';

/** How often a fast re-read that found nothing changed still adds a point (see remember)… */
const UNCHANGED_POINT_MS = 5_000;
/** …except for this long after a change, when one a second shows a fill has stopped. */
const SETTLING_MS = 10_000;
/**
 * Between full samples, the forecast's points are saved at most this often (for `check`), once
 * the figures changed: the points a disk holding still adds wait for the next full sample.
 */
const SAVE_POINTS_MS = 5_000;

const sameFigures = (a: Sample, b: Sample) =>
  a.available === b.available &&
  a.used === b.used &&
  a.size === b.size &&
  a.inodes?.free === b.inodes?.free &&
  a.inodes?.total === b.inodes?.total;

/**
 * What the watcher keeps of each mount's readings: the latest one, the recent points the forecast
 * is made from (saved for `check`, so every view quotes one forecast) and the chart's history.
 */
export class RecentReadings {
  private readonly latest = new Map<string, Reading>();
  private readonly recent = new Map<string, Point[]>();
  /** When each mount's figures last changed (see remember). */
  private readonly lastChange = new Map<string, number>();
  private readonly samples: SampleStore;
  private readonly history: SampleHistoryStore;
  private pointsChanged = false;
  private pointsSavedAt = -Infinity;

  constructor(dir: string, warn?: (w: StoreWarning) => void) {
    this.samples = new SampleStore(dir, warn);
    for (const [mount, points] of Object.entries(this.samples.all())) this.recent.set(mount, [...points]);
    this.history = new SampleHistoryStore(dir, warn);
  }

  /** The latest reading of this mount, if it was read in this run. */
  reading(mount: string): Reading | undefined {
    return this.latest.get(mount);
  }

  /** The latest reading of every mount read in this run. */
  readings(): Reading[] {
    return [...this.latest.values()];
  }

  /** The recent points the forecast is made from, oldest first. */
  points(mount: string): readonly Point[] {
    return this.recent.get(mount) ?? [];
  }

  /** A disk's free space over the last hour, day or week, for its chart. */
  chart(mount: string, range: ChartRange, now: number): ChartPoint[] {
    return pointsFor(this.history.get(mount), range, now);
  }

  /**
   * Keeps the reading and, unless it is a re-read that found nothing new (see remember), a point
   * for the forecast and for the chart; says whether a view would show anything new.
   */
  add(r: Reading, full: boolean, states: Record<string, MountRecord>): boolean {
    if (!this.remember(r, full)) return false;
    const info = r.ok ? r.sample : r.mount;
    this.history.add(info.mount, {
      at: r.ok ? r.sample.at : r.at,
      available: r.ok ? r.sample.available : null,
      usable: r.ok ? usableOf(r.sample) : null,
      state: states[info.mount]?.state ?? 'ok',
    });
    return true;
  }

  /** A disk no longer watched (gone quietly): views drop it; its chart history stays. */
  forget(mount: string): void {
    this.latest.delete(mount);
    this.lastChange.delete(mount);
    if (this.recent.delete(mount)) this.pointsChanged = true;
  }

  /** Saves the points at a full sample, or between them once changed and due; the chart at a full one. */
  save(full: boolean, now: number): void {
    if (full || (this.pointsChanged && now - this.pointsSavedAt >= SAVE_POINTS_MS)) {
      this.samples.save(Object.fromEntries(this.recent));
      this.pointsChanged = false;
      this.pointsSavedAt = now;
    }
    if (full) this.history.save(now);
  }

  /**
   * Keeps the latest reading, and a point for the forecast; says whether a view would show
   * anything new. Points are thinned by age (see addPoint). A fast re-read that found the disk as
   * it was adds a point only every UNCHANGED_POINT_MS — a disk in alert is re-read every 700 ms —
   * except within SETTLING_MS of a change, when one a second lets the forecast see a fill stop
   * within seconds.
   */
  private remember(r: Reading, full: boolean): boolean {
    const mount = mountOf(r);
    const before = this.latest.get(mount);
    this.latest.set(mount, r);
    if (!r.ok) return true;
    const list = this.recent.get(mount) ?? [];
    const last = list.at(-1);
    const unchanged = before?.ok === true && sameFigures(before.sample, r.sample);
    if (before?.ok && !unchanged) this.lastChange.set(mount, r.sample.at);
    if (!full && last && last.at < r.sample.at && unchanged) {
      const settling = r.sample.at - (this.lastChange.get(mount) ?? -Infinity) <= SETTLING_MS;
      if (r.sample.at - last.at < (settling ? FORECAST.recentSpacingMs : UNCHANGED_POINT_MS)) return false;
    }
    // A clock set back: addPoint drops the samples "from the future", which would bend the trend.
    this.recent.set(mount, addPoint(list, pointOf(r.sample)));
    if (!unchanged) this.pointsChanged = true;
    return true;
  }
}
