import type { Point } from './forecast.js';

/**
 * Straight lines through a disk's points (x: seconds from an origin, y: bytes available), and the
 * tests the forecast puts them to. Pure.
 */

/** Running sums for a least-squares line over x (seconds) and y (bytes). */
export class Fit {
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

export function fitOf(points: readonly Point[], origin: number): Fit {
  const f = new Fit();
  for (const p of points) f.add((p.at - origin) / 1000, p.available);
  return f;
}

/**
 * How far a point may stray from line `f` over `spanSec` and still follow it: a few blocks of
 * noise and `share` of the change the line spans (a fill that slowed by a quarter still fits).
 */
export function tolerance(f: Fit, spanSec: number, noise: number, share: number): number {
  return 3 * noise + share * Math.abs(f.slope) * spanSec;
}

/** Whether a least-squares line fits these points (see the walk back in `forecast`). */
export function fits(points: readonly Point[], origin: number, noise: number, share: number): boolean {
  const f = fitOf(points, origin);
  const within = tolerance(f, (origin - points[0]!.at) / 1000, noise, share);
  // A trend does not begin with a stray: its two oldest points must fit. One in twenty may stray.
  let strays = 0;
  for (const [i, p] of points.entries())
    if (
      Math.abs(p.available - f.at((p.at - origin) / 1000)) > within &&
      (i < 2 || ++strays > points.length / 20)
    )
      return false;
  return true;
}

/**
 * Whether free space came back, within these points, by more than `by` above the lowest it
 * had been: a forgiven stray may be a rise, and a rise is no evidence of a steady fill.
 */
export function rose(points: readonly Point[], by: number): boolean {
  let low = Infinity;
  for (const p of points) {
    if (p.available - low > by) return true;
    low = Math.min(low, p.available);
  }
  return false;
}

/** Whether the older and the newer half of a span of points each hold two of them at least. */
export function spread(points: readonly Point[]): boolean {
  const mid = (points[0]!.at + points.at(-1)!.at) / 2;
  return points.filter((p) => p.at <= mid).length >= 2 && points.filter((p) => p.at >= mid).length >= 2;
}

/** How far the rate differs between the older and newer half of the trend (half of it). */
export function drift(points: readonly Point[], origin: number): number {
  const mid = points[0]!.at + (origin - points[0]!.at) / 2;
  const older = points.filter((p) => p.at <= mid);
  const newer = points.filter((p) => p.at >= mid);
  if (older.length < 3 || newer.length < 3) return 0;
  return Math.abs(fitOf(older, origin).slope - fitOf(newer, origin).slope) / 2;
}

/** 1.48 × the median absolute residual: a standard deviation that one wild point cannot inflate. */
export function robustScale(residuals: number[]): number {
  const sorted = residuals.map(Math.abs).sort((a, b) => a - b);
  return 1.48 * (sorted[Math.floor(sorted.length / 2)] ?? 0);
}
