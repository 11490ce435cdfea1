import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { describeTrend, type Forecast } from '../../shared/forecast.js';
import { GIT_CLONES, LOGROTATE, LOGROTATE_SECOND_ROTATION, SQLITE_INSERTS } from '../helpers/fill-traces.js';
import { replay } from '../helpers/replay.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const times = (f: Forecast) => [f.secondsToWarning, f.secondsToCritical, f.secondsToFull];

/**
 * The forecast on the shapes real programs make, through the watcher that ships: replayed on a
 * real tmpfs at the watcher's own cadence. (A real logrotate-like loop sampled in real time:
 * forecast-real-log.test.ts.)
 */
describe('what the forecast claims on real-program shapes', { skip: await cannotMount }, () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });

  it(
    'a rotated log: named a cycle in the views, and no message says "full in"',
    { timeout: 60_000 },
    async () => {
      const r = await replay(LOGROTATE, { pki });
      const cycled = r.shown.filter((s) => s.at > LOGROTATE_SECOND_ROTATION + 1);
      assert.ok(cycled.length > 100);
      for (const { at, forecast: f } of cycled) {
        assert.equal(f.status, 'cycling', `${at} s: ${describeTrend(f)}`);
        assert.deepEqual(times(f), [null, null, null]);
      }
      for (const h of r.heard) assert.doesNotMatch(`${h.message} ${h.info}`, /full in|critical in/i);
    },
  );

  it('clone after clone: "filling in bursts", never a deadline', { timeout: 60_000 }, async () => {
    const r = await replay(GIT_CLONES, { pki });
    const [first, last] = GIT_CLONES.clones;
    const during = r.shown.filter((s) => s.at >= first && s.at <= last + 3);
    for (const { at, forecast: f } of during)
      assert.deepEqual(times(f), [null, null, null], `${at} s: ${describeTrend(f)}`);
    const named = during.filter((s) => s.at >= first + 8 && s.forecast.status === 'bursts');
    assert.ok(named.length >= 0.9 * during.filter((s) => s.at >= first + 8).length);
    for (const h of r.heard) assert.doesNotMatch(`${h.message} ${h.info}`, /full in|critical in/i);
  });

  it('steady inserts: the views time critical within −8 %/+2 % (median)', { timeout: 60_000 }, async () => {
    const r = await replay(SQLITE_INSERTS, { pki });
    // The truth from the trace itself, to a tenth of a second (views are sampled once a second).
    let crossed = 0;
    while (SQLITE_INSERTS.freeAt(crossed) >= 10) crossed += 0.1;
    const claims = r.shown.filter((s) => s.forecast.secondsToCritical !== null && s.at < crossed);
    assert.ok(claims.length >= 30, `${claims.length} claims`);
    const errors = claims
      .map((s) => (s.forecast.secondsToCritical! - (crossed - s.at)) / (crossed - s.at))
      .sort((a, b) => a - b);
    const median = errors[Math.floor(errors.length / 2)]!;
    assert.ok(median >= -0.08 && median <= 0.02, `median error ${(median * 100).toFixed(1)} %`);
  });
});
