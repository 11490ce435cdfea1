import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { formatRelative, formatTime } from '../../shared/format.js';
import {
  addSample,
  emptyHistory,
  endingAt,
  firstSpan,
  pointsFor,
  prune,
  TIERS,
  type MountHistory,
} from '../../shared/sample-history.js';

const GiB = 1024 ** 3;
const HOUR = 3600_000;

/** A week of samples every `stepMs`, free space falling from 60% to 10% of 100 GiB. */
function week(stepMs: number, now: number): MountHistory {
  let h = emptyHistory();
  const n = (7 * 24 * HOUR) / stepMs;
  for (let i = 0; i <= n; i++) {
    const free = 60 - (50 * i) / n;
    h = addSample(h, {
      at: now - 7 * 24 * HOUR + i * stepMs,
      available: (free / 100) * 100 * GiB,
      usable: 100 * GiB,
      state: free < 10 ? 'critical' : free < 20 ? 'warning' : 'ok',
    });
  }
  return h;
}

describe('sample history for charts', () => {
  const now = Date.UTC(2026, 10, 29, 12);

  it('keeps a week of 5-second samples in at most 1,560 + 768 buckets', () => {
    const h = prune(week(5_000, now), now);
    assert.ok(h.fine.length <= TIERS.fine.keepMs / TIERS.fine.bucketMs, `${h.fine.length} fine`);
    assert.ok(h.coarse.length <= TIERS.coarse.keepMs / TIERS.coarse.bucketMs + 1, `${h.coarse.length}`);
    const points = pointsFor(h, 'week', now);
    assert.ok(points.length >= 670 && points.length <= 673, `${points.length} points`);
    assert.ok(Math.abs(points[0]!.freePercent! - 60) < 0.2);
    assert.equal(points.at(-1)!.state, 'warning');
  });

  it('keeps the lowest free space and the worst state of a bucket, so a dip is never averaged away', () => {
    let h = emptyHistory();
    const at = Date.UTC(2026, 0, 1, 10, 0, 0);
    for (const [dt, free, state] of [
      [0, 30, 'ok'],
      [10_000, 8, 'critical'],
      [20_000, 30, 'ok'],
    ] as const)
      h = addSample(h, { at: at + dt, available: free * GiB, usable: 100 * GiB, state });
    assert.deepEqual(pointsFor(h, 'hour', at + 30_000), [{ at, freePercent: 8, state: 'critical' }]);
  });

  it('draws a gap while the disk did not answer', () => {
    let h = emptyHistory();
    const at = Date.UTC(2026, 0, 1, 10);
    h = addSample(h, { at, available: 50 * GiB, usable: 100 * GiB, state: 'ok' });
    h = addSample(h, { at: at + 60_000, available: null, usable: null, state: 'unreachable' });
    const points = pointsFor(h, 'hour', at + 90_000);
    assert.deepEqual(
      points.map((p) => [p.freePercent, p.state]),
      [
        [50, 'ok'],
        [null, 'unreachable'],
      ],
    );
  });

  it('drops buckets "from the future" when the clock is set back', () => {
    let h = emptyHistory();
    const at = Date.UTC(2026, 0, 1, 10);
    h = addSample(h, { at: at + 10 * 60_000, available: 50 * GiB, usable: 100 * GiB, state: 'ok' });
    h = addSample(h, { at, available: 40 * GiB, usable: 100 * GiB, state: 'ok' });
    assert.deepEqual(
      h.fine.map((b) => b[0]),
      [at],
    );
  });
});

describe("the chart's points", () => {
  const at = Date.UTC(2026, 0, 1, 10);
  it("end at the card's reading, not at the last bucket's lowest (a disk just freed)", () => {
    let h = emptyHistory();
    h = addSample(h, { at, available: 9 * GiB, usable: 100 * GiB, state: 'critical' });
    h = addSample(h, { at: at + 20_000, available: 76 * GiB, usable: 100 * GiB, state: 'ok' });
    const points = pointsFor(h, 'hour', at + 20_000);
    assert.deepEqual(
      points.map((p) => p.freePercent),
      [9],
      'the bucket keeps its lowest',
    );
    const latest = { at: at + 20_000, freePercent: 76, state: 'ok' as const };
    assert.deepEqual(
      endingAt(points, latest).map((p) => p.freePercent),
      [9, 76],
    );
    // A point read after the card's reading is not drawn past it.
    assert.deepEqual(endingAt([...points, { ...latest, at: at + 30_000 }], latest).at(-1), latest);
  });
  it('start on the hour while the disk has less than an hour of samples, then the day', () => {
    const point = (ago: number) => ({ at: at - ago, freePercent: 50, state: 'ok' as const });
    assert.equal(firstSpan([], at), 'hour');
    assert.equal(firstSpan([point(50 * 60_000), point(0)], at), 'hour');
    assert.equal(firstSpan([point(2 * HOUR), point(0)], at), 'day');
  });
});

describe('one time format', () => {
  const at = Date.UTC(2026, 10, 29, 16, 31, 29);
  it('shows local time with its zone, or ISO 8601 with --utc', () => {
    assert.equal(formatTime(at, { timeZone: 'Europe/Berlin' }), '2026-11-29 17:31:29 GMT+1');
    assert.equal(formatTime(at, { timeZone: 'America/New_York', seconds: false }), '2026-11-29 11:31 EST');
    assert.equal(formatTime(at, { utc: true }), '2026-11-29T16:31:29Z');
  });
  it('says how long ago in words', () => {
    assert.equal(formatRelative(at - 20_000, at), 'just now');
    assert.equal(formatRelative(at - 5 * 60_000, at), '5 min ago');
    assert.equal(formatRelative(at + 3 * HOUR, at), 'in 3 h');
    assert.equal(formatRelative(at - 3 * 86_400_000, at), '3 days ago');
  });
});
