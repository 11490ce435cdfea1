import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { FAST_DETECTION, nextReadDelay } from '../../shared/fast-detection.js';
import {
  addPoint,
  describeForecast,
  describeTime,
  describeTrend,
  forecast,
  FORECAST,
  forState,
  NO_FORECAST,
  type Point,
} from '../../shared/forecast.js';

const T = { warningPercent: 20, criticalPercent: 10 };
const GiB = 1024 ** 3;
const filling = (ratePerSec: number, from = 50 * GiB, n = 10, stepMs = 60_000): Point[] =>
  Array.from({ length: n }, (_, i) => ({
    at: i * stepMs,
    available: from - (ratePerSec * (i * stepMs)) / 1000,
    usable: 100 * GiB,
  }));

describe('forecast', () => {
  it('measures a steady fill and times warning, critical and full from where the disk is now', () => {
    // 10 MiB/s for 29 min, from 40 GiB free of 100: full in 39 min, within twice the evidence.
    const f = forecast(filling(10 * 1024 ** 2, 40 * GiB, 30), T);
    assert.equal(f.status, 'filling');
    assert.ok(Math.abs(f.fillRateBytesPerSec! - 10 * 1024 ** 2) < 1);
    const available = 40 * GiB - 10 * 1024 ** 2 * 29 * 60;
    assert.ok(Math.abs(f.secondsToWarning! - (available - 20 * GiB) / (10 * 1024 ** 2)) < 0.01);
    assert.ok(Math.abs(f.secondsToFull! - available / (10 * 1024 ** 2)) < 0.01);
    assert.ok(f.secondsToWarning! < f.secondsToCritical! && f.secondsToCritical! < f.secondsToFull!);
    assert.ok(f.uncertainty! < 0.01 && f.fit! > 0.99);
  });

  it('says nothing about times when the disk is stable or being freed', () => {
    const stable = forecast(filling(0), T);
    assert.equal(stable.status, 'stable');
    assert.equal(stable.fillRateBytesPerSec, 0);
    assert.equal(stable.secondsToFull, null);
    const freeing = forecast(filling(-5 * 1024 ** 2), T);
    assert.equal(freeing.status, 'freeing');
    assert.ok(freeing.fillRateBytesPerSec! < 0);
    assert.equal(freeing.secondsToFull, null);
  });

  it('says "not enough data" rather than guess: few points, or a short span', () => {
    assert.deepEqual(forecast([], T), NO_FORECAST);
    assert.equal(forecast(filling(1e6, 50 * GiB, 2), T).status, 'insufficient');
    assert.equal(forecast(filling(1e6, 50 * GiB, 5, 10), T).status, 'insufficient', '5 points in 40 ms');
    // A fill seen for 6 s: a rate, but no time yet.
    const young = forecast(filling(1e6, 50 * GiB, 7, 1000), T);
    assert.equal(young.status, 'filling');
    assert.equal(young.secondsToFull, null);
    assert.equal(describeTrend(young), 'filling at 977 KiB/s (measuring)');
  });

  it('judges the trend over time, not a count of readings: fast re-reads cannot crowd out an hour', () => {
    // An hour of a 1 MB/s fill, then 20 minutes of re-reads every 100 ms: thinned, the hour stays.
    let points: Point[] = [];
    for (let at = 0; at <= 80 * 60_000; at += at < 60 * 60_000 ? 60_000 : 100)
      points = addPoint(points, { at, available: 100 * GiB - at * 1000, usable: 200 * GiB });
    assert.ok(points.length < 320, `${points.length} points kept`);
    assert.ok(points[0]!.at <= 20 * 60_000 + 20_000, 'the window reaches an hour back');
    const f = forecast(points, T);
    assert.ok(f.trendSince! <= 20 * 60_000 + 20_000, 'the trend rests on the whole hour');
    assert.ok(Math.abs(f.fillRateBytesPerSec! - 1e6) < 1);
  });

  it('a single large write is a step, not a fill: fluctuating, then stable — never "full in 73 s"', () => {
    const usable = 128 * 1024 ** 2;
    const at = (s: number, available: number) => ({ at: s * 1000, available, usable });
    const before = Array.from({ length: 30 }, (_, s) => at(s, 60 * 1024 ** 2));
    const jump = [...before, at(30, 5 * 1024 ** 2)];
    assert.equal(forecast(jump, T).status, 'fluctuating');
    assert.equal(forecast(jump, T).secondsToFull, null);
    const settled = [...jump, ...Array.from({ length: 6 }, (_, s) => at(31 + s, 5 * 1024 ** 2))];
    assert.equal(forecast(settled, T).status, 'stable');
  });

  it('a static disk with 4 MiB free after a fill is stable, never "full in 0 s"', () => {
    const usable = 128 * 1024 ** 2;
    const fill = Array.from({ length: 60 }, (_, s) => ({
      at: s * 1000,
      available: usable - s * 2 * 1024 ** 2,
      usable,
    })).filter((p) => p.available >= 4 * 1024 ** 2);
    const last = fill.at(-1)!;
    const still = Array.from({ length: 30 }, (_, s) => ({ ...last, at: last.at + (s + 1) * 1000 }));
    const points = [...fill, ...still];
    assert.equal(forecast(points, T).status, 'stable');
    // …and a stopped fill is recognised within seconds of stopping.
    for (const n of [6, 8, 10]) {
      const f = forecast([...fill, ...still.slice(0, n)], T);
      assert.equal(f.secondsToFull, null, `${n} s after the fill stopped: ${describeTrend(f)}`);
    }
  });

  it('gives no time to a threshold the disk is already past, and none to warning once in warning', () => {
    const f = forecast(filling(5e6, 15 * GiB), T);
    assert.equal(f.secondsToWarning, null);
    assert.ok(f.secondsToCritical! > 0);
    assert.equal(forState(f, 'warning').secondsToWarning, null);
    const early = forecast(filling(2e7, 40 * GiB, 15), T);
    assert.ok(early.secondsToWarning! > 0 && early.secondsToCritical! > 0);
    assert.equal(forState(early, 'warning').secondsToWarning, null, 'a warning above the threshold (margin)');
    assert.equal(forState(early, 'critical').secondsToCritical, null);
  });

  it('has the evidence for a predictive alert only after a sustained fill that is not a refill', () => {
    const usable = 100 * GiB;
    const rate = 20 * 1024 ** 2;
    const at = (s: number, available: number) => ({ at: s * 1000, available, usable });
    // From 18 GiB free of 100: critical (10 GiB) about 4 min away after 2.5 min of fill.
    const calm = Array.from({ length: 30 }, (_, s) => at(s * 10, 18 * GiB));
    const fill = (from: number, secs: number, start = 18 * GiB) =>
      Array.from({ length: secs }, (_, s) => at(from + s, start - s * rate));
    // Seen starting after a calm spell: sustained once it has lasted two minutes.
    assert.equal(forecast([...calm, ...fill(300, 90)], T).sustained, false, '90 s is too short');
    const seen = forecast([...calm, ...fill(300, 150)], T);
    assert.ok(seen.sustained && seen.secondsToCritical! > 0);
    // Under way since the first point: it must have lasted twice the lead it claims.
    const unseen = forecast(fill(0, 150), T);
    assert.equal(unseen.sustained, false);
    // A refill of space freed a while ago, no lower than before: a cycle, no evidence.
    const cycle = [...fill(0, 150), at(150, 18 * GiB), ...fill(151, 150)];
    assert.equal(forecast(cycle, T).sustained, false);
    // Lower than the cycle went before: evidence again.
    const lower = [...cycle, ...fill(301, 60, 18 * GiB - 150 * rate)];
    assert.equal(forecast(lower, T).sustained, true);
  });

  it('puts it in words, with its uncertainty', () => {
    const f = { ...NO_FORECAST, status: 'filling' as const, secondsToFull: 42 * 60, uncertainty: 0 };
    assert.equal(describeForecast(f), 'at this rate, full in about 42 min');
    assert.equal(describeForecast({ ...f, uncertainty: 0.2 }), 'at this rate, full in 35–53 min');
    assert.equal(describeTime(80, 0.3), '62 s–2 min');
    assert.equal(describeForecast({ ...f, secondsToFull: 30 }), 'at this rate, full in about 30 s');
    assert.equal(describeForecast(NO_FORECAST), null);
    assert.equal(describeTrend(NO_FORECAST), 'not enough data yet');
    assert.equal(describeTrend({ ...NO_FORECAST, status: 'fluctuating' }), 'fluctuating');
    // A steady fill too young for its horizon says how long it has held, not when it will be full.
    const young = { ...f, fillRateBytesPerSec: 2 * 1024 ** 2, secondsToFull: null, steadySeconds: 300 };
    assert.equal(describeTrend(young), 'filling at 2.00 MiB/s, steady for 5 min');
    assert.equal(describeForecast(young), null);
    // Patterns are named, in messages and views alike.
    const cycling = { ...NO_FORECAST, status: 'cycling' as const, fillRateBytesPerSec: 0 };
    const cycle = { dipPercent: 3.04, periodSeconds: 61 };
    assert.equal(describeForecast({ ...cycling, cycle }), 'cycling: dips to about 3.0% every 61 s');
    assert.equal(describeTrend({ ...cycling, cycle }), 'cycling: dips to about 3.0% every 61 s');
    const bursts = { ...NO_FORECAST, status: 'bursts' as const, fillRateBytesPerSec: 1024 ** 2 };
    assert.equal(describeForecast(bursts), 'filling in bursts');
    assert.equal(describeTrend(bursts), 'filling in bursts, 1.00 MiB/s on average');
  });

  it('any steady fill beyond the noise (a few blocks, 10 ppm of the disk) is recovered (property)', () => {
    // 2 KB/s for 30 s on a 100 GiB disk moves 60 KB: noise, so stable.
    assert.equal(forecast(filling(2000, 50 * GiB, 4, 10_000), T).status, 'stable');
    fc.assert(
      fc.property(
        fc.integer({ min: 2e5, max: 2e9 }),
        fc.integer({ min: 4, max: 30 }),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        (rate, n, ahead) => {
          // At the end, full is `ahead` times the span of the fill away: a time up to twice it.
          const span = (n - 1) * 10;
          const f = forecast(filling(rate, rate * span * (1 + ahead), n, 10_000), T);
          assert.equal(f.status, 'filling', 'a steady fill is neither bursts nor a cycle');
          assert.ok(Math.abs(f.fillRateBytesPerSec! - rate) / rate < 1e-6);
          if (ahead <= 1.99) assert.ok(f.secondsToFull! > 0);
          if (ahead >= 2.01) assert.equal(f.secondsToFull, null, 'further ahead than the evidence');
        },
      ),
    );
  });

  it('never gives a time of 0 or less, nor a time without a fill (property)', () => {
    const point = fc.record({
      dt: fc.integer({ min: 1, max: 120_000 }),
      available: fc.integer({ min: 0, max: 1e9 }),
    });
    fc.assert(
      fc.property(fc.array(point, { maxLength: 80 }), (steps) => {
        let at = 0;
        const points = steps.map((s) => ({ at: (at += s.dt), available: s.available, usable: 1e9 }));
        const f = forecast(points, T);
        const evidence = ((points.at(-1)?.at ?? 0) - (f.trendSince ?? 0)) / 1000;
        for (const t of [f.secondsToWarning, f.secondsToCritical, f.secondsToFull]) {
          assert.ok(t === null || t > 0);
          if (t !== null) assert.equal(f.status, 'filling');
          if (t !== null) assert.ok(t <= FORECAST.horizonPerEvidence * evidence, 'beyond the evidence');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('fast detection cadence', () => {
  const stable = { ...NO_FORECAST, fillRateBytesPerSec: 0 };
  it('adds no reads for a disk far from its thresholds and stable', () => {
    // 400 GiB above the warning threshold: a fast disk needs ~7 min to write that much.
    assert.equal(
      nextReadDelay({ freePercent: 60, usable: 1000 * GiB }, 'ok', () => stable, T, 300_000),
      null,
    );
  });

  it('reads a disk near a threshold often enough that a crossing at full write speed is seen', () => {
    const delay = nextReadDelay({ freePercent: 21, usable: 100 * GiB }, 'ok', () => stable, T, 300_000)!;
    assert.ok(delay <= (1 * GiB * 1000) / FAST_DETECTION.worstCaseWriteBytesPerSec + 1, `${delay} ms`);
  });

  it('tightens as a measured fill brings the crossing closer, down to the floor', () => {
    const soon = { ...NO_FORECAST, fillRateBytesPerSec: 8e6, secondsToWarning: 2 };
    assert.equal(
      nextReadDelay({ freePercent: 40, usable: 100 * GiB }, 'ok', () => soon, T, 300_000),
      500,
    );
    const now = { ...NO_FORECAST, fillRateBytesPerSec: 8e6, secondsToWarning: 0 };
    assert.equal(
      nextReadDelay({ freePercent: 20.01, usable: 100 * GiB }, 'ok', () => now, T, 300_000),
      FAST_DETECTION.minDelayMs,
    );
  });

  it('re-reads a disk in alert every 700 ms, sooner near the next threshold down', () => {
    // Issue 15: the all-clear within half a second of the space being freed (median: half the
    // cadence plus the delivery); the README says 700 ms.
    assert.equal(FAST_DETECTION.alertRecheckMs, 700);
    assert.ok(
      nextReadDelay({ freePercent: 12, usable: 10 * GiB }, 'warning', () => stable, T, 300_000)! <=
        FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(
      nextReadDelay({ freePercent: 19, usable: 1000 * GiB }, 'warning', () => stable, T, 300_000),
      FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(
      nextReadDelay({ freePercent: 5, usable: 10 * GiB }, 'critical', () => stable, T, 300_000),
      FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(
      nextReadDelay(null, 'unreachable', () => stable, T, 300_000),
      null,
    );
  });
});
