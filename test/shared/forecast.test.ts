import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FAST_DETECTION, nextReadDelay } from '../../shared/fast-detection.js';
import { describeForecast, forecast, NO_FORECAST, type Point } from '../../shared/forecast.js';

const T = { warningPercent: 20, criticalPercent: 10 };
const GiB = 1024 ** 3;
const filling = (ratePerSec: number, from = 50 * GiB, n = 10, stepMs = 60_000): Point[] =>
  Array.from({ length: n }, (_, i) => ({
    at: i * stepMs,
    available: from - (ratePerSec * (i * stepMs)) / 1000,
    usable: 100 * GiB,
  }));

describe('forecast', () => {
  it('measures a steady fill and times warning, critical and full from it', () => {
    const f = forecast(filling(10 * 1024 ** 2), T); // 10 MiB/s, 50 GiB free of 100 after 9 min
    assert.ok(Math.abs(f.fillRateBytesPerSec! - 10 * 1024 ** 2) < 1);
    const available = 50 * GiB - 10 * 1024 ** 2 * 540;
    assert.ok(Math.abs(f.secondsToWarning! - (available - 20 * GiB) / (10 * 1024 ** 2)) < 0.01);
    assert.ok(Math.abs(f.secondsToFull! - available / (10 * 1024 ** 2)) < 0.01);
    assert.ok(f.secondsToWarning! < f.secondsToCritical! && f.secondsToCritical! < f.secondsToFull!);
  });

  it('says nothing about times when the disk is stable or being freed', () => {
    assert.deepEqual(forecast(filling(0), T), { ...NO_FORECAST, fillRateBytesPerSec: 0 });
    const freeing = forecast(filling(-5 * 1024 ** 2), T);
    assert.ok(freeing.fillRateBytesPerSec! < 0);
    assert.equal(freeing.secondsToFull, null);
  });

  it('needs two samples at least a second apart, within the window', () => {
    assert.deepEqual(forecast([], T), NO_FORECAST);
    assert.deepEqual(forecast(filling(1e6, 50 * GiB, 1), T), NO_FORECAST);
    assert.deepEqual(forecast(filling(1e6, 50 * GiB, 2, 10), T), NO_FORECAST);
    const old = { at: -3_600_000, available: 99 * GiB, usable: 100 * GiB };
    assert.ok(
      Math.abs(forecast([old, ...filling(1e6)], T).fillRateBytesPerSec! - 1e6) < 1,
      'an hour-old sample is outside the window',
    );
  });

  it('reports a threshold already passed as 0 seconds away', () => {
    const f = forecast(filling(1e6, 5 * GiB), T);
    assert.equal(f.secondsToWarning, 0);
    assert.equal(f.secondsToCritical, 0);
  });

  it('puts it in words', () => {
    assert.equal(
      describeForecast({ ...NO_FORECAST, secondsToFull: 42 * 60 }),
      'at this rate, full in 42 min',
    );
    assert.equal(describeForecast({ ...NO_FORECAST, secondsToFull: 30 }), 'at this rate, full in 30 s');
    assert.equal(describeForecast(NO_FORECAST), null);
  });

  it('any steady fill is recovered whatever its rate and noise-free start (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000, max: 2e9 }), fc.integer({ min: 3, max: 30 }), (rate, n) => {
        const f = forecast(filling(rate, 1e13, n, 10_000), T);
        assert.ok(Math.abs(f.fillRateBytesPerSec! - rate) / rate < 1e-6);
        assert.ok(f.secondsToFull! > 0);
      }),
    );
  });
});

describe('fast detection cadence', () => {
  const stable = { ...NO_FORECAST, fillRateBytesPerSec: 0 };
  it('adds no reads for a disk far from its thresholds and stable', () => {
    // 400 GiB above the warning threshold: a fast disk needs ~7 min to write that much.
    assert.equal(nextReadDelay({ freePercent: 60, usable: 1000 * GiB }, 'ok', stable, T, 300_000), null);
  });

  it('reads a disk near a threshold often enough that a crossing at full write speed is seen', () => {
    const delay = nextReadDelay({ freePercent: 21, usable: 100 * GiB }, 'ok', stable, T, 300_000)!;
    assert.ok(delay <= (1 * GiB * 1000) / FAST_DETECTION.worstCaseWriteBytesPerSec + 1, `${delay} ms`);
  });

  it('tightens as a measured fill brings the crossing closer, down to the floor', () => {
    const soon = { ...NO_FORECAST, fillRateBytesPerSec: 8e6, secondsToWarning: 2 };
    assert.equal(nextReadDelay({ freePercent: 40, usable: 100 * GiB }, 'ok', soon, T, 300_000), 500);
    const now = { ...NO_FORECAST, fillRateBytesPerSec: 8e6, secondsToWarning: 0 };
    assert.equal(
      nextReadDelay({ freePercent: 20.01, usable: 100 * GiB }, 'ok', now, T, 300_000),
      FAST_DETECTION.minDelayMs,
    );
  });

  it('re-reads a disk in alert at least every 500 ms, for the next threshold down and for its all-clear', () => {
    // Issue 15: the all-clear within half a second of the space being freed.
    assert.ok(FAST_DETECTION.alertRecheckMs <= 500);
    assert.ok(
      nextReadDelay({ freePercent: 12, usable: 10 * GiB }, 'warning', stable, T, 300_000)! <=
        FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(
      nextReadDelay({ freePercent: 19, usable: 1000 * GiB }, 'warning', stable, T, 300_000),
      FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(
      nextReadDelay({ freePercent: 5, usable: 10 * GiB }, 'critical', stable, T, 300_000),
      FAST_DETECTION.alertRecheckMs,
    );
    assert.equal(nextReadDelay(null, 'unreachable', stable, T, 300_000), null);
  });
});
