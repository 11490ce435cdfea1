import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import {
  addPoint,
  describeForecast,
  describeTrend,
  forecast,
  FORECAST,
  wholeSeconds,
  type Forecast,
  type Point,
} from '../../shared/forecast.js';
import {
  GIT_CLONES,
  LOGROTATE,
  LOGROTATE_SECOND_ROTATION,
  SQLITE_INSERTS,
  type FillTrace,
} from '../helpers/fill-traces.js';

const T = { warningPercent: 20, criticalPercent: 10 };
const usable = 256 * 1024 ** 2;

/**
 * A trace read as the watcher reads a disk near its thresholds (every 250 ms, in whole 4 KiB
 * blocks, as ext4 counts them), kept as the watcher keeps points, and the forecast it shows once
 * a second.
 */
function play(trace: FillTrace, everyMs = 250): { at: number; free: number; f: Forecast }[] {
  const shown = [];
  let points: Point[] = [];
  for (let ms = 0; ms <= trace.durationSeconds * 1000; ms += everyMs) {
    const free = trace.freeAt(ms / 1000);
    const available = Math.round((usable * free) / 100 / 4096) * 4096;
    points = addPoint(points, { at: ms, available, usable });
    if (ms % 1000 === 0) shown.push({ at: ms / 1000, free, f: forecast(points, T) });
  }
  return shown;
}

const times = (f: Forecast) => [f.secondsToWarning, f.secondsToCritical, f.secondsToFull];

describe('forecast on real-program shapes', () => {
  it('a log rotated every 21 s is named a cycle, with its dip and period, never given a deadline', () => {
    const shown = play(LOGROTATE);
    const firstRotation = LOGROTATE_SECOND_ROTATION - LOGROTATE.periodSeconds;
    // After one rotation the refill may be timed only half as far ahead: no critical, no full.
    for (const { at, f } of shown.filter((s) => s.at > firstRotation))
      assert.deepEqual([f.secondsToCritical, f.secondsToFull], [null, null], `${at} s: ${describeTrend(f)}`);
    // Once it has cycled twice, every reading says so and none gives a time.
    const cycled = shown.filter((s) => s.at > LOGROTATE_SECOND_ROTATION && s.at < LOGROTATE.durationSeconds);
    assert.ok(cycled.length > 100);
    for (const { at, f } of cycled) {
      assert.equal(f.status, 'cycling', `${at} s: ${describeTrend(f)}`);
      assert.deepEqual(times(f), [null, null, null]);
      assert.equal(describeForecast(f), 'cycling: dips to about 10.2% every 21 s');
    }
  });

  it('clone after clone fills "in bursts": never a deadline, and stable once they stop', () => {
    const shown = play(GIT_CLONES);
    const [first, last] = GIT_CLONES.clones;
    for (const { at, f } of shown.filter((s) => s.at >= first && s.at <= last + 3))
      assert.deepEqual(times(f), [null, null, null], `${at} s: ${describeTrend(f)}`);
    // From the second clone on, the pattern is named (a reading at a clone's first second may
    // still see a step).
    const named = shown.filter((s) => s.at >= first + 8 && s.at <= last + 3);
    const bursts = named.filter((s) => describeForecast(s.f) === 'filling in bursts');
    assert.ok(bursts.length >= 0.9 * named.length, `${bursts.length} of ${named.length} readings`);
    // The rate a view gives is the average, pauses included: 10 MB every 6 s, 1.7 MiB/s.
    assert.match(describeTrend(bursts.at(-1)!.f), /^filling in bursts, 1\.[5-8]\d MiB\/s on average$/);
    for (const { at, f } of shown.filter((s) => s.at >= last + 15)) {
      assert.equal(f.status, 'stable', `${at} s`);
      assert.equal(f.secondsToFull, null);
    }
  });

  it('steady inserts are timed to critical as well as before: median within −8 %/+2 %', () => {
    const shown = play(SQLITE_INSERTS);
    let crossed = 0; // to a tenth of a second
    while (SQLITE_INSERTS.freeAt(crossed) >= T.criticalPercent) crossed += 0.1;
    const claims = shown.filter((s) => s.f.secondsToCritical !== null && s.at < crossed);
    assert.ok(claims.length >= 60, `${claims.length} claims`);
    const errors = claims.map((s) => (s.f.secondsToCritical! - (crossed - s.at)) / (crossed - s.at));
    const median = errors.sort((a, b) => a - b)[Math.floor(errors.length / 2)]!;
    assert.ok(median >= -0.08 && median <= 0.02, `median error ${(median * 100).toFixed(1)} %`);
    // Each claim reaches no further than twice the steady fill behind it.
    for (const { at, f } of claims)
      assert.ok(f.secondsToCritical! <= FORECAST.horizonPerEvidence * (at - f.trendSince! / 1000));
  });

  it('a steady fill read at any cadence is never called bursts or a cycle (property)', () => {
    const reading = fc.record({
      dt: fc.integer({ min: 100, max: 30_000 }),
      jitter: fc.integer({ min: -3e4, max: 3e4 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1e5, max: 2e7 }),
        fc.array(reading, { minLength: 10, maxLength: 300 }),
        (rate, reads) => {
          let [at, points] = [0, [] as Point[]];
          for (const r of reads) {
            const available = usable * 0.9 - (rate * (at += r.dt)) / 1000 + r.jitter;
            if (available < usable * 0.02) break;
            points = addPoint(points, { at, available, usable });
          }
          assert.ok(!['bursts', 'cycling'].includes(forecast(points, T).status));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never gives a time of 0 while bytes remain, nor a whole second of 0 (property)', () => {
    for (const trace of [LOGROTATE, GIT_CLONES, SQLITE_INSERTS])
      for (const { at, free, f } of play(trace))
        for (const t of times(f))
          if (t !== null && free > 0) assert.ok(t > 0 && wholeSeconds(t) >= 1, `${at} s`);
    // A fast fill 0.4 s from full is "1 s" in `check --json` and the metrics, not "0".
    assert.equal(wholeSeconds(0.4), 1);
    assert.equal(wholeSeconds(41.6), 42);
    const step = fc.record({
      dt: fc.integer({ min: 50, max: 5000 }),
      fill: fc.integer({ min: -2e6, max: 2e7 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 120 }), (steps) => {
        let [at, available] = [0, usable / 2];
        let points: Point[] = [];
        for (const s of steps) {
          available = Math.max(4096, Math.min(usable, available - s.fill));
          points = addPoint(points, { at: (at += s.dt), available, usable });
        }
        const f = forecast(points, T);
        if (f.secondsToFull !== null) assert.ok(f.secondsToFull > 0 && wholeSeconds(f.secondsToFull) >= 1);
      }),
      { numRuns: 300 },
    );
  });
});
